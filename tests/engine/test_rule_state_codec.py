"""The rules' memory codec, in the engine: exact, strict JSON, and only rule states."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from parecon.engine.executors import ShardedResponder
from parecon.engine.price_rules import InformedState
from parecon.engine.rule_state import state_from_json, state_to_json
from parecon.exceptions import InputError


def _strict_round_trip(state: object) -> object:
    text = json.dumps(state_to_json(state), allow_nan=False)
    return state_from_json(json.loads(text))


def test_non_finite_values_and_empty_shapes_survive_as_strict_json() -> None:
    array = np.array([1.5, np.inf, -np.inf, np.nan, -0.0])
    again = _strict_round_trip(array)
    assert isinstance(again, np.ndarray)
    np.testing.assert_array_equal(again, array)
    assert np.signbit(again[-1])
    empty = _strict_round_trip(np.zeros((0, 4)))
    assert isinstance(empty, np.ndarray) and empty.shape == (0, 4)
    state = InformedState(radius=np.float64(0.5), effort_share=0.1, predicted=float("inf"))
    again_state = _strict_round_trip(state)
    assert isinstance(again_state, InformedState) and again_state.predicted == float("inf")
    assert _strict_round_trip([np.int64(3), np.bool_(True), "x", None]) == [3, True, "x", None]


def test_the_scenario_module_re_exports_the_engine_codec() -> None:
    from parecon.scenario import rule_state

    assert rule_state.state_to_json is state_to_json
    assert rule_state.state_from_json is state_from_json


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"__float__": "big"}, "rule_state: not a number: 'big'"),
        ({"__dataclass__": "os:system", "fields": {}}, "refusing to build 'os:system'"),
        ({"__ndarray__": [[1.0], [1.0, 2.0]]}, "rule_state: not an array"),
        ({"what": 1}, "rule_state: unexpected value"),
    ],
)
def test_bad_documents_are_refused_naming_where(document: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        state_from_json(document)


def test_economy_value_flows_equal_what_the_board_reads(small_economy) -> None:  # type: ignore[no-untyped-def]
    prices = small_economy.initial_prices * 1.1
    table = small_economy.value_flows(prices, 0.05)
    with ShardedResponder(small_economy) as responder:
        board_reads = responder.value_flows(prices, 0.05)
    for f in dataclasses.fields(table):
        np.testing.assert_array_equal(getattr(table, f.name), getattr(board_reads, f.name))
    assert table.effort_share == 0.05
