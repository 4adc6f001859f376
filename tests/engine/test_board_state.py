"""A board kept as JSON between rounds continues exactly where it stood."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from parecon.engine import (
    BoardState,
    CobbDouglasConsumers,
    Economy,
    FacilitationBoard,
    PlanningProcedure,
    PlanResult,
    SubmittedProposals,
    available_rules,
    play_round,
)
from parecon.engine.rule_state import state_to_json
from parecon.exceptions import ConvergenceWarning, InputError, InvalidValueError


def _quietly(procedure: PlanningProcedure, economy: Economy) -> PlanResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return procedure.run(economy)


def _through_json(board: FacilitationBoard) -> FacilitationBoard:
    return FacilitationBoard.restore(BoardState.from_json(board.snapshot().to_json()))


def _resumed(procedure: PlanningProcedure, economy: Economy) -> FacilitationBoard:
    """Plan with the board stored as JSON text and rebuilt before every round."""
    board = procedure.board(economy)
    while board.status == "open":
        board = _through_json(board)
        play_round(board, economy)
    return _through_json(board)


def _assert_same_plan(a: FacilitationBoard, b: FacilitationBoard) -> None:
    assert a.status == b.status and len(a.history) == len(b.history)
    for x, y in zip(a.history, b.history, strict=True):
        assert x.round == y.round
        for name in ("prices", "supply", "demand", "gaps", "next_prices"):
            np.testing.assert_array_equal(getattr(x, name), getattr(y, name), err_msg=name)
    np.testing.assert_array_equal(a.prices, b.prices)
    assert a.rounds_to == b.rounds_to
    assert json.dumps(state_to_json(a.finish())) == json.dumps(state_to_json(b.finish()))


@pytest.mark.parametrize("rule", available_rules())
def test_a_board_restored_from_json_every_round_plans_bit_identically(
    small_economy: Economy, rule: str
) -> None:
    procedure = PlanningProcedure(rule, tolerance=0.01, max_rounds=25)
    alone = procedure.board(small_economy)
    while alone.status == "open":
        play_round(alone, small_economy)
    resumed = _resumed(procedure, small_economy)
    assert len(resumed.history) >= 3
    _assert_same_plan(alone, resumed)
    result = _quietly(procedure, small_economy)
    assert (result.rounds, result.status) == (len(resumed.history), resumed.status)
    np.testing.assert_array_equal(result.prices, resumed.history[-1].prices)
    final = PlanResult.from_board(resumed)
    assert final.message == result.message
    assert json.dumps(state_to_json(final.rule_state)) == json.dumps(
        state_to_json(result.rule_state)
    )


def test_ten_rounds_through_json_equal_the_procedure_and_the_cli(pequod_dir: Path) -> None:
    from parecon.scenario import load_economy

    path = pequod_dir / "dep1ex01.json.gz"
    economy = load_economy(path)
    procedure = PlanningProcedure("pequod", tolerance=0.03, max_rounds=10)
    resumed = _resumed(procedure, economy)
    assert resumed.status == "max-rounds" and len(resumed.history) == 10
    result = _quietly(procedure, economy)
    cli = subprocess.run(
        [
            *(sys.executable, "-m", "parecon.cli", "plan", str(path)),
            *("--rule", "pequod", "--max-rounds", "10", "--json", "-"),
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1, cli.stderr  # stopped at the round limit
    doc = json.loads(cli.stdout)
    last = resumed.history[-1]
    assert doc["rounds"] == result.rounds == 10
    for name in ("prices", "supply", "demand"):
        np.testing.assert_array_equal(getattr(result, name), getattr(last, name))
        np.testing.assert_array_equal(np.array(doc[name]), getattr(last, name))


def test_the_default_rule_resumed_from_json_equals_the_procedure(small_economy: Economy) -> None:
    procedure = PlanningProcedure(tolerance=0.001, max_rounds=10)
    resumed = _resumed(procedure, small_economy)
    result = _quietly(procedure, small_economy)
    assert result.rule == "informed" and result.rounds == len(resumed.history)
    np.testing.assert_array_equal(result.prices, resumed.history[-1].prices)


def test_a_web_round_plays_submitted_proposals_with_simulated_councils(
    small_economy: Economy,
) -> None:
    """What the platform does each round: restore, play real + simulated councils, store."""
    consumers = next(p for p in small_economy.populations if isinstance(p, CobbDouglasConsumers))
    real, simulated = consumers.take(slice(0, 20)), consumers.take(slice(20, None))
    others = [p for p in small_economy.populations if p is not consumers]
    public = np.zeros(small_economy.n_goods, dtype=bool)
    public[consumers.goods[consumers.public]] = True
    stored = PlanningProcedure(tolerance=0.01).board(small_economy).snapshot().to_json()
    while True:
        board = FacilitationBoard.restore(BoardState.from_json(stored))
        if board.status != "open":
            break
        proposed = real.proposals(board.prices)  # the real councils meet and submit
        submitted = SubmittedProposals(
            proposed.supply, proposed.demand, public, n_sharing=consumers.n_sharing
        )
        play_round(board, [submitted, simulated, *others])
        stored = board.snapshot().to_json()
    alone = PlanningProcedure(tolerance=0.01).run(small_economy)
    assert board.status == "converged" and len(board.history) == alone.rounds
    np.testing.assert_allclose(board.prices, alone.prices, rtol=1e-10)


def test_round_records_carry_wall_clock_times(small_economy: Economy) -> None:
    import time

    before = time.time()
    board = PlanningProcedure("pequod").board(small_economy)
    first, second = play_round(board, small_economy), play_round(board, small_economy)
    after = time.time()
    assert before <= first.opened <= first.closed == second.opened <= second.closed <= after
    assert second.seconds == second.closed - second.opened
    restored = _through_json(board)
    assert restored.history[1].closed == second.closed
    third = play_round(restored, small_economy)
    assert third.opened == second.closed  # the round opened when the last one closed


def test_the_snapshot_is_frozen_and_strict_json(small_economy: Economy) -> None:
    board = PlanningProcedure("pequod").board(small_economy)
    play_round(board, small_economy)
    state = board.snapshot()
    with pytest.raises(AttributeError):
        state.status = "stopped"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        state.prices[0] = 1.0
    with pytest.raises(TypeError):
        state.rule_settings["clip"] = 1.0  # type: ignore[index]
    # a diverged round records infinite gaps; the JSON still has no Infinity literal
    record = board.tally(_non_finite(board))
    assert board.status == "diverged" and not np.isfinite(record.gaps).any()
    text = board.snapshot().to_json()
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict constant {c}"))
    again = _through_json(board)
    assert again.status == "diverged" and np.isinf(again.history[-1].gaps).all()


def _non_finite(board: FacilitationBoard):  # type: ignore[no-untyped-def]
    from parecon.engine import Response

    n = board.prices.shape[0]
    return Response(np.full(n, np.nan), np.ones(n))


def test_the_board_refuses_bad_settings_as_the_procedure_does(small_economy: Economy) -> None:
    prices = small_economy.initial_prices
    cases = [
        ({"tolerance": 0.0, "max_rounds": 5}, "tolerance must be > 0"),
        ({"tolerance": float("nan"), "max_rounds": 5}, "tolerance must be > 0"),
        ({"tolerance": 0.1, "max_rounds": 0}, "max_rounds must be >= 1"),
    ]
    for settings, message in cases:
        with pytest.raises(InvalidValueError, match=message) as board_error:
            FacilitationBoard("pequod", prices, **settings)  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError) as procedure_error:
            PlanningProcedure("pequod", **settings)  # type: ignore[arg-type]
        assert str(board_error.value) == str(procedure_error.value)
    with pytest.raises(InvalidValueError, match="unknown price rule 'nope'; available: "):
        FacilitationBoard("nope", prices, tolerance=0.1, max_rounds=5)
    with pytest.raises(InvalidValueError, match="bad settings for price rule 'pequod'"):
        FacilitationBoard("pequod", prices, tolerance=0.1, max_rounds=5, rule_settings={"x": 1})
    with pytest.raises(InvalidValueError, match="bad settings for price rule 'pequod'"):
        PlanningProcedure("pequod", rule_settings={"x": 1})


def _document(board: FacilitationBoard) -> dict:  # type: ignore[type-arg]
    return board.snapshot().to_document()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other/9"), "board state: field 'format' must be"),
        (lambda d: d.update(rule=3), "board state: field 'rule' must be a rule's name"),
        (lambda d: d.update(status="done"), "board state: field 'status' must be one of"),
        (lambda d: d.update(tolerance="x"), "board state: field 'tolerance' must be a number"),
        (lambda d: d.update(max_rounds=2.5), "field 'max_rounds' must be an integer"),
        (lambda d: d["prices"].__setitem__(0, "cheap"), "field 'prices': must be a list"),
        (
            lambda d: d["history"][0]["gaps"].pop(),
            r"history\[0\], field 'gaps': has 9 values, expected 10",
        ),
        (lambda d: d["history"][0].update(round=4), r"history\[0\]: field 'round' must be 1"),
        (lambda d: d.update(rounds_to=[[0.1]]), "field 'rounds_to' must be"),
        (
            lambda d: d["rule_state"].update(__ndarray__="x", dtype="complex"),
            "rule_state: not an array",
        ),
    ],
)
def test_a_bad_stored_state_is_refused_naming_the_field(change, message) -> None:  # type: ignore[no-untyped-def]
    from parecon.engine.generate import EconomySpec, generate_economy

    economy = generate_economy(EconomySpec(20, 20, 2), seed=1)
    board = PlanningProcedure("pequod").board(economy)
    play_round(board, economy)
    document = _document(board)
    change(document)
    with pytest.raises(InputError, match=message):
        BoardState.from_json(json.dumps(document))


def test_not_json_and_unknown_rules_are_refused(small_economy: Economy) -> None:
    with pytest.raises(InputError, match="board state: not JSON"):
        BoardState.from_json("{")
    document = _document(PlanningProcedure("pequod").board(small_economy))
    document["rule"] = "gone"
    with pytest.raises(InvalidValueError, match="unknown price rule 'gone'"):
        FacilitationBoard.restore(BoardState.from_json(json.dumps(document)))
    document["rule"], document["tolerance"] = "pequod", -1.0
    with pytest.raises(InvalidValueError, match="tolerance must be > 0, got -1.0"):
        FacilitationBoard.restore(BoardState.from_json(json.dumps(document)))


def test_a_rule_that_cannot_be_rebuilt_by_name_cannot_be_snapshotted(
    small_economy: Economy,
) -> None:
    from parecon.engine.price_rules import PequodRule

    class Unregistered(PequodRule):
        name = "unregistered"

    board = FacilitationBoard(
        Unregistered(), small_economy.initial_prices, tolerance=0.1, max_rounds=3
    )
    with pytest.raises(InvalidValueError, match="'unregistered' cannot be rebuilt by name"):
        board.snapshot()


def test_play_round_refuses_councils_of_other_goods_and_closed_boards(
    small_economy: Economy,
) -> None:
    board = PlanningProcedure("pequod", tolerance=0.9).board(small_economy)
    other = small_economy.populations[0].take(slice(0, 1))
    from parecon.engine import FixedSupply

    with pytest.raises(InvalidValueError, match="population 1 .* responds to 3 goods"):
        play_round(board, [other, FixedSupply(np.array([0]), np.array([1.0]), 3)])
    with pytest.raises(InvalidValueError, match="round: no councils to plan with"):
        play_round(board, [])
    tiny = [FixedSupply(np.array([0]), np.array([1.0]), 3)]
    with pytest.raises(InvalidValueError, match="respond to 3 goods; the board prices"):
        play_round(board, tiny)
    while board.status == "open":
        play_round(board, small_economy)
    with pytest.raises(InvalidValueError, match="planning is over"):
        play_round(board, small_economy)
    with pytest.raises(InvalidValueError, match="planning is still open"):
        PlanResult.from_board(PlanningProcedure().board(small_economy))


def test_a_snapshot_is_a_value_that_the_board_moving_on_does_not_change(
    small_economy: Economy,
) -> None:
    board = PlanningProcedure("secant").board(small_economy)
    play_round(board, small_economy)
    state = board.snapshot()
    text = state.to_json()
    play_round(board, small_economy)
    assert state.round == 2 and state.to_json() == text
    a, b = FacilitationBoard.restore(state), FacilitationBoard.restore(state)
    np.testing.assert_array_equal(
        play_round(a, small_economy).next_prices, play_round(b, small_economy).next_prices
    )
    np.testing.assert_array_equal(a.prices, board.prices)
