"""Fused, parallel kernels for Cobb-Douglas worker councils (optional, via Numba).

SciPy's two sparse products read every input exponent twice and spend most of
their time on index arithmetic, not on memory. This kernel reads each
council's row once: it computes ``ln z``, ``z`` and the council's revenue,
and adds its input demand and output supply into per-chunk accumulators,
which are summed at the end. The councils are cut into a fixed number of
chunks, so results do not depend on the number of threads.

Used only where it pays (large populations) and only when Numba is
installed (extra ``fast``); otherwise the SciPy path computes the same totals.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CHUNKS",
    "MIN_NONZEROS",
    "compile_kernel",
    "flow_sums",
    "fused_kernel",
    "input_pair_sums",
]

FloatArray = NDArray[np.float64]

CHUNKS = 32
"""Fixed number of council chunks (and accumulators)."""
MIN_NONZEROS = 1_000_000
"""Below this many input exponents the SciPy path is as fast and needs no compiling."""


def _kernel_source(prange: Any) -> Callable[..., None]:
    """Totals of a round, by chunk, added into ``supply`` and ``spend`` (each
    (``CHUNKS``, goods), zeroed by the caller: see :func:`compile_kernel`); each
    council's revenue is written into ``revenues`` (the value flows of the same
    round reuse it instead of a second pass)."""

    def respond(
        indptr: Any,
        indices: Any,
        data: Any,
        kappa: Any,
        own: Any,
        scale: Any,
        output: Any,
        log_p: Any,
        prices: Any,
        revenues: Any,
        supply: Any,
        spend: Any,
    ) -> None:
        n = kappa.shape[0]
        step = (n + CHUNKS - 1) // CHUNKS
        for chunk in prange(CHUNKS):
            lo = chunk * step
            hi = min(n, lo + step)
            for j in range(lo, hi):
                acc = 0.0
                for q in range(indptr[j], indptr[j + 1]):
                    acc += data[q] * log_p[indices[q]]
                out = output[j]
                z = np.exp(kappa[j] + own[j] * log_p[out] - acc * scale[j])
                supply[chunk, out] += z
                revenue = prices[out] * z
                revenues[j] = revenue
                for q in range(indptr[j], indptr[j + 1]):
                    spend[chunk, indices[q]] += data[q] * revenue

    return respond


def may_use_threads() -> bool:
    """Whether a kernel may start its own threads here.

    Only in the main thread of the main process: under an executor (threads,
    worker processes, Dask workers) the shards already run in parallel, and
    Numba's OpenMP layer aborts a process forked after it started threads.
    """
    return (
        multiprocessing.parent_process() is None
        and threading.current_thread() is threading.main_thread()
    )


def compile_kernel(source: Callable[[Any], Callable[..., Any]]) -> Callable[..., Any] | None:
    """``source``'s kernel compiled by Numba, or None when Numba is not installed.

    Two compilations of the same loops: parallel (``prange``) where
    :func:`may_use_threads`, serial elsewhere; each has its own cache entry.

    The kernels allocate nothing and reduce nothing: their callers pass zeroed
    accumulators and sum the chunks with NumPy. In a parallel Numba function every
    array expression (``np.zeros``, ``.sum``) is a parallel region of its own, and
    each region ends at a barrier that waits for every thread of the team; on a
    machine shared with other jobs a thread the system has put aside holds up each
    barrier (measured at 600,000 councils on 2 busy cores: the one-pass kernel
    with its seven regions took 72 ms, with one 33 ms; the response 28 ms with
    five and, serially, 24 ms). NumPy sums the chunks row after row, as Numba did,
    so the totals are the same to the bit.
    """
    try:
        import numba
    except ImportError:
        return None
    serial_source = source(range)
    serial_source.__qualname__ += "_serial"
    parallel = numba.njit(parallel=True, cache=True, nogil=True)(source(numba.prange))
    serial = numba.njit(cache=True, nogil=True)(serial_source)

    def run(*args: Any, threads: bool = True) -> Any:
        # ``threads=False``: one chunk of work, where waking a thread team only costs
        return (parallel if threads and may_use_threads() else serial)(*args)

    return run


@cache
def fused_kernel() -> Callable[..., tuple[FloatArray, FloatArray]] | None:
    """The compiled kernel, or None when Numba is not installed: called with the
    economy's arrays, ``n_goods`` and ``revenues`` (and ``threads=``), it returns
    the round's supply and demand."""
    kernel = compile_kernel(_kernel_source)
    if kernel is None:
        return None

    def respond(
        indptr: Any,
        indices: Any,
        data: Any,
        kappa: Any,
        own: Any,
        scale: Any,
        output: Any,
        log_p: Any,
        prices: FloatArray,
        n_goods: int,
        revenues: Any,
        threads: bool = True,
    ) -> tuple[FloatArray, FloatArray]:
        supply = np.zeros((CHUNKS, n_goods))
        spend = np.zeros((CHUNKS, n_goods))
        kernel(
            indptr, indices, data, kappa, own, scale, output, log_p, prices, revenues,
            supply, spend, threads=threads,
        )  # fmt: skip
        demand: FloatArray = spend.sum(axis=0) / prices
        return supply.sum(axis=0), demand

    return respond


def _pairs_source(prange: Any) -> Callable[..., None]:
    def pairs(indptr: Any, indices: Any, data: Any, weights: Any, out: Any) -> None:
        m, n = weights.shape
        chunks = out.shape[0]
        step = (n + chunks - 1) // chunks
        for chunk in prange(chunks):
            lo = chunk * step
            hi = min(n, lo + step)
            for j in range(lo, hi):
                for q1 in range(indptr[j], indptr[j + 1]):
                    i = indices[q1]
                    bi = data[q1]
                    for q2 in range(indptr[j], indptr[j + 1]):
                        prod = bi * data[q2]
                        col = indices[q2]
                        for k in range(m):
                            out[chunk, k, i, col] += weights[k, j] * prod

    return pairs


@cache
def _pairs_kernel() -> Callable[..., FloatArray] | None:
    """``(indptr, indices, data, weights, n_goods, chunks)`` → the pairs' sums, (m,
    goods, goods), from ``chunks`` accumulators; None without Numba."""
    kernel = compile_kernel(_pairs_source)
    if kernel is None:
        return None

    def pairs(
        indptr: Any,
        indices: Any,
        data: Any,
        weights: FloatArray,
        n_goods: int,
        chunks: int,
        threads: bool = True,
    ) -> FloatArray:
        out = np.zeros((chunks, weights.shape[0], n_goods, n_goods))
        kernel(indptr, indices, data, weights, out, threads=threads)
        total: FloatArray = out.sum(axis=0)
        return total

    return pairs


def input_pair_sums(inputs: Any, weights: FloatArray) -> FloatArray:
    """``Σ_j w_kj b_ji b_jl`` for each row ``k`` of ``weights``: shape (m, n_goods, n_goods).

    ``inputs`` is the (n_councils, n_goods) CSR matrix of exponents ``b``;
    ``weights`` has shape (m, n_councils). With Numba one pass over the
    councils (each council's input pairs); otherwise SciPy's ``Bᵀ diag(w) B``.
    """
    n_goods = int(inputs.shape[1])
    kernel = _pairs_kernel()
    if kernel is not None and n_goods <= 2000:
        # Parallel chunks each need an (m, goods, goods) accumulator: worth it only
        # when the councils' input pairs far outnumber the accumulator's cells.
        pair_count = int((np.diff(inputs.indptr).astype(np.int64) ** 2).sum())
        cells = weights.shape[0] * n_goods * n_goods
        chunks = 4 if pair_count > 16 * cells else 1
        result: FloatArray = kernel(
            inputs.indptr,
            inputs.indices,
            inputs.data,
            np.ascontiguousarray(weights),
            n_goods,
            chunks,
            threads=chunks > 1,
        )
        return result
    import scipy.sparse as sp

    bt = sp.csr_array(inputs.T)
    return np.stack([(bt @ sp.csr_array(sp.diags_array(w) @ inputs)).toarray() for w in weights])


_FUSED_FLOWS_MAX_GOODS = 128
_THREADED_PAIRS = 4_000_000
"""Below this many input pairs a thread team costs more than it saves (measured:
30,000 councils took 4 ms serially and 100 ms in parallel on a busy 2-core machine)."""


def _flows_source(prange: Any) -> Callable[..., None]:
    def flows(
        indptr: Any,
        indices: Any,
        data: Any,
        output: Any,
        weights: Any,
        first_pair: int,
        by_output: Any,
        pairs: Any,
    ) -> None:
        m, n = weights.shape
        mp = m - first_pair
        chunks = by_output.shape[0]
        step = (n + chunks - 1) // chunks
        for chunk in prange(chunks):
            lo = chunk * step
            hi = min(n, lo + step)
            w = np.empty(m)
            for j in range(lo, hi):
                g = output[j]
                for k in range(m):
                    w[k] = weights[k, j]
                start, stop = indptr[j], indptr[j + 1]
                for q1 in range(start, stop):
                    i = indices[q1]
                    bi = data[q1]
                    for k in range(m):
                        by_output[chunk, g, i, k] += w[k] * bi
                    # the pairs are symmetric: the upper triangle of the council's
                    # inputs only, mirrored when the chunks are summed
                    for q2 in range(q1, stop):
                        col = indices[q2]
                        prod = bi * data[q2]
                        if q2 == q1:
                            prod *= 0.5
                        for k in range(mp):
                            pairs[chunk, i, col, k] += w[first_pair + k] * prod

    return flows


def _fold(by_output: FloatArray, pairs: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sum the kernel's per-chunk accumulators, weight index first, and mirror the
    pairs' upper triangle (in NumPy: array expressions in a parallel Numba
    function each become a parallel region of their own)."""
    out: FloatArray = np.ascontiguousarray(by_output.sum(axis=0).transpose(2, 0, 1))
    half = pairs.sum(axis=0).transpose(2, 0, 1)
    sym: FloatArray = half + half.transpose(0, 2, 1)
    return out, sym


@cache
def _flows_kernel() -> Callable[..., tuple[FloatArray, FloatArray]] | None:
    """``(indptr, indices, data, output, weights, first_pair, n_goods, chunks)`` → the
    per-chunk ``by_output`` and ``pairs`` (weight index innermost) that :func:`_fold`
    sums; None without Numba."""
    kernel = compile_kernel(_flows_source)
    if kernel is None:
        return None

    def flows(
        indptr: Any,
        indices: Any,
        data: Any,
        output: Any,
        weights: FloatArray,
        first_pair: int,
        n_goods: int,
        chunks: int,
        threads: bool = True,
    ) -> tuple[FloatArray, FloatArray]:
        # the weight index innermost: each council's few weights are adjacent in memory
        m = weights.shape[0]
        by_output = np.zeros((chunks, n_goods, n_goods, m))
        pairs = np.zeros((chunks, n_goods, n_goods, m - first_pair))
        kernel(
            indptr, indices, data, output, weights, first_pair, by_output, pairs, threads=threads
        )
        return by_output, pairs

    return flows


def flow_sums(
    inputs: Any, output: Any, weights: FloatArray, first_pair: int
) -> tuple[FloatArray, FloatArray]:
    """Both sums a worker population's value flows need, in one pass over its councils.

    ``by_output[k, g, i] = Σ_{j produces g} w_kj b_ji`` for every row of ``weights``
    (shape (m, n_councils)) and ``pairs[k − first_pair] = Σ_j w_kj b_ji b_jl`` for the
    rows from ``first_pair`` on. Without Numba, or with many goods (where the fused
    pass's scattered writes into m (goods × goods) tables cost more than separate
    bincounts), bincounts and :func:`input_pair_sums`.
    """
    n_goods = int(inputs.shape[1])
    weights = np.ascontiguousarray(weights)
    kernel = _flows_kernel()
    if kernel is not None and n_goods <= _FUSED_FLOWS_MAX_GOODS:
        pair_count = int((np.diff(inputs.indptr).astype(np.int64) ** 2).sum())
        cells = weights.shape[0] * n_goods * n_goods
        # one accumulator per chunk: as many chunks (threads) as the councils'
        # input pairs outnumber an accumulator's cells 16 times, up to CHUNKS
        chunks = int(min(CHUNKS, max(1, pair_count // (16 * cells))))
        by_output, pairs = kernel(
            inputs.indptr,
            inputs.indices,
            inputs.data,
            output,
            weights,
            first_pair,
            n_goods,
            chunks,
            threads=pair_count >= _THREADED_PAIRS,
        )
        return _fold(by_output, pairs)
    rows = np.repeat(np.arange(weights.shape[1]), np.diff(inputs.indptr))
    cell = output[rows] * n_goods + inputs.indices
    by_output = np.stack(
        [
            np.bincount(cell, w[rows] * inputs.data, minlength=n_goods * n_goods)
            .reshape(n_goods, n_goods)
            .astype(np.float64, copy=False)
            for w in weights
        ]
    )
    return by_output, input_pair_sums(inputs, weights[first_pair:])
