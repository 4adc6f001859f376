"""The board round by round: real councils' submissions planned with simulated ones."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import (
    CobbDouglasConsumers,
    Economy,
    FacilitationBoard,
    PlanningProcedure,
    Response,
    SubmittedProposals,
    get_rule,
)
from parecon.exceptions import ValidationError


def test_real_councils_submitting_each_round_plan_with_simulated_ones(
    small_economy: Economy,
) -> None:
    consumers = next(p for p in small_economy.populations if isinstance(p, CobbDouglasConsumers))
    real, simulated = consumers.take(slice(0, 20)), consumers.take(slice(20, None))
    others = [p for p in small_economy.populations if p is not consumers]
    board = FacilitationBoard(
        get_rule("secant"), small_economy.initial_prices, tolerance=0.01, max_rounds=30
    )
    public = np.zeros(small_economy.n_goods, dtype=bool)
    public[consumers.goods[consumers.public]] = True
    while board.status == "open":
        # Real councils meet, decide and submit quantities (here: what their utility says).
        submitted = real.proposals(board.prices)
        submissions = SubmittedProposals(
            submitted.supply, submitted.demand, public, n_sharing=consumers.n_sharing
        )
        totals = submissions.respond(board.prices)
        for population in (simulated, *others):
            totals = totals + population.respond(board.prices)
        board.tally(totals)
    assert board.status == "converged"
    alone = PlanningProcedure("secant", tolerance=0.01).run(small_economy)
    np.testing.assert_allclose(board.history[-1].prices, alone.prices, rtol=1e-10)
    assert len(board.history) == alone.rounds


def test_board_refuses_bad_totals_and_rounds_after_the_end(small_economy: Economy) -> None:
    board = FacilitationBoard(
        get_rule("pequod"), small_economy.initial_prices, tolerance=0.5, max_rounds=3
    )
    with pytest.raises(ValidationError, match="the board prices"):
        board.tally(Response(np.ones(2), np.ones(2)))
    n = small_economy.n_goods
    record = board.tally(Response(np.ones(n), np.ones(n)))
    assert board.status == "converged" and record.max_gap == 0.0
    with pytest.raises(ValidationError, match="planning is over"):
        board.tally(Response(np.ones(n), np.ones(n)))


def test_board_refuses_non_positive_opening_prices() -> None:
    with pytest.raises(ValidationError, match="good 1: field 'prices' must be > 0"):
        FacilitationBoard(get_rule("pequod"), np.array([1.0, 0.0]), tolerance=0.1, max_rounds=2)
