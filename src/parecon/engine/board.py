"""The Iteration Facilitation Board, one round at a time.

:class:`FacilitationBoard` holds what a real board holds between rounds: the
prices it announced, its price rule and the rule's memory, and the record of
every round. It does not know who proposed what or how the totals were
computed, so the same object serves a simulation (where
:class:`~parecon.engine.PlanningProcedure` drives it in a loop) and real
planning rounds that last days (where the platform calls
:func:`~parecon.engine.play_round` with the councils' submitted proposals,
perhaps with simulated councils, once per round, and keeps the board between
rounds as a :class:`~parecon.engine.BoardState`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from parecon.engine.blas import one_blas_thread
from parecon.engine.board_state import BoardState
from parecon.engine.gaps import gaps
from parecon.engine.goods import Goods
from parecon.engine.populations import FloatArray, Response, ValueFlows
from parecon.engine.price_rules import PriceRule, get_rule
from parecon.engine.rounds import RoundRecord, Status
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import InvalidValueError

__all__ = [
    "FacilitationBoard",
    "RoundRecord",
    "Status",
    "check_planning_settings",
    "resolve_rule",
    "rule_settings",
]

_STALL_BELOW = 0.03
"""The board checks for a noise floor only once the largest gap is below this
(lagging councils stall the gaps higher up, during the approach)."""
_DECAYING = 0.75
"""Variation at unchanged prices that shrinks below this share from one repeat to
the next is councils catching up (lag), not noise."""
_RECHECK_AFTER = 5
"""Rounds after a lag-only measurement before the board checks again."""
_WITHIN_FLOOR = 3.0
"""Planning stops at the floor once the largest gap is within this many floors: a
step taken on noisy totals leaves the difference of two draws (√2 floors), and
one draw's largest good varies by about a factor 2."""


def check_planning_settings(tolerance: float, max_rounds: int) -> tuple[float, int]:
    """``(tolerance, max_rounds)`` as float and int, or the error a person reads.

    One check for the board and the procedure, so both refuse the same values
    with the same words.
    """
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise InvalidValueError(f"tolerance must be > 0, got {tolerance!r}")
    if int(max_rounds) < 1:
        raise InvalidValueError(f"max_rounds must be >= 1, got {max_rounds!r}")
    return float(tolerance), int(max_rounds)


def resolve_rule(rule: str | PriceRule, settings: Mapping[str, Any] | None = None) -> PriceRule:
    """The rule object for a name with settings (or the object itself); one-line errors."""
    try:
        return get_rule(rule, **(settings or {}))
    except TypeError as exc:
        raise InvalidValueError(f"bad settings for price rule {rule!r} ({exc})") from None


def rule_settings(rule: PriceRule) -> dict[str, Any]:
    """The settings that rebuild ``rule`` by name (``get_rule(rule.name, **settings)``).

    Raises when the rule is not registered under its name or keeps settings
    that its constructor does not take: such a board cannot be restored.
    """
    obj: Any = rule
    fields = dataclasses.fields(obj) if dataclasses.is_dataclass(obj) else ()
    settings = {f.name: getattr(rule, f.name) for f in fields if f.init}
    try:
        rebuilt = None if vars(rule) and not settings else get_rule(rule.name, **settings)
    except (InvalidValueError, TypeError):
        rebuilt = None
    if type(rebuilt) is not type(rule) or (settings and rebuilt != rule):
        raise InvalidValueError(
            f"price rule {getattr(rule, 'name', type(rule).__name__)!r} cannot be rebuilt "
            "by name: register it (register_rule) and keep its settings in dataclass fields",
            "board",
        )
    return settings


class FacilitationBoard:
    """Announces prices, receives totals, measures gaps, announces new prices.

    Parameters
    ----------
    rule : str or PriceRule
        The price rule, by name (see :func:`~parecon.engine.available_rules`)
        or as an object.
    prices : ndarray of shape (n_goods,)
        The first prices to announce (positive, finite).
    tolerance : float
        Planning is complete once every gap is below this (> 0).
    max_rounds : int
        At least 1.
    thresholds : tuple of float
        Gaps whose first round is recorded in :attr:`rounds_to`.
    rule_state : object, optional
        The rule's memory from a previous period (``PlanResult.rule_state``).
    goods : Goods, optional
        The goods priced, in order; their categories are passed to the rule
        (:meth:`PriceRule.bind`).
    rule_settings : mapping, optional
        Settings of a rule given by name.
    measure_noise : bool, optional
        Default: if the rule's gaps stalling says something
        (:attr:`PriceRule.stalls_on_noise`, the default rule). When the gaps
        stall below 3% (they did not halve in a round), announce the same
        prices again and measure how much the councils' totals move without a
        price change: their own variation (noisy estimates, second thoughts),
        told apart from lag (see :meth:`_measure_floor`). If the gaps are then
        within that floor, planning stops with status ``noise-floor`` and
        :attr:`noise_floor` says how large it is. Councils that answer prices
        deterministically repeat their totals exactly, so they never show a
        floor; the check then costs one round (two when the totals moved).
        A :meth:`snapshot` does not carry a measurement: a restored board
        measures afresh.
    """

    def __init__(
        self,
        rule: str | PriceRule,
        prices: FloatArray,
        *,
        tolerance: float,
        max_rounds: int,
        thresholds: tuple[float, ...] = (),
        rule_state: Any = None,
        goods: Goods | None = None,
        rule_settings: Mapping[str, Any] | None = None,
        measure_noise: bool | None = None,
    ) -> None:
        self.tolerance, self.max_rounds = check_planning_settings(tolerance, max_rounds)
        rule = resolve_rule(rule, rule_settings)
        self.prices = as_float_array(prices, "prices", "board")
        check_values(self.prices, "prices", "good", positive=True)
        if goods is not None and len(goods) != self.prices.shape[0]:
            raise InvalidValueError(
                f"{len(goods)} goods but {self.prices.shape[0]} prices", "board"
            )
        self.rule = rule if goods is None else rule.bind(goods)
        self.state = self.rule.start(self.prices) if rule_state is None else rule_state
        self.history: list[RoundRecord] = []
        self.rounds_to: dict[float, int | None] = dict.fromkeys(
            sorted({*thresholds, self.tolerance}, reverse=True)
        )
        self.status: Status = "open"
        self.measure_noise = self.rule.stalls_on_noise if measure_noise is None else measure_noise
        self.noise_floor: float | None = None
        """Largest gap the councils' own variation produces at unchanged prices
        (``None``: not measured; 0: they repeated their totals exactly)."""
        self.noise_round: int | None = None
        """The round in which the measurement of :attr:`noise_floor` ended."""
        self._holding = False
        self._next_check = 0
        self._first_change: FloatArray | None = None
        self._opened = time.time()

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

    @property
    def message(self) -> str:
        """Where planning stands, as a sentence for a person."""
        if self.status == "open":
            return f"round {self.round} is open for proposals"
        last = self.history[-1]
        return {
            "converged": f"every gap below {self.tolerance:g} after {last.round} rounds",
            "max-rounds": (
                f"stopped at the limit of {self.max_rounds} rounds with the largest gap "
                f"{last.max_gap:.4g} (tolerance {self.tolerance:g})"
            ),
            "stopped": f"stopped by the callback after {last.round} rounds",
            "diverged": (
                f"round {last.round} produced non-finite or non-positive values; "
                "the price rule diverged"
            ),
            "noise-floor": (
                f"stopped at the councils' noise floor after {last.round} rounds: the largest "
                f"gap {last.max_gap:.4g} is within the gap their own variation produces at "
                f"unchanged prices (estimated {self.noise_floor or 0.0:.4g}); tolerance "
                f"{self.tolerance:g} is below what their proposals can show"
            ),
        }[self.status]

    def tally(self, response: Response, flows: ValueFlows | None = None) -> RoundRecord:
        """Take the totals proposed at :attr:`prices`; announce the next prices.

        ``flows``: the value-flow table of the same proposals, for rules that
        use it (:attr:`wants_flows`); ignored by the others.

        Sets :attr:`status` to ``converged`` (every gap below tolerance),
        ``noise-floor`` (the gaps are within the councils' measured variation),
        ``max-rounds``, ``diverged`` (non-finite totals, or a rule that produced
        a non-positive or non-finite price) or leaves it ``open``.
        """
        self.check_open()
        supply = np.asarray(response.supply, dtype=np.float64)
        demand = np.asarray(response.demand, dtype=np.float64)
        if supply.shape != self.prices.shape or demand.shape != self.prices.shape:
            raise InvalidValueError(
                f"totals have shapes {supply.shape} and {demand.shape}; "
                f"the board prices {self.prices.shape[0]} goods"
            )
        if flows is not None and flows.n_goods != self.prices.shape[0]:
            raise InvalidValueError(
                f"the value flows tabulate {flows.n_goods} goods; "
                f"the board prices {self.prices.shape[0]}",
                "value flows",
            )
        for name, totals in (("supply", supply), ("demand", demand)):
            negative = totals < 0
            if negative.any():
                good = int(np.argmax(negative))
                raise InvalidValueError(
                    f"total {name} of good {good} is {float(totals[good])!r}; totals must be >= 0",
                    f"round {self.round}",
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
        measured = self._holding and self._measure_floor(supply, demand)
        if worst < self.tolerance:
            self.status = "converged"
            return self._record(prices, supply, demand, gap, prices)
        if self.noise_floor and worst <= _WITHIN_FLOOR * self.noise_floor:
            self.status = "noise-floor"
            self._holding = False
            return self._record(prices, supply, demand, gap, prices)
        if self._holding and not measured:
            next_prices = prices  # measure once more at the same prices
        else:
            # After the repeats the rule sees the latest round in place of the
            # stalled one (same prices, fresher totals), from its state before it.
            self._holding = False
            before = self.state
            with one_blas_thread():
                if self.rule.uses_flows:
                    next_prices, self.state = self.rule.update(
                        prices, supply, demand, self.state, flows=flows
                    )
                else:
                    next_prices, self.state = self.rule.update(prices, supply, demand, self.state)
            next_prices = np.asarray(next_prices, dtype=np.float64)
            if not measured and self._stalled(worst):
                self._holding, self.state, next_prices = True, before, prices
        record = self._record(prices, supply, demand, gap, next_prices)
        if not (np.isfinite(next_prices).all() and (next_prices > 0).all()):
            self.status = "diverged"
        elif len(self.history) >= self.max_rounds:
            self.status = "max-rounds"
        else:
            self.prices = next_prices
        return record

    def _stalled(self, worst: float) -> bool:
        """Have the gaps stopped falling while small (and no floor is known yet)?"""
        if not self.measure_noise or self.noise_floor is not None or worst >= _STALL_BELOW:
            return False
        if not self.history or self.round + 2 > self.max_rounds or self.round < self._next_check:
            return False
        return worst > 0.5 * self.history[-1].max_gap

    def _measure_floor(self, supply: FloatArray, demand: FloatArray) -> bool:
        """Measure the floor from rounds at the same prices; True once it is known.

        The first repeat gives each good's change ``Δ₁`` of log gap at unchanged
        prices: none at all (councils that answer prices alone) gives floor 0.
        Otherwise a second repeat tells variation from lag. Councils that revise
        part of the way, or miss a round and let their last proposal stand,
        catch up: their movement decays (``‖Δ₂‖`` about half ``‖Δ₁‖``) and the
        gaps it leaves go once prices settle, so no floor is declared (the
        board may check again :data:`_RECHECK_AFTER` rounds later). Noise does
        not decay. Then the part of ``Δ₂`` along ``Δ₁`` (least squares, if
        positive: a lagging minority) is removed; each change is two draws of
        each good's variation, so ``|Δ|/√2`` estimates one, and the largest over
        goods (mean of the two repeats) the largest gap that the variation alone
        leaves at the clearing prices.
        """
        last = self.history[-1]
        change = _log_ratio(supply, demand) - _log_ratio(last.supply, last.demand)
        first = self._first_change
        if first is None:
            if not np.any(change):
                self.noise_floor, self.noise_round = 0.0, self.round
                return True
            self._first_change = change
            return False
        self._first_change = None
        size = float(first @ first)
        if float(np.linalg.norm(change)) < _DECAYING * np.sqrt(size):
            self._next_check = self.round + _RECHECK_AFTER
            return True
        lag = float(change @ first) / size if size > 0 else 0.0
        rest = change - max(lag, 0.0) * first
        draws = float(np.abs(first).max(initial=0.0)) + float(np.abs(rest).max(initial=0.0))
        self.noise_floor = 0.5 * draws / np.sqrt(2.0)
        self.noise_round = self.round
        return True

    def check_open(self) -> None:
        """Raise unless a round is open for proposals."""
        if self.status != "open":
            raise InvalidValueError(f"planning is over ({self.status}); start a new board")

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

    def snapshot(self) -> BoardState:
        """Everything this board knows, as a frozen value (:meth:`BoardState.to_json`)."""
        return BoardState(
            rule=self.rule.name,
            rule_settings=rule_settings(self.rule),
            rule_state=self.state,
            prices=self.prices,
            tolerance=self.tolerance,
            max_rounds=self.max_rounds,
            rounds_to=tuple(self.rounds_to.items()),
            history=tuple(self.history),
            status=self.status,
            opened=self._opened,
        )

    @classmethod
    def restore(cls, state: BoardState) -> FacilitationBoard:
        """The board that :meth:`snapshot` gave ``state``, continuing where it stood.

        Settings are checked as when a board is built (unknown rule names,
        tolerance, round limit, prices), with the same errors.
        """
        board = cls(
            state.rule,
            np.array(state.prices, dtype=np.float64),
            tolerance=state.tolerance,
            max_rounds=state.max_rounds,
            rule_settings=state.rule_settings,
        )
        board.state = state.rule_state
        board.history = list(state.history)
        board.rounds_to = dict(state.rounds_to)
        board.status = state.status
        board._opened = state.opened
        return board

    def _record(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        gap: FloatArray,
        next_prices: FloatArray,
    ) -> RoundRecord:
        now = time.time()
        record = RoundRecord(
            self.round, prices, supply, demand, gap, next_prices, self._opened, now
        )
        self._opened = now
        self.history.append(record)
        return record


def _log_ratio(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """``ln S − ln D``, 0 where either side is 0 (such goods say nothing of noise)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(supply) - np.log(demand)
    result: FloatArray = np.where(np.isfinite(out), out, 0.0)
    return result
