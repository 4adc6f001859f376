"""The Learn pages' charts as SVG: the game's prices per round, the explainers' bars.

Built on the server as SVG with presentation attributes only (no inline styles, so
the strict CSP holds) and every text escaped; the gap chart is the planning app's
``gap_chart_svg``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["bars_svg", "price_chart_svg"]

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


def bars_svg(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    *,
    reference: float | None = None,
    band: float | None = None,
    decimals: int = 2,
) -> str:
    """Horizontal bars of ``values`` with an optional reference line and ± ``band`` around it."""
    width, left, right, top, row = 560, 90, 60, 30, 26
    height = top + row * len(values) + 10
    top_value = max([*values, (reference or 0) + (band or 0), 1e-9]) * 1.1

    def x(v: float) -> float:
        return left + max(v, 0.0) / top_value * (width - left - right)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="18" font-size="13" fill="#1d232b">{escape(title)}</text>',
    ]
    if reference is not None and band is not None:
        lo, hi = x(reference - band), x(reference + band)
        parts.append(
            f'<rect x="{lo:.1f}" y="{top - 4}" width="{hi - lo:.1f}" '
            f'height="{row * len(values) + 4}" fill="#e6f2ea"/>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="#1d232b">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{x(value) - left:.1f}" height="{row - 8}" '
            f'fill="#8a2c0e"/><text x="{x(value) + 4:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#1d232b">{value:.{decimals}f}</text>'
        )
    if reference is not None:
        rx = x(reference)
        parts.append(
            f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{top - 6}" y2="{top + row * len(values)}" '
            f'stroke="#1e6b3a" stroke-dasharray="4 3" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
