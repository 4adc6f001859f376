"""Reads of the Learn pages: figures and explainers computed by the engine.

The figure is computed once per process (it plans a 600-council economy) and
kept; the explainer's tiny economy answers in microseconds, so it is computed
on every request from the prices the reader typed.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from parecon.engine import (
    Economy,
    FacilitationBoard,
    GoodCategory,
    PlanningProcedure,
    gaps,
    play_round,
    signed_gaps,
)
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.price_rules import DEFAULT_RULE
from parecon.exceptions import ConvergenceWarning

FIGURE_SPEC = EconomySpec(n_consumers=300, n_workers=300)
FIGURE_SEED = 1
FIGURE_TOLERANCE = 0.03
EXPLAINER_SPEC = EconomySpec(n_consumers=30, n_workers=9, goods_per_category=1)
EXPLAINER_SEED = 1


@dataclass(frozen=True)
class Bar:
    """One round of the figure: its number, largest gap and bar geometry (SVG units)."""

    round: int
    max_gap: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PlanningFigure:
    """How a generated economy's plan converged round by round under the default rule."""

    n_consumers: int
    n_workers: int
    n_goods: int
    rounds: int
    converged: bool
    tolerance: float
    bars: tuple[Bar, ...]
    first_gap: float
    last_gap: float
    tolerance_y: float


#: Geometry of the figure's plotting area (SVG user units).
WIDTH, HEIGHT, LEFT, TOP = 600.0, 220.0, 40.0, 10.0


def _y(gap: float, top_gap: float) -> float:
    """Vertical position of ``gap`` on a logarithmic axis from the tolerance/10 to ``top_gap``."""
    low = math.log10(FIGURE_TOLERANCE / 10)
    high = math.log10(max(top_gap, FIGURE_TOLERANCE))
    share = (math.log10(max(gap, FIGURE_TOLERANCE / 10)) - low) / (high - low)
    return TOP + (1.0 - share) * (HEIGHT - TOP)


@functools.cache
def planning_figure() -> PlanningFigure:
    """Plan the figure's economy with the default rule and lay out one bar per round."""
    economy = generate_economy(FIGURE_SPEC, seed=FIGURE_SEED)
    result = PlanningProcedure(tolerance=FIGURE_TOLERANCE).run(economy)
    max_gaps = [record.max_gap for record in result.history]
    top = max(max_gaps)
    slot = (WIDTH - LEFT) / len(max_gaps)
    bars = tuple(
        Bar(
            round=i + 1,
            max_gap=g,
            x=LEFT + i * slot + slot * 0.1,
            y=_y(g, top),
            width=slot * 0.8,
            height=HEIGHT - _y(g, top),
        )
        for i, g in enumerate(max_gaps)
    )
    return PlanningFigure(
        n_consumers=FIGURE_SPEC.n_consumers,
        n_workers=FIGURE_SPEC.n_workers,
        n_goods=economy.n_goods,
        rounds=result.rounds,
        converged=result.converged,
        tolerance=FIGURE_TOLERANCE,
        bars=bars,
        first_gap=max_gaps[0],
        last_gap=max_gaps[-1],
        tolerance_y=_y(FIGURE_TOLERANCE, top),
    )


@dataclass(frozen=True)
class RuleRun:
    """How many rounds one price rule took on the figure's economy."""

    rule: str
    rounds: int
    converged: bool


@functools.cache
def rule_comparison() -> tuple[RuleRun, ...]:
    """The figure's economy planned from the same prices by Pequod's rule and the default."""
    economy = generate_economy(FIGURE_SPEC, seed=FIGURE_SEED)
    runs = []
    for rule in ("pequod", DEFAULT_RULE):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = PlanningProcedure(rule, tolerance=FIGURE_TOLERANCE, max_rounds=100).run(
                economy
            )
        runs.append(RuleRun(rule, result.rounds, result.converged))
    return tuple(runs)


@functools.cache
def tiny_economy() -> Economy:
    """The explainer's economy: one good of each kind, 30 consumer and 9 worker councils."""
    return generate_economy(EXPLAINER_SPEC, seed=EXPLAINER_SEED)


@dataclass(frozen=True)
class GoodRow:
    """What the councils propose for one good at the reader's price."""

    index: int
    name: str
    category: str
    price: float
    supply: float
    demand: float
    gap: float
    excess: float
    next_price: float

    @property
    def advice(self) -> str:
        """Which way the board moves this price: "raise", "lower" or "keep"."""
        if self.next_price > self.price:
            return "raise"
        return "lower" if self.next_price < self.price else "keep"


@dataclass(frozen=True)
class Market:
    """Proposals of the tiny economy at one set of prices."""

    rows: tuple[GoodRow, ...]
    max_gap: float
    feasible: bool

    @property
    def next_query(self) -> str:
        """The query string that announces the board's next prices."""
        return "&".join(f"p{row.index}={row.next_price:.6g}" for row in self.rows)


def market_at(prices: list[float]) -> Market:
    """The tiny economy's councils' totals at ``prices`` and the board's answer.

    One round is played on a fresh board with the default rule, as if these were
    the opening prices: the councils propose, the board tallies and announces.
    """
    economy = tiny_economy()
    p = np.asarray(prices, dtype=np.float64)
    board = FacilitationBoard(
        DEFAULT_RULE, p, tolerance=FIGURE_TOLERANCE, max_rounds=2, goods=economy.goods
    )
    response = play_round(board, economy)
    g = gaps(response.supply, response.demand)
    s = signed_gaps(response.supply, response.demand)
    rows = tuple(
        GoodRow(
            index=i,
            name=name,
            category=GoodCategory(int(economy.goods.categories[i])).name.lower(),
            price=float(p[i]),
            supply=float(response.supply[i]),
            demand=float(response.demand[i]),
            gap=float(g[i]),
            excess=float(s[i]),
            next_price=float(response.next_prices[i]),
        )
        for i, name in enumerate(economy.goods.names)
    )
    top = float(g.max(initial=0.0))
    return Market(rows=rows, max_gap=top, feasible=top < FIGURE_TOLERANCE)
