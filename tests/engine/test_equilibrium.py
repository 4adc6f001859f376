"""The reference equilibrium solver and plan scores."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import Economy, PlanningProcedure
from parecon.engine.equilibrium import score_plan, solve_equilibrium
from parecon.engine.sensitivities import _numeric, jacobian


def test_exact_jacobians_match_finite_differences(small_economy: Economy) -> None:
    prices = small_economy.initial_prices * np.exp(
        np.random.default_rng(1).normal(0, 0.3, small_economy.n_goods)
    )
    for pop in small_economy.populations:
        exact, numeric = jacobian(pop, prices), _numeric(pop, prices)
        for a, b in zip(exact, numeric, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * max(1, np.abs(b).max()))


@pytest.mark.parametrize("factor", [0.1, 1.0, 10.0])
def test_equilibrium_clears_every_good_from_far_starts(
    small_economy: Economy, factor: float
) -> None:
    eq = solve_equilibrium(small_economy, small_economy.initial_prices * factor)
    assert eq.converged
    assert eq.max_gap < 1e-10
    r = small_economy.respond(eq.prices)
    np.testing.assert_allclose(r.supply, r.demand, rtol=1e-10)


def test_scores_improve_as_the_plan_tightens(small_economy: Economy) -> None:
    eq = solve_equilibrium(small_economy)
    loose = PlanningProcedure("pequod", tolerance=0.10).run(small_economy)
    tight = PlanningProcedure("pequod", tolerance=0.02, max_rounds=200).run(small_economy)
    a, b = score_plan(small_economy, loose.prices, eq), score_plan(small_economy, tight.prices, eq)
    assert b.max_gap < a.max_gap
    assert b.price_error < a.price_error
    at_eq = score_plan(small_economy, eq.prices, eq)
    assert at_eq.price_error == 0.0
    assert abs(at_eq.welfare_loss) < 1e-9
