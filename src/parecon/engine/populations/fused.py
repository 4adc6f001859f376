"""A fused, parallel kernel for worker councils' round (optional, via Numba).

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

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from parecon.engine.populations.base import FloatArray

__all__ = ["CHUNKS", "MIN_NONZEROS", "fused_kernel"]

CHUNKS = 32
"""Fixed number of council chunks (and accumulators)."""
MIN_NONZEROS = 1_000_000
"""Below this many input exponents the SciPy path is as fast and needs no compiling."""


def _kernel_source(prange: Any) -> Callable[..., tuple[FloatArray, FloatArray]]:
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
        n_goods: int,
    ) -> tuple[FloatArray, FloatArray]:
        n = kappa.shape[0]
        supply = np.zeros((CHUNKS, n_goods))
        spend = np.zeros((CHUNKS, n_goods))
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
                for q in range(indptr[j], indptr[j + 1]):
                    spend[chunk, indices[q]] += data[q] * revenue
        return supply.sum(axis=0), spend.sum(axis=0) / prices

    return respond


@cache
def fused_kernel() -> Callable[..., tuple[FloatArray, FloatArray]] | None:
    """The compiled kernel, or None when Numba is not installed."""
    try:
        import numba
    except ImportError:
        return None
    compiled: Callable[..., tuple[FloatArray, FloatArray]] = numba.njit(
        parallel=True, cache=True, nogil=True
    )(_kernel_source(numba.prange))
    return compiled
