"""The parallel kernels are one parallel loop each, and their wrappers keep the results.

In a parallel Numba function every array expression (``np.zeros``, ``.sum``) is a
parallel region of its own, each ending at a barrier for the whole thread team;
on a shared machine a thread put aside by the system holds up every barrier. The
kernels therefore take zeroed accumulators from their callers and leave the sums
to NumPy (see :func:`parecon.engine.kernels.cobb_douglas.compile_kernel`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from parecon.engine.kernels import cobb_douglas as cd
from parecon.engine.kernels import respond_flows as rf

numba = pytest.importorskip("numba")

_INDPTR = np.array([0, 2, 3, 3], dtype=np.int32)
_INDICES = np.array([0, 1, 1], dtype=np.int32)
_DATA = np.array([0.3, 0.2, 0.4])
_OUTPUT = np.array([1, 0, 1])
_COUNCILS = np.array([0.1, 0.2, 0.3])
_PRICES = np.array([1.5, 0.5])
_WEIGHTS = np.ones((3, 3))


def _chunks(*shape: int) -> np.ndarray:
    return np.zeros(shape)


_KERNELS: dict[str, tuple[Callable[[Any], Callable[..., None]], tuple[Any, ...]]] = {
    "response": (
        cd._kernel_source,
        (
            _INDPTR, _INDICES, _DATA, _COUNCILS, _COUNCILS, _COUNCILS, _OUTPUT,
            np.log(_PRICES), _PRICES, np.empty(3), _chunks(cd.CHUNKS, 2), _chunks(cd.CHUNKS, 2),
        ),
    ),
    "response and flows": (
        rf._source,
        (
            _INDPTR, _INDICES, _DATA, _COUNCILS, _COUNCILS, _COUNCILS, _OUTPUT,
            np.log(_PRICES), _PRICES, 1.0 - _COUNCILS, 0.02, np.empty(3),
            _chunks(cd.CHUNKS, 2), _chunks(cd.CHUNKS, 2), _chunks(4, 2, 3),
            _chunks(4, 2, 2, 3), _chunks(4, 2, 2, 2), np.empty(0),
        ),
    ),
    "flow sums": (
        cd._flows_source,
        (_INDPTR, _INDICES, _DATA, _OUTPUT, _WEIGHTS, 1, _chunks(2, 2, 2, 3), _chunks(2, 2, 2, 2)),
    ),
    "input pairs": (cd._pairs_source, (_INDPTR, _INDICES, _DATA, _WEIGHTS, _chunks(2, 3, 2, 2))),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_KERNELS))
def test_each_parallel_kernel_is_one_parallel_loop(name: str) -> None:
    source, args = _KERNELS[name]
    kernel = numba.njit(parallel=True)(source(numba.prange))
    kernel(*args)
    diagnostics = kernel.get_metadata(kernel.signatures[0])["parfor_diagnostics"]
    assert diagnostics.count_parfors() == 1


def test_the_wrappers_sum_the_chunks_the_kernels_fill() -> None:
    """Serial and threaded, the wrappers give the same totals, bit for bit, and
    the one pass's totals are the response's."""
    response, one_pass = cd.fused_kernel(), rf.respond_flows_kernel()
    assert response is not None and one_pass is not None, "numba is in the 'all' extra"
    rng = np.random.default_rng(5)
    n, goods = 2000, 6
    counts = rng.integers(1, 4, n)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    indices = np.concatenate([np.sort(rng.choice(goods, c, replace=False)) for c in counts]).astype(
        np.int32
    )
    data = rng.uniform(0.05, 0.25, indptr[-1])
    kappa, own, scale = rng.normal(0, 0.3, n), rng.uniform(0, 2, n), rng.uniform(1, 3, n)
    output = rng.integers(0, goods, n)
    prices = np.exp(rng.normal(0, 0.3, goods))
    common = (indptr, indices, data, kappa, own, scale, output, np.log(prices), prices)
    margin = rng.uniform(0.1, 0.3, n)
    totals = []
    for threads in (False, True):
        revenue = np.empty(n)
        supply, demand = response(*common, goods, revenue, threads=threads)
        flows = one_pass(*common, margin, 0.02, goods, 4, np.empty(n), threads=threads)
        np.testing.assert_array_equal(flows[0], supply)
        np.testing.assert_array_equal(flows[1], demand)
        totals.append((supply, demand, revenue))
    for serial, threaded in zip(*totals, strict=True):
        np.testing.assert_array_equal(serial, threaded)
    log_p = np.log(prices)
    z = np.exp(kappa + own * log_p[output] - scale * _rows(indptr, data * log_p[indices]))
    np.testing.assert_allclose(totals[0][0], np.bincount(output, z, minlength=goods), rtol=1e-12)


def _rows(indptr: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.add.reduceat(values, indptr[:-1]) * (np.diff(indptr) > 0)
