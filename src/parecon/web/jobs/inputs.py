"""Rows to the core's :class:`~parecon.work.Workplace`: tasks, people, ratings, hours.

The period is ``weeks`` weeks from ``starts_on``. Recurring duties count with their
shifts; a one-off task due in the period is one weekly shift of ``hours / weeks``
hours (so one person does it). People's hours are those a steward set; the others
share the rest of what the tasks need equally. Qualification: a person holds every
qualification the task needs; a one-off task someone already took is theirs only;
a role duty's last holder sits out one term when anyone else may take it (so roles
rotate). ``previous`` is the last published balance's effective assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from parecon.exceptions import InvalidValueError
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Balance, Holder, Task, TaskKind, WeeklyHours
from parecon.web.jobs.owners import Owner
from parecon.web.jobs.ratings import medians
from parecon.web.members.models import Member
from parecon.work import Workplace


@dataclass(frozen=True)
class Inputs:
    workplace: Workplace
    people: list[Member]
    tasks: list[Task]
    unrated: list[int]


def period_end(starts_on: date, weeks: int) -> date:
    return starts_on + timedelta(days=7 * weeks)


def period_tasks(owner: Owner, starts_on: date, weeks: int) -> list[Task]:
    """Live recurring duties, and one-off tasks due within the period."""
    live = Task.objects.filter(owner.q, retired_at__isnull=True).prefetch_related("qualifications")
    recurring = list(live.filter(kind=TaskKind.RECURRING).order_by("pk"))
    one_off = list(
        live.filter(
            kind=TaskKind.ONE_OFF, due_on__gte=starts_on, due_on__lt=period_end(starts_on, weeks)
        ).order_by("pk")
    )
    return recurring + one_off


def weekly_hours(owner: Owner) -> dict[int, Decimal]:
    """The latest hours set for each member (member id → hours a week)."""
    out: dict[int, Decimal] = {}
    for member_id, hours in (
        WeeklyHours.objects.filter(owner.q)
        .order_by("created_at", "id")
        .values_list("member_id", "hours")
    ):
        out[member_id] = hours
    return out


def build_inputs(balance: Balance) -> Inputs:
    """The workplace the core balances for ``balance``; InvalidValueError says what is wrong."""
    owner = Owner(balance.chapter, balance.council)
    tasks = period_tasks(owner, balance.starts_on, balance.weeks)
    if not tasks:
        raise InvalidValueError("there are no tasks in this period; list some first")
    set_hours = weekly_hours(owner)
    people = [p for p in owner.people() if set_hours.get(p.pk) != Decimal(0)]
    if not people:
        raise InvalidValueError("no one is there to do the work")
    shift = np.array(
        [
            float(t.shift_hours) if t.kind == TaskKind.RECURRING else float(t.hours) / balance.weeks  # type: ignore[arg-type]
            for t in tasks
        ]
    )
    shifts = np.array(
        [t.shifts_per_week or 1 if t.kind == TaskKind.RECURRING else 1 for t in tasks]
    )
    need = float(shift @ shifts)
    fixed = {p.pk: float(set_hours[p.pk]) for p in people if p.pk in set_hours}
    rest = [p for p in people if p.pk not in fixed]
    left = need - sum(fixed.values())
    if rest and left < 0:
        raise InvalidValueError(
            f"the hours set ({sum(fixed.values()):g} h a week) exceed what the tasks need "
            f"({need:g} h); lower someone's hours or add tasks"
        )
    owed = np.array([fixed.get(p.pk, left / len(rest) if rest else 0.0) for p in people])
    column = {p.pk: i for i, p in enumerate(people)}
    needs = {t.pk: [q.pk for q in t.qualifications.all()] for t in tasks}
    quals = sorted({q for n in needs.values() for q in n})
    qcol = {q: k for k, q in enumerate(quals)}
    held = np.zeros((len(people), len(quals)), dtype=bool)  # who holds which qualification
    if quals:
        for member_id, q in Holder.objects.filter(qualification_id__in=quals).values_list(
            "member_id", "qualification_id"
        ):
            if member_id in column:
                held[column[member_id], qcol[q]] = True
    qualified = np.ones((len(people), len(tasks)), dtype=bool)
    for j, t in enumerate(tasks):
        if needs[t.pk]:
            qualified[:, j] = held[:, [qcol[q] for q in needs[t.pk]]].all(axis=1)
        if t.assignee_id is not None and t.assignee_id in column:
            qualified[:, j] = False
            qualified[column[t.assignee_id], j] = True
    previous = _previous(balance, people, tasks, qualified)
    emp, des, unrated = medians([t.pk for t in tasks])
    wp = Workplace(
        task_names=tuple(f"{t.pk}:{t.name}" for t in tasks),
        shift_hours=shift,
        shifts_per_week=shifts,
        empowerment=emp,
        desirability=des,
        people=tuple(str(p.pk) for p in people),
        hours_owed=owed,
        qualified=qualified,
        previous=previous,
    )
    return Inputs(wp, people, tasks, unrated)


def _previous(
    balance: Balance, people: list[Member], tasks: list[Task], qualified: np.ndarray
) -> np.ndarray | None:
    """Last published shifts (role duties left out, their holders sitting one term out)."""
    if balance.previous is None:
        return None
    eff = effective(balance.previous)
    prev = np.zeros(qualified.shape)
    for i, p in enumerate(people):
        for j, t in enumerate(tasks):
            s = eff.shifts.get((p.pk, t.pk), 0.0)
            if s <= 0:
                continue
            if t.role:
                others = qualified[:, j].copy()
                others[i] = False
                if others.any():
                    qualified[i, j] = False
            else:
                prev[i, j] = s
    return prev
