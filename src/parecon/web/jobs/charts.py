"""The complexes chart: each person's two averages against the band, as SVG geometry.

The template (``jobs/_chart.svg.html``) draws what this computes; every text goes
through the template's escaping and nothing is styled inline (CSP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parecon.web.jobs.models import Balance, PersonComplex

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 360, 56, 16, 16, 44


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    inside: bool


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    band_x: float
    band_y: float
    band_w: float
    band_h: float
    mean_x: float
    mean_y: float
    dots: list[Dot]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int
    bottom: float
    top: int
    right: float


def complexes_chart(balance: Balance, rows: Sequence[PersonComplex]) -> Chart | None:
    """Empowerment (x) against desirability (y), the band a rectangle round the means."""
    if not rows or balance.mean_empowerment is None or balance.mean_desirability is None:
        return None
    me, md, band = balance.mean_empowerment, balance.mean_desirability, balance.band
    xs = [r.empowerment for r in rows] + [me - band, me + band]
    ys = [r.desirability for r in rows] + [md - band, md + band]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(v: float) -> float:
        return round(LEFT + (v - x0) / (x1 - x0) * plot_w, 1)

    def py(v: float) -> float:
        return round(TOP + (y1 - v) / (y1 - y0) * plot_h, 1)

    def ticks(lo: float, hi: float, at: object) -> list[Tick]:
        step = max(1, round((hi - lo) / 5))
        first = int(lo) + 1
        return [Tick(at(v), str(v)) for v in range(first, int(hi) + 1, step)]  # type: ignore[operator]

    dots = [
        Dot(
            px(r.empowerment),
            py(r.desirability),
            f"{r.member.display_name}: {r.empowerment:.2f}, {r.desirability:.2f}",
            abs(r.empowerment - me) <= band + 1e-9 and abs(r.desirability - md) <= band + 1e-9,
        )
        for r in rows
    ]
    return Chart(
        WIDTH,
        HEIGHT,
        px(me - band),
        py(md + band),
        round(px(me + band) - px(me - band), 1),
        round(py(md - band) - py(md + band), 1),
        px(me),
        py(md),
        dots,
        ticks(x0, x1, px),
        ticks(y0, y1, py),
        LEFT,
        HEIGHT - BOTTOM,
        TOP,
        WIDTH - RIGHT,
    )
