"""One planning round as a public step: the councils propose, the board tallies.

:func:`play_round` is the whole of a round: the totals of every council's
proposal at the board's announced prices (and, when the board's rule reads
them, the proposals' value flows), tallied by the board, which announces the
next prices. The planning procedure plays its rounds with it; so does the web
platform, once per real round, with the councils' ``SubmittedProposals`` and
any simulated populations, on a board restored from its stored state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parecon.engine.board import FacilitationBoard
from parecon.engine.economy import Economy
from parecon.engine.executors import ShardedResponder
from parecon.engine.populations import FloatArray, Population
from parecon.engine.revision_limits import RevisionLimiter
from parecon.engine.rounds import RoundRecord
from parecon.exceptions import InvalidValueError

__all__ = ["play_round"]


def play_round(
    board: FacilitationBoard,
    economy: Economy | Sequence[Population],
    executor: Any = None,
    *,
    revisions: RevisionLimiter | None = None,
) -> RoundRecord:
    """Play the board's open round with ``economy``'s councils; return its record.

    Parameters
    ----------
    board : FacilitationBoard
        Its :attr:`~FacilitationBoard.prices` are the prices proposed at.
    economy : Economy or sequence of Population
        The councils that propose: simulated populations, real councils'
        ``SubmittedProposals``, fixed supplies, in any mix.
    executor : concurrent.futures.Executor, dask Client or ShardedResponder, optional
        Where the councils respond (see :mod:`parecon.engine.executors`); a
        :class:`~parecon.engine.executors.ShardedResponder` is councils already
        placed, which the procedure passes so they are placed once per plan.
    revisions : RevisionLimiter, optional
        Bound each council's revision as in *Looking Forward* (the limiter of
        this plan, which remembers the previous round's proposals).
    """
    board.check_open()
    if isinstance(executor, ShardedResponder):
        return _play(board, executor, revisions)
    with ShardedResponder(economy, executor) as responder:
        return _play(board, responder, revisions)


def _play(
    board: FacilitationBoard, responder: ShardedResponder, revisions: RevisionLimiter | None
) -> RoundRecord:
    if responder.n_goods != board.prices.shape[0]:
        raise InvalidValueError(
            f"the councils respond to {responder.n_goods} goods; "
            f"the board prices {board.prices.shape[0]}",
            "round",
        )
    flows = None
    if revisions is not None:
        response = revisions.respond(board.prices, board.round)
        if board.wants_flows:
            # the flows of the limited proposals the councils submitted, as a
            # real board would tabulate them
            flows = revisions.value_flows(board.prices, board.effort_share)
    elif board.wants_flows:
        # one pass over each shard's councils for both (see Population.respond_with_flows)
        response, flows = responder.respond_with_flows(
            board.prices, board.effort_share, _reading(board)
        )
    else:
        response = responder.respond(board.prices)
    return board.tally(response, flows)


def _reading(board: FacilitationBoard) -> tuple[FloatArray, FloatArray] | None:
    """The prices of the run's first two rounds, from its second round on (what the
    populations read their councils' returns from, the same pair every round)."""
    history = board.history
    if not history:
        return None
    second = history[1].prices if len(history) > 1 else board.prices
    return history[0].prices, second
