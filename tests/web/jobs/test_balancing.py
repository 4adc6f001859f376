"""Balancing a workplace on the platform: run, publish, rebalance, roles, infeasibility."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parecon.web.history.models import Event
from parecon.web.jobs import balancing, services
from parecon.web.jobs.models import Balance, PersonComplex
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db


def test_a_steward_balances_and_publishes(bakery: Any) -> None:
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=4, band=3)
    run.refresh_from_db()
    assert run.status == "done", run.message
    rows = {c.member_id: c for c in PersonComplex.objects.filter(balance=run)}
    assert len(rows) == 4 and all(r.hours == 8 for r in rows.values())
    assert all(abs(r.empowerment - run.mean_empowerment) <= 3 + 1e-9 for r in rows.values())
    balancing.publish_balance(bakery.ada, run)
    assert Event.objects.filter(verb="jobs.balance_published").count() == 1


def test_pages_show_the_result_chart_and_own_complex(bakery: Any, login: Any) -> None:
    from django.urls import reverse

    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=4, band=3)
    balancing.publish_balance(bakery.ada, Balance.objects.get(pk=run.pk))
    client = login(bakery.people[1])
    page = client.get(reverse("jobs:tasks", args=["council", bakery.council.slug]))
    assert page.status_code == 200 and "Bake" in page.content.decode()
    page = client.get(reverse("jobs:balance", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "style=" not in html
    page = client.get(reverse("jobs:mine", args=[run.pk]))
    assert page.status_code == 200
    ics = client.get(reverse("jobs:mine_ics", args=[run.pk]))
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content


def test_only_stewards_run_and_publish(bakery: Any, other_chapter: Any) -> None:
    outsider = other_chapter.memberships.first().member
    for who in (bakery.people[1], outsider):
        with pytest.raises(PermissionDenied):
            balancing.request_balance(who, bakery.owner, starts_on=START)
    assert not Balance.objects.exists()
    with pytest.raises(ValidationError, match="band"):
        balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=50)
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    with pytest.raises(PermissionDenied):
        balancing.publish_balance(bakery.people[1], run)
    assert Balance.objects.get(pk=run.pk).published_at is None


def test_infeasible_and_bad_inputs_are_explained_in_words(bakery: Any) -> None:
    licence = services.add_qualification(bakery.ada, bakery.owner, "Oven licence")
    bake_needs = bakery.bake
    bake_needs.qualifications.add(licence)  # no one holds it
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    run.refresh_from_db()
    assert run.status == "infeasible"
    assert "Bake" in run.message and "qualif" in run.message, run.message
    bake_needs.qualifications.clear()
    services.set_weekly_hours(bakery.ada, bakery.owner, bakery.people[1], 40)
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    run.refresh_from_db()
    assert run.status == "failed" and "exceed what the tasks need" in run.message


def test_a_rebalance_keeps_the_previous_assignment_and_shows_who_moves(
    bakery: Any, login: Any
) -> None:
    from django.urls import reverse

    first = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    balancing.publish_balance(bakery.ada, Balance.objects.get(pk=first.pk))
    same = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    same.refresh_from_db()
    assert same.previous_id == first.pk and same.summary["hours_moved"] == 0
    # Di goes part-time: 4 h; Bo takes 12 h.
    services.set_weekly_hours(bakery.ada, bakery.owner, bakery.people[3], 4)
    services.set_weekly_hours(bakery.ada, bakery.owner, bakery.people[1], 12)
    moved = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    moved.refresh_from_db()
    assert moved.status == "done", moved.message
    rows = {c.member_id: c for c in PersonComplex.objects.filter(balance=moved)}
    assert rows[bakery.people[3].pk].hours == 4 and rows[bakery.people[1].pk].hours == 12
    assert rows[bakery.people[3].pk].hours_moved >= 4
    assert sum(r.hours_moved for r in rows.values()) == moved.summary["hours_moved"]
    html = login(bakery.ada).get(reverse("jobs:balance", args=[moved.pk])).content.decode()
    assert "Who moves" in html and "hours a week change" in html


def test_progress_fragment_polls_until_the_run_ends(bakery: Any, login: Any) -> None:
    from django.urls import reverse

    from parecon.web.jobs.balancing import run_balance

    queued = Balance.objects.create(
        chapter=bakery.chapter, council=bakery.council, starts_on=START, band=3,
        requested_by=bakery.ada, progress="Waiting for the worker",
    )  # fmt: skip
    client = login(bakery.people[1])
    fragment = client.get(reverse("jobs:progress", args=[queued.pk])).content.decode()
    assert "hx-get" in fragment and "Waiting for the worker" in fragment
    run_balance(queued.pk)
    fragment = client.get(reverse("jobs:progress", args=[queued.pk])).content.decode()
    assert "hx-get" not in fragment and "<svg" in fragment


def test_chapter_roles_rotate_through_published_balances(chapter: Any, make_member: Any) -> None:
    from datetime import timedelta

    from parecon.web.chapters.models import GrantSource, RoleGrant
    from parecon.web.jobs.owners import Owner

    founder = chapter.founder
    people = [founder, *(make_member(n) for n in ("Bo", "Cy", "Di"))]
    owner = Owner(chapter)
    fac = services.create_task(
        founder, owner, kind="recurring", name="Facilitate", shift_hours=2, shifts_per_week=1,
        role="facilitator",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already one of the chapter"):
        services.create_task(
            founder, owner, kind="recurring", name="F2", shift_hours=2, shifts_per_week=1,
            role="facilitator",
        )  # fmt: skip
    chores = services.create_task(
        founder, owner, kind="recurring", name="Chairs", shift_hours=2, shifts_per_week=3
    )
    for p in people:
        services.rate_task(p, fac, empowerment=12, desirability=10)
        services.rate_task(p, chores, empowerment=8, desirability=10)
    run = balancing.request_balance(founder, owner, starts_on=START, weeks=4, band=3)
    run.refresh_from_db()
    assert run.status == "done", run.message
    balancing.publish_balance(founder, run)
    grants = RoleGrant.objects.filter(source=GrantSource.ROTATION, role="facilitator")
    assert grants.count() == 1 and grants[0].source_ref == f"jobs.balance:{run.pk}"
    first = grants[0].member
    assert (grants[0].ends_at - grants[0].starts_at).days == 28
    assert Event.objects.filter(verb="role.granted", data__source="rotation").count() == 1
    later = START + timedelta(days=28)
    nxt = balancing.request_balance(founder, owner, starts_on=later, weeks=4, band=3)
    balancing.publish_balance(founder, Balance.objects.get(pk=nxt.pk))
    second = RoleGrant.objects.filter(source_ref=f"jobs.balance:{nxt.pk}").get()
    assert second.member != first  # the last holder sits a term out


def test_one_off_tasks_count_in_the_period_they_fall_in(bakery: Any) -> None:
    from datetime import timedelta

    from parecon.web.jobs.inputs import period_tasks

    inside = services.create_task(
        bakery.ada, bakery.owner, kind="one_off", name="Paint the shop", hours=8,
        due_on=START + timedelta(days=10),
    )  # fmt: skip
    services.create_task(
        bakery.ada, bakery.owner, kind="one_off", name="Next month", hours=8,
        due_on=START + timedelta(days=40),
    )  # fmt: skip
    names = [t.name for t in period_tasks(bakery.owner, START, 4)]
    assert "Paint the shop" in names and "Next month" not in names
    services.set_weekly_hours(bakery.ada, bakery.owner, bakery.people[1], 10)  # 8 h + 2 h
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=4, band=3)
    run.refresh_from_db()
    assert run.status == "done", run.message
    held = run.assignments.filter(task=inside)
    assert held.count() == 1 and held[0].shift_hours == 2.0  # 8 h over 4 weeks, one person


def test_published_shifts_are_in_the_personal_feed(bakery: Any, login: Any) -> None:
    from parecon.web.calendars.services import issue_feed_token

    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=2, band=3)
    raw = issue_feed_token(bakery.people[1])
    feed = login(bakery.people[2]).get(f"/calendar/feed/{raw}.ics").content.decode()
    assert "Shift:" not in feed  # not published yet
    balancing.publish_balance(bakery.ada, Balance.objects.get(pk=run.pk))
    feed = login(bakery.people[2]).get(f"/calendar/feed/{raw}.ics").content.decode()
    assert feed.count("BEGIN:VEVENT") == 4 and "Shift:" in feed  # 2 shifts a week, 2 weeks


def test_a_holder_of_many_shifts_of_a_busy_task_never_works_two_at_once(bakery: Any) -> None:
    """14 shifts a week of one task, 5 of them one person's: on 5 different days (the
    period's spread used to stack two a day at the same hour), and never at the same
    time as their other tasks' shifts."""
    from itertools import pairwise

    from parecon.web.jobs.models import Assignment, Task
    from parecon.web.jobs.selectors import shifts_of

    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=2, band=3)
    busy = Task.objects.create(
        chapter=bakery.chapter, council=bakery.council, kind="recurring", name="Counter",
        shift_hours=2, shifts_per_week=14, created_by=bakery.ada,
    )  # fmt: skip
    first, second = sorted(bakery.people[1:3], key=lambda m: m.pk)
    for who, shifts in ((first, 5), (second, 9)):
        Assignment.objects.create(balance=run, member=who, task=busy, shifts=shifts, shift_hours=2)
    for who, shifts in ((first, 5), (second, 9)):
        assert len([s for s in shifts_of(run, who.pk) if s.task == busy and s.week == 0]) == shifts
        everything = shifts_of(run, who.pk)  # the bakery's tasks too, all starting at 9:00
        assert len({s.task for s in everything}) > 1
        assert all(a.ends_at <= b.starts_at for a, b in pairwise(everything))
    days = {s.starts_at.date() for s in shifts_of(run, first.pk) if s.task == busy and s.week == 0}
    assert len(days) == 5
