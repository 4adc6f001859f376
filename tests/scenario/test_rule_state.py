"""The board's memory survives a plan file, and a plan file cannot build anything else."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from parecon.engine import PlanningProcedure, available_rules, get_rule
from parecon.engine.generate import EconomySpec, augment, generate_economy
from parecon.engine.rule_state import check_state
from parecon.exceptions import InputError
from parecon.scenario.plan_file import continue_plan, plan_document, read_carry_over
from parecon.scenario.rule_state import state_from_json, state_to_json


@pytest.mark.filterwarnings("ignore::parecon.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("rule", ["secant", "pequod", "tatonnement"])
def test_states_round_trip_through_json(rule: str) -> None:
    economy = generate_economy(EconomySpec(60, 60, 3), seed=1)
    state = PlanningProcedure(rule, max_rounds=8).run(economy).rule_state
    again = state_from_json(json.loads(json.dumps(state_to_json(state))))
    if dataclasses.is_dataclass(state):
        for f in dataclasses.fields(state):
            a, b = getattr(state, f.name), getattr(again, f.name)
            if isinstance(a, list):
                assert len(a) == len(b)
                for x, y in zip(a, b, strict=True):
                    np.testing.assert_array_equal(x, y)
            else:
                np.testing.assert_array_equal(
                    np.asarray(a, dtype=object), np.asarray(b, dtype=object)
                )
    else:
        np.testing.assert_array_equal(np.asarray(state), np.asarray(again))


def test_a_continued_plan_equals_the_library_run(tmp_path: Path) -> None:
    economy = generate_economy(EconomySpec(80, 80, 3), seed=2)
    first = PlanningProcedure().run(economy)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_document(first, economy)))
    carry = read_carry_over(path)
    nxt = augment(economy, seed=3)
    direct = PlanningProcedure().run(nxt.with_prices(first.prices), rule_state=first.rule_state)
    via_file = PlanningProcedure().run(nxt.with_prices(carry.prices), rule_state=carry.rule_state)
    assert direct.rounds == via_file.rounds
    np.testing.assert_array_equal(direct.prices, via_file.prices)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"__dataclass__": "os:system", "fields": {}}, "refusing to build 'os:system'"),
        ({"__dataclass__": "parecon.engine.price_rules.secant:Nope"}, "unknown state type"),
        (
            {
                "__dataclass__": "parecon.engine.price_rules.secant:SecantState",
                "fields": {"bogus": 1},
            },
            "bad fields for SecantState",
        ),
        ({"__ndarray__": [[1], [1, 2]]}, "not an array"),
        ({"what": 1}, "unexpected value"),
    ],
)
def test_bad_states_are_refused(doc: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        state_from_json(doc)


def test_bad_plan_files(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"rule": "secant", "goods": ["a"]}))
    with pytest.raises(InputError, match="missing key 'prices'"):
        read_carry_over(path)
    path.write_text(json.dumps({"rule": "secant", "goods": ["a"], "prices": [-1]}))
    with pytest.raises(InputError, match="p.json: prices: 'prices' must be one positive"):
        read_carry_over(path)
    path.write_text(json.dumps({"rule": "secant", "goods": ["a"], "prices": ["x"]}))
    with pytest.raises(InputError, match="p.json: prices: 'prices' must be one positive"):
        read_carry_over(path)
    path.write_text(json.dumps({"rule": "secant", "goods": 3, "prices": [1]}))
    with pytest.raises(InputError, match="p.json: goods: 'goods' must be a list of names"):
        read_carry_over(path)


@pytest.mark.filterwarnings("ignore::parecon.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("rule", available_rules())
def test_every_rules_carried_state_fits_its_fresh_one(rule: str) -> None:
    economy = generate_economy(EconomySpec(60, 60, 3), seed=1)
    result = PlanningProcedure(rule, max_rounds=8).run(economy)
    stored = state_from_json(json.loads(json.dumps(state_to_json(result.rule_state))))
    fresh = get_rule(rule).bind(economy.goods).start(result.prices)
    check_state(stored, fresh, economy.n_goods)


def _continue(tmp_path: Path, rule: str, edit: Callable[[dict[str, Any]], None]) -> None:
    economy = generate_economy(EconomySpec(20, 20, 2), seed=1)
    first = PlanningProcedure(rule, max_rounds=4).run(economy)
    doc = json.loads(json.dumps(plan_document(first, economy)))
    edit(doc["rule_state"])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    continue_plan(economy, read_carry_over(path), rule, "plan.json")


def _set(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda state: state["fields"].__setitem__(field, value)


@pytest.mark.filterwarnings("ignore::parecon.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    ("rule", "edit", "message"),
    [
        # Each of these was a TypeError, ValueError or AttributeError rounds later, or
        # (the short array, NaN radius) a plan that ran on without a word.
        ("informed", _set("radius", "x"), r"rule_state.radius: expected a number \(got 'x'\)"),
        ("informed", _set("radius", float("nan")), r"rule_state.radius: must be finite"),
        ("informed", _set("substitution", [1]), r"rule_state.substitution: expected a number"),
        ("informed", _set("lag", 5), r"rule_state.lag: expected a Lag \(got int\)"),
        ("informed", _set("predicted", "x"), r"rule_state.predicted: unexpected value 'x'"),
        ("informed", lambda s: s.__setitem__("fields", [1]), "rule_state: 'fields' must be"),
        ("pequod", lambda s: s.__setitem__("__ndarray__", [0.1]), "rule_state: an array of shape"),
        ("secant", _set("inverse", {"__ndarray__": [[1.0]]}), r"rule_state.inverse: an array"),
    ],
)
def test_a_carried_state_that_does_not_fit_the_rule_is_refused(
    tmp_path: Path, rule: str, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(InputError, match=rf"plan.json: {message}"):
        _continue(tmp_path, rule, edit)


def _set_item(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Put one hand-made item into a period's list (a carried state's lists are empty)."""
    return lambda state: state["fields"].__setitem__(field, [value])


_N = generate_economy(EconomySpec(20, 20, 2), seed=1).n_goods  # the economy of _continue
_VEC = state_to_json(np.zeros(_N))
_SQUARE = state_to_json(np.zeros((_N, _N)))
_SLOPES = state_to_json(np.zeros((2, _N, _N)))
_NAN = state_to_json(np.full(_N, np.nan))


@pytest.mark.filterwarnings("ignore::parecon.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    ("rule", "edit", "message"),
    [
        # Each of these was a traceback in the first round of the continued plan.
        ("informed", _set_item("points", 3), r"rule_state.points\[0\]: expected a list of 4"),
        (
            "informed",
            _set_item("points", [_VEC, _VEC, _VEC, _SLOPES]),
            rf"rule_state.points\[0\]\[2\]: an array of shape \({_N},\), expected \({_N}, {_N}\)",
        ),
        (
            "informed",
            _set_item("points", [_VEC, _VEC, _SQUARE, "x"]),
            r"rule_state.points\[0\]\[3\]: expected an array of numbers",
        ),
        (
            "informed",
            _set_item("points", [_NAN, _VEC, _SQUARE, _SLOPES]),
            r"rule_state.points\[0\]\[0\]: an array with infinite or missing numbers",
        ),
        (
            "informed",
            _set_item("moves", [_VEC, _VEC, 1]),
            r"rule_state.moves\[0\]\[2\]: expected true",
        ),
        ("informed", _set("expected", [_VEC]), r"rule_state.expected: expected a list of 2"),
        (
            "secant",
            _set_item("log_prices", [1.0, 2.0]),
            r"rule_state.log_prices\[0\]: expected an array",
        ),
    ],
)
def test_a_carried_state_with_badly_shaped_items_is_refused(
    tmp_path: Path, rule: str, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(InputError, match=rf"plan.json: {message}"):
        _continue(tmp_path, rule, edit)


@pytest.mark.filterwarnings("ignore::parecon.exceptions.ConvergenceWarning")
def test_a_carried_state_with_well_shaped_items_plans_on(tmp_path: Path) -> None:
    economy = generate_economy(EconomySpec(20, 20, 2), seed=1)
    n = economy.n_goods
    first = PlanningProcedure("informed", max_rounds=4).run(economy)
    doc = json.loads(json.dumps(plan_document(first, economy)))
    point = [np.log(first.prices), np.zeros(n), -np.eye(n), np.zeros((2, n, n))]
    doc["rule_state"]["fields"]["points"] = state_to_json([point])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    carried = continue_plan(economy, read_carry_over(path), "informed", "plan.json")
    PlanningProcedure("informed", max_rounds=3).run(carried.economy, rule_state=carried.rule_state)
