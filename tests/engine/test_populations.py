"""Council populations: formulas, budgets, shards and validation."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.engine import (
    CESConsumers,
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    FixedSupply,
    SubmittedProposals,
)
from parecon.exceptions import ValidationError


def _consumers(n: int = 4, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return dict(
        income=rng.uniform(100, 200, n),
        goods=np.array([0, 2, 3]),
        exponents=rng.uniform(0.1, 1.0, (n, 3)),
        public=np.array([False, False, True]),
        n_sharing=n,
        total_goods=5,
    )


def test_cobb_douglas_demand_is_pequods_formula() -> None:
    args = _consumers()
    pop = CobbDouglasConsumers(**args)
    prices = np.array([2.0, 9.0, 4.0, 5.0, 7.0])
    demand = pop.proposals(prices).demand.toarray()
    share = args["exponents"] / args["exponents"].sum(axis=1, keepdims=True)
    expected_private = args["income"][:, None] * share[:, :2] / prices[[0, 2]]
    expected_public = args["income"] * share[:, 2] / (prices[3] / args["n_sharing"])
    np.testing.assert_allclose(demand[:, [0, 2]], expected_private, rtol=1e-13)
    np.testing.assert_allclose(demand[:, 3], expected_public, rtol=1e-13)
    # The board counts public goods by the mean of councils' proposals.
    totals = pop.respond(prices).demand
    np.testing.assert_allclose(totals[3], expected_public.mean(), rtol=1e-13)
    np.testing.assert_allclose(totals[[0, 2]], expected_private.sum(axis=0), rtol=1e-13)


def test_ces_with_unit_sigma_equals_cobb_douglas_and_keeps_budgets() -> None:
    args = _consumers(6)
    prices = np.array([3.0, 1.0, 8.0, 2.5, 1.0])
    cd = CobbDouglasConsumers(**args).respond(prices).demand
    ces1 = CESConsumers(**args, sigma=np.ones(6)).respond(prices).demand
    np.testing.assert_allclose(ces1, cd, rtol=1e-12)
    for sigma in (0.3, 2.5):
        pop = CESConsumers(**args, sigma=np.full(6, sigma))
        q = pop.proposals(prices).demand.toarray()
        # spending: private at p, public at the council's share p / N
        spend = q[:, [0, 2]] @ prices[[0, 2]] + q[:, 3] * prices[3] / args["n_sharing"]
        np.testing.assert_allclose(spend, args["income"], rtol=1e-12)


def test_ces_demand_falls_faster_with_higher_sigma() -> None:
    args = _consumers(1)
    low, high = np.array([1.0, 1, 1, 1, 1]), np.array([1.0, 1, 2, 1, 1])
    drops = []
    for sigma in (0.5, 1.0, 3.0):
        pop = CESConsumers(**args, sigma=np.array([sigma]))
        drops.append(pop.respond(high).demand[2] / pop.respond(low).demand[2])
    assert drops[0] > drops[1] > drops[2]


def _workers() -> CobbDouglasWorkers:
    inputs = sp.csr_array(np.array([[0, 0.2, 0, 0.3, 0.2], [0.1, 0, 0.4, 0, 0.3]]))
    return CobbDouglasWorkers(
        output=np.array([0, 1]),
        a=np.array([5.0, 4.0]),
        c=np.array([0.07, 0.06]),
        k=np.array([3.2, 3.6]),
        s=np.array([1.0, 1.0]),
        inputs=inputs,
    )


def test_worker_proposals_satisfy_first_order_conditions() -> None:
    pop = _workers()
    prices = np.array([7.0, 5.0, 3.0, 2.0, 4.0])
    prop = pop.proposals(prices)
    z = prop.supply.sum(axis=1)
    x = prop.demand.toarray()
    e = prop.extras["effort"]
    b = pop.inputs.toarray()
    lam = prices[pop.output]
    # production function holds
    produced = pop.a * e**pop.c * np.prod(np.where(b > 0, x, 1.0) ** b, axis=1)
    np.testing.assert_allclose(produced, z, rtol=1e-12)
    # marginal revenue of each input equals its price
    with np.errstate(divide="ignore", invalid="ignore"):
        mr = np.where(b > 0, lam[:, None] * b * z[:, None] / x, 0)
    np.testing.assert_allclose(mr[b > 0], np.broadcast_to(prices, b.shape)[b > 0], rtol=1e-12)
    # totals equal the sum of proposals
    totals = pop.respond(prices)
    np.testing.assert_allclose(totals.demand, x.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(totals.supply[:2], z, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(n_shards=st.integers(1, 9), log_scale=st.floats(-1, 1))
def test_shards_add_up_to_the_whole(
    small_economy: Economy, n_shards: int, log_scale: float
) -> None:
    prices = small_economy.initial_prices * np.exp(log_scale)
    whole = small_economy.respond(prices)
    for pop in small_economy.populations:
        full = pop.respond(prices)
        parts = [s.respond(prices) for s in pop.shard(n_shards)]
        np.testing.assert_allclose(sum(p.supply for p in parts), full.supply, rtol=1e-12)
        np.testing.assert_allclose(sum(p.demand for p in parts), full.demand, rtol=1e-12)
    assert np.isfinite(whole.supply).all()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("a", np.array([5.0, -1.0]), r"worker council 1: field 'a' must be > 0"),
        ("k", np.array([np.nan, 3.0]), r"worker council 0: field 'k' must be finite"),
        ("output", np.array([0, 9]), r"worker council 1: field 'output' refers to good 9"),
    ],
)
def test_bad_worker_fields_name_council_and_field(
    field: str, value: np.ndarray, message: str
) -> None:
    pop = _workers()
    args = dict(output=pop.output, a=pop.a, c=pop.c, k=pop.k, s=pop.s, inputs=pop.inputs)
    args[field] = value
    with pytest.raises(ValidationError, match=message):
        CobbDouglasWorkers(**args)


def test_negative_input_exponent_is_refused() -> None:
    inputs = sp.csr_array(np.array([[0, -0.2, 0, 0.3, 0.2]]))
    with pytest.raises(ValidationError, match=r"worker council 0: input exponent on good 1"):
        CobbDouglasWorkers(
            output=np.array([0]),
            a=np.ones(1),
            c=np.full(1, 0.05),
            k=np.full(1, 3.0),
            s=np.ones(1),
            inputs=inputs,
        )


@pytest.mark.parametrize("bad", [np.nan, np.inf, 0.0])
def test_a_bad_input_exponent_names_its_council_past_an_empty_row(bad: float) -> None:
    dense = np.array([[0, 0.2, 0, 0.3], [0, 0, 0, 0], [0.1, 0, 0, 0.2], [0.2, 0.1, 0, 0]])
    inputs = sp.csr_array(dense)
    inputs.data[3] = bad  # council 2's second exponent (council 1 has none)
    with pytest.raises(ValidationError, match=r"worker council 2: input exponent on good 3"):
        CobbDouglasWorkers(
            output=np.array([0, 1, 2, 2]),
            a=np.ones(4),
            c=np.full(4, 0.05),
            k=np.full(4, 3.0),
            s=np.ones(4),
            inputs=inputs,
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("income", np.array([1.0, -2, 3, 4]), r"consumer council 1: field 'income' must be >= 0"),
        ("exponents", np.full((4, 3), np.inf), r"consumer council 0: field 'exponents'\[0\]"),
        ("exponents", np.zeros((4, 3)), r"consumer council 0: all utility exponents are zero"),
    ],
)
def test_bad_consumer_fields_are_named(field: str, value: np.ndarray, message: str) -> None:
    args = _consumers()
    args[field] = value
    with pytest.raises(ValidationError, match=message):
        CobbDouglasConsumers(**args)


def test_submitted_proposals_count_public_goods_by_their_share() -> None:
    supply = np.array([[0, 5.0, 0], [0, 0, 0]])
    demand = np.array([[1.0, 0, 4.0], [2.0, 0, 8.0]])
    pop = SubmittedProposals.dense(supply, demand, np.array([False, False, True]), n_sharing=2)
    totals = pop.respond(np.ones(3))
    np.testing.assert_allclose(totals.demand, [3.0, 0, 6.0])
    np.testing.assert_allclose(totals.supply, [0, 5.0, 0])
    with pytest.raises(
        ValidationError,
        match=r"submitted council 0: demand of good 0 must be finite and >= 0 \(got -1.0\)",
    ):
        SubmittedProposals.dense(supply, -demand, np.zeros(3, bool))


def test_economy_rejects_workers_producing_a_resource() -> None:
    from parecon.engine import GoodCategory, Goods

    goods = Goods.from_counts({GoodCategory.PRIVATE: 1, GoodCategory.RESOURCE: 1})
    workers = CobbDouglasWorkers(
        output=np.array([1]),
        a=np.ones(1),
        c=np.full(1, 0.05),
        k=np.full(1, 3.0),
        s=np.ones(1),
        inputs=sp.csr_array(np.array([[0, 0.5]])),
    )
    with pytest.raises(ValidationError, match="worker council 0: produces 'resource-1'"):
        Economy(goods, (workers, FixedSupply(np.array([1]), np.array([1.0]), 2)), np.ones(2))


def test_fused_kernel_matches_the_scipy_path(small_economy: Economy) -> None:
    from dataclasses import replace

    from parecon.engine.kernels.cobb_douglas import fused_kernel

    assert fused_kernel() is not None, "numba is part of the 'all' extra"
    workers = next(p for p in small_economy.populations if isinstance(p, CobbDouglasWorkers))
    fused = replace(workers, fused_threshold=0)
    plain = replace(workers, fused_threshold=10**12)
    prices = small_economy.initial_prices * np.exp(
        np.random.default_rng(3).normal(0, 0.2, small_economy.n_goods)
    )
    a, b = fused.respond(prices), plain.respond(prices)
    np.testing.assert_allclose(a.supply, b.supply, rtol=1e-12)
    np.testing.assert_allclose(a.demand, b.demand, rtol=1e-12)
    # shards keep the setting
    assert all(s.fused_threshold == 0 for s in fused.shard(3))  # type: ignore[attr-defined]


def test_input_pair_sums_kernel_matches_scipy(
    small_economy: Economy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parecon.engine.kernels import cobb_douglas as fused

    workers = next(p for p in small_economy.populations if isinstance(p, CobbDouglasWorkers))
    weights = np.random.default_rng(0).uniform(0, 2, (2, workers.n_councils))
    fast = fused.input_pair_sums(workers.inputs, weights)
    monkeypatch.setattr(fused, "_pairs_kernel", lambda: None)
    slow = fused.input_pair_sums(workers.inputs, weights)
    b = workers.inputs.toarray()
    exact = np.einsum("kj,ji,jl->kil", weights, b, b)
    np.testing.assert_allclose(fast, exact, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(slow, exact, rtol=1e-12, atol=1e-12)
    # Both chunkings, parallel here and serial in a worker thread.
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.undo()
    kernel = fused._pairs_kernel()
    assert kernel is not None
    args = (workers.inputs.indptr, workers.inputs.indices, workers.inputs.data, weights)
    with ThreadPoolExecutor(1) as pool:
        for chunks in (1, 4):
            parallel = kernel(*args, small_economy.n_goods, chunks)
            serial = pool.submit(kernel, *args, small_economy.n_goods, chunks).result()
            np.testing.assert_allclose(parallel, exact, rtol=1e-12, atol=1e-12)
            np.testing.assert_array_equal(serial, parallel)


def _respond_supply(workers: CobbDouglasWorkers, prices: np.ndarray) -> np.ndarray:
    return workers.respond(prices).supply


def test_fused_kernels_run_in_worker_processes_after_the_parent_used_threads(
    small_economy: Economy,
) -> None:
    """Numba's OpenMP layer aborts a forked child; workers use the serial kernels."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    from dataclasses import replace

    workers = next(p for p in small_economy.populations if isinstance(p, CobbDouglasWorkers))
    fused = replace(workers, fused_threshold=0)
    prices = small_economy.initial_prices
    here = _respond_supply(fused, prices)  # parallel kernel in this process first
    with ProcessPoolExecutor(2) as pool:
        there = pool.submit(_respond_supply, fused, prices).result()
    with ThreadPoolExecutor(2) as threads:
        threaded = list(threads.map(_respond_supply, [fused, fused], [prices, prices]))
    # Fixed chunks: the serial kernel adds in the parallel one's order.
    np.testing.assert_array_equal(there, here)
    for result in threaded:
        np.testing.assert_array_equal(result, here)


@pytest.mark.parametrize("n_workers", [90, 3000])  # one chunk, and four parallel chunks
def test_flow_sums_kernel_matches_numpy(n_workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from parecon.engine.generate import EconomySpec, generate_economy
    from parecon.engine.kernels import cobb_douglas as fused

    economy = generate_economy(EconomySpec(30, n_workers, 3), seed=4)
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    weights = np.random.default_rng(1).uniform(0, 2, (3, workers.n_councils))
    fast = fused.flow_sums(workers.inputs, workers.output, weights, first_pair=1)
    monkeypatch.setattr(fused, "_flows_kernel", lambda: None)
    monkeypatch.setattr(fused, "_pairs_kernel", lambda: None)
    slow = fused.flow_sums(workers.inputs, workers.output, weights, first_pair=1)
    b = workers.inputs.toarray()
    onehot = np.eye(economy.n_goods)[workers.output]
    exact_out = np.einsum("kj,jg,ji->kgi", weights, onehot, b)
    exact_pairs = np.einsum("kj,ji,jl->kil", weights[1:], b, b)
    for got in (fast, slow):
        np.testing.assert_allclose(got[0], exact_out, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(got[1], exact_pairs, rtol=1e-12, atol=1e-9)
