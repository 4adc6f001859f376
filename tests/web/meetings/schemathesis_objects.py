"""Real objects for schemathesis over the polls, meetings, projects, events and
evaluations API (called from tests/web/test_api_schemathesis.py).

``prepare`` makes one of each in the chapter (the admin organises and runs them);
``adjust`` points generated calls at them and fills the body fields random data
cannot hit (a chapter's slug, an IANA zone, an option of the poll), so that every
operation succeeds at least once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

LISTS = ("/api/polls", "/api/meetings", "/api/projects", "/api/events")


def prepare(admin: Any, chapter: Any, real: dict[str, Any]) -> None:
    from parecon.web.evaluations import services as evaluations
    from parecon.web.meetings import services as meetings
    from parecon.web.polls import services as polls
    from parecon.web.projects import services as projects

    poll = polls.create_poll(
        admin,
        chapter,
        title="Schema poll",
        zone="Europe/Madrid",
        options=[(datetime(2027, 6, 1, 19), 90)],
    )
    guest, _raw = polls.invite_guest(admin, poll, "Guest")
    start = datetime(2027, 6, 1, 17, tzinfo=UTC)
    meeting = meetings.schedule_meeting(
        admin,
        chapter,
        title="Schema meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        zone="UTC",
    )
    meetings.save_minutes(admin, meeting, "We met.")
    project = projects.create_project(admin, chapter, title="Garden", goal="Beds")
    event = projects.create_event(
        admin,
        chapter,
        title="Planting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        zone="UTC",
    )
    answered = projects.create_event(
        admin,
        chapter,
        title="Answered",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        zone="UTC",
    )
    projects.rsvp(admin, answered)
    evaluation = evaluations.create_evaluation(admin, chapter, institution="Forn", kind="coop")
    real["meetings_app"] = {
        "poll_id": poll.pk,
        "option": poll.options.get().pk,
        "guest_id": guest.pk,
        "meeting_id": meeting.pk,
        "project_id": project.pk,
        "event_id": event.pk,
        "answered_event_id": answered.pk,
        "evaluation_id": evaluation.pk,
        "admin": admin.pk,
    }


def _bodies(path: str, real: dict[str, Any]) -> dict[str, Any] | None:
    mine = real["meetings_app"]
    slug = real["slug"]
    start = "2027-06-01T18:00:00"
    return {
        "/api/polls": {
            "chapter": slug,
            "title": "Poll",
            "zone": "Europe/Madrid",
            "invitees": "chapter",
            "invited": [],
            "options": [{"start": start, "minutes": 60}],
            "closes_at": None,
            "video_link": "",
        },
        "/api/polls/{poll_id}/answers": {
            "answers": [{"option": mine["option"], "choice": "yes", "comment": ""}]
        },
        "/api/polls/{poll_id}/guests": {"name": "Guest"},
        "/api/polls/{poll_id}/finalise": {"option": mine["option"]},
        "/api/meetings/{meeting_id}/agenda": {"title": "Item", "minutes_boxed": 10},
        "/api/meetings/{meeting_id}/attendance": {"present": [mine["admin"]]},
        "/api/meetings/{meeting_id}/decisions": {
            "text": "Adopt",
            "method": "consent",
            "agenda_item_id": None,
            "in_favour": 3,
            "blocks": 0,
        },
        "/api/meetings/{meeting_id}/follow-ups": {"title": "Task", "assignee_id": None},
        "/api/projects": {"chapter": slug, "title": "P", "goal": "G", "thread_url": ""},
        "/api/projects/{project_id}/tasks": {"title": "Task", "assignee_id": None},
        "/api/events": {
            "chapter": slug,
            "title": "E",
            "starts_at": start + "Z",
            "ends_at": "2027-06-01T20:00:00Z",
            "zone": "UTC",
            "capacity": None,
            "project": None,
        },
        "/api/evaluations": {"chapter": slug, "institution": "X", "kind": "coop"},
        "/api/evaluations/{evaluation_id}/ratings": {
            "ratings": [{"value": "equity", "score": 5, "evidence": ""}]
        },
        "/api/evaluations/{evaluation_id}/fork": {"chapter": slug},
    }.get(path)


def adjust(case: Any, real: dict[str, Any]) -> None:
    if "meetings_app" not in real:
        return
    mine = real["meetings_app"]
    path = case.operation.path
    params = case.path_parameters or {}
    for name in ("poll_id", "guest_id", "meeting_id", "project_id", "event_id", "evaluation_id"):
        if name in params:
            params[name] = mine[name]
    if path == "/api/events/{event_id}/cancel":
        params["event_id"] = mine["answered_event_id"]
    if isinstance(case.query, dict):
        if path in LISTS:
            case.query["chapter"] = real["slug"]
        if path == "/api/polls/{poll_id}":
            case.query["tz"] = ""
    body = _bodies(path, real)
    if body is not None and isinstance(case.body, dict):
        case.body.update(body)
