"""The one place the platform drives the core's facilitation board.

Between two rounds the board lives in ``Plan.board_state`` as the core's
:class:`~parecon.engine.BoardState` document (prices, rule and its memory, the
record of every round), plus a few fields the pages read without rebuilding it.
A round is the core's public :func:`~parecon.engine.play_round` on the councils'
``SubmittedProposals`` and the simulated populations, so the platform never
reaches into private engine code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from parecon.engine import BoardState, FacilitationBoard, Goods, Population, RoundRecord
from parecon.engine import play_round as engine_play_round
from parecon.engine.rule_state import state_from_json, state_to_json

__all__ = ["board_from_json", "board_to_json", "effort_share", "new_board", "play_round"]


def new_board(
    rule: str,
    prices: Sequence[float],
    goods: Goods,
    *,
    tolerance: float,
    max_rounds: int,
    rule_state: Any = None,
) -> FacilitationBoard:
    return FacilitationBoard(
        rule,
        np.asarray(prices, dtype=np.float64),
        tolerance=tolerance,
        max_rounds=max_rounds,
        rule_state=rule_state,
        goods=goods,
    )


def board_to_json(board: FacilitationBoard, *, finished: bool = False) -> dict[str, Any]:
    """The board's snapshot; ``finished`` adds the memory to carry into the next period."""
    document: dict[str, Any] = {
        "board": board.snapshot().to_document(),
        "prices": board.prices.tolist(),
        "status": board.status,
        "rounds_played": len(board.history),
        "effort_share": board.effort_share,
        "effort_share_prior": _prior_effort_share(board),
    }
    if finished:
        document["carry_state"] = state_to_json(board.finish())
    return document


def board_from_json(document: dict[str, Any]) -> FacilitationBoard:
    return FacilitationBoard.restore(BoardState.from_document(document["board"]))


def _prior_effort_share(board: FacilitationBoard) -> float:
    """The rule's first estimate of the effort share, before any round taught it."""
    return float(board.rule.effort_share(board.rule.start(board.prices)))


def effort_share(document: dict[str, Any], *, prior: bool = False) -> float:
    """The board's estimate of producers' unpriced effort share (for suggestions).

    ``prior``: the rule's first estimate rather than the fitted one, which reads
    councils' lag as inelastic producers (suggestions use the prior). Stored with
    each snapshot; plans stored before it restore the board to read it.
    """
    key = "effort_share_prior" if prior else "effort_share"
    if key in document:
        return float(document[key])
    if "board" not in document:
        return 0.0
    board = board_from_json(document)
    return _prior_effort_share(board) if prior else board.effort_share


def carry_state(document: dict[str, Any]) -> Any:
    """The rule's memory a finished plan hands to the next period (None if unfinished)."""
    if "carry_state" not in document:
        return None
    return state_from_json(document["carry_state"], "board_state.carry_state")


def play_round(board: FacilitationBoard, populations: Sequence[Population]) -> RoundRecord:
    """Tally one round of ``populations`` at the board's prices (the board moves on)."""
    return engine_play_round(board, list(populations))
