"""Pollutants priced by the communities they harm: accounting and convergence."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import Community, Economy, PlanningProcedure
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.plan_accounts import economy_balance, factor_accounts, pollution_accounts
from parecon.engine.populations import AffectedConsumers, affect_consumers
from parecon.exceptions import ValidationError
from tests.economy.conftest import NAMES, polluted_economy


def test_credits_equal_charges_at_clearing_prices(polluted: Economy) -> None:
    eq = solve_equilibrium(polluted)
    acc = pollution_accounts(polluted, eq.prices)
    for p in acc.pollutants:
        assert p.emitted == pytest.approx(p.permitted, rel=1e-9)
        assert p.charges == pytest.approx(p.credits, rel=1e-9)
    # what polluters pay per council adds up to what communities are credited per council
    assert acc.polluter_charges.sum() == pytest.approx(acc.council_credits.sum(), rel=1e-9)
    assert sum(acc.community_credits.values()) == pytest.approx(acc.credits, rel=1e-12)
    assert set(acc.community_credits) == {"valley", "national federation"}


def test_cap_is_met_and_priced(polluted: Economy) -> None:
    eq = solve_equilibrium(polluted)
    co2 = next(p for p in pollution_accounts(polluted, eq.prices).pollutants if p.good == "co2")
    assert co2.emitted == pytest.approx(40.0, rel=1e-9)
    assert co2.price > 0
    # a tighter cap raises the permit price and cuts emissions
    tight = polluted_economy(cap=20.0)
    eq2 = solve_equilibrium(tight)
    co2_tight = pollution_accounts(tight, eq2.prices).pollutants[1]
    assert co2_tight.emitted == pytest.approx(20.0, rel=1e-9)
    assert co2_tight.price > co2.price


def test_only_members_are_credited(polluted: Economy) -> None:
    eq = solve_equilibrium(polluted)
    credits = pollution_accounts(polluted, eq.prices).council_credits
    # valley members (0..2) get smoke and CO2 credits; the others only CO2 dividends
    assert credits[:3].min() > credits[3:].max()
    assert np.allclose(credits[3:], credits[3])


@pytest.mark.parametrize("rule", ["secant", "pequod"])
def test_planning_converges_and_accounts_balance(polluted: Economy, rule: str) -> None:
    tol = 0.01
    result = PlanningProcedure(rule, tolerance=tol, max_rounds=300).run(polluted)
    assert result.converged
    acc = pollution_accounts(polluted, result.prices)
    for p in acc.pollutants:
        assert abs(p.charges - p.credits) <= tol * max(p.charges, p.credits)
    balance = economy_balance(polluted, result.prices)
    assert balance.consumed == pytest.approx(balance.budgets + balance.credits, rel=1e-12)
    assert abs(balance.imbalance) < tol


def test_emissions_count_against_social_benefit(polluted: Economy) -> None:
    prices = solve_equilibrium(polluted).prices
    workers = polluted.populations[1]
    props = workers.proposals(prices)
    charges = pollution_accounts(polluted, prices).polluter_charges
    smoke, co2 = NAMES.index("smoke"), NAMES.index("co2")
    emitted = props.demand[:, [smoke, co2]].toarray() @ prices[[smoke, co2]]
    assert np.allclose(charges, emitted)
    other = props.extras["social_cost"] - charges
    assert np.all(props.extras["social_cost"] > other)


def test_shards_add_up(polluted: Economy) -> None:
    prices = np.linspace(0.5, 2.0, len(NAMES))
    whole = polluted.respond(prices)
    pop = polluted.populations[0]
    assert isinstance(pop, AffectedConsumers)
    parts = pop.shard(4)
    supply = sum(p.respond(prices).supply for p in parts)
    demand = sum(p.respond(prices).demand for p in parts)
    assert np.allclose(supply, pop.respond(prices).supply, rtol=1e-12)
    assert np.allclose(demand, pop.respond(prices).demand, rtol=1e-12)
    one = PlanningProcedure(tolerance=0.01).run(polluted)
    three = PlanningProcedure(tolerance=0.01, n_shards=3).run(polluted)
    assert one.rounds == three.rounds
    assert np.allclose(one.prices, three.prices, rtol=1e-10)
    assert np.isfinite(whole.supply).all()


def test_resource_opportunity_cost(polluted: Economy) -> None:
    eq = solve_equilibrium(polluted)
    (land,) = factor_accounts(polluted, eq.prices)
    assert land.good == "land"
    assert land.used == pytest.approx(land.supply, rel=1e-9)
    assert land.price > 0
    assert land.value == pytest.approx(land.price * 100.0)


def test_bad_communities() -> None:
    e = polluted_economy()
    base = [p.consumers if isinstance(p, AffectedConsumers) else p for p in e.populations]
    with pytest.raises(ValidationError, match="not a consumer council"):
        affect_consumers(base, [Community("far", [99], {5: (1.0, 1.0, 1.0)})], len(NAMES))
    with pytest.raises(ValidationError, match="price > 0"):
        affect_consumers(base, [Community("v", [0], {5: (1.0, 0.0, 1.0)})], len(NAMES))
    with pytest.raises(ValidationError, match="no members"):
        affect_consumers(base, [Community("v", [], {5: (1.0, 1.0, 1.0)})], len(NAMES))
    wrong = affect_consumers(base, [Community("v", [0], {0: (1.0, 1.0, 1.0)})], len(NAMES))
    with pytest.raises(ValidationError, match="not a pollutant"):
        Economy(e.goods, tuple(wrong), e.initial_prices)
