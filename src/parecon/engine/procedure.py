"""The planning procedure: rounds of proposals and indicative prices.

Each round the Iteration Facilitation Board announces prices, councils
propose, the board sums the proposals, measures each good's gap
``2|S − D| / (S + D)`` and announces new prices by its price rule, until every
gap is below the tolerance or the round limit is reached. Not converging is a
status with a :class:`~parecon.exceptions.ConvergenceWarning`, never an
exception: the last round's proposals are still a (partly infeasible) plan.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parecon.engine.board import FacilitationBoard, check_planning_settings, resolve_rule
from parecon.engine.economy import Economy
from parecon.engine.executors import ShardedResponder
from parecon.engine.planning_round import play_round
from parecon.engine.populations import FloatArray, Proposals
from parecon.engine.price_rules import DEFAULT_RULE, PriceRule
from parecon.engine.revision_limits import RevisionLimits
from parecon.engine.rounds import RoundRecord, Status
from parecon.exceptions import ConvergenceWarning, InvalidValueError

__all__ = ["PlanResult", "PlanningProcedure", "RoundRecord", "Status", "plan"]


@dataclass(frozen=True)
class PlanResult:
    """The plan the procedure arrived at, and how it got there.

    Attributes
    ----------
    prices : ndarray of shape (n_goods,)
        Indicative prices of the final round, at which the plan was proposed.
    supply, demand, gaps : ndarray of shape (n_goods,)
        The final round's totals and per-good gaps.
    rounds : int
        Rounds held.
    converged : bool
        Whether every gap fell below ``tolerance``.
    status : {"converged", "max-rounds", "stopped", "diverged", "noise-floor"}
        ``noise-floor``: the gaps are within the variation of the councils'
        own proposals at unchanged prices (:attr:`noise_floor`), which no
        price can remove.
    message : str
        A sentence for a person.
    tolerance : float
        The gap below which a good counted as cleared.
    rule : str
        The price rule's name.
    history : tuple of RoundRecord
        Every round, in order.
    rounds_to : dict of float to int or None
        First round at which every gap was below each threshold.
    proposals : tuple of Proposals, optional
        Per-council proposals at ``prices``, one entry per population, when
        requested.
    rule_state : object
        The price rule's state after the last round, to carry over to the
        next planning period.
    noise_floor : float, optional
        The largest gap the councils' own variation produced when the board
        repeated a round's prices (``None``: never measured; 0: the councils
        repeated their totals exactly).
    """

    prices: FloatArray
    supply: FloatArray
    demand: FloatArray
    gaps: FloatArray
    rounds: int
    converged: bool
    status: Status
    message: str
    tolerance: float
    rule: str
    history: tuple[RoundRecord, ...]
    rounds_to: dict[float, int | None]
    proposals: tuple[Proposals, ...] | None = None
    rule_state: Any = field(default=None, repr=False)
    noise_floor: float | None = None

    @property
    def max_gap(self) -> float:
        return float(self.gaps.max(initial=0.0))

    @property
    def next_prices(self) -> FloatArray:
        """Prices the board would announce next (to open the next period)."""
        return self.history[-1].next_prices if self.history else self.prices

    @classmethod
    def from_board(
        cls, board: FacilitationBoard, proposals: tuple[Proposals, ...] | None = None
    ) -> PlanResult:
        """The plan a closed board arrived at (its last round), with the rule's
        memory for next period (:meth:`FacilitationBoard.finish`)."""
        if board.status == "open" or not board.history:
            raise InvalidValueError(
                f"planning is still open at round {board.round}; no plan yet", "board"
            )
        last = board.history[-1]
        return cls(
            prices=last.prices,
            supply=last.supply,
            demand=last.demand,
            gaps=last.gaps,
            rounds=last.round,
            converged=board.status == "converged",
            status=board.status,
            message=board.message,
            tolerance=board.tolerance,
            rule=board.rule.name,
            history=tuple(board.history),
            rounds_to=dict(board.rounds_to),
            proposals=proposals,
            rule_state=board.finish(),
            noise_floor=board.noise_floor,
        )


RoundCallback = Callable[[RoundRecord], bool | None]
"""Called after every round; return True to stop planning there."""


class PlanningProcedure:
    """Iterate proposals and indicative prices until the plan is feasible.

    Parameters
    ----------
    rule : str or PriceRule, default :data:`~parecon.engine.price_rules.DEFAULT_RULE`
        The board's price rule, by name (see
        :func:`~parecon.engine.price_rules.available_rules`) or as an object.
    tolerance : float, default 0.03
        Stop once every good's gap is below this.
    max_rounds : int, default 100
    thresholds : sequence of float
        Gaps at which to record the first round reached (``rounds_to``).
    keep_proposals : bool, default False
        Return every council's final proposal (memory grows with councils).
    n_shards : int, optional
        Shards of councils per population for the executor.
    rule_settings : dict, optional
        Settings passed to the rule when it is given by name.
    revision_limits : RevisionLimits, optional
        Bound each council's revisions as in *Looking Forward* (see
        :mod:`parecon.engine.revision_limits`); responses are then computed
        in process, council by council.
    """

    def __init__(
        self,
        rule: str | PriceRule = DEFAULT_RULE,
        *,
        tolerance: float = 0.03,
        max_rounds: int = 100,
        thresholds: Sequence[float] = (0.10, 0.05, 0.03, 0.01, 0.001),
        keep_proposals: bool = False,
        n_shards: int | None = None,
        rule_settings: dict[str, Any] | None = None,
        revision_limits: RevisionLimits | None = None,
    ) -> None:
        tolerance, max_rounds = check_planning_settings(tolerance, max_rounds)
        if n_shards is not None and n_shards < 1:
            raise InvalidValueError(f"n_shards must be >= 1, got {n_shards!r}")
        self.rule = resolve_rule(rule, rule_settings)
        self.tolerance = float(tolerance)
        self.max_rounds = int(max_rounds)
        self.thresholds = tuple(sorted({*thresholds, self.tolerance}, reverse=True))
        self.keep_proposals = keep_proposals
        self.n_shards = n_shards
        self.revision_limits = revision_limits

    def run(
        self,
        economy: Economy,
        executor: Any = None,
        callback: RoundCallback | None = None,
        *,
        rule_state: Any = None,
    ) -> PlanResult:
        """Plan ``economy`` from its initial prices.

        ``executor`` computes councils' responses (see
        :mod:`parecon.engine.executors`); ``callback`` sees every round and may
        stop the loop; ``rule_state`` carries the board's memory over from a
        previous period.
        """
        with ShardedResponder(economy, executor, self.n_shards) as responder:
            return self._iterate(economy, responder, callback, rule_state)

    def board(self, economy: Economy, rule_state: Any = None) -> FacilitationBoard:
        """A board with this procedure's settings, opening at ``economy``'s prices."""
        return FacilitationBoard(
            self.rule,
            economy.initial_prices.copy(),
            tolerance=self.tolerance,
            max_rounds=self.max_rounds,
            thresholds=self.thresholds,
            rule_state=rule_state,
            goods=economy.goods,
            # Under revision limits proposals move at unchanged prices by design
            # (catching up), which is not noise.
            measure_noise=None if self.revision_limits is None else False,
        )

    def _iterate(
        self,
        economy: Economy,
        responder: ShardedResponder,
        callback: RoundCallback | None,
        rule_state: Any,
    ) -> PlanResult:
        board = self.board(economy, rule_state)
        limiter = self.revision_limits.start(economy) if self.revision_limits else None
        while board.status == "open":
            record = play_round(board, economy, responder, revisions=limiter)
            if callback is not None and callback(record):
                board.stop()
        return self._result(economy, board)

    def _result(self, economy: Economy, board: FacilitationBoard) -> PlanResult:
        proposals = None
        if self.keep_proposals and board.history:
            last = board.history[-1].prices
            proposals = tuple(p.proposals(last) for p in economy.populations)
        result = PlanResult.from_board(board, proposals)
        if result.status != "converged":
            warnings.warn(
                f"planning did not converge: {result.message}", ConvergenceWarning, stacklevel=3
            )
        return result


def plan(economy: Economy, rule: str | PriceRule = DEFAULT_RULE, **settings: Any) -> PlanResult:
    """Shortcut: ``PlanningProcedure(rule, **settings).run(economy)``."""
    executor = settings.pop("executor", None)
    callback = settings.pop("callback", None)
    return PlanningProcedure(rule, **settings).run(economy, executor, callback)
