"""The largest gap per round as a Vega-Lite chart, and chart files (SVG, PNG, HTML).

The chart is a plain Vega-Lite document (a dict), so the web platform can hand it
to vega-embed as is and the command line renders it with vl-convert, without
importing Altair. Text from the economy (its name) is data: it is escaped in every
file written here, never placed raw in markup or script.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parecon.exceptions import InputError

if TYPE_CHECKING:
    from parecon.engine import PlanResult

__all__ = ["CHART_SUFFIXES", "chart_html", "check_chart_path", "gap_chart", "write_chart"]

CHART_SUFFIXES = (".svg", ".png", ".html")
_VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"


def gap_chart(result: PlanResult, title: str = "") -> dict[str, Any]:
    """Largest gap per round on a log scale, with the tolerance as a dashed rule."""
    rows = [
        {
            "round": r.round,
            "largest gap (%)": 100 * max(r.max_gap, 1e-9),
            "goods within tolerance": r.within(result.tolerance),
        }
        for r in result.history
    ]
    tooltip = [
        {"field": "round", "type": "quantitative"},
        {"field": "largest gap (%)", "type": "quantitative"},
        {"field": "goods within tolerance", "type": "quantitative"},
    ]
    return {
        "$schema": _VEGA_LITE,
        "title": title or f"{result.rule}: {result.message}",
        "width": 480,
        "height": 280,
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {
                        "field": "round",
                        "type": "quantitative",
                        "title": "round",
                        "axis": {"tickMinStep": 1},
                    },
                    "y": {
                        "field": "largest gap (%)",
                        "type": "quantitative",
                        "scale": {"type": "log"},
                        "title": "largest gap (%)",
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": [{"t": 100 * result.tolerance}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "gray"},
                "encoding": {"y": {"field": "t", "type": "quantitative"}},
            },
        ],
    }


def check_chart_path(path: str | Path, option: str = "--chart") -> Path:
    """``path`` if its suffix names a chart format; a located error otherwise."""
    path = Path(path)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise InputError(
            f"a chart is written as {', '.join(CHART_SUFFIXES)}; "
            f"{path.suffix or 'no suffix'} is none of them",
            f"{option} {path}",
        )
    return path


def _script_json(document: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(document)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def chart_html(spec: dict[str, Any]) -> str:
    """A standalone HTML page that draws ``spec`` with vega-embed."""
    title = spec.get("title", "")
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(str(title))}</title>\n"
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
        '<script src="https://cdn.jsdelivr.net/npm/vega-lite@5"></script>\n'
        '<script src="https://cdn.jsdelivr.net/npm/vega-embed@6"></script>\n'
        '</head>\n<body>\n<div id="chart"></div>\n<script type="text/javascript">\n'
        f'vegaEmbed("#chart", {_script_json(spec)}).catch(console.error);\n'
        "</script>\n</body>\n</html>\n"
    )


def write_chart(spec: dict[str, Any], path: str | Path) -> Path:
    """Write ``spec`` as SVG, PNG or HTML, chosen by the file's suffix."""
    path = check_chart_path(path)
    suffix = path.suffix.lower()
    if suffix == ".html":
        path.write_text(chart_html(spec), encoding="utf-8")
        return path
    import vl_convert as vlc

    if suffix == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec))
    else:
        path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    return path
