"""The one place the platform drives the core's facilitation board.

Between two rounds the board lives as JSON in ``Plan.board_state``. Until the
core's resumable board (``BoardState`` and ``parecon.engine.play_round``, branch
``engine-api``) lands, this adapter rebuilds a :class:`FacilitationBoard` from the
stored prices, rule name and rule memory (the rule-state codec of
``parecon.scenario``) and plays the round with the populations' public
``respond`` and ``value_flows``. Switching to the core's snapshot is a change to
the four functions below only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from parecon.engine import FacilitationBoard, Goods, Population, Response, RoundRecord, get_rule
from parecon.engine.populations import ValueFlows
from parecon.scenario.rule_state import state_from_json, state_to_json

__all__ = ["BoardSnapshot", "board_from_json", "board_to_json", "new_board", "play_round"]


@dataclass(frozen=True)
class BoardSnapshot:
    """The stored board: the board itself and how many rounds it has played."""

    board: FacilitationBoard
    rounds_played: int
    max_rounds: int


def new_board(
    rule: str,
    prices: Sequence[float],
    goods: Goods,
    *,
    tolerance: float,
    max_rounds: int,
    rule_state: Any = None,
) -> BoardSnapshot:
    board = FacilitationBoard(
        get_rule(rule),
        np.asarray(prices, dtype=np.float64),
        tolerance=tolerance,
        max_rounds=max_rounds,
        rule_state=rule_state,
        goods=goods,
    )
    return BoardSnapshot(board, 0, max_rounds)


def board_to_json(snapshot: BoardSnapshot, *, finished: bool = False) -> dict[str, Any]:
    """The board as JSON; ``finished`` adds the memory to carry into the next period."""
    board = snapshot.board
    document: dict[str, Any] = {
        "rule": board.rule.name,
        "prices": board.prices.tolist(),
        "tolerance": board.tolerance,
        "max_rounds": snapshot.max_rounds,
        "rounds_played": snapshot.rounds_played,
        "status": board.status,
        "rule_state": state_to_json(board.state),
    }
    if finished:
        document["carry_state"] = state_to_json(board.finish())
    return document


def board_from_json(document: dict[str, Any], goods: Goods) -> BoardSnapshot:
    played = int(document["rounds_played"])
    limit = int(document["max_rounds"])
    board = FacilitationBoard(
        get_rule(str(document["rule"])),
        np.asarray(document["prices"], dtype=np.float64),
        tolerance=float(document["tolerance"]),
        # The rebuilt board has no history: it may play the rounds that remain.
        max_rounds=max(1, limit - played),
        rule_state=state_from_json(document.get("rule_state"), "board_state.rule_state"),
        goods=goods,
    )
    return BoardSnapshot(board, played, limit)


def play_round(snapshot: BoardSnapshot, populations: Sequence[Population]) -> BoardSnapshot:
    """Tally one round of ``populations`` at the board's prices (the board moves on)."""
    board = snapshot.board
    prices = board.prices
    n = prices.shape[0]
    total = Response(np.zeros(n), np.zeros(n))
    for population in populations:
        total = total + population.respond(prices)
    flows = None
    if board.wants_flows:
        flows = ValueFlows.total(
            [p.value_flows(prices, board.effort_share) for p in populations]
        )
    board.tally(total, flows)
    return BoardSnapshot(board, snapshot.rounds_played + 1, snapshot.max_rounds)


def last_record(snapshot: BoardSnapshot) -> RoundRecord:
    return snapshot.board.history[-1]
