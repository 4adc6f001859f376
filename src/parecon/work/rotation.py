"""A rotation over a cycle of weeks: whole shifts each week that track the complexes.

Balanced complexes may ask for, say, 2.5 shifts a week of a task (from an
LP, or from averaging complexes over a cycle). The rotation hands out each
task's weekly shifts, one at a time, to whoever is furthest behind their
cumulative target (a largest-deficit, Tijdeman-style apportionment), so at
every week ``w`` each person's cumulative shifts of each task are within
one shift of ``w × target``; over the cycle the averages match the
complexes within one shift. Integer targets give the same week every week.
"""

from __future__ import annotations

import numpy as np

from parecon.exceptions import ValidationError
from parecon.work.workplace import FloatArray

__all__ = ["rotation"]


def rotation(target: FloatArray, shifts_per_week: FloatArray, n_weeks: int) -> FloatArray:
    """Whole shifts per week, shape (n_weeks, n_people, n_tasks).

    Parameters
    ----------
    target : ndarray of shape (n_people, n_tasks)
        Average shifts per week of each task for each person (>= 0); each
        column must sum to the task's ``shifts_per_week``.
    shifts_per_week : ndarray of shape (n_tasks,)
        Whole shifts each task needs every week.
    n_weeks : int
        Length of the cycle (>= 1).
    """
    target = np.asarray(target, dtype=np.float64)
    need = np.asarray(shifts_per_week, dtype=np.float64)
    if n_weeks < 1:
        raise ValidationError(f"n_weeks must be >= 1 (got {n_weeks})")
    if target.ndim != 2 or need.shape != (target.shape[1],):
        raise ValidationError("target must be (n_people, n_tasks) and shifts_per_week (n_tasks,)")
    if (target < -1e-9).any() or not np.isfinite(target).all():
        raise ValidationError("target shifts must be finite and >= 0")
    if not np.allclose(target.sum(axis=0), need, atol=1e-6):
        t = int(np.argmax(np.abs(target.sum(axis=0) - need)))
        raise ValidationError(
            f"task {t}: targets sum to {target[:, t].sum():g} shifts but it needs {need[t]:g}"
        )
    n_p, n_t = target.shape
    out = np.zeros((n_weeks, n_p, n_t))
    given = np.zeros((n_p, n_t))
    for t in range(n_t):
        who = np.flatnonzero(target[:, t] > 1e-12)
        if who.size == 0:
            continue
        rate = target[who, t]
        got = np.zeros(who.size)
        for w in range(n_weeks):
            deficit = (w + 1) * rate - got
            for _ in range(round(float(need[t]))):
                j = int(np.argmax(deficit))
                deficit[j] -= 1.0
                got[j] += 1.0
                out[w, who[j], t] += 1.0
        given[who, t] = got
    return out
