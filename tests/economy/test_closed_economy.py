"""A closed economy: budgets from effort-based allowances, labour from council members."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import Economy, PlanningProcedure
from parecon.engine.closed_economy import (
    MembersLabour,
    allowances_from_effort,
    close_economy,
)
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.goods import GoodCategory
from parecon.engine.plan_accounts import economy_balance
from parecon.exceptions import ValidationError
from tests.economy.conftest import NAMES, polluted_economy

HOURS = np.array([120.0, 80.0, 100.0, 110.0, 90.0, 100.0])
RATINGS = np.array([1.0, 1.2, 0.9, 1.0, 1.1, 1.0])


def _closed(average_value: float = 10.0) -> Economy:
    hours = np.zeros((6, len(NAMES)))
    hours[:, NAMES.index("labour")] = HOURS
    return close_economy(
        polluted_economy(), allowances_from_effort(HOURS, RATINGS, average_value), hours
    )


def test_allowances_rule() -> None:
    budgets = allowances_from_effort(HOURS, RATINGS, 10.0)
    assert budgets == pytest.approx(HOURS * RATINGS * 10.0)
    members = allowances_from_effort([[40.0, 30.0], [20.0, 0.0]], [[1.0, 1.5], [2.0, 0.0]], 2.0)
    assert members == pytest.approx([2 * (40 + 45), 2 * 40])
    with pytest.raises(ValidationError, match="average consumption value"):
        allowances_from_effort(HOURS, RATINGS, 0.0)
    with pytest.raises(ValidationError, match="ratings"):
        allowances_from_effort(HOURS, -RATINGS, 1.0)


def test_labour_comes_from_members() -> None:
    closed = _closed()
    labour = closed.goods.index("labour")
    (members,) = closed.populations_of(MembersLabour)
    assert members.respond(np.ones(len(NAMES))).supply[labour] == pytest.approx(HOURS.sum())
    fixed_labour = [
        p
        for p in closed.populations
        if p.kind == "fixed-supply" and p.respond(np.ones(len(NAMES))).supply[labour] > 0
    ]
    assert not fixed_labour


def test_plan_balances_value_consumed_and_allowances() -> None:
    closed = _closed()
    tol = 0.01
    result = PlanningProcedure(tolerance=tol).run(closed)
    assert result.converged
    balance = economy_balance(closed, result.prices)
    assert balance.budgets == pytest.approx(float((HOURS * RATINGS * 10.0).sum()))
    # consumers spend exactly their allowances plus pollution credits ...
    assert balance.consumed == pytest.approx(balance.budgets + balance.credits, rel=1e-12)
    # ... and that equals the value of the net product within the tolerance
    assert abs(balance.imbalance) < tol
    eq = solve_equilibrium(closed)
    assert abs(economy_balance(closed, eq.prices).imbalance) < 1e-9


def test_price_level_follows_allowances() -> None:
    low = solve_equilibrium(_closed(10.0)).prices
    high = solve_equilibrium(_closed(20.0)).prices
    # more allowances for the same net product: every price rises (not exactly
    # twofold, since communities state permissions at nominal reference prices)
    assert np.all(high > low)
    assert high[0] / low[0] == pytest.approx(2.0, rel=0.1)


def test_labour_price_enters_social_cost() -> None:
    closed = _closed()
    prices = solve_equilibrium(closed).prices
    labour = closed.goods.index("labour")
    workers = closed.populations[1]
    props = workers.proposals(prices)
    labour_cost = props.demand[:, [labour]].toarray().ravel() * prices[labour]
    assert np.all(props.extras["social_cost"] >= labour_cost)
    assert labour_cost.sum() == pytest.approx(prices[labour] * HOURS.sum(), rel=1e-8)


def test_bad_closure() -> None:
    e = polluted_economy()
    hours = np.zeros((6, len(NAMES)))
    hours[:, NAMES.index("bread")] = 1.0
    with pytest.raises(ValidationError, match="not a labour good"):
        close_economy(e, np.ones(6), hours)
    with pytest.raises(ValidationError, match="shape"):
        close_economy(e, np.ones(5), np.zeros((6, len(NAMES))))
    assert GoodCategory.LABOUR in {GoodCategory(int(c)) for c in e.goods.categories}
