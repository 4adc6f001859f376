"""Synthetic workplaces for tests, examples and the benchmark.

The shape follows the issue's benchmark: 1000 workers, 200 task types and
about 17,000 two- and four-hour shifts a week. Everything is drawn from one
explicit ``seed`` so a run can be repeated exactly.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from parecon.exceptions import ValidationError
from parecon.work.workplace import Workplace

__all__ = ["perturb_workplace", "synthetic_workplace"]


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
