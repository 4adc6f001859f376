"""Projects and events open to newcomers: commitments, tasks, RSVP with capacity and a
waiting list, joining by e-mail without an account, and newcomers who came back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(chapter: Any, make_member: Any) -> Any:
    from parecon.web.projects import services

    return services.create_project(
        make_member("Pia"), chapter, title="Community garden", goal="Plant 40 beds by spring"
    )


@pytest.fixture
def event(chapter: Any, project: Any) -> Any:
    from parecon.web.projects import services

    start = datetime(2027, 3, 6, 10, tzinfo=UTC)
    return services.create_event(
        project.created_by,
        chapter,
        title="Planting day",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        zone="Europe/Madrid",
        place="The garden",
        capacity=2,
        project=project,
    )


def _confirm_link() -> str:
    found = re.search(r"http://testserver(/projects/confirm/[^/\s]+/)", mail.outbox[-1].body)
    assert found is not None
    return found.group(1)


def test_newcomer_joins_an_event_by_email(event: Any) -> None:
    from parecon.web.projects.models import Newcomer, Participation

    visitor = Client()
    r = visitor.post(
        f"/projects/events/{event.pk}/join/", {"name": "Marta", "email": "Marta@Example.org"}
    )
    assert r.status_code == 302
    row = Participation.objects.get(newcomer__email="marta@example.org")
    assert row.status == "pending" and len(row.digest) == 64
    link = _confirm_link()
    assert link.split("/")[3] not in row.digest
    # Opening the link (a mail scanner) confirms nothing; the button does.
    assert visitor.get(link).status_code == 200
    row.refresh_from_db()
    assert row.status == "pending"
    visitor.post(link)
    row.refresh_from_db()
    assert row.status == "going" and row.digest == ""
    assert Newcomer.objects.get().confirmed_at is not None
    assert visitor.post(link).status_code == 404  # used once
    page = Client().get(f"/projects/events/{event.pk}/").content.decode()
    assert "Marta" in page and "1 of 2 places taken" in page and "marta@example.org" not in page


def test_capacity_waiting_list_and_moving_up(event: Any, make_member: Any, login: Any) -> None:
    from parecon.web.projects.models import Participation

    a, b, c = (make_member(n) for n in ("A", "B", "C"))
    for m in (a, b, c):
        login(m).post(f"/projects/events/{event.pk}/rsvp/")
    status = lambda m: Participation.objects.get(event=event, member=m).status  # noqa: E731
    assert [status(m) for m in (a, b, c)] == ["going", "going", "waiting"]
    # A newcomer confirming now waits too, behind C.
    Client().post(f"/projects/events/{event.pk}/join/", {"name": "N", "email": "n@example.org"})
    Client().post(_confirm_link())
    assert Participation.objects.get(newcomer__isnull=False).status == "waiting"
    login(a).post(f"/projects/events/{event.pk}/cancel/")
    assert [status(m) for m in (a, b, c)] == ["cancelled", "going", "going"]
    assert Participation.objects.get(newcomer__isnull=False).status == "waiting"
    # Answering twice is refused.
    r = login(b).post(f"/projects/events/{event.pk}/rsvp/", follow=True)
    assert "already answered" in r.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "X", "email": "not-an-address"}, "valid e-mail"),
        ({"name": "", "email": "x@example.org"}, "required"),
        ({"name": "X" * 121, "email": "x@example.org"}, "120"),
    ],
)
def test_bad_newcomer_input(event: Any, data: dict[str, str], message: str) -> None:
    from parecon.web.projects.models import Participation

    r = Client().post(f"/projects/events/{event.pk}/join/", data, follow=True)
    assert message in r.content.decode()
    assert not Participation.objects.filter(newcomer__isnull=False).exists()
    assert not mail.outbox


def test_project_commitment_tasks_and_newcomers_who_came_back(
    project: Any, event: Any, chapter: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.projects.selectors import newcomer_stats

    pia = project.created_by
    m = make_member("Mo")
    r = login(m).post(f"/projects/{project.pk}/tasks/", {"title": "Dig", "due_on": "2027-03-01"})
    assert r.status_code == 403  # not committed
    login(m).post(f"/projects/{project.pk}/commit/")
    login(m).post(
        f"/projects/{project.pk}/tasks/",
        {"title": "Dig", "due_on": "2027-03-01", "assignee": m.pk, "hours": "3"},
    )
    task = project.tasks.get()
    assert task.assignee == m and task.meeting is None and task.chapter == chapter
    outsider = make_member("Out", city=3117735)
    assert login(outsider).post(f"/projects/{project.pk}/commit/").status_code == 403
    # A newcomer joins the project and the event: they came back once more.
    for url in (f"/projects/{project.pk}/join/", f"/projects/events/{event.pk}/join/"):
        Client().post(url, {"name": "Nia", "email": "nia@example.org"})
        Client().post(_confirm_link())
    Client().post(f"/projects/events/{event.pk}/join/", {"name": "Ola", "email": "ola@example.org"})
    Client().post(_confirm_link())
    stats = newcomer_stats(chapter)
    assert (stats.newcomers, stats.came_back, stats.became_members) == (2, 1, 0)
    make_member("Nia", email="nia@example.org")  # she joins the chapter (Barcelona)
    assert newcomer_stats(chapter).became_members == 1
    page = login(pia).get(f"/projects/chapter/{chapter.slug}/").content.decode()
    assert "2 took part, 1 came back" in page
    assert "took part" not in Client().get(f"/projects/chapter/{chapter.slug}/").content.decode()


def test_events_are_in_the_feeds(event: Any, chapter: Any, make_member: Any, login: Any) -> None:
    import icalendar

    member = make_member()
    client = login(member)
    client.post(f"/projects/events/{event.pk}/rsvp/")
    client.post("/calendar/issue/")
    url = re.search(
        r'value="http://testserver(/calendar/feed/[^"]+)"',
        client.get("/calendar/").content.decode(),
    )
    assert url is not None
    cal = icalendar.Calendar.from_ical(Client().get(url.group(1)).content)
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Planting day"]
    chapter_cal = icalendar.Calendar.from_ical(
        Client().get(f"/calendar/chapter/{chapter.slug}.ics").content
    )
    assert "Planting day" in [str(e["summary"]) for e in chapter_cal.walk("VEVENT")]


def test_projects_and_events_api(chapter: Any, make_member: Any, login: Any) -> None:
    import json

    a, b = make_member("A"), make_member("B")
    api = login(a)

    def post(url: str, payload: dict[str, Any], client: Any = api) -> Any:
        return client.post(url, json.dumps(payload), content_type="application/json")

    r = post(
        "/api/projects", {"chapter": chapter.slug, "title": "Repair café", "goal": "Fix 100 things"}
    )
    assert r.status_code == 201
    project = r.json()
    assert project["committed"] == ["A"]
    r = post(
        f"/api/projects/{project['id']}/tasks", {"title": "Tools", "due_on": "2027-01-10"}, login(b)
    )
    assert r.status_code == 403
    r = post(
        "/api/events",
        {
            "chapter": chapter.slug,
            "title": "Repair evening",
            "starts_at": "2027-01-15T18:00:00Z",
            "ends_at": "2027-01-15T17:00:00Z",
            "zone": "Europe/Madrid",
            "capacity": 1,
        },
    )
    assert r.status_code == 422 and "ends_at" in r.json()["detail"]
    r = post(
        "/api/events",
        {
            "chapter": chapter.slug,
            "title": "Repair evening",
            "starts_at": "2027-01-15T18:00:00Z",
            "ends_at": "2027-01-15T20:00:00Z",
            "zone": "Europe/Madrid",
            "capacity": 1,
            "project": project["id"],
        },
    )
    event = r.json()
    assert post(f"/api/events/{event['id']}/rsvp", {}).json() == {"status": "going"}
    assert post(f"/api/events/{event['id']}/rsvp", {}, login(b)).json() == {"status": "waiting"}
    post(f"/api/events/{event['id']}/cancel", {})
    assert Client().get(f"/api/events/{event['id']}").json()["going"] == 1
    assert [p["title"] for p in Client().get(f"/api/projects?chapter={chapter.slug}").json()] == [
        "Repair café"
    ]
