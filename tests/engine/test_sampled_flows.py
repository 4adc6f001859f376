"""Value flows' tables from a sample of worker councils (off by default)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from parecon.engine import CobbDouglasWorkers, Economy
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.kernels import sampled_flows

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def economy() -> Economy:
    # 60,000 worker councils, 3 goods per category: about 6,700 producers per good
    return generate_economy(EconomySpec(200, 60_000, 3), seed=3)


def _workers(economy: Economy, **settings: int) -> CobbDouglasWorkers:
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    return replace(workers, fused_threshold=0, **settings)


def test_off_by_default(economy: Economy) -> None:
    workers = _workers(economy)
    assert workers.sampled_flows_from is None and sampled_flows.SAMPLE_FROM > 10**15
    prices = economy.initial_prices
    _, flows = workers.respond_with_flows(prices, 0.02)
    _, exact = _workers(economy, sampled_flows_from=10**12).respond_with_flows(prices, 0.02)
    for name in ("spending", "demand_response", "demand_slope"):
        np.testing.assert_array_equal(getattr(flows, name), getattr(exact, name))


@pytest.mark.parametrize("effort_share", [0.02, 0.6])  # 0.6: some margins clamped
def test_sampled_tables_are_close_and_the_totals_exact(
    economy: Economy, effort_share: float
) -> None:
    full = _workers(economy, sampled_flows_from=10**12)
    sampled = _workers(economy, sampled_flows_from=50_000)
    prices = economy.initial_prices * np.exp(
        np.random.default_rng(1).normal(0, 0.3, economy.n_goods)
    )
    response, flows = sampled.respond_with_flows(prices, effort_share)
    plain = full.respond(prices)
    np.testing.assert_array_equal(response.supply, plain.supply)  # bit for bit
    np.testing.assert_array_equal(response.demand, plain.demand)
    _, want = full.respond_with_flows(prices, effort_share)
    np.testing.assert_allclose(flows.revenue, want.revenue, rtol=1e-12)
    # the demand values the model divides by are exact
    np.testing.assert_allclose(flows.demand_value, want.demand_value, rtol=1e-12)
    for name, within in (
        ("spending", 0.02),  # observed 0.2-0.8%
        ("supply_response", 0.01),
        ("demand_response", 0.02),
        ("supply_slope", 0.01),
        ("demand_slope", 0.02),
    ):
        got, expected = getattr(flows, name), getattr(want, name)
        if not expected.any():  # every margin clamped: no slope
            assert not got.any(), name
            continue
        error = np.linalg.norm(got - expected) / np.linalg.norm(expected)
        assert error < within, (name, error)
        assert not np.array_equal(got, expected), f"{name}: not sampled"
    # about one producer in SAMPLE_STEP drawn: the tables are not the full ones, and
    # the same prices give the same sample
    _, again = sampled.respond_with_flows(prices, effort_share)
    np.testing.assert_array_equal(again.demand_response, flows.demand_response)


def test_pilot_sees_every_good_of_a_cycling_order() -> None:
    """Councils that cycle through 30 goods: a stride of 16 would see only half."""
    goods = np.arange(300_000) % 30
    rows = sampled_flows.pilot_rows(goods.size)
    assert abs(rows.size / goods.size - 1 / sampled_flows.PILOT) < 0.01
    seen = np.bincount(goods[rows], minlength=30)
    assert seen.min() > 0.8 * seen.mean()


def test_steps_take_big_councils_whole_and_small_goods_whole() -> None:
    rng = np.random.default_rng(0)
    goods = np.repeat([0, 1], [8000, 100])
    sizes = rng.lognormal(0, 1, goods.size)
    sizes[:5] = 1e6  # five councils that dominate good 0
    producers = np.array([8000.0, 100.0])
    tau = sampled_flows.steps(sizes, goods, producers, sampled_flows.draws(producers))
    assert tau[1] == 0.0  # 100 producers: all taken whole
    first = sizes[:8000]
    big = first >= tau[0]
    assert big[:5].all() and big.sum() < 1000
    # the big councils drawn whole, the others one per step: the draws wanted
    drawn = big.sum() + first[~big].sum() / tau[0]
    assert drawn == pytest.approx(8000 / sampled_flows.SAMPLE_STEP, rel=0.02)
