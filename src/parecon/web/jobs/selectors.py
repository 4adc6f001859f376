"""Reads of shared work: an owner's tasks, balances, one's complex, rotation shifts.

Nothing here returns an individual's rating of a task other than the reader's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.calendars.feeds import CalendarEntry
from parecon.web.councils.models import CouncilKind, CouncilMembership
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Balance, PersonComplex, Swap, SwapStatus, Task, TaskRating
from parecon.web.jobs.owners import Owner
from parecon.web.members.models import Member
from parecon.work import rotation


def tasks_of(owner: Owner) -> QuerySet[Task]:
    return (
        Task.objects.filter(owner.q, retired_at__isnull=True)
        .prefetch_related("qualifications")
        .select_related("assignee")
        .order_by("kind", "due_on", "name", "pk")
    )


@dataclass(frozen=True)
class TasksPage:
    """One page of an owner's live tasks, the reader's own (published) tasks first:
    ``page.object_list`` holds that page's tasks, ``held`` the ids of the reader's."""

    page: Page[Task]
    held: set[int]

    @property
    def tasks(self) -> list[Task]:
        return list(self.page.object_list)


def tasks_page(owner: Owner, member: Member, page: int, size: int) -> TasksPage:
    """Page ``page`` of :func:`tasks_of`, the tasks ``member`` holds in the owner's
    published balance first (a page past the end is the last); only that page's rows
    are loaded."""
    balance = published(owner)
    held = set(effective(balance, member.pk).of_member(member.pk)) if balance else set()
    rows: QuerySet[Task] = (
        tasks_of(owner)
        .alias(theirs=Case(When(pk__in=held, then=Value(0)), default=Value(1)))
        .order_by("theirs", "kind", "due_on", "name", "pk")
    )
    return TasksPage(Paginator(rows, size).get_page(page), held)


def own_ratings(member: Member, tasks: Iterable[Task]) -> dict[int, tuple[int, int]]:
    """The reader's own latest rating of each task (task id → (empowerment, desirability))."""
    out: dict[int, tuple[int, int]] = {}
    for task_id, e, d in (
        TaskRating.objects.filter(member=member, task__in=list(tasks))
        .order_by("created_at", "id")
        .values_list("task_id", "empowerment", "desirability")
    ):
        out[task_id] = (e, d)
    return out


def balances_of(owner: Owner) -> QuerySet[Balance]:
    return Balance.objects.filter(owner.q).select_related("requested_by", "published_by")


def published(owner: Owner) -> Balance | None:
    from parecon.web.jobs.balancing import latest_published

    return latest_published(owner)


def complexes(balance: Balance) -> list[PersonComplex]:
    return list(balance.complexes.select_related("member").order_by("member__name", "member_id"))


def complexes_page(balance: Balance, page: int, size: int) -> Page[PersonComplex]:
    """Page ``page`` of a balance's complexes, by name (a page past the end is the last)."""
    rows = balance.complexes.select_related("member").order_by("member__name", "member_id")
    return Paginator(rows, size).get_page(page)


@dataclass(frozen=True)
class Holding:
    task: Task
    shifts: float
    shift_hours: float

    @property
    def hours(self) -> float:
        return self.shifts * self.shift_hours


def holdings(balance: Balance, member_id: int) -> list[Holding]:
    """One person's effective complex (after accepted swaps), largest first."""
    eff = effective(balance, member_id)
    mine = eff.of_member(member_id)
    tasks = Task.objects.in_bulk(list(mine))
    rows = [Holding(tasks[t], s, eff.shift_hours[t]) for t, s in mine.items()]
    return sorted(rows, key=lambda h: (-h.hours, h.task.name))


def swaps_of(balance: Balance, member: Member) -> QuerySet[Swap]:
    from django.db.models import Q

    return (
        Swap.objects.filter(Q(requester=member) | Q(partner=member), balance=balance)
        .select_related("requester", "partner", "give_task", "take_task")
        .order_by("-created_at")
    )


def open_swaps_for(member: Member) -> QuerySet[Swap]:
    return Swap.objects.filter(partner=member, status=SwapStatus.REQUESTED)


def owners_of_member(member: Member) -> list[Owner]:
    """The worker council and the chapters whose shared work a member takes part in."""
    out: list[Owner] = []
    for cm in (
        CouncilMembership.objects.active()
        .filter(member=member, kind=CouncilKind.WORKER)
        .select_related("council__chapter")
    ):
        out.append(Owner(cm.council.chapter, cm.council))
    for ms in member.memberships.filter(left_at__isnull=True).select_related("chapter"):
        out.append(Owner(ms.chapter))
    return out


@dataclass(frozen=True)
class Shift:
    task: Task
    starts_at: datetime
    ends_at: datetime
    week: int


def shifts_of(balance: Balance, member_id: int) -> list[Shift]:
    """Dated shifts of one person over the balance's period, from the core's rotation.

    A task's weekly shifts fall on days spread from the period's first day at the
    task's start time (:func:`_weekday`); each week the core's :func:`rotation` says
    how many each holder takes, handed out in the holders' order. A one-off task is
    dated on its due day for its whole hours. Shifts that would overlap (two on one
    day at one task's hour, or tasks that start at the same hour) are worked back to
    back, never two at once.
    """
    eff = effective(balance, member_id)
    mine = eff.of_member(member_id)
    if not mine:
        return []
    tasks = Task.objects.in_bulk(list(mine))
    first = balance.starts_on
    zone = timezone.get_current_timezone()
    out: list[Shift] = []
    for task_id in sorted(mine):
        task = tasks[task_id]
        if not task.is_recurring:
            assert task.due_on is not None and task.hours is not None
            start = datetime.combine(task.due_on, task.starts_at, tzinfo=zone)
            out.append(Shift(task, start, start + timedelta(hours=float(task.hours)), 0))
            continue
        holders = sorted(eff.holders(task_id).items())
        target = np.array([[s] for _m, s in holders])
        need = round(float(target.sum()))
        weeks = rotation(target, np.array([float(need)]), balance.weeks)
        me = [m for m, _s in holders].index(member_id)
        length = timedelta(hours=eff.shift_hours[task_id])
        for w in range(balance.weeks):
            before = int(weeks[w, :me, 0].sum())
            for k in range(before, before + int(weeks[w, me, 0])):
                day = first + timedelta(days=7 * w + _weekday(k, max(need, 1)))
                start = datetime.combine(day, task.starts_at, tzinfo=zone)
                out.append(Shift(task, start, start + length, w))
    return _one_at_a_time(out)


def _one_at_a_time(shifts: list[Shift]) -> list[Shift]:
    """``shifts`` by start, each moved to when the one before ends if they would overlap
    (one person works one shift at a time; tasks often share a start time)."""
    out: list[Shift] = []
    for s in sorted(shifts, key=lambda s: (s.starts_at, s.task.name, s.task.pk)):
        if out and s.starts_at < out[-1].ends_at:
            start = out[-1].ends_at
            s = replace(s, starts_at=start, ends_at=start + (s.ends_at - s.starts_at))
        out.append(s)
    return out


def _weekday(k: int, need: int) -> int:
    """The day of the week (0–6 from the period's first) of a task's shift ``k`` of
    ``need``: spread over the week (``⌊7k/need⌋``) up to one a day, then round the
    week (``k mod 7``), so that one holder's consecutive shifts fall on different days."""
    return (7 * k) // need if need <= 7 else k % 7


def member_feed(member: Member) -> Iterable[CalendarEntry]:
    """The calendar source of shifts: every published balance the member holds work in."""
    for owner in owners_of_member(member):
        balance = published(owner)
        if balance is None:
            continue
        for s in shifts_of(balance, member.pk):
            yield CalendarEntry(
                uid=f"shift-{balance.pk}-{s.task.pk}-{s.starts_at:%Y%m%dT%H%M}-{member.pk}@parecon",
                summary=_("Shift: %(task)s (%(owner)s)")
                % {"task": s.task.name, "owner": owner.name},
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                description=s.task.description,
            )


def period_days(balance: Balance) -> tuple[date, date]:
    return balance.starts_on, balance.starts_on + timedelta(days=7 * balance.weeks)
