"""Round a fractional assignment to whole shifts by two small, exact steps.

The LP relaxation's point ``x`` (shifts per qualified pair) meets every
task's shifts and every person's hours, but in fractions. Rounding it with
one MILP over every pair (:func:`parecon.work.repair.nearest_assignment`)
took about 115 CPU s at 1000 people and 200 tasks of 2, 4 and 8 h: the
hours rows ``Σ_t s_t X[i, t] = hours_i`` with mixed ``s_t`` are not a
network, so HiGHS branches. They are one only *within* a shift length, so
the rounding splits on it:

1. **Shifts per length.** For each person ``i`` and shift length ``ℓ``,
   ``n[i, ℓ]`` whole shifts of length ``ℓ`` with ``Σ_ℓ ℓ n[i, ℓ] = hours_i``
   and ``Σ_i n[i, ℓ]`` = every task's shifts of that length, nearest (in
   ``Σ |n − y|``) to the LP's ``y[i, ℓ] = Σ_{t of length ℓ} x[i, t]``: each
   person's exact-hours mixes are listed, the nearest few kept, and a
   multiple-choice MILP picks one per person, linked only by one row per
   length. Its LP relaxation is each person's convex hull, so HiGHS closes
   it at once (1.5 s at 1000 people; a MILP over the counts themselves,
   each person's row a knapsack, took 16 s at 500).
2. **Tasks within each length.** Person–length nodes supply ``n[i, ℓ]``
   shifts, tasks demand their shifts, arcs are the qualified pairs: a
   transportation problem, totally unimodular, so an optimal vertex of its
   LP (HiGHS dual simplex) is whole shifts. The cost is ``|X − x|`` per
   pair (convex, so three columns per pair: the LP's whole shifts at −1,
   the fractional one at ``1 − 2·frac``, any more at +1), dearer on tasks
   far from the means, with a tie-break towards preferred tasks; first over
   the LP's support and a few tasks near the means (3 s at 1000 people, 140
   s over all 170,000 pairs), then over every pair.

Both steps are deterministic (no clock, no randomness) and polynomial in
practice; step 1 has a node limit from the call's work. The result meets
hours, coverage and qualifications exactly, near the LP point, which sits
at the means; it still leaves many people outside the band (376 of 1000 on
the benchmark's case), which the swap search (:mod:`parecon.work.swaps`)
repairs. None when a step has no solution (the transportation's Hall
condition can fail after step 1 on small, sparse workplaces): then the
caller falls back to the MILP.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.work.solvers import SolverLimits
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["transport_round"]

PREFERENCE_TIE_BREAK = 1e-3
"""Cost per shift of a task's dispreference ((5 − preference) / 4), beside 1 per shift moved."""
TOL = 1e-6
MAX_MIXES = 20_000
"""Most shift-length mixes per hours owed (beyond, step 1 gives up and the MILP rounds)."""
CANDIDATES = 8
"""Each person's nearest shifts-per-length vectors the step-1 MILP chooses among."""
BAND_PULL = 4.0
"""How much dearer a shift moved on a task far from the means is (per standard deviation)."""
NEAR_TASKS = 6
"""Tasks per person and shift length, nearest the means, beside the LP's support in step 2
(four times as many if that has no solution, then every qualified pair)."""


def transport_round(
    wp: Workplace,
    pair_person: NDArray[np.intp],
    pair_task: NDArray[np.intp],
    x: FloatArray,
    *,
    limits: SolverLimits,
) -> FloatArray | None:
    """Whole shifts, shape (n_people, n_tasks), meeting hours and coverage, near ``x``.

    ``x[k]`` is the fractional shifts of person ``pair_person[k]`` on task
    ``pair_task[k]`` (the LP's pairs, every one qualified). None when either
    step finds no solution within ``limits`` (not a proof that none exists).
    """
    s = wp.shift_hours
    lengths, length_of = np.unique(s, return_inverse=True)
    n_len = lengths.size
    pi, pt = np.asarray(pair_person), np.asarray(pair_task)
    y = np.zeros((wp.n_people, n_len))
    np.add.at(y, (pi, length_of[pt]), x)
    room = _room(wp)
    counts = _shifts_per_length(wp, lengths, length_of, y, room, limits)
    if counts is None:
        return None
    target = np.zeros((wp.n_people, wp.n_tasks))
    np.add.at(target, (pi, pt), x)
    # Over the LP's support and a few tasks near the means first (the whole
    # transportation LP took about 140 s at 1000 people), then four times as
    # many (a few people's tasks can fail Hall's condition), then every pair.
    for n_near in (NEAR_TASKS, 4 * NEAR_TASKS):
        near = _near_pairs(wp, length_of, room, target, n_near)
        X = _transport(wp, length_of, counts, target, np.where(near, room, 0.0))
        if X is not None and wp.fits(X):
            return X
    X = _transport(wp, length_of, counts, target, room)
    return X if X is not None and wp.fits(X) else None


def _near_pairs(
    wp: Workplace,
    length_of: NDArray[np.intp],
    room: FloatArray,
    target: FloatArray,
    n_near: int,
) -> NDArray[np.bool_]:
    """The LP's support and each person's ``n_near`` qualified tasks of each length
    nearest the means."""
    near = target > TOL
    qualified = room > 0
    far = _distance_from_means(wp)
    for k in range(int(length_of.max()) + 1):
        tasks = np.flatnonzero(length_of == k)
        tasks = tasks[np.lexsort((tasks, far[tasks]))]
        q = qualified[:, tasks]
        near[:, tasks] |= q & (np.cumsum(q, axis=1) <= n_near)
    return near


def _room(wp: Workplace) -> FloatArray:
    """Most shifts each person can hold of each task (0 where unqualified)."""
    fit = np.floor(wp.hours_owed[:, None] / wp.shift_hours[None, :] + 1e-9)
    room = np.minimum(fit, wp.shifts_per_week[None, :].astype(np.float64))
    return np.where(wp.qualified, np.maximum(room, 0.0), 0.0)


def _shifts_per_length(
    wp: Workplace,
    lengths: FloatArray,
    length_of: NDArray[np.intp],
    y: FloatArray,
    room: FloatArray,
    limits: SolverLimits,
) -> FloatArray | None:
    """Step 1: whole shifts per (person, length), nearest the LP's ``y`` (or None).

    Each person's candidates are the vectors (shifts per length) that make
    their hours exactly, within what they may hold; the ``CANDIDATES``
    nearest ``y`` are kept (4 and 16 times as many when that leaves the
    totals unreachable), and a multiple-choice MILP picks one per person so
    that every length's total is the tasks'. Its LP relaxation is the convex
    hull per person, so HiGHS closes it almost at once: 0.3 s at 500 people
    where a MILP over the counts themselves took 16 s.
    """
    n_p, n_len = y.shape
    totals = np.bincount(length_of, weights=wp.shifts_per_week, minlength=n_len).astype(float)
    cap = np.zeros((n_p, n_len))
    for k in range(n_len):
        cap[:, k] = room[:, length_of == k].sum(axis=1)
    vectors: dict[float, FloatArray] = {}
    for hours in np.unique(wp.hours_owed):
        mixes = _exact_hours(lengths, float(hours))
        if mixes is None:
            return None
        vectors[float(hours)] = mixes
    for keep in (CANDIDATES, 4 * CANDIDATES, 16 * CANDIDATES):
        counts = _choose(wp, y, cap, totals, vectors, keep, limits)
        if counts is not None:
            return counts
    return None


def _choose(
    wp: Workplace,
    y: FloatArray,
    cap: FloatArray,
    totals: FloatArray,
    vectors: dict[float, FloatArray],
    keep: int,
    limits: SolverLimits,
) -> FloatArray | None:
    """One of each person's ``keep`` nearest exact-hours vectors, the totals met (or None)."""
    from parecon.work._scipy import solve_milp

    n_p, n_len = y.shape
    people, options = [], []
    for i in range(n_p):
        cand = vectors[float(wp.hours_owed[i])]
        cand = cand[(cand <= cap[i]).all(axis=1)]
        if cand.shape[0] == 0:
            return None
        dist = np.abs(cand - y[i]).sum(axis=1)
        best = np.argsort(dist, kind="stable")[:keep]
        people.append(np.full(best.size, i))
        options.append(cand[best])
    who = np.concatenate(people)
    vec = np.concatenate(options)
    m = who.size
    dist = np.abs(vec - y[who]).sum(axis=1)
    cols = np.arange(m)
    A = sp.csr_array(
        (
            np.concatenate([np.ones(m), vec.T.ravel()]),
            (
                np.concatenate([who, n_p + np.repeat(np.arange(n_len), m)]),
                np.concatenate([cols, np.tile(cols, n_len)]),
            ),
        ),
        shape=(n_p + n_len, m),
    )
    rhs = np.concatenate([np.ones(n_p), totals])
    out = solve_milp(dist, A, rhs, rhs, np.zeros(m), np.ones(m), np.ones(m, dtype=np.int8),
                     limits=limits, mip_rel_gap=1e-3)  # fmt: skip
    if out.values is None:
        return None
    pick = np.rint(out.values) > 0.5
    counts = np.zeros((n_p, n_len))
    counts[who[pick]] = vec[pick]
    return counts


def _transport(
    wp: Workplace,
    length_of: NDArray[np.intp],
    counts: FloatArray,
    target: FloatArray,
    room: FloatArray,
) -> FloatArray | None:
    """Step 2: whole shifts per pair with ``counts`` per (person, length), nearest ``target``."""
    from scipy.optimize import linprog

    n_p, n_t = wp.n_people, wp.n_tasks
    n_len = counts.shape[1]
    qi, qt = np.nonzero(room > 0)
    base = np.minimum(np.floor(target[qi, qt] + TOL), room[qi, qt])
    frac = np.clip(target[qi, qt] - base, 0.0, 1.0)
    # Three columns per pair: the LP's whole shifts (−1 each), the fractional shift
    # (1 − 2·frac) and any more (+1): the slopes of |X − x|.
    extra = np.maximum(room[qi, qt] - base - 1.0, 0.0)
    one = (room[qi, qt] - base >= 1.0) & (frac > TOL)
    extra = np.where(one, extra, room[qi, qt] - base)
    tie = PREFERENCE_TIE_BREAK * (5.0 - wp.preference[qi, qt]) / 4.0
    # Shifts moved off the LP point on tasks far from the means move averages most.
    far = _distance_from_means(wp)[qt]
    weight = 1.0 + BAND_PULL * far
    segments = [
        (base > 0, base, -weight + tie),
        (one, np.ones(qi.size), (1.0 - 2.0 * frac) * weight + tie),
        (extra > 0, extra, weight + tie),
    ]
    col_i, col_t, col_ub, col_c = [], [], [], []
    for keep, ub, cost in segments:
        col_i.append(qi[keep])
        col_t.append(qt[keep])
        col_ub.append(ub[keep])
        col_c.append(np.broadcast_to(cost, qi.shape)[keep])
    ci, ct = np.concatenate(col_i), np.concatenate(col_t)
    n_cols = ci.size
    cols = np.arange(n_cols)
    # Rows: one per (person, length), then one per task.
    A = sp.csc_array(
        (
            np.ones(2 * n_cols),
            (np.concatenate([ci * n_len + length_of[ct], n_p * n_len + ct]),
             np.concatenate([cols, cols])),
        ),
        shape=(n_p * n_len + n_t, n_cols),
    )  # fmt: skip
    rhs = np.concatenate([counts.ravel(), wp.shifts_per_week.astype(np.float64)])
    bounds = np.column_stack([np.zeros(n_cols), np.concatenate(col_ub)])
    res = linprog(np.concatenate(col_c), A_eq=A, b_eq=rhs, bounds=bounds, method="highs-ds")
    if res.status != 0 or res.x is None:
        return None
    z = np.asarray(res.x)
    if np.abs(z - np.rint(z)).max(initial=0.0) > 1e-6:
        return None  # pragma: no cover - a transportation vertex is integral
    X = np.zeros((n_p, n_t))
    np.add.at(X, (ci, ct), np.rint(z))
    return X


def _distance_from_means(wp: Workplace) -> FloatArray:
    """Each task's ratings' distance from the workplace means, in standard deviations."""
    e = wp.empowerment - wp.mean_empowerment
    d = wp.desirability - wp.mean_desirability
    return np.abs(e) / max(float(e.std()), 1e-9) + np.abs(d) / max(float(d.std()), 1e-9)


def _exact_hours(lengths: FloatArray, hours: float) -> FloatArray | None:
    """Every vector of whole shifts per length making exactly ``hours``, shape (k, n_len);
    None beyond ``MAX_MIXES`` of them (many short shift lengths)."""
    found: list[list[float]] = []

    def extend(k: int, left: float, head: list[float]) -> None:
        if len(found) > MAX_MIXES:
            return
        if k == lengths.size - 1:
            n = left / lengths[k]
            if n >= -1e-9 and abs(n - round(n)) < 1e-9:
                found.append([*head, float(round(n))])
            return
        for n in range(int(left / lengths[k] + 1e-9) + 1):
            extend(k + 1, left - n * lengths[k], [*head, float(n)])

    extend(0, hours, [])
    if len(found) > MAX_MIXES:
        return None
    return np.asarray(found, dtype=np.float64).reshape(-1, lengths.size)
