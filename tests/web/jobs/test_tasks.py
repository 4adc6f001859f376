"""Tasks and private ratings: who may list and rate, validation, and that no one's
rating leaks into a page or an API response."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from parecon.web.history.models import Event
from parecon.web.jobs import services
from parecon.web.jobs.models import Task, TaskRating
from parecon.web.jobs.owners import Owner
from parecon.web.jobs.ratings import MIN_RATERS, aggregate

pytestmark = pytest.mark.django_db


def test_stewards_list_tasks_others_cannot(bakery: Any, other_chapter: Any) -> None:
    outsider = other_chapter.memberships.first().member
    before = Task.objects.count()
    for who in (bakery.people[1], outsider):
        with pytest.raises(PermissionDenied):
            services.create_task(
                who, bakery.owner, kind="recurring", name="X", shift_hours=2, shifts_per_week=1
            )
    assert Task.objects.count() == before
    with pytest.raises(ValidationError, match="shift_hours"):
        services.create_task(
            bakery.ada, bakery.owner, kind="recurring", name="X", shift_hours=30, shifts_per_week=1
        )
    with pytest.raises(ValidationError, match="due date"):
        services.create_task(bakery.ada, bakery.owner, kind="one_off", name="Paint", hours=3)
    with pytest.raises(ValidationError, match="recurring duty"):
        services.create_task(
            bakery.ada, bakery.owner, kind="one_off", name="Chair", hours=2,
            due_on=date(2027, 1, 5), role="facilitator",
        )  # fmt: skip
    paint = services.create_task(
        bakery.ada, bakery.owner, kind="one_off", name="Paint", hours=3, due_on=date(2027, 1, 6)
    )
    assert paint.weekly_hours == 0 and Event.objects.filter(verb="jobs.task_created").count() == 4


def test_ratings_are_private_and_appended(bakery: Any, other_chapter: Any) -> None:
    outsider = other_chapter.memberships.first().member
    with pytest.raises(PermissionDenied):
        services.rate_task(outsider, bakery.bake, empowerment=5, desirability=5)
    with pytest.raises(ValidationError, match="1 to 20"):
        services.rate_task(bakery.people[1], bakery.bake, empowerment=21, desirability=5)
    services.rate_task(bakery.people[1], bakery.bake, empowerment=3, desirability=3)
    assert TaskRating.objects.filter(task=bakery.bake, member=bakery.people[1]).count() == 2
    event = Event.objects.filter(verb="jobs.task_rated").last()
    assert event is not None and not event.public and "3" not in json.dumps(event.data)
    row = TaskRating.objects.filter(task=bakery.bake).first()
    assert row is not None
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_aggregate_waits_for_enough_raters_and_flags_outliers(bakery: Any) -> None:
    lone = services.create_task(
        bakery.ada, bakery.owner, kind="recurring", name="Deliver", shift_hours=4,
        shifts_per_week=1,
    )  # fmt: skip
    services.rate_task(bakery.people[1], lone, empowerment=19, desirability=2)
    agg = aggregate([lone, bakery.bake])
    assert agg[lone.pk].count == 1 and not agg[lone.pk].shown
    assert agg[lone.pk].empowerment.median is None
    assert agg[bakery.bake.pk].count == 4 >= MIN_RATERS
    assert agg[bakery.bake.pk].empowerment.median == 10.5
    services.rate_task(bakery.people[2], bakery.bake, empowerment=20, desirability=1)
    assert aggregate([bakery.bake])[bakery.bake.pk].empowerment.outliers == 1


def _values(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [v for x in data.values() for v in _values(x)]
    if isinstance(data, list):
        return [v for x in data for v in _values(x)]
    return [data]


def test_no_page_or_api_response_shows_anothers_rating(bakery: Any, login: Any) -> None:
    """A lone rater's 19/2 appears nowhere for a coworker; with enough raters only the
    median and quartiles do, never an individual's value."""
    lone = services.create_task(
        bakery.ada, bakery.owner, kind="recurring", name="Deliver", shift_hours=4,
        shifts_per_week=1,
    )  # fmt: skip
    rater, reader = bakery.people[1], bakery.people[2]
    services.rate_task(rater, lone, empowerment=19, desirability=2)
    services.rate_task(rater, bakery.books, empowerment=7, desirability=19)
    client = login(reader)
    html = client.get(reverse("jobs:tasks", args=["council", bakery.council.slug])).content.decode()
    assert 'value="19"' not in html and 'value="7"' not in html and "median 19" not in html
    mine = login(rater).get(reverse("jobs:tasks", args=["council", bakery.council.slug]))
    assert 'value="19"' in mine.content.decode()  # one's own rating, to oneself
    api = client.get(f"/api/tasks/owners/council/{bakery.council.slug}").json()
    deliver = next(t for t in api if t["id"] == lone.pk)
    assert deliver["ratings"] == 1 and deliver["empowerment"]["median"] is None
    books = next(t for t in api if t["id"] == bakery.books.pk)
    assert 19 not in _values(books["desirability"]) and 7 not in _values(books["empowerment"])
    assert not any("rater" in k or "member" in k for k in books)


def test_pages_refuse_wrong_users(bakery: Any, login: Any, other_chapter: Any) -> None:
    outsider = other_chapter.memberships.first().member
    url = reverse("jobs:tasks", args=["council", bakery.council.slug])
    assert login(outsider).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    rate = reverse("jobs:rate", args=[bakery.bake.pk])
    before = TaskRating.objects.count()
    login(outsider).post(rate, {"empowerment": 5, "desirability": 5})
    assert TaskRating.objects.count() == before
    new = reverse("jobs:new_task", args=["council", bakery.council.slug])
    response = login(bakery.people[1]).post(
        new, {"kind": "recurring", "name": "Z", "shift_hours": 2, "shifts_per_week": 1}
    )
    assert response.status_code == 403 and not Task.objects.filter(name="Z").exists()


def test_follow_ups_and_commons_matches_become_one_off_tasks(
    chapter: Any, make_member: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    from parecon.web.commons import services as commons
    from parecon.web.commons.services import PostData
    from parecon.web.meetings import services as meetings

    founder = chapter.founder
    other = make_member("Eve")
    start = datetime(2027, 1, 8, 18, tzinfo=UTC)
    meeting = meetings.schedule_meeting(
        founder, chapter, title="Assembly", starts_at=start,
        ends_at=start + timedelta(hours=1), zone="UTC",
    )  # fmt: skip
    follow = meetings.add_follow_up(
        founder, meeting, title="Print flyers", assignee=other, due_on=date(2027, 1, 12), hours=2
    )
    task = Task.objects.get(follow_up=follow)
    assert (task.kind, task.name, task.assignee, float(task.hours or 0)) == (
        "one_off", "Print flyers", other, 2.0,
    )  # fmt: skip
    assert task.chapter == chapter and task.council is None
    need = commons.post(founder, chapter, PostData(kind="need", category="goods", title="chairs"))
    offer = commons.post(other, chapter, PostData(kind="offer", category="goods", title="a chair"))
    commons.accept(founder, need, offer)
    aid = Task.objects.get(name__startswith="Mutual aid")
    assert aid.assignee == other and aid.kind == "one_off"
    assert {t.pk for t in Task.objects.filter(Owner(chapter).q)} >= {task.pk, aid.pk}


def test_a_contact_with_an_organisation_becomes_a_one_off_task(
    chapter: Any, make_member: Any
) -> None:
    """Issue 16: outreach's follow-ups are one-off tasks too, so they count as work."""
    from parecon.web.commons import services as commons

    founder = chapter.founder
    eve = make_member("Eve")
    org = commons.add_organisation(founder, chapter, name="Tenants' union", kind="union")
    commons.add_followup(founder, org, what="Ask about the rent strike", due=date(2027, 2, 1),
                         assignee=eve.pk)  # fmt: skip
    task = Task.objects.get(name__startswith="Contact Tenants")
    assert (task.kind, task.assignee, task.due_on, task.chapter) == (
        "one_off", eve, date(2027, 2, 1), chapter,
    )  # fmt: skip
