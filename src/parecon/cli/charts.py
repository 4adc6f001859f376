"""Charts rendered to SVG on this machine (Altair + vl-convert, no browser)."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from parecon.engine import PlanResult

__all__ = ["gap_chart", "write_chart"]


def gap_chart(result: PlanResult, title: str = "") -> alt.LayerChart:
    """Largest gap per round on a log scale, with the tolerance as a rule."""
    rows = [
        {
            "round": r.round,
            "largest gap (%)": 100 * max(r.max_gap, 1e-9),
            "goods within tolerance": r.within(result.tolerance),
        }
        for r in result.history
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("round:Q", title="round", axis=alt.Axis(tickMinStep=1))
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("largest gap (%):Q", scale=alt.Scale(type="log"), title="largest gap (%)"),
        tooltip=["round:Q", "largest gap (%):Q", "goods within tolerance:Q"],
    )
    tol = (
        alt.Chart(alt.Data(values=[{"t": 100 * result.tolerance}]))
        .mark_rule(strokeDash=[4, 4], color="gray")
        .encode(y="t:Q")
    )
    return (line + tol).properties(
        title=title or f"{result.rule}: {result.message}", width=480, height=280
    )


def write_chart(chart: alt.TopLevelMixin, path: str | Path) -> None:
    """Write ``chart`` as SVG (or PNG/HTML by the file's suffix)."""
    import vl_convert as vlc

    path = Path(path)
    spec = chart.to_json()
    suffix = path.suffix.lower()
    if suffix == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec))
    elif suffix == ".html":
        path.write_text(chart.to_html())
    else:
        path.write_text(vlc.vegalite_to_svg(spec))
