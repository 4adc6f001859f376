"""The Iteration Facilitation Board, one round at a time.

:class:`FacilitationBoard` holds what a real board holds between rounds: the
prices it announced, its price rule and the rule's memory, and the record of
every round. It does not know who proposed what or how the totals were
computed, so the same object serves a simulation (where
:class:`~parecon.engine.PlanningProcedure` drives it in a loop) and real
planning rounds that last days (where the platform sums the councils'
submitted proposals, perhaps with simulated councils, and calls
:meth:`FacilitationBoard.tally` once per round).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from parecon.engine.blas import one_blas_thread
from parecon.engine.gaps import gaps
from parecon.engine.goods import Goods
from parecon.engine.populations import FloatArray, Response, ValueFlows
from parecon.engine.price_rules import PriceRule
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import ValidationError

__all__ = ["FacilitationBoard", "RoundRecord", "Status"]

Status = Literal["open", "converged", "max-rounds", "stopped", "diverged"]


@dataclass(frozen=True)
class RoundRecord:
    """What the board saw in one round.

    ``prices`` were announced before the round; ``supply`` and ``demand``
    (shape (n_goods,)) were proposed at them; ``next_prices`` were announced
    after it (equal to ``prices`` when planning stops here).
    """

    round: int
    prices: FloatArray
    supply: FloatArray
    demand: FloatArray
    gaps: FloatArray
    next_prices: FloatArray
    seconds: float

    @property
    def max_gap(self) -> float:
        return float(self.gaps.max(initial=0.0))

    def within(self, tolerance: float) -> int:
        """Number of goods whose gap is below ``tolerance``."""
        return int((self.gaps < tolerance).sum())


class FacilitationBoard:
    """Announces prices, receives totals, measures gaps, announces new prices.

    Parameters
    ----------
    rule : PriceRule
    prices : ndarray of shape (n_goods,)
        The first prices to announce (positive, finite).
    tolerance : float
        Planning is complete once every gap is below this.
    max_rounds : int
    thresholds : tuple of float
        Gaps whose first round is recorded in :attr:`rounds_to`.
    rule_state : object, optional
        The rule's memory from a previous period (``PlanResult.rule_state``).
    goods : Goods, optional
        The goods priced, in order; their categories are passed to the rule
        (:meth:`PriceRule.bind`).
    """

    def __init__(
        self,
        rule: PriceRule,
        prices: FloatArray,
        *,
        tolerance: float,
        max_rounds: int,
        thresholds: tuple[float, ...] = (),
        rule_state: Any = None,
        goods: Goods | None = None,
    ) -> None:
        self.prices = as_float_array(prices, "prices", "board")
        check_values(self.prices, "prices", "good", positive=True)
        if goods is not None and len(goods) != self.prices.shape[0]:
            raise ValidationError(f"{len(goods)} goods but {self.prices.shape[0]} prices", "board")
        self.rule = rule if goods is None else rule.bind(goods)
        self.tolerance = tolerance
        self.max_rounds = max_rounds
        self.state = self.rule.start(self.prices) if rule_state is None else rule_state
        self.history: list[RoundRecord] = []
        self.rounds_to: dict[float, int | None] = dict.fromkeys(
            sorted({*thresholds, tolerance}, reverse=True)
        )
        self.status: Status = "open"
        self._opened = time.perf_counter()

    @property
    def round(self) -> int:
        """Number of the round now open for proposals (1-based)."""
        return len(self.history) + 1

    @property
    def wants_flows(self) -> bool:
        """Whether the rule uses the value flows of the proposals (pass them to :meth:`tally`)."""
        return self.rule.uses_flows

    @property
    def effort_share(self) -> float:
        """The effort share the value flows of this round are to assume."""
        return float(self.rule.effort_share(self.state))

    def tally(self, response: Response, flows: ValueFlows | None = None) -> RoundRecord:
        """Take the totals proposed at :attr:`prices`; announce the next prices.

        ``flows``: the value-flow table of the same proposals, for rules that
        use it (:attr:`wants_flows`); ignored by the others.

        Sets :attr:`status` to ``converged`` (every gap below tolerance),
        ``max-rounds``, ``diverged`` (non-finite totals, or a rule that produced
        a non-positive or non-finite price) or leaves it ``open``.
        """
        if self.status != "open":
            raise ValidationError(f"planning is over ({self.status}); start a new board")
        supply = np.asarray(response.supply, dtype=np.float64)
        demand = np.asarray(response.demand, dtype=np.float64)
        if supply.shape != self.prices.shape or demand.shape != self.prices.shape:
            raise ValidationError(
                f"totals have shapes {supply.shape} and {demand.shape}; "
                f"the board prices {self.prices.shape[0]} goods"
            )
        prices = self.prices
        if not (np.isfinite(supply).all() and np.isfinite(demand).all()):
            record = self._record(prices, supply, demand, np.full_like(prices, np.inf), prices)
            self.status = "diverged"
            return record
        gap = gaps(supply, demand)
        worst = float(gap.max(initial=0.0))
        for threshold, reached in self.rounds_to.items():
            if reached is None and worst < threshold:
                self.rounds_to[threshold] = self.round
        if worst < self.tolerance:
            self.status = "converged"
            return self._record(prices, supply, demand, gap, prices)
        with one_blas_thread():
            if self.rule.uses_flows:
                next_prices, self.state = self.rule.update(
                    prices, supply, demand, self.state, flows=flows
                )
            else:
                next_prices, self.state = self.rule.update(prices, supply, demand, self.state)
        next_prices = np.asarray(next_prices, dtype=np.float64)
        record = self._record(prices, supply, demand, gap, next_prices)
        if not (np.isfinite(next_prices).all() and (next_prices > 0).all()):
            self.status = "diverged"
        elif len(self.history) >= self.max_rounds:
            self.status = "max-rounds"
        else:
            self.prices = next_prices
        return record

    def stop(self) -> None:
        """End planning early (a person or a callback decided so)."""
        if self.status == "open":
            self.status = "stopped"

    def finish(self) -> Any:
        """The rule's memory to carry into the next period."""
        if self.status == "diverged" or not self.history:
            return self.state
        last = self.history[-1]
        return self.rule.finish(last.prices, last.supply, last.demand, self.state)

    def _record(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        gap: FloatArray,
        next_prices: FloatArray,
    ) -> RoundRecord:
        now = time.perf_counter()
        record = RoundRecord(
            self.round, prices, supply, demand, gap, next_prices, now - self._opened
        )
        self._opened = now
        self.history.append(record)
        return record
