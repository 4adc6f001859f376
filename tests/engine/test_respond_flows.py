"""A round's response and value flows in one pass: the same numbers as the two passes."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

from parecon.engine import CobbDouglasWorkers, Economy, PlanningProcedure
from parecon.engine.executors import ShardedResponder
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.kernels import respond_flows
from parecon.exceptions import ConvergenceWarning

_FLOWS = ("spending", "revenue", "supply_response", "demand_response")
_SLOPES = ("supply_slope", "demand_slope")


@pytest.fixture(scope="module")
def economy() -> Economy:
    return generate_economy(EconomySpec(40, 2000, 6), seed=5)


def _workers(economy: Economy, threshold: int) -> CobbDouglasWorkers:
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    return replace(workers, fused_threshold=threshold)


@pytest.mark.parametrize("effort_share", [0.0, 0.05, 0.6])  # 0.6: some margins clamped
def test_one_pass_matches_two(economy: Economy, effort_share: float) -> None:
    assert respond_flows.respond_flows_kernel() is not None, "numba is in the 'all' extra"
    prices = np.exp(np.random.default_rng(2).normal(6.5, 0.4, economy.n_goods))
    fused = _workers(economy, 0)
    if effort_share > 0.5:
        assert (fused.margin < effort_share / 0.9).any(), "no council is clamped"
    response, flows = fused.respond_with_flows(prices, effort_share)
    plain = fused.respond(prices)
    # the totals are the response's, bit for bit (same chunks, same order)
    np.testing.assert_array_equal(response.supply, plain.supply)
    np.testing.assert_array_equal(response.demand, plain.demand)
    want = _workers(economy, 10**12).value_flows(prices, effort_share)
    for name in (*_FLOWS, *_SLOPES):
        got, expected = getattr(flows, name), getattr(want, name)
        scale = float(np.abs(expected).max()) or 1.0
        np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-12 * scale, err_msg=name)
    assert flows.effort_share == effort_share


def test_one_pass_matches_two_with_returns_read(economy: Economy) -> None:
    """Once the councils' returns are read, the kernel weighs each council by its own
    ``1/(1 − θ)`` as the SciPy path does, and ``γ`` no longer moves the tables."""
    rng = np.random.default_rng(4)
    first = np.exp(rng.normal(6.5, 0.4, economy.n_goods))
    second = first * np.exp(rng.normal(0.0, 0.1, economy.n_goods))
    fused, plain = _workers(economy, 0), _workers(economy, 10**12)
    before = plain.value_flows(second, 0.02)
    for w in (fused, plain):
        w.forget_rounds()
        w.read_rounds(first, second)
    theta = plain.returns_read()
    assert theta is not None and np.isfinite(theta).all()
    assert (theta >= 1.0 - plain.margin - 1e-12).all() and (theta < 1.0).all()
    _, flows = fused.respond_with_flows(second, 0.3)
    want = plain.value_flows(second, 0.3)
    for name in (*_FLOWS, *_SLOPES):
        got, expected = getattr(flows, name), getattr(want, name)
        scale = float(np.abs(expected).max()) or 1.0
        np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-12 * scale, err_msg=name)
    # read: γ is ignored (the tables are those of the returns read) ...
    at_zero = plain.value_flows(second, 0.0)
    np.testing.assert_allclose(flows.supply_response, at_zero.supply_response, rtol=1e-12)
    assert not np.abs(flows.supply_slope).any()
    # ... where unread it moves them
    unread = _workers(economy, 10**12)
    unread.forget_rounds()
    assert not np.allclose(unread.value_flows(second, 0.3).supply_response, before.supply_response)
    assert not np.allclose(before.supply_response, at_zero.supply_response)


def test_reading_depends_on_the_two_prices_only(economy: Economy) -> None:
    """Copies of the councils on different workers, having answered different rounds,
    read the same returns (why every executor plans alike)."""
    rng = np.random.default_rng(6)
    first = np.exp(rng.normal(6.5, 0.4, economy.n_goods))
    second = first * np.exp(rng.normal(0.0, 0.1, economy.n_goods))
    a, b = _workers(economy, 0), _workers(economy, 10**12)
    a.forget_rounds()
    b.forget_rounds()
    a.respond(first)
    a.respond(second)
    b.respond(second * 1.3)  # another round's answer left behind
    a.read_rounds(first, second)
    b.read_rounds(first, second)
    np.testing.assert_array_equal(a.returns_read(), b.returns_read())
    b.read_rounds(first, second)  # again: nothing changes
    np.testing.assert_array_equal(a.returns_read(), b.returns_read())


def test_chunks_and_threads_do_not_change_the_tables(economy: Economy) -> None:
    kernel = respond_flows.respond_flows_kernel()
    assert kernel is not None
    workers = _workers(economy, 0)
    prices = np.exp(np.random.default_rng(3).normal(6.5, 0.3, economy.n_goods))
    kappa, own, scale = workers._precompute()
    b = workers.inputs
    results = []
    for chunks, threads in ((1, False), (4, True), (32, True), (32, False)):
        raw = kernel(
            b.indptr, b.indices, b.data, kappa, own, scale, workers.output,
            np.log(prices), prices, workers.margin, 0.02, workers.n_goods, chunks,
            np.empty(workers.n_councils), threads=threads,
        )  # fmt: skip
        results.append((raw[0], raw[1], *respond_flows.fold(*raw[2:])))
    first = results[0]
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], first[0])  # supply: the response's chunks
        np.testing.assert_array_equal(other[1], first[1])
        for got, want in zip(other[2:], first[2:], strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


def test_flow_chunks_grow_with_the_work() -> None:
    assert respond_flows.flow_chunks(0, 50) == 1
    assert respond_flows.flow_chunks(10**6, 50) == 1
    many = respond_flows.flow_chunks(10**9, 50)
    assert many == 32 and 32 % respond_flows.flow_chunks(10**8, 50) == 0


def test_sharded_respond_with_flows_adds_shards_like_the_two_calls(economy: Economy) -> None:
    prices = np.exp(np.random.default_rng(4).normal(6.5, 0.3, economy.n_goods))
    with ShardedResponder(economy, n_shards=1) as one:
        response, flows = one.respond_with_flows(prices, 0.03)
        plain, want = one.respond(prices), one.value_flows(prices, 0.03)
    np.testing.assert_array_equal(response.supply, plain.supply)
    np.testing.assert_array_equal(response.demand, plain.demand)
    for name in (*_FLOWS, *_SLOPES, "final", "fixed", "substitution"):
        np.testing.assert_array_equal(getattr(flows, name), getattr(want, name), err_msg=name)


def test_a_plan_with_the_fused_pass_takes_the_same_rounds(economy: Economy) -> None:
    """The default rule planned with one pass per round (forced) and with two."""
    results = []
    for threshold in (0, 10**12):
        workers = _workers(economy, threshold)
        pops = tuple(
            workers if isinstance(p, CobbDouglasWorkers) else p for p in economy.populations
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            results.append(PlanningProcedure(tolerance=0.001).run(economy.with_populations(pops)))
    fused, plain = results
    assert fused.rounds == plain.rounds and fused.converged
    np.testing.assert_allclose(fused.prices, plain.prices, rtol=1e-9)


def test_row_sums_of_csr_rows_with_empty_rows_anywhere() -> None:
    import scipy.sparse as sp

    from parecon.engine.csr import CsrArrays

    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    pattern = sp.csr_array((values, [0, 1, 2, 0, 1], [0, 0, 3, 3, 5, 5, 5]), shape=(6, 3))
    rows = CsrArrays.of(pattern)
    np.testing.assert_array_equal(rows.row_sums(values), [0, 6, 0, 9, 0, 0])
    np.testing.assert_array_equal(rows.row_sums(2 * values), [0, 12, 0, 18, 0, 0])
    empty = CsrArrays.of(sp.csr_array((2, 3)))
    np.testing.assert_array_equal(empty.row_sums(np.zeros(0)), [0, 0])
