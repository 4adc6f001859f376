"""Why no balanced assignment exists, and what would fix it.

Checks run from the cheapest and most specific to the most general, and
the first that fails is reported in words a workplace council can act on:

1. a task needs more shifts than the people qualified for it can give;
2. a person is qualified only for tasks on one side of the band;
3. the LP relaxation's smallest achievable band exceeds the band (the band
   binds); a what-if re-solve names the task whose wider qualification
   would lower it most;
4. a person has no job complex at all: no whole shifts of tasks they are
   qualified for that make their hours, stay in the band and respect the
   task cap and the minimum block (checked by enumeration,
   :func:`parecon.work.complexes.enumerate_person`, for small workplaces);
5. otherwise whole shifts (shift length, minimum block, task cap) are what
   bind: the LP fits but integers do not. ``detail`` (what the exact method
   found, e.g. that no combination of complexes covers the tasks) is added.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from parecon.work._scipy import solve_model
from parecon.work.formulation import BalanceSettings, build_model
from parecon.work.workplace import Workplace

__all__ = ["explain_infeasibility", "smallest_band"]

WHAT_IF_TASKS = 8
PERSON_CHECK_PEOPLE = 200
"""Largest workplace whose people are checked one by one for a complex (step 4)."""
PERSON_CHECK_LIMIT = 50_000


def smallest_band(wp: Workplace, settings: BalanceSettings) -> float:
    """LP lower bound on the empowerment band any assignment can reach (``inf`` if none).

    Desirability stays within its band when it is balanced, so this is the
    bound the reported "distance from best bound" is measured against.
    """
    model = build_model(wp, settings, relax=True, minimise_band=True)
    out = solve_model(model, limits=settings.limits)
    return out.objective if out.values is not None else float("inf")


def explain_infeasibility(wp: Workplace, settings: BalanceSettings, detail: str = "") -> str:
    """One paragraph: which constraint binds and what would fix it."""
    cap = np.floor(wp.hours_owed[:, None] / wp.shift_hours[None, :] + 1e-9) * wp.qualified
    short = cap.sum(axis=0) < wp.shifts_per_week
    if short.any():
        t = int(np.argmax(short))
        return (
            f"task {wp.task_names[t]!r} needs {wp.shifts_per_week[t]} shifts a week but the "
            f"people qualified for it can give at most {int(cap[:, t].sum())}; qualify more "
            "people for it or lower its shifts"
        )
    for label, rating, mean, band, on in (
        ("empowerment", wp.empowerment, wp.mean_empowerment, settings.band, True),
        (
            "desirability",
            wp.desirability,
            wp.mean_desirability,
            settings.des_band,
            settings.desirability == "band",
        ),
    ):
        if not on:
            continue
        hi = np.where(wp.qualified, rating[None, :], -np.inf).max(axis=1)
        lo = np.where(wp.qualified, rating[None, :], np.inf).min(axis=1)
        for i in range(wp.n_people):
            if wp.hours_owed[i] <= 0:
                continue
            if hi[i] < mean - band or lo[i] > mean + band:
                side = "above" if hi[i] < mean - band else "below"
                options = np.flatnonzero((rating > mean) if side == "above" else (rating < mean))
                names = ", ".join(repr(wp.task_names[t]) for t in options[:3])
                return (
                    f"person {wp.people[i]!r} is qualified only for tasks with {label} "
                    f"{'at most' if side == 'above' else 'at least'} "
                    f"{hi[i] if side == 'above' else lo[i]:g}, but the workplace mean is "
                    f"{mean:.2f} and the band {band:g}; qualify them for a task {side} the "
                    f"mean ({names})"
                )
    best = smallest_band(wp, settings)
    if not np.isfinite(best):
        return (
            f"no assignment keeps desirability within {settings.des_band:g} of the mean even "
            "ignoring empowerment; widen the desirability band or compensate desirability "
            "in allowances (desirability='compensate')"
        )
    if best > settings.band + 1e-9:
        hint = ""
        above = np.argsort(-(wp.empowerment - wp.mean_empowerment))[:WHAT_IF_TASKS]
        gains = []
        for t in above:
            if wp.qualified[:, t].all():
                continue
            qual = wp.qualified.copy()
            qual[:, t] = True
            trial = replace(wp, qualified=qual)
            gains.append((smallest_band(trial, settings), int(t)))
        if gains:
            band_if, t = min(gains)
            if band_if < best - 1e-6:
                hint = (
                    f", or train more people for {wp.task_names[t]!r} (qualifying everyone "
                    f"would bring the best band to {band_if:.2f})"
                )
        return (
            f"the empowerment band {settings.band:g} binds: even with fractional shifts the "
            f"best achievable band is {best:.2f} (too few people are qualified for the "
            f"empowering tasks); widen the band to at least {best:.2f}{hint}"
        )
    lonely = _person_without_complex(wp, settings)
    if lonely is not None:
        limits = [f"{wp.hours_owed[lonely]:g} h in whole shifts", "the band"]
        if wp.max_tasks is not None:
            limits.append(f"at most {wp.max_tasks} distinct tasks")
        if wp.min_block_hours > 0:
            limits.append(f"blocks of at least {wp.min_block_hours:g} h")
        return (
            f"person {wp.people[lonely]!r} has no job complex: no whole shifts of the tasks "
            f"they are qualified for meet {', '.join(limits)}; qualify them for more tasks, "
            "change their hours, or relax the band, the task cap or the minimum block"
        )
    found = f" ({detail})" if detail else ""
    return (
        f"the band {settings.band:g} holds with fractional shifts (best {best:.2f}) but not "
        f"with whole shifts{found}: shorter shifts, a smaller minimum block, a larger cap on "
        "distinct tasks or a slightly wider band would fix it"
    )


def _person_without_complex(wp: Workplace, settings: BalanceSettings) -> int | None:
    """The first person with no feasible complex (small workplaces only), else None."""
    from parecon.work.complexes import enumerate_person

    if wp.n_people > PERSON_CHECK_PEOPLE:
        return None
    for i in range(wp.n_people):
        pc = enumerate_person(wp, settings, i, PERSON_CHECK_LIMIT)
        if pc is not None and pc.cost.size == 0:
            return i
    return None
