"""The largest gap per round as a small SVG, built on the server and escaped.

Hand-built rather than through Altair, so a page needs no chart library at
request time; every text in it goes through ``html.escape``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape


def gap_chart_svg(
    gaps: Sequence[float | None], tolerance: float, *, title: str = "Largest gap per round"
) -> str:
    """A log-scale line of the largest gap (fraction) per closed round, with the tolerance."""
    width, height, left, right, top, bottom = 560, 240, 56, 16, 28, 36
    points = [
        (i + 1, g) for i, g in enumerate(gaps) if g is not None and g > 0 and math.isfinite(g)
    ]
    values = [g for _n, g in points] + [tolerance]
    lo = math.floor(math.log10(min(values) * 0.8))
    hi = math.ceil(math.log10(max(values) * 1.25))
    if hi <= lo:
        hi = lo + 1
    n = max(len(gaps), 2)

    def x(k: float) -> float:
        return left + (k - 1) / (n - 1) * (width - left - right)

    def y(v: float) -> float:
        return top + (hi - math.log10(v)) / (hi - lo) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
    ]
    for e in range(lo, hi + 1):
        yy = y(10.0**e)
        label = f"{10.0**e * 100:g}%"
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e3e6ea"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#5a6472">{escape(label)}</text>'
        )
    for k in range(1, n + 1):
        parts.append(
            f'<text x="{x(k):.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="#5a6472">{k}</text>'
        )
    ty = y(tolerance)
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
        f'stroke="#1e6b3a" stroke-dasharray="5 4"/>'
        f'<text x="{width - right}" y="{ty - 5:.1f}" font-size="11" text-anchor="end" '
        f'fill="#1e6b3a">{escape(f"tolerance {tolerance * 100:g}%")}</text>'
    )
    if points:
        path = " ".join(f"{x(k):.1f},{y(g):.1f}" for k, g in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#8a2c0e" stroke-width="2"/>')
        for k, g in points:
            parts.append(
                f'<circle cx="{x(k):.1f}" cy="{y(g):.1f}" r="3.5" fill="#8a2c0e">'
                f"<title>{escape(f'round {k}: {g * 100:.2f}%')}</title></circle>"
            )
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 4}" font-size="11" '
        f'text-anchor="middle" fill="#5a6472">round</text>'
    )
    parts.append(f'<text x="{left}" y="16" font-size="13" fill="#1d232b">{escape(title)}</text>')
    parts.append("</svg>")
    return "".join(parts)
