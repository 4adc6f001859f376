"""A kind of council written outside the engine plugs into planning, accounts and equilibrium.

:class:`StoneGearyConsumers` (subsistence quantities plus Cobb-Douglas
shares of what is left: the linear expenditure system) is defined here, in a
test, and used by the procedure (default rule, revision limits), the plan's
accounts, the closed economy, the linear plan and the reference equilibrium
without any engine module knowing its class: it only declares its role and
implements the population protocol. With no subsistence it is Cobb-Douglas,
so the engine must give the Cobb-Douglas economy's numbers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace
from typing import ClassVar

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.engine import (
    CobbDouglasConsumers,
    Economy,
    PlanningProcedure,
    Population,
    Proposals,
    Response,
)
from parecon.engine.closed_economy import close_economy
from parecon.engine.equilibrium import score_plan, solve_equilibrium
from parecon.engine.goods import GoodCategory
from parecon.engine.linear_plan import linear_optimum
from parecon.engine.plan_accounts import economy_balance, pollution_accounts
from parecon.engine.populations import FloatArray, Role
from parecon.engine.revision_limits import RevisionLimits
from parecon.exceptions import ConvergenceWarning


@dataclass(eq=False)
class StoneGearyConsumers(Population):
    """``u = Σ α_g ln(x_g − γ_g)``: council ``i`` buys ``γ`` first, then spends
    the rest of its budget in shares ``α / A``. Public goods at effective price
    ``p / N``, contributing ``x / N`` to the totals, as Pequod's consumers do."""

    income: FloatArray
    goods: NDArray[np.intp]
    exponents: FloatArray
    subsistence: FloatArray
    public: NDArray[np.bool_]
    n_sharing: int
    total_goods: int
    kind: ClassVar[str] = "stone-geary-consumers"
    role: ClassVar[Role] = "consumers"
    revision_limited: ClassVar[bool] = True

    @property
    def n_councils(self) -> int:
        return int(self.income.shape[0])

    @property
    def n_goods(self) -> int:
        return self.total_goods

    def _quantities(self, prices: FloatArray) -> FloatArray:
        q = np.where(self.public, prices[self.goods] / self.n_sharing, prices[self.goods])
        left = self.income - self.subsistence @ q
        shares = self.exponents / self.exponents.sum(axis=1, keepdims=True)
        out: FloatArray = self.subsistence + shares * left[:, None] / q
        return out

    def _contributions(self, prices: FloatArray) -> FloatArray:
        x = self._quantities(prices)
        out: FloatArray = np.where(self.public, x / self.n_sharing, x)
        return out

    def respond(self, prices: FloatArray) -> Response:
        demand = np.zeros(self.total_goods)
        np.add.at(demand, self.goods, self._contributions(prices).sum(axis=0))
        return Response(np.zeros(self.total_goods), demand)

    def proposals(self, prices: FloatArray) -> Proposals:
        x = self._quantities(prices)
        n, m = x.shape
        demand = sp.csr_array(
            (x.ravel(), np.tile(self.goods, n), np.arange(n + 1) * m), shape=(n, self.total_goods)
        )
        return Proposals(self.kind, sp.csr_array((n, self.total_goods)), demand)

    def take(self, rows: slice) -> StoneGearyConsumers:
        return replace(
            self,
            income=self.income[rows],
            exponents=self.exponents[rows],
            subsistence=self.subsistence[rows],
        )

    def budgets(self) -> FloatArray:
        return self.income

    def with_budgets(self, budgets: FloatArray) -> StoneGearyConsumers:
        return replace(self, income=np.asarray(budgets, dtype=float))

    def welfare_loss(
        self, prices: FloatArray, clearing_prices: FloatArray, delivered: FloatArray
    ) -> FloatArray:
        """``1 − exp(Δu / A)``: Cobb-Douglas's loss when there is no subsistence."""
        shares = self.exponents / self.exponents.sum(axis=1, keepdims=True)
        got = self._quantities(prices) * delivered[self.goods] - self.subsistence
        best = self._quantities(clearing_prices) - self.subsistence
        loss: FloatArray = 1.0 - np.exp((shares * (np.log(got) - np.log(best))).sum(axis=1))
        return loss


def _replace_consumers(economy: Economy, subsistence: float) -> Economy:
    cd = next(p for p in economy.populations if isinstance(p, CobbDouglasConsumers))
    sg = StoneGearyConsumers(
        cd.income,
        cd.goods,
        cd.exponents,
        np.full(cd.exponents.shape, subsistence),
        cd.public,
        cd.n_sharing,
        cd.total_goods,
    )
    return economy.with_populations([sg if p is cd else p for p in economy.populations])


def test_with_no_subsistence_the_engine_gives_cobb_douglas_numbers(
    small_economy: Economy,
) -> None:
    mine = _replace_consumers(small_economy, 0.0)
    for rule in ("informed", "secant", "pequod"):
        ours = PlanningProcedure(rule, tolerance=0.01).run(mine)
        theirs = PlanningProcedure(rule, tolerance=0.01).run(small_economy)
        assert ours.rounds == theirs.rounds, rule
        np.testing.assert_allclose(ours.prices, theirs.prices, rtol=1e-9)
    eq_ours, eq_theirs = solve_equilibrium(mine), solve_equilibrium(small_economy)
    assert eq_ours.converged
    np.testing.assert_allclose(eq_ours.prices, eq_theirs.prices, rtol=1e-8)
    prices = PlanningProcedure(tolerance=0.03).run(small_economy).prices
    a, b = score_plan(mine, prices, eq_ours), score_plan(small_economy, prices, eq_theirs)
    assert a.welfare_loss == pytest.approx(b.welfare_loss, rel=1e-6, abs=1e-12)
    ba, bb = economy_balance(mine, prices), economy_balance(small_economy, prices)
    assert (ba.budgets, ba.consumed) == pytest.approx((bb.budgets, bb.consumed), rel=1e-12)
    la, lb = linear_optimum(mine, prices), linear_optimum(small_economy, prices)
    assert la.scale == pytest.approx(lb.scale, rel=1e-7)


def test_a_new_kind_plans_and_is_accounted_for_on_its_own_terms(small_economy: Economy) -> None:
    mine = _replace_consumers(small_economy, 0.05)
    result = PlanningProcedure(tolerance=0.01).run(mine)
    assert result.converged and result.rule == "informed"
    equilibrium = solve_equilibrium(mine)  # finite differences: the kind gives no Jacobian
    assert equilibrium.converged and equilibrium.max_gap < 1e-9
    cd = solve_equilibrium(small_economy)
    assert not np.allclose(equilibrium.prices, cd.prices, rtol=1e-3)  # subsistence matters
    score = score_plan(mine, result.prices, equilibrium)
    # (a plan within 1% gaps may use a little more than the equilibrium: loss ≥ −0.1%)
    assert -0.001 <= score.welfare_loss < 0.05 and score.max_gap < 0.01
    balance = economy_balance(mine, result.prices)
    sg = mine.populations[0]
    assert balance.budgets == pytest.approx(float(sg.budgets().sum()))
    assert balance.consumed == pytest.approx(balance.budgets, rel=1e-9)  # budgets are spent
    accounts = pollution_accounts(mine, result.prices)
    assert accounts.council_credits.shape == (sg.n_councils,) and not accounts.council_credits.any()
    optimum = linear_optimum(mine, result.prices)  # the new councils' demand is the basket
    basket = sg.respond(result.prices).demand
    assert optimum.shadow_prices @ basket == pytest.approx(result.prices @ basket, rel=1e-9)
    assert 1.0 < optimum.scale < 1.3


def test_revision_limits_bind_the_new_kind_by_its_declaration(small_economy: Economy) -> None:
    @dataclass(eq=False)
    class Unlimited(StoneGearyConsumers):
        revision_limited: ClassVar[bool] = False

    limited = _replace_consumers(small_economy, 0.05)
    sg = limited.populations[0]
    assert isinstance(sg, StoneGearyConsumers)
    free = limited.with_populations(
        [
            Unlimited(**{f.name: getattr(sg, f.name) for f in fields(sg)}),
            *limited.populations[1:],
        ]
    )
    procedure = PlanningProcedure("pequod", max_rounds=8, revision_limits=RevisionLimits())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a, b = procedure.run(limited), procedure.run(free)
    # rounds 1-2 are free for everyone; from round 3 only the declared block is held back
    np.testing.assert_array_equal(a.history[1].demand, b.history[1].demand)
    assert not np.array_equal(a.history[3].demand, b.history[3].demand)


def test_the_closed_economy_gives_the_new_kind_its_allowances(small_economy: Economy) -> None:
    mine = _replace_consumers(small_economy, 0.05)
    sg = mine.populations[0]
    allowances = np.linspace(4000.0, 6000.0, sg.n_councils)
    labour = np.flatnonzero(small_economy.goods.mask(GoodCategory.LABOUR))
    hours = np.zeros((sg.n_councils, mine.n_goods))
    hours[:, labour] = 100.0 / sg.n_councils  # the economy's labour, pledged by members
    closed = close_economy(mine, allowances, hours)
    block = closed.populations[0]
    assert isinstance(block, StoneGearyConsumers)
    np.testing.assert_array_equal(block.budgets(), allowances)
    supply = closed.respond(closed.initial_prices).supply
    np.testing.assert_allclose(supply[labour], 100.0)  # members' hours only
    assert PlanningProcedure(tolerance=0.01).run(closed).converged


def test_consumer_councils_of_a_new_kind_are_numbered_but_not_wrapped_silently(
    small_economy: Economy,
) -> None:
    from parecon.engine import Community
    from parecon.engine.populations import affect_consumers
    from parecon.exceptions import InvalidValueError

    mine = _replace_consumers(small_economy, 0.05)
    assert [i for i, _ in mine.consumer_blocks()] == [0]
    pollutant = 0  # any good index: the block's kind is refused before categories matter
    community = Community("river", members=[3], permits={pollutant: (1.0, 1.0, 0.0)})
    with pytest.raises(
        InvalidValueError,
        match="population 0: stone-geary-consumers councils cannot be members of affected",
    ):
        affect_consumers(mine.populations, [community], mine.n_goods)
