"""Aggregating members' ratings of tasks on the empowerment and desirability scales.

The median per task resists a few extreme raters; the spread (interquartile
range) is published with it so a council sees where members disagree, and
individual ratings far from the median are flagged for a conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import ValidationError
from parecon.work.workplace import FloatArray

__all__ = ["OUTLIER_POINTS", "TaskRatingSummary", "aggregate_task_ratings"]

OUTLIER_POINTS = 6.0


@dataclass(frozen=True, eq=False)
class TaskRatingSummary:
    """median, q1, q3, spread (q3 − q1), count : ndarray of shape (n_tasks,).
    outliers : bool ndarray of shape (n_raters, n_tasks), ratings more than
    ``max(OUTLIER_POINTS, 3 × MAD)`` from the task's median."""

    median: FloatArray
    q1: FloatArray
    q3: FloatArray
    spread: FloatArray
    count: NDArray[np.int64]
    outliers: NDArray[np.bool_]


def aggregate_task_ratings(ratings: FloatArray) -> TaskRatingSummary:
    """Median per task of ``ratings`` (n_raters, n_tasks) on 1–20; NaN means not rated."""
    r = np.asarray(ratings, dtype=np.float64)
    if r.ndim != 2:
        raise ValidationError(f"ratings must be (n_raters, n_tasks), got shape {r.shape}")
    seen = ~np.isnan(r)
    bad = seen & ((r < 1) | (r > 20) | ~np.isfinite(np.where(seen, r, 0.0)))
    if bad.any():
        i, t = (int(k) for k in np.argwhere(bad)[0])
        raise ValidationError(
            f"rating must be within 1–20 (got {r[i, t]:g})", f"rater {i}, task {t}"
        )
    count = seen.sum(axis=0)
    if (count == 0).any():
        raise ValidationError("no one rated this task", f"task {int(np.argmin(count))}")
    q1, med, q3 = np.nanpercentile(r, [25, 50, 75], axis=0)
    mad = np.nanmedian(np.abs(r - med), axis=0)
    limit = np.maximum(OUTLIER_POINTS, 3 * mad)
    outliers = seen & (np.abs(np.where(seen, r, med) - med) > limit)
    return TaskRatingSummary(med, q1, q3, q3 - q1, count.astype(np.int64), outliers)
