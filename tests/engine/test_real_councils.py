"""Real councils: late, partial, noisy; the noise floor; value flows of what was submitted."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest
import scipy.sparse as sp
from benchmarks.convergence_families import RealCouncils, far_start, plan_with_real_councils

from parecon.engine import (
    Economy,
    FacilitationBoard,
    GoodCategory,
    PlanningProcedure,
    Response,
    SubmittedProposals,
    get_rule,
)
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.populations import Population, Proposals, ValueFlows, flows_from_proposals
from parecon.engine.revision_limits import RevisionLimits
from parecon.exceptions import ConvergenceWarning, ValidationError


@pytest.fixture(scope="module")
def base() -> Economy:
    return generate_economy(EconomySpec(3000, 3000, 10), seed=1)


# --- the noise floor ----------------------------------------------------------------


@pytest.mark.parametrize(
    "councils",
    [RealCouncils(), RealCouncils(sluggish=0.5), RealCouncils(fixed=0.1)],
    ids=["submitted", "sluggish", "fixed"],
)
def test_councils_without_noise_never_report_a_floor(base: Economy, councils: RealCouncils) -> None:
    for seed in (0, 1):
        board = plan_with_real_councils(base, councils, seed)
        assert board.status == "converged"
        assert not board.noise_floor


def test_simulated_economies_never_report_a_floor(base: Economy) -> None:
    for seed in range(3):
        result = PlanningProcedure(tolerance=0.001).run(far_start(base, 2.0, seed))
        assert result.status == "converged" and not result.noise_floor


def test_sluggish_councils_are_pinned(base: Economy) -> None:
    """Half the councils move halfway from their last proposal (target: 7 rounds to 3%;
    7 · 16 before the board read the lag, `secant` 6 · 11)."""
    board = plan_with_real_councils(base, RealCouncils(sluggish=0.5), 0)
    assert (board.rounds_to[0.03], board.rounds_to[0.001]) == (5, 13)


@pytest.mark.parametrize("seed", [0, 1])
def test_noisy_councils_stop_at_their_floor_and_say_so(base: Economy, seed: int) -> None:
    """±5% noise in 10% of councils: no rule gets below about 0.5% (secant runs
    its 60 rounds); the default rule stops at the measured floor within 8 rounds."""
    board = plan_with_real_councils(base, RealCouncils(noisy=0.1), seed)
    assert board.status == "noise-floor"
    assert len(board.history) <= 8
    assert board.noise_floor is not None and 0.001 < board.noise_floor < 0.02
    assert board.history[-1].max_gap <= 3.0 * board.noise_floor


@dataclass(eq=False)
class _NoisyTotals(Population):
    """Wraps a population; each call to :meth:`respond` is off by ±``level``."""

    inner: Population
    level: float
    seed: int
    kind: ClassVar[str] = "noisy"

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)

    @property
    def n_councils(self) -> int:
        return self.inner.n_councils

    @property
    def n_goods(self) -> int:
        return self.inner.n_goods

    def respond(self, prices: np.ndarray) -> Response:
        totals = self.inner.respond(prices)
        wobble = 1.0 + self.level * self._rng.uniform(-1.0, 1.0, (2, self.n_goods))
        return Response(totals.supply * wobble[0], totals.demand * wobble[1])

    def proposals(self, prices: np.ndarray) -> Proposals:
        return self.inner.proposals(prices)

    def value_flows(self, prices: np.ndarray, effort_share: float = 0.0) -> ValueFlows:
        return self.inner.value_flows(prices, effort_share)

    def take(self, rows: slice) -> Population:
        return self

    def shard(self, n_shards: int) -> list[Population]:
        return [self]


def test_the_plan_result_reports_the_floor(base: Economy) -> None:
    noisy = base.with_populations(
        [_NoisyTotals(p, 0.005, i) for i, p in enumerate(base.populations)]
    )
    with pytest.warns(ConvergenceWarning, match="noise floor"):
        result = PlanningProcedure(tolerance=0.0001).run(noisy)
    assert result.status == "noise-floor" and not result.converged
    assert result.noise_floor is not None and result.noise_floor > 0.001
    assert "noise floor" in result.message and f"{result.noise_floor:.4g}" in result.message
    # the pequod rule does not measure (its gaps always shrink slowly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        slow = PlanningProcedure("pequod", tolerance=0.0001, max_rounds=20).run(noisy)
    assert slow.status == "max-rounds" and slow.noise_floor is None


# --- value flows of what was submitted --------------------------------------------


def _permit_holders() -> tuple[SubmittedProposals, SubmittedProposals, np.ndarray]:
    cats = np.array(
        [GoodCategory.PRIVATE, GoodCategory.LABOUR, GoodCategory.POLLUTANT], dtype=np.int8
    )
    # two consumer councils: they permit smoke and pledge hours, and eat bread;
    # one bakery: bread from hours, emitting smoke
    supply = sp.csr_array(np.array([[0.0, 4.0, 2.0], [0.0, 6.0, 1.0], [10.0, 0.0, 0.0]]))
    demand = sp.csr_array(np.array([[5.0, 0.0, 0.0], [5.0, 0.0, 0.0], [0.0, 10.0, 3.0]]))
    public = np.zeros(3, bool)
    known = SubmittedProposals(supply, demand, public, categories=cats)
    unknown = SubmittedProposals(supply, demand, public)
    return known, unknown, np.array([2.0, 1.0, 0.5])


def test_a_consumers_permits_are_a_consumers() -> None:
    known, unknown, prices = _permit_holders()
    flows = known.value_flows(prices)
    np.testing.assert_allclose(flows.revenue, [20.0, 0.0, 0.0])  # only the bakery produces
    np.testing.assert_allclose(flows.fixed, [0.0, 10.0, 1.5])  # hours and permits
    np.testing.assert_allclose(flows.final, [20.0, 0.0, 0.0])  # the councils eat the bread
    np.testing.assert_allclose(flows.spending[0], [0.0, 10.0, 1.5])
    # without the categories the councils read as producers of permits and hours
    assert unknown.value_flows(prices).revenue[1] > 0
    # the totals, in value, are the same either way
    for flows_ in (flows, unknown.value_flows(prices)):
        totals = known.respond(prices)
        np.testing.assert_allclose(flows_.supply_value, prices * totals.supply)
        np.testing.assert_allclose(flows_.demand_value, prices * totals.demand)


def test_revision_limits_give_the_rule_the_limited_proposals_flows(base: Economy) -> None:
    limiter = RevisionLimits(consumers_from=2, workers_from=2).start(base)
    prices = base.initial_prices
    limiter.respond(prices, 1)
    moved = prices * np.exp(np.random.default_rng(0).normal(0.0, 0.3, base.n_goods))
    limited = limiter.respond(moved, 2)
    flows = limiter.value_flows(moved, 0.02)
    np.testing.assert_allclose(flows.supply_value, moved * limited.supply, rtol=1e-9)
    np.testing.assert_allclose(flows.demand_value, moved * limited.demand, rtol=1e-9)
    free = base.respond(moved)
    assert not np.allclose(moved * free.supply, flows.supply_value, rtol=1e-3)


# --- bad input ---------------------------------------------------------------------


def test_submitted_proposals_refuse_what_would_break_later() -> None:
    public = np.zeros(3, bool)
    ok = sp.csr_array(np.ones((2, 3)))
    with pytest.raises(ValidationError, match=r"submitted proposals: supply must be a \(councils"):
        SubmittedProposals(np.ones(3), np.ones(3), public)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="n_sharing must be >= 1"):
        SubmittedProposals(ok, ok, public, n_sharing=0)
    with pytest.raises(ValidationError, match="n_sharing must be an integer"):
        SubmittedProposals(ok, ok, public, n_sharing=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'public' has shape \\(4,\\) but the proposals"):
        SubmittedProposals(ok, ok, np.zeros(4, bool))
    with pytest.raises(ValidationError, match="'categories' must be one good category per good"):
        SubmittedProposals(ok, ok, public, categories=np.zeros(2, np.int8))
    with pytest.raises(ValidationError, match="supply must be a"):
        SubmittedProposals.dense(np.ones(3), np.ones(3), public)
    # and an economy refuses submissions of the wrong number of goods, naming them
    economy = generate_economy(EconomySpec(30, 30, 2), seed=0)
    wrong = SubmittedProposals(ok, ok, public)
    with pytest.raises(ValidationError, match="population 3 \\(submitted\\): responds to 3 goods"):
        economy.with_populations([*economy.populations, wrong])


def test_the_board_refuses_negative_totals_and_flows_of_another_size() -> None:
    board = FacilitationBoard(get_rule("informed"), np.ones(3), tolerance=0.01, max_rounds=5)
    with pytest.raises(ValidationError, match="round 1: total supply of good 1 is -1.0"):
        board.tally(Response(np.array([1.0, -1.0, 1.0]), np.ones(3)))
    with pytest.raises(ValidationError, match="value flows: the value flows tabulate 2 goods"):
        board.tally(Response(np.ones(3), np.full(3, 2.0)), ValueFlows.zeros(2))
    assert board.status == "open" and not board.history


def test_value_flow_tables_of_the_wrong_size_are_refused() -> None:
    good = ValueFlows.zeros(3)
    with pytest.raises(ValidationError, match="value flows: field 'spending' has shape \\(2, 2\\)"):
        ValueFlows(
            np.zeros((2, 2)),
            *(getattr(good, f) for f in ("revenue", "final", "fixed")),
            *(np.zeros((3, 3)) for _ in range(5)),
        )
    with pytest.raises(ValidationError, match="cannot be added"):
        good + ValueFlows.zeros(4)
    empty = flows_from_proposals(sp.csr_array((0, 3)), sp.csr_array((0, 3)), np.ones(3))
    assert empty.n_goods == 3
