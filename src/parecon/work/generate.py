"""Synthetic workplaces for tests, examples and the benchmark.

The shape follows the issue's benchmark: 1000 workers, 200 task types and
about 17,000 two- and four-hour shifts a week. Everything is drawn from one
explicit ``seed`` so a run can be repeated exactly.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from parecon.exceptions import ValidationError
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["PlantedWorkplace", "perturb_workplace", "planted_workplace", "synthetic_workplace"]


def synthetic_workplace(
    n_people: int,
    n_tasks: int,
    *,
    seed: int,
    qualified_share: float = 0.35,
    max_tasks: int | None = None,
    min_block_hours: float = 0.0,
) -> Workplace:
    """A feasible-looking workplace of ``n_people`` and ``n_tasks``.

    Hours owed are 40, 32, 24 or 20 (mostly 40); shifts are 2 or 4 hours;
    task shifts are apportioned so the tasks' hours equal the hours owed.
    Each person is qualified for a random ``qualified_share`` of tasks, and
    always for at least one task above and one below the mean empowerment,
    so a balanced complex exists for most draws.
    """
    rng = np.random.default_rng(seed)
    owed = rng.choice([40.0, 32.0, 24.0, 20.0], p=[0.7, 0.1, 0.1, 0.1], size=n_people)
    shift = rng.choice([2.0, 4.0], p=[0.7, 0.3], size=n_tasks)
    emp = np.clip(np.round(rng.normal(10.0, 4.0, n_tasks), 1), 1.0, 20.0)
    # Empowering work tends to be pleasant too: a mild positive correlation.
    des = np.clip(np.round(0.4 * emp + rng.normal(6.0, 3.5, n_tasks), 1), 1.0, 20.0)
    weight = rng.gamma(2.0, 1.0, n_tasks)
    total = float(owed.sum())
    hours = weight / weight.sum() * total
    shifts = np.maximum(np.floor(hours / shift), 0).astype(np.int64)
    # Top up with whole 2-hour shifts until the tasks need exactly the hours owed.
    short = total - float(shift @ shifts)
    two = np.flatnonzero(shift == 2.0)
    if two.size == 0:
        shift[0] = 2.0
        two = np.array([0])
        short = total - float(shift @ shifts)
    order = two[np.argsort(-(hours[two] / 2.0 - shifts[two]))]
    k = 0
    while short >= 2.0:
        shifts[order[k % order.size]] += 1
        short -= 2.0
        k += 1
    qual = rng.random((n_people, n_tasks)) < qualified_share
    above = np.flatnonzero(emp >= np.average(emp, weights=shift * shifts))
    below = np.flatnonzero(emp < np.average(emp, weights=shift * shifts))
    for group in (above, below):
        if group.size:
            qual[np.arange(n_people), rng.choice(group, size=n_people)] = True
    qual[:, shifts == 0] = True
    pref = rng.integers(1, 6, size=(n_people, n_tasks)).astype(np.float64)
    width = len(str(n_people))
    return Workplace(
        task_names=tuple(f"task-{t + 1:03d}" for t in range(n_tasks)),
        shift_hours=shift,
        shifts_per_week=shifts,
        empowerment=emp,
        desirability=des,
        people=tuple(f"p{i + 1:0{width}d}" for i in range(n_people)),
        hours_owed=owed,
        qualified=qual,
        preference=pref,
        max_tasks=max_tasks,
        min_block_hours=min_block_hours,
    )


def perturb_workplace(wp: Workplace, *, seed: int, changes: int = 1) -> Workplace:
    """This period's workplace: ``wp`` (and its ``previous``) changed a little.

    ``changes`` times each: a 2-hour task needs two more shifts, a 4-hour
    task two fewer (4 h less work), a person owes 4 h less (so the hours
    still add up), and a person loses one qualification they used last
    period (any qualification without ``previous``). Tasks and people are
    drawn from ``seed``, distinct within each kind; a task losing shifts
    keeps at least two, a person losing hours keeps at least 16, and a
    qualification is removed only where the task keeps other qualified
    people and the person other qualifications.
    """
    rng = np.random.default_rng(seed)
    shifts = np.array(wp.shifts_per_week)
    owed = np.array(wp.hours_owed)
    qual = np.array(wp.qualified)
    two = np.flatnonzero((wp.shift_hours == 2.0) & (shifts > 0))
    four = np.flatnonzero((wp.shift_hours == 4.0) & (shifts >= 4))
    people = np.flatnonzero(owed >= 20.0)
    if min(two.size, four.size, people.size) < changes:
        raise ValidationError("the workplace is too small for that many changes")
    shifts[rng.choice(two, changes, replace=False)] += 2
    shifts[rng.choice(four, changes, replace=False)] -= 2
    owed[rng.choice(people, changes, replace=False)] -= 4.0
    held = qual if wp.previous is None else qual & (wp.previous > 0)
    i_all, t_all = np.nonzero(held)
    removed = 0
    for k in rng.permutation(i_all.size):
        i, t = int(i_all[k]), int(t_all[k])
        if qual[:, t].sum() > 2 and qual[i].sum() > 2:
            qual[i, t] = False
            removed += 1
            if removed == changes:
                break
    return dataclasses.replace(wp, shifts_per_week=shifts, hours_owed=owed, qualified=qual)


@dataclasses.dataclass(frozen=True, eq=False)
class PlantedWorkplace:
    """A workplace generated around an assignment known to be within the band.

    workplace : the generated :class:`Workplace`.
    planted : ndarray of shape (n_people, n_tasks)
        Whole shifts per week that meet every task's shifts, everyone's hours
        and qualifications, with every person's averages within ``band`` of
        the workplace means on both scales: a certificate that the
        workplace is feasible.
    band : float
        The band the planted assignment is within.
    """

    workplace: Workplace
    planted: FloatArray
    band: float


PLANTED_SHIFTS = (2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
PART_TIME_HOURS = (12.0, 16.0, 20.0, 24.0, 30.0)
PLANTED_MAX_TASKS = 4
"""Most distinct tasks in a planted complex (the balancer itself is not capped)."""


def planted_workplace(
    n_people: int,
    n_tasks: int,
    *,
    seed: int,
    part_time_share: float = 0.4,
    unqualified_share: float = 0.25,
    shift_lengths: tuple[float, ...] = PLANTED_SHIFTS,
    band: float = 0.5,
) -> PlantedWorkplace:
    """A workplace known to be feasible: each complex is planted within ``band / 2``.

    Tasks get ratings (empowerment ~ N(10, 4), desirability mildly
    correlated) and a shift length drawn from ``shift_lengths``; people owe
    40 h, or (a ``part_time_share`` of them) one of ``PART_TIME_HOURS``; a
    ``unqualified_share`` of (person, task) pairs is unqualified. Each
    person's complex is then planted by a small MILP over a few of their
    qualified tasks (the least used so far first): whole shifts making
    exactly their hours, at most ``PLANTED_MAX_TASKS`` tasks, both averages
    within ``band / 2`` of the tasks' plain mean ``c``. The tasks' weekly
    shifts are the planted totals, so the workplace means are hours-weighted
    averages of the people's, also within ``band / 2`` of ``c``, and every
    person is within ``band`` of them. Tasks nothing was planted on are
    dropped (``n_tasks`` is an upper bound; rarely reached short).
    """
    if n_people < 1 or n_tasks < 2:
        raise ValidationError("a planted workplace needs at least one person and two tasks")
    if not 0 <= unqualified_share < 1 or not 0 <= part_time_share <= 1:
        raise ValidationError("unqualified_share must be in [0, 1), part_time_share in [0, 1]")
    rng = np.random.default_rng(seed)
    shift = rng.choice(np.asarray(shift_lengths, dtype=np.float64), size=n_tasks)
    emp = np.clip(np.round(rng.normal(10.0, 4.0, n_tasks), 1), 1.0, 20.0)
    des = np.clip(np.round(0.4 * emp + rng.normal(6.0, 3.5, n_tasks), 1), 1.0, 20.0)
    centre = (float(emp.mean()), float(des.mean()))
    part = rng.random(n_people) < part_time_share
    owed = np.where(part, rng.choice(PART_TIME_HOURS, size=n_people), 40.0)
    qual = rng.random((n_people, n_tasks)) >= unqualified_share
    planted = np.zeros((n_people, n_tasks))
    used = np.zeros(n_tasks)
    half = band / 2.0
    for i in range(n_people):
        mine = np.flatnonzero(qual[i])
        x = None
        for size in (8, 16, mine.size):
            order = mine[np.lexsort((rng.random(mine.size), used[mine]))]
            pick = order[: min(size, mine.size)]
            x = _plant_complex(shift[pick], emp[pick], des[pick], owed[i], centre, half, rng)
            if x is not None:
                planted[i, pick] = x
                break
            if size >= mine.size:
                break
        if x is None:
            # No complex of these hours: owe 40 h with every task qualified instead.
            qual[i] = True
            owed[i] = 40.0
            x = _plant_complex(shift, emp, des, owed[i], centre, half, rng)
            if x is None:  # pragma: no cover - 40 h over every task always fits
                raise ValidationError("could not plant a complex; use other shift lengths")
            planted[i] = x
        used += planted[i] > 0
    keep = np.flatnonzero(planted.sum(axis=0) > 0)
    planted = planted[:, keep]
    width = len(str(n_people))
    wp = Workplace(
        task_names=tuple(f"task-{t + 1:03d}" for t in range(keep.size)),
        shift_hours=shift[keep],
        shifts_per_week=planted.sum(axis=0).astype(np.int64),
        empowerment=emp[keep],
        desirability=des[keep],
        people=tuple(f"p{i + 1:0{width}d}" for i in range(n_people)),
        hours_owed=owed,
        qualified=qual[:, keep],
        preference=rng.integers(1, 6, size=(n_people, keep.size)).astype(np.float64),
    )
    return PlantedWorkplace(wp, planted, band)


def _plant_complex(
    shift: FloatArray,
    emp: FloatArray,
    des: FloatArray,
    hours: float,
    centre: tuple[float, float],
    half: float,
    rng: np.random.Generator,
) -> FloatArray | None:
    """Whole shifts of these tasks making ``hours`` with both averages within ``half``."""
    from parecon.work._scipy import solve_milp
    from parecon.work.solvers import SolverLimits

    k = shift.size
    cap = np.floor(hours / shift + 1e-9)
    # Columns: x (shifts, integer), y (task used, binary).
    rows = [
        (np.concatenate([shift, np.zeros(k)]), hours, hours),
        (np.concatenate([shift * (emp - centre[0]), np.zeros(k)]), -half * hours, half * hours),
        (np.concatenate([shift * (des - centre[1]), np.zeros(k)]), -half * hours, half * hours),
        (np.concatenate([np.zeros(k), np.ones(k)]), 0.0, float(PLANTED_MAX_TASKS)),
    ]
    link = np.hstack([np.eye(k), -np.diag(np.maximum(cap, 0.0))])
    A = np.vstack([r[0] for r in rows] + [link])
    lo = np.concatenate([[r[1] for r in rows], np.full(k, -np.inf)])
    hi = np.concatenate([[r[2] for r in rows], np.zeros(k)])
    cost = np.concatenate([rng.random(k) * shift, np.ones(k)])
    out = solve_milp(
        cost,
        A,
        lo,
        hi,
        np.zeros(2 * k),
        np.concatenate([cap, np.ones(k)]),
        np.ones(2 * k, dtype=np.int8),
        # Any feasible complex will do (the random costs only spread the tasks):
        # stop at the first one, and a node limit keeps the draw deterministic.
        limits=SolverLimits(seconds=math.inf, work=0.2),
        mip_rel_gap=1.0,
    )
    return None if out.values is None else np.rint(out.values[:k])
