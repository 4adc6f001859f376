"""Repair last period's assignment so it meets this period in whole shifts.

Workplaces change a little from one period to the next: a task needs a few
more shifts, someone's hours drop, a qualification lapses. Last period's
assignment ``previous`` then no longer meets this period's hours, coverage
or qualifications, but nearly all of it still could. :func:`repair_previous`
keeps as much as it can: it starts from ``previous`` (whole shifts, entries
a person is no longer qualified for dropped) and solves a small
transportation MILP (HiGHS) over whole shifts,

    X = P + up − down,   Σ_i X[i, t] = shifts_per_week[t],
    Σ_t s_t X[i, t] = hours_owed[i],   X = 0 where not qualified,

minimising the hours moved ``Σ s_t (up + down)``: only the shifts that must
move do. ``down`` exists only where ``P`` holds shifts, ``up`` only on
qualified pairs. A tiny tie-break prefers, among moves of equal hours, those
that pull each person's averages towards the means and those on tasks
people prefer, so the band repair that follows (:mod:`parecon.work.swaps`)
has less to do. With 2- and 4-hour shifts the hours rows are not totally
unimodular, hence integer columns; the LP relaxation is nearly integral and
HiGHS closes it at the root on the benchmark's 1000 workers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from parecon.work.solvers import SolverLimits
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["clipped_previous", "nearest_assignment", "repair_previous"]

TIE_BREAK = 1e-4
"""Weight of the tie-breaks, per hour; small beside one shift moved (2 h or more)."""
WINDOW = 2.0
"""First reduced-cost window (hours) of the integer solve; quadrupled while it proves nothing."""
WINDOWS = 8
"""Most windows tried (the last, 2 × 4⁷ h, holds every column in practice)."""


def clipped_previous(wp: Workplace) -> FloatArray | None:
    """``previous`` in whole shifts, with pairs no longer qualified emptied (or None)."""
    if wp.previous is None:
        return None
    return np.asarray(np.rint(np.maximum(wp.previous, 0.0)) * wp.qualified, dtype=np.float64)


def repair_previous(wp: Workplace, *, limits: SolverLimits) -> FloatArray | None:
    """Whole shifts meeting hours, coverage and qualifications, fewest hours from ``previous``.

    Returns shape (n_people, n_tasks), or None without ``previous`` or when
    the MILP finds no assignment within ``limits`` (then the caller falls
    back to rounding an LP).
    """
    P = clipped_previous(wp)
    if P is None:
        return None
    return nearest_assignment(wp, P, limits=limits)


def nearest_assignment(
    wp: Workplace, P: FloatArray, *, limits: SolverLimits, gap: float = 1e-6
) -> FloatArray | None:
    """Whole shifts meeting hours, coverage and qualifications, fewest hours from ``P``.

    ``P`` (n_people, n_tasks) is whole shifts on qualified pairs (last period's
    assignment clipped, or an LP solution rounded down); ``gap`` is the MILP's
    relative optimality gap (near-fewest is enough for a rounding). None when
    the MILP finds nothing within ``limits``.
    """
    s = wp.shift_hours
    cov_gap = wp.shifts_per_week - P.sum(axis=0)
    hrs_gap = wp.hours_owed - P @ s
    if not cov_gap.any() and np.allclose(hrs_gap, 0.0, atol=1e-6):
        return P
    n_p, n_t = wp.n_people, wp.n_tasks
    # up: on qualified pairs, at most what the person's hours and the task's shifts allow.
    ui, ut = np.nonzero(wp.qualified)
    room = np.minimum(
        np.floor(wp.hours_owed[ui] / s[ut] + 1e-9), wp.shifts_per_week[ut].astype(np.float64)
    )
    up_ub = np.maximum(room - P[ui, ut], 0.0)
    keep = up_ub > 0
    ui, ut, up_ub = ui[keep], ut[keep], up_ub[keep]
    # down: only where P holds shifts.
    di, dt = np.nonzero(P > 0)
    down_ub = P[di, dt]
    n_up, n_down = ui.size, di.size
    # Tie-breaks (per hour moved): towards each person's means, towards preferred tasks.
    H = np.where(wp.hours_owed > 0, wp.hours_owed, 1.0)
    e_dev = s * (wp.empowerment - wp.mean_empowerment)
    d_dev = s * (wp.desirability - wp.mean_desirability)
    E, D = (P @ e_dev) / H, (P @ d_dev) / H
    pull_up = (E[ui] * e_dev[ut] + D[ui] * d_dev[ut]) / H[ui]
    pull_down = -(E[di] * e_dev[dt] + D[di] * d_dev[dt]) / H[di]
    pull_up = pull_up / max(1.0, float(np.abs(pull_up).max(initial=0.0)))
    pull_down = pull_down / max(1.0, float(np.abs(pull_down).max(initial=0.0)))
    c_up = s[ut] * (1.0 + TIE_BREAK * ((5.0 - wp.preference[ui, ut]) / 4.0 + pull_up))
    c_down = s[dt] * (1.0 + TIE_BREAK * (1.0 + pull_down))
    n_z = n_up + n_down
    cols = np.arange(n_z)
    sign = np.concatenate([np.ones(n_up), -np.ones(n_down)])
    task = np.concatenate([ut, dt])
    person = np.concatenate([ui, di])
    A = sp.csc_array(
        (
            np.concatenate([sign, sign * s[task]]),
            (np.concatenate([task, n_t + person]), np.concatenate([cols, cols])),
        ),
        shape=(n_t + n_p, n_z),
    )
    rhs = np.concatenate([cov_gap.astype(np.float64), hrs_gap])
    c = np.concatenate([c_up, c_down])
    ub = np.concatenate([up_ub, down_ub])
    z = _solve(A, rhs, c, ub, limits, gap)
    if z is None:
        return None
    X = P.copy()
    np.add.at(X, (ui, ut), z[:n_up])
    np.subtract.at(X, (di, dt), z[n_up:])
    return X if wp.fits(X) else None


def _solve(
    A: sp.csc_array,
    rhs: FloatArray,
    c: FloatArray,
    ub: FloatArray,
    limits: SolverLimits,
    gap: float,
) -> FloatArray | None:
    """Integer ``z`` with ``A z = rhs``, ``0 ≤ z ≤ ub``, least ``c·z`` (None if none found).

    The LP relaxation (about 0.4 s at 1000 workers, 70,000 columns) is nearly
    integral but HiGHS's MILP over every column takes ~13 s. So: with the
    LP's duals, any integer solution cheaper than ``LB + δ`` uses only
    columns whose reduced cost is at most ``δ``; the MILP over those (and the
    LP's support) that finds one within ``LB + δ`` is optimal for the whole
    problem. ``δ`` starts at ``WINDOW`` and grows fourfold (at most
    ``WINDOWS`` times, each MILP with a share of ``limits``); the best
    solution found is returned if none is proven.
    """
    import time

    from parecon.work._scipy import solve_lp, solve_milp

    deadline = time.perf_counter() + limits.seconds
    lp = solve_lp(c, A_eq=A, b_eq=rhs, bounds=np.column_stack([np.zeros(c.size), ub]))
    if lp.status != "optimal" or lp.x is None or lp.eq_duals is None:
        return None
    x = lp.x
    if np.abs(x - np.rint(x)).max(initial=0.0) < 1e-6:
        return np.rint(x)
    reduced = c - A.T @ lp.eq_duals
    best: FloatArray | None = None
    delta = WINDOW
    for _ in range(WINDOWS):
        if time.perf_counter() >= deadline:
            break
        keep = (reduced <= delta + 1e-9) | (x > 1e-9)
        every = bool(keep.all())
        n = int(keep.sum())
        res = solve_milp(
            c[keep],
            A[:, keep],
            rhs,
            rhs,
            np.zeros(n),
            ub[keep],
            np.ones(n, dtype=np.int8),
            limits=limits.share(1.0 / WINDOWS, left=deadline - time.perf_counter()),
            mip_rel_gap=gap,
        )
        if res.values is not None:
            z = np.zeros(c.size)
            z[keep] = np.rint(res.values)
            if best is None or c @ z < c @ best:
                best = z
            if every or c @ z <= (lp.value + delta) * (1.0 + gap) + 1e-9:
                return best
        elif every:
            return best
        delta *= 4.0
    return best
