"""A round's totals exactly and its value flows' tables from a sample (off by default).

The one-pass kernel (:mod:`.respond_flows`) adds some 57 products per council
into the flows' goods × goods tables against the response's 11, so a round of
the default rule costs about twice a Pequod round. The tables only feed the
rule's Jacobian model, which its secant pairs correct; for a population whose
``sampled_flows_from`` is at most its number of councils they are estimated from
a deterministic sample of about one producer in :data:`SAMPLE_STEP`, in the same
single pass over the councils:

- the response (supply, demand, each council's revenue) is exact, bit for bit a
  plain response's (the same chunks, councils in the same order), and so are the
  per-good sums (``Σ r``, ``Σ r (w − 1)``, ``Σ r w'``, up to rounding);
- the tables by output and of input pairs come from a systematic sample
  proportional to ``r w`` within each good's producers, in the councils' order:
  a council at least one step ``τ_g`` big is taken whole, the others each stand
  for ``τ_g`` of ``r w`` (weight ``τ_g / (r w)``); ``τ_g`` is set from a pilot of
  about one council in :data:`PILOT` (:func:`pilot_rows`, :func:`steps`) so that
  about ``n_g / SAMPLE_STEP`` of good ``g``'s ``n_g`` producers are drawn; goods
  with fewer producers than :data:`DRAWS` draws' worth are taken whole; the
  spending table's columns are scaled to the exact input totals, so the demand
  values the model divides by are exact.

The sample is drawn anew from each round's revenues, so it depends on the prices
only. Measured 2026-12-02 on DEP-like economies (``benchmarks/bench_engine.py``'s
economies, one thread, load average 1.3–2.2 on 2 cores): an ``informed`` round
cost 1.67–1.70 ``pequod`` rounds at 600,000 councils (2.14–2.15 with the full
tables) and 1.56–1.58 at 6,000,000 (2.07–2.09); the model's tables within about
1% (Frobenius) of the full ones. From seven starts (opening prices, ×10, ×0.1,
``e^N(0, 1)`` two seeds, ``e^N(0, 2)``, unequal workplace sizes) the rule took
the same rounds to 3% and to 0.1% at 600,000 councils (two economies), but at
6,000,000 one start (×10) took 3 rounds to 3% instead of 2. Neither issue 9's
target (1.5) nor its condition (no round lost) is met, so :data:`SAMPLE_FROM`
keeps it off. ``benchmarks/study_sampled_tables.py`` compares sampling designs
(every m-th producer of each good loses 2–4 times the rounds).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parecon.engine.kernels.cobb_douglas import CHUNKS, compile_kernel

__all__ = [
    "DRAWS",
    "SAMPLE_FROM",
    "SAMPLE_STEP",
    "draws",
    "pilot_rows",
    "sampled_flows_kernel",
    "steps",
]

FloatArray = NDArray[np.float64]

SAMPLE_FROM = 2**62
"""Councils in a block from which its flows' tables are sampled by default: never
(see the module); a population's ``sampled_flows_from`` (e.g. 150,000) turns it on."""
SAMPLE_STEP = 4
"""About one producer in this many is drawn for the tables."""
DRAWS = 1000
"""Goods with fewer producers than this many draws' worth are taken whole."""
_REFINEMENTS = 3
PILOT = 16
"""About one council in this many (:func:`pilot_rows`) sets the sample's steps."""
_RUN = 64


def _pilot_source(prange: Any) -> Callable[..., None]:
    """``r w`` of the pilot's councils ``rows`` (to set the sample's steps)."""

    def pilot(
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
        rows: Any,
        sizes: Any,
    ) -> None:
        m = sizes.shape[0]
        for k in prange(m):
            j = rows[k]
            acc = 0.0
            for q in range(indptr[j], indptr[j + 1]):
                acc += data[q] * log_p[indices[q]]
            out = output[j]
            z = np.exp(kappa[j] + own[j] * log_p[out] - acc * scale[j])
            mg = margin[j]
            raw = mg - gamma
            floor = 0.1 * mg
            w = 1.0 / floor if mg > 0 and raw < floor else 1.0 / raw
            sizes[k] = prices[out] * z * w

    return pilot


def _source(prange: Any) -> Callable[..., None]:
    """The exact response and per-good sums and the sampled tables in one pass, into
    the zeroed accumulators the caller passes (``position``: each chunk's and
    good's running sum of ``r w / τ``, from one half)."""

    def respond_sampled_flows(
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
        tau: Any,
        revenues: Any,
        supply: Any,
        spend: Any,
        per_good: Any,
        position: Any,
        by_output: Any,
        pairs: Any,
    ) -> None:
        n = kappa.shape[0]
        flow_chunks = by_output.shape[0]
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
                    for q in range(start, stop):
                        spend[chunk, indices[q]] += data[q] * revenue
                    mg = margin[j]
                    raw = mg - gamma
                    floor = 0.1 * mg
                    if mg > 0 and raw < floor:
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
                    t = tau[out]
                    if rw < t:
                        # systematic: drawn where the running sum crosses a whole step
                        before = position[fc, out]
                        after = before + rw / t
                        position[fc, out] = after
                        if np.floor(after) == np.floor(before):
                            continue
                        mult = t / rw
                        revenue *= mult
                        rw *= mult
                        rww *= mult
                    made = by_output[fc, out]
                    for q1 in range(start, stop):
                        i = indices[q1]
                        bi = data[q1]
                        made[i, 0] += revenue * bi
                        rwb = rw * bi
                        rwwb = rww * bi
                        made[i, 1] += rwb
                        made[i, 2] += rwwb
                        row = pairs[fc, i]
                        row[i, 0] += 0.5 * rwb * bi
                        row[i, 1] += 0.5 * rwwb * bi
                        for q2 in range(q1 + 1, stop):
                            col = indices[q2]
                            bl = data[q2]
                            row[col, 0] += rwb * bl
                            row[col, 1] += rwwb * bl

    return respond_sampled_flows


def draws(producers: FloatArray) -> FloatArray:
    """Councils to draw per good from its ``producers``: one in :data:`SAMPLE_STEP`,
    or all of them where that would be fewer than :data:`DRAWS`."""
    out: FloatArray = np.where(producers >= SAMPLE_STEP * DRAWS, producers / SAMPLE_STEP, producers)
    return out


def pilot_rows(n: int) -> NDArray[np.intp]:
    """About one council in :data:`PILOT`: runs of 64 consecutive councils drawn by
    a fixed hash of the run's position (not every k-th council: a block's councils
    may cycle through goods, and a stride sharing a factor with the cycle would
    never see some goods; runs read their councils' rows in order)."""
    runs = np.arange((n + _RUN - 1) // _RUN, dtype=np.uint64)
    hashed = (runs * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    chosen = np.flatnonzero(hashed < np.uint64(2**32 // PILOT))
    rows: NDArray[np.intp] = (chosen[:, None] * _RUN + np.arange(_RUN)).ravel()
    return rows[rows < n]


def steps(
    sizes: FloatArray, goods: NDArray[np.intp], producers: FloatArray, draws: FloatArray
) -> FloatArray:
    """Each good's step ``τ_g`` from the pilot's ``sizes`` (``r w`` of councils
    producing ``goods``), for about ``draws[g]`` of the good's ``producers[g]``
    councils: councils at least one step big are taken whole, the others share the
    remaining draws (refined :data:`_REFINEMENTS` times). Zero (every producer
    taken whole) where all are drawn or the pilot saw none."""
    n_goods = producers.shape[0]
    total = np.bincount(goods, sizes, minlength=n_goods)
    seen = np.bincount(goods, minlength=n_goods).astype(np.float64)
    sampled = (seen > 0) & (draws < producers)
    # in the pilot's scale: a pilot council stands for producers / seen councils
    wanted = np.where(sampled, draws * seen / np.maximum(producers, 1.0), 1.0)
    tau = np.where(sampled, total / wanted, 0.0)
    for _ in range(_REFINEMENTS):
        big = sizes >= tau[goods]
        rest = total - np.bincount(goods[big], sizes[big], minlength=n_goods)
        left = wanted - np.bincount(goods[big], minlength=n_goods)
        tau = np.where(sampled, np.maximum(rest, 0.0) / np.maximum(left, 1.0), 0.0)
    result: FloatArray = tau
    return result


@cache
def sampled_flows_kernel() -> Callable[..., tuple[FloatArray, ...]] | None:
    """The kernels, or None without Numba: called like
    :func:`.respond_flows.respond_flows_kernel` plus ``producers`` (each good's
    number of producers in the block) and the pilot's ``rows``, it returns the same
    five arrays, the tables estimated (see the module), for :func:`.fold`."""
    kernel = compile_kernel(_source)
    pilot = compile_kernel(_pilot_source)
    if kernel is None or pilot is None:
        return None

    def respond_sampled_flows(
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
        producers: FloatArray,
        rows: NDArray[np.intp],
        threads: bool = True,
    ) -> tuple[FloatArray, ...]:
        sizes = np.empty(rows.shape[0])
        common = (indptr, indices, data, kappa, own, scale, output, log_p, prices, margin)
        pilot(*common, gamma, rows, sizes, threads=threads)
        tau = steps(sizes, output[rows], producers, draws(producers))
        supply = np.zeros((CHUNKS, n_goods))
        spend = np.zeros((CHUNKS, n_goods))
        per_good = np.zeros((flow_chunks, n_goods, 3))
        position = np.full((flow_chunks, n_goods), 0.5)
        by_output = np.zeros((flow_chunks, n_goods, n_goods, 3))
        pairs = np.zeros((flow_chunks, n_goods, n_goods, 2))
        kernel(
            *common, gamma, tau, revenues, supply, spend, per_good, position, by_output, pairs,
            threads=threads,
        )  # fmt: skip
        spent = spend.sum(axis=0)
        drawn = by_output[:, :, :, 0].sum(axis=(0, 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            by_output[:, :, :, 0] *= np.where(drawn > 0, spent / drawn, 0.0)
        return supply.sum(axis=0), spent / prices, per_good, by_output, pairs

    return respond_sampled_flows
