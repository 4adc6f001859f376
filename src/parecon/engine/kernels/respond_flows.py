"""One pass over worker councils for a round's totals *and* its value flows (Numba).

A rule that reads value flows (``informed``) used to pay two passes over the
councils' inputs each round: the response (:func:`~.cobb_douglas.fused_kernel`)
and then the flows (:func:`~.cobb_douglas.flow_sums`), the second with the
per-council weights ``r``, ``r w``, ``r w'`` built by NumPy in between (a
handful more passes over the councils). Here each council's row is read once:
its ``ln z``, revenue and effort weights are computed in registers and added
into both the response's accumulators and the flows' tables.

The response is accumulated exactly as :func:`~.cobb_douglas.fused_kernel`
does (the same :data:`~.cobb_douglas.CHUNKS` chunks, councils in the same
order), so the round's totals are bit-identical to a plain response; the
flows' tables have their own, fewer, accumulators (a table is goods × goods),
each shared by consecutive response chunks. Neither depends on the number of
threads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parecon.engine.kernels.cobb_douglas import CHUNKS, compile_kernel

__all__ = ["MAX_GOODS", "flow_chunks", "fold", "respond_flows_kernel"]

FloatArray = NDArray[np.float64]

MAX_GOODS = 128
"""Above this many goods the flows' (goods × goods) tables outgrow the caches and
separate bincounts are faster (the population then makes two passes)."""


def _source(prange: Any) -> Callable[..., None]:
    """Adds a round's totals and tables, by chunk, into the zeroed accumulators
    the caller passes (:func:`respond_flows_kernel`; why: :func:`.compile_kernel`)."""

    def respond_flows(
        indptr: Any,
        indices: Any,
        data: Any,
        kappa: Any,
        own: Any,
        scale: Any,
        output: Any,
        log_p: Any,
        prices: Any,
        margin: Any,
        gamma: float,
        revenues: Any,
        supply: Any,
        spend: Any,
        per_good: Any,
        by_output: Any,
        pairs: Any,
        read_w: Any,
    ) -> None:
        n = kappa.shape[0]
        has_read = read_w.shape[0] > 0
        flow_chunks = per_good.shape[0]
        step = (n + CHUNKS - 1) // CHUNKS
        per = CHUNKS // flow_chunks
        for fc in prange(flow_chunks):
            for chunk in range(fc * per, (fc + 1) * per):
                lo = chunk * step
                hi = min(n, lo + step)
                for j in range(lo, hi):
                    start, stop = indptr[j], indptr[j + 1]
                    acc = 0.0
                    for q in range(start, stop):
                        acc += data[q] * log_p[indices[q]]
                    out = output[j]
                    z = np.exp(kappa[j] + own[j] * log_p[out] - acc * scale[j])
                    supply[chunk, out] += z
                    revenue = prices[out] * z
                    revenues[j] = revenue
                    # effort_weights() for one council
                    mg = margin[j]
                    raw = mg - gamma
                    floor = 0.1 * mg
                    if has_read and read_w[j] > 0:
                        w = read_w[j]
                        ww = 0.0
                    elif mg > 0 and raw < floor:
                        w = 1.0 / floor
                        ww = 0.0
                    else:
                        w = 1.0 / raw
                        ww = w * w
                    rw = revenue * w
                    rww = revenue * ww
                    per_good[fc, out, 0] += revenue
                    per_good[fc, out, 1] += rw - revenue
                    per_good[fc, out, 2] += rww
                    made = by_output[fc, out]
                    for q1 in range(start, stop):
                        i = indices[q1]
                        bi = data[q1]
                        spend[chunk, i] += bi * revenue
                        made[i, 0] += revenue * bi
                        rwb = rw * bi
                        rwwb = rww * bi
                        made[i, 1] += rwb
                        made[i, 2] += rwwb
                        # symmetric: the diagonal halved and the upper triangle,
                        # mirrored when the tables are folded
                        row = pairs[fc, i]
                        row[i, 0] += 0.5 * rwb * bi
                        row[i, 1] += 0.5 * rwwb * bi
                        for q2 in range(q1 + 1, stop):
                            col = indices[q2]
                            bl = data[q2]
                            row[col, 0] += rwb * bl
                            row[col, 1] += rwwb * bl

    return respond_flows


@cache
def respond_flows_kernel() -> Callable[..., tuple[FloatArray, ...]] | None:
    """The compiled kernel, or None without Numba: called with the economy's
    arrays, ``γ``, ``n_goods``, the number of flow chunks and ``revenues`` (and
    ``read_w=``, each council's ``w`` where its returns were read, 0 elsewhere, and
    ``threads=``), it returns the round's supply and demand and the per-chunk
    tables (per good produced: ``r``, ``r (w − 1)``, ``r w'``, weights innermost;
    by output; input pairs' upper triangle) that :func:`fold` sums."""
    kernel = compile_kernel(_source)
    if kernel is None:
        return None

    def respond_flows(
        indptr: Any,
        indices: Any,
        data: Any,
        kappa: Any,
        own: Any,
        scale: Any,
        output: Any,
        log_p: Any,
        prices: FloatArray,
        margin: Any,
        gamma: float,
        n_goods: int,
        flow_chunks: int,
        revenues: Any,
        read_w: Any = None,
        threads: bool = True,
    ) -> tuple[FloatArray, ...]:
        supply = np.zeros((CHUNKS, n_goods))
        spend = np.zeros((CHUNKS, n_goods))
        per_good = np.zeros((flow_chunks, n_goods, 3))
        by_output = np.zeros((flow_chunks, n_goods, n_goods, 3))
        pairs = np.zeros((flow_chunks, n_goods, n_goods, 2))
        kernel(
            indptr, indices, data, kappa, own, scale, output, log_p, prices, margin, gamma,
            revenues, supply, spend, per_good, by_output, pairs,
            np.empty(0) if read_w is None else read_w, threads=threads,
        )  # fmt: skip
        demand: FloatArray = spend.sum(axis=0) / prices
        return supply.sum(axis=0), demand, per_good, by_output, pairs

    return respond_flows


def flow_chunks(pair_count: int, n_goods: int) -> int:
    """Accumulators for the flows' tables: a power of two dividing ``CHUNKS``, as
    many as the councils' input pairs outnumber a set of tables' cells 64 times
    (folding more tables than that costs more than the threads save)."""
    cells = 5 * n_goods * n_goods
    chunks = 1
    while chunks < CHUNKS and pair_count >= 64 * cells * 2 * chunks:
        chunks *= 2
    return chunks


def fold(
    per_good: FloatArray, by_output: FloatArray, pairs: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sum the per-chunk tables: ``per_good`` (3, goods), ``by_output`` (3, goods,
    goods) and ``pairs`` (2, goods, goods) with the upper triangle mirrored."""
    goods: FloatArray = np.ascontiguousarray(per_good.sum(axis=0).T)
    out: FloatArray = np.ascontiguousarray(by_output.sum(axis=0).transpose(2, 0, 1))
    half = pairs.sum(axis=0).transpose(2, 0, 1)
    sym: FloatArray = half + half.transpose(0, 2, 1)
    return goods, out, sym
