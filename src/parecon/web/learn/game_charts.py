"""The projector's price chart: each good's price per round, relative to its opening price.

Built on the server as SVG with presentation attributes only (no inline styles, so
the strict CSP holds) and every text escaped; the gap chart is the planning app's
``gap_chart_svg``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["price_chart_svg"]

COLOURS = ("#8a2c0e", "#1e6b3a", "#1f4e8c", "#7a4a9c", "#b3700b", "#2a7f87", "#5a6472")


def price_chart_svg(names: Sequence[str], prices: Sequence[Sequence[float]], title: str) -> str:
    """Lines of ``prices[round][good] / prices[0][good]`` on a log axis, one per good."""
    width, height, left, right, top, bottom = 560, 260, 56, 130, 28, 36
    if not prices:
        prices = [[1.0] * len(names)]
    base = prices[0]
    ratios = [[p / b for p, b in zip(row, base, strict=True)] for row in prices]
    flat = [v for row in ratios for v in row if v > 0 and math.isfinite(v)] or [1.0]
    lo = math.log10(min(min(flat), 1.0) * 0.9)
    hi = math.log10(max(max(flat), 1.0) * 1.1)
    n = max(len(ratios), 2)

    def x(k: int) -> float:
        return left + k / (n - 1) * (width - left - right)

    def y(v: float) -> float:
        return top + (hi - math.log10(v)) / (hi - lo) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="16" font-size="13" fill="#1d232b">{escape(title)}</text>',
    ]
    for v in (0.25, 0.5, 1.0, 2.0, 4.0):
        if lo <= math.log10(v) <= hi:
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                f'stroke="#e3e6ea"/><text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" '
                f'text-anchor="end" fill="#5a6472">×{v:g}</text>'
            )
    for k in range(len(ratios)):
        parts.append(
            f'<text x="{x(k):.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="#5a6472">{k + 1}</text>'
        )
    for g, name in enumerate(names):
        colour = COLOURS[g % len(COLOURS)]
        points = [(x(k), y(row[g])) for k, row in enumerate(ratios) if row[g] > 0]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        ly = top + 14 * g + 6
        parts.append(
            f'<line x1="{width - right + 10}" x2="{width - right + 26}" y1="{ly}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"/><text x="{width - right + 30}" y="{ly + 4}" '
            f'font-size="11" fill="#1d232b">{escape(name[:18])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
