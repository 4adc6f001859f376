"""Reads of evaluations: summaries, and the comparison chart's geometry (SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parecon.web.evaluations.aggregate import ValueSummary, summarise
from parecon.web.evaluations.models import Evaluation
from parecon.web.evaluations.values import VALUES

PALETTE = ("#8a2c0e", "#1e6b3a", "#2b5c9e", "#9a5b00", "#6b2e8a", "#3c3c3c")
LABEL_W, PLOT_W, BAR_H, GAP = 170, 420, 14, 10


def summary(evaluation: Evaluation) -> list[ValueSummary]:
    return summarise(evaluation.ratings.values_list("value", "score"))


def raters(evaluation: Evaluation) -> int:
    return evaluation.ratings.values("member_id").distinct().count()


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    whisker_x1: float
    whisker_x2: float
    colour: str
    median: float
    label: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: tuple[ChartRow, ...]
    legend: tuple[tuple[str, str, float], ...]
    ticks: tuple[tuple[int, float], ...]
    label_w: int


def chart(evaluations: Sequence[Evaluation]) -> Chart:
    """Horizontal bars of each evaluation's median per value, whiskers from q1 to q3."""
    summaries = [summary(e) for e in evaluations]
    row_h = len(evaluations) * BAR_H + GAP
    rows = []
    for i, v in enumerate(VALUES):
        y0 = 30 + i * row_h
        bars = []
        for j, (e, s) in enumerate(zip(evaluations, summaries, strict=True)):
            vs = s[i]
            if vs.median is None:
                continue
            scale = PLOT_W / 10
            bars.append(
                Bar(
                    y=y0 + j * BAR_H,
                    width=vs.median * scale,
                    whisker_x1=LABEL_W + (vs.q1 or 0) * scale,
                    whisker_x2=LABEL_W + (vs.q3 or 0) * scale,
                    colour=PALETTE[j % len(PALETTE)],
                    median=vs.median,
                    label=e.institution,
                )
            )
        rows.append(ChartRow(str(v.label), y0, tuple(bars)))
    height = 30 + len(VALUES) * row_h + 20 + 18 * len(evaluations)
    legend_y = 30 + len(VALUES) * row_h + 14
    legend = tuple(
        (e.institution, PALETTE[j % len(PALETTE)], legend_y + 18 * j)
        for j, e in enumerate(evaluations)
    )
    ticks = tuple((t, LABEL_W + t * PLOT_W / 10) for t in range(0, 11, 2))
    return Chart(LABEL_W + PLOT_W + 30, height, tuple(rows), legend, ticks, LABEL_W)
