"""The value flows' kernels: same sums as SciPy's, however the councils are chunked."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from parecon.engine import CobbDouglasWorkers, Economy
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.kernels import cobb_douglas as fused


@pytest.fixture(scope="module")
def workers() -> CobbDouglasWorkers:
    economy: Economy = generate_economy(EconomySpec(50, 3000, 6), seed=3)
    return next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))


def _reference(w: CobbDouglasWorkers, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n_goods = w.n_goods
    rows = np.repeat(np.arange(w.n_councils), np.diff(w.inputs.indptr))
    cell = w.output[rows] * n_goods + w.inputs.indices
    by_output = np.stack(
        [
            np.bincount(cell, x[rows] * w.inputs.data, minlength=n_goods**2).reshape(
                n_goods, n_goods
            )
            for x in weights
        ]
    )
    bt = sp.csr_array(w.inputs.T)
    pairs = np.stack(
        [(bt @ sp.csr_array(sp.diags_array(x) @ w.inputs)).toarray() for x in weights[1:]]
    )
    return by_output, pairs


@pytest.mark.parametrize("chunks", [1, 3, 32])
@pytest.mark.parametrize("threads", [False, True])
def test_flow_sums_match_scipy(workers: CobbDouglasWorkers, chunks: int, threads: bool) -> None:
    kernel = fused._flows_kernel()
    assert kernel is not None, "numba is part of the 'all' extra"
    weights = np.random.default_rng(0).random((3, workers.n_councils))
    b = workers.inputs
    raw = kernel(
        b.indptr,
        b.indices,
        b.data,
        workers.output,
        weights,
        1,
        workers.n_goods,
        chunks,
        threads=threads,
    )
    by_output, pairs = fused._fold(*raw)
    want_by, want_pairs = _reference(workers, weights)
    np.testing.assert_allclose(by_output, want_by, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pairs, want_pairs, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pairs, pairs.transpose(0, 2, 1))


def test_flows_reuse_the_rounds_revenue_only_at_its_prices(workers: CobbDouglasWorkers) -> None:
    """The round's response leaves each council's revenue behind for its value flows."""
    prices = np.exp(np.random.default_rng(1).normal(0.0, 0.3, workers.n_goods))
    other = prices * 1.1
    for fused_threshold in (0, 10**12):  # the kernel path and the SciPy path
        pop = replace(workers, fused_threshold=fused_threshold)
        fresh = pop.value_flows(other, 0.02)
        pop.respond(prices)  # leaves the revenue at `prices`
        again = pop.value_flows(other, 0.02)
        np.testing.assert_allclose(again.supply_response, fresh.supply_response, rtol=1e-12)
        pop.respond(other)
        reused = pop.value_flows(other, 0.02)
        np.testing.assert_allclose(reused.demand_response, fresh.demand_response, rtol=1e-9)
        np.testing.assert_allclose(reused.revenue, fresh.revenue, rtol=1e-9)
