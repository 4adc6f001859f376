"""Coworkers' ratings of each other's effort and sacrifice, aggregated robustly.

``ratings[i, j]`` is rater ``i``'s rating of ratee ``j`` (1–20, NaN when not
rated; self-ratings are refused). Raters differ in leniency, and a few may
collude, so the default aggregation is a *rater-centred median* (Tukey's
median polish of ``rating = overall + rater leniency + ratee effort``): each
rater's leniency is their median residual, removed before the ratee's
median is taken. A lenient or severe rater then shifts nobody, and a clique
of three inflating each other moves each member's median by at most a
couple of order statistics out of the (at least five) raters. ``"mean"``
is the plain average, kept for comparison.

Only distributions are published (count and quartiles of the centred
ratings per ratee), never who rated whom how.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import ValidationError
from parecon.work.workplace import FloatArray

__all__ = ["MIN_RATERS", "EffortScores", "aggregate_effort"]

MIN_RATERS = 5


@dataclass(frozen=True, eq=False)
class EffortScores:
    """score : ndarray (n_people,), aggregated effort on the rating scale.
    intensity : ndarray (n_people,), ``score / mean(score)`` (mean 1).
    leniency : ndarray (n_people,), each rater's estimated offset.
    distribution : ndarray (n_people, 5), min, q1, median, q3, max of the
        rater-centred ratings each person received.
    count : ndarray (n_people,), raters per person; ``few_raters`` flags
        anyone below ``min(MIN_RATERS, n_people − 1)``."""

    score: FloatArray
    intensity: FloatArray
    leniency: FloatArray
    distribution: FloatArray
    count: NDArray[np.int64]
    few_raters: NDArray[np.bool_]
    method: str


def aggregate_effort(
    ratings: FloatArray,
    *,
    method: str = "centred_median",
    iterations: int = 20,
    names: Sequence[str] | None = None,
) -> EffortScores:
    """Effort scores from ``ratings`` of shape (n_people, n_people); see the module docstring.

    ``names`` (length n_people) are used in error messages (default: positions).
    """
    r = np.array(ratings, dtype=np.float64)
    if r.ndim != 2 or r.shape[0] != r.shape[1]:
        raise ValidationError(f"effort ratings must be square (rater × ratee), got {r.shape}")
    n = r.shape[0]
    if names is not None and len(names) != n:
        raise ValidationError(f"names has {len(names)} entries for {n} people")

    def who(k: int) -> str:
        return f"{names[k]!r}" if names is not None else str(k)

    seen = ~np.isnan(r)
    if seen[np.arange(n), np.arange(n)].any():
        i = int(np.flatnonzero(seen[np.arange(n), np.arange(n)])[0])
        raise ValidationError("self-ratings are not allowed", f"person {who(i)}")
    bad = seen & ((r < 1) | (r > 20) | np.isinf(r))
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValidationError(
            f"rating must be within 1–20 (got {r[i, j]:g})", f"rater {who(i)}, ratee {who(j)}"
        )
    count = seen.sum(axis=0)
    if (count == 0).any():
        raise ValidationError("no one rated this person", f"person {who(int(np.argmin(count)))}")
    if method == "mean":
        score = np.nanmean(r, axis=0)
        leniency = np.zeros(n)
    elif method == "centred_median":
        overall = float(np.nanmedian(r))
        leniency = np.zeros(n)
        effect = np.zeros(n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # raters who rated no one
            for _ in range(iterations):
                leniency = np.nan_to_num(np.nanmedian(r - overall - effect[None, :], axis=1))
                effect = np.nanmedian(r - overall - leniency[:, None], axis=0)
        score = overall + effect
    else:
        raise ValidationError(f"unknown method {method!r}; use 'centred_median' or 'mean'")
    score = np.clip(score, 1.0, 20.0)
    centred = r - leniency[:, None]
    distribution = np.nanpercentile(centred, [0, 25, 50, 75, 100], axis=0).T
    few = count < min(MIN_RATERS, n - 1)
    return EffortScores(
        score, score / score.mean(), leniency, distribution, count.astype(np.int64), few, method
    )
