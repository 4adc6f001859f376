"""The planning loop: statuses, callbacks, warnings, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import Economy, PlanningProcedure, PriceRule, get_rule, plan
from parecon.exceptions import ConvergenceWarning, ValidationError


def test_converges_and_records_history(small_economy: Economy) -> None:
    result = PlanningProcedure("pequod", tolerance=0.05, max_rounds=80).run(small_economy)
    assert result.converged and result.status == "converged"
    assert result.max_gap < 0.05
    assert result.rounds == len(result.history)
    assert result.rounds_to[0.05] == result.rounds
    np.testing.assert_array_equal(result.prices, result.history[-1].prices)
    rounds = [r.round for r in result.history]
    assert rounds == list(range(1, result.rounds + 1))


def test_round_limit_is_a_status_and_a_warning(small_economy: Economy) -> None:
    with pytest.warns(ConvergenceWarning, match="limit of 3 rounds"):
        result = PlanningProcedure("pequod", max_rounds=3).run(small_economy)
    assert not result.converged
    assert result.status == "max-rounds"
    assert result.rounds == 3


def test_callback_sees_every_round_and_can_stop(small_economy: Economy) -> None:
    seen: list[int] = []

    def stop_at_two(record: object) -> bool:
        seen.append(record.round)  # type: ignore[attr-defined]
        return record.round == 2  # type: ignore[attr-defined]

    with pytest.warns(ConvergenceWarning):
        result = PlanningProcedure("pequod").run(small_economy, callback=stop_at_two)
    assert seen == [1, 2]
    assert result.status == "stopped"


class _Broken(PriceRule):
    name = "broken"

    def update(self, prices, supply, demand, state):  # type: ignore[no-untyped-def]
        return -prices, state


def test_a_rule_producing_bad_prices_stops_cleanly(small_economy: Economy) -> None:
    with pytest.warns(ConvergenceWarning, match="diverged"):
        result = PlanningProcedure(_Broken()).run(small_economy)
    assert result.status == "diverged"
    assert (result.prices > 0).all()


def test_same_input_same_plan(small_economy: Economy) -> None:
    a = plan(small_economy, "pequod")
    b = plan(small_economy, "pequod")
    np.testing.assert_array_equal(a.prices, b.prices)
    assert a.rounds == b.rounds


def test_keep_proposals_returns_each_councils_plan(small_economy: Economy) -> None:
    result = PlanningProcedure("pequod", keep_proposals=True).run(small_economy)
    assert result.proposals is not None
    supply = sum(np.asarray(p.supply.sum(axis=0)).ravel() for p in result.proposals)
    np.testing.assert_allclose(supply, result.supply, rtol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tolerance": 0.0}, "tolerance must be > 0"),
        ({"max_rounds": 0}, "max_rounds must be >= 1"),
        ({"n_shards": 0}, "n_shards must be >= 1"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PlanningProcedure("pequod", **kwargs)


def test_unknown_rule_lists_the_available_ones() -> None:
    with pytest.raises(ValidationError, match="unknown price rule 'nope'; available: .*pequod"):
        get_rule("nope")
