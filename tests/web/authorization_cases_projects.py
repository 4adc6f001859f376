"""Write cases of projects and events for the authorisation sweep.

Events are open: any logged-in member answers one, and a newcomer joins by e-mail
(the e-mailed link is their credential), so those cases refuse only the anonymous
visitor, or no one; tests/web/meetings/test_projects.py checks the links.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.urls import reverse

from tests.web.authorization import api_write, page_reads, page_write

MEMBERS = ("anonymous", "outsider")

page_reads("projects:chapter", "projects:project", "projects:event")


def _project(w: Any) -> Any:
    if not hasattr(w, "project"):
        from parecon.web.projects import services

        w.project = services.create_project(
            w.users["admin"], w.chapter, title="Garden", goal="Forty beds"
        )
    return w.project


def _event(w: Any) -> Any:
    if not hasattr(w, "open_event"):
        from parecon.web.projects import services

        start = datetime(2027, 3, 6, 10, tzinfo=UTC)
        w.open_event = services.create_event(
            w.users["admin"],
            w.chapter,
            title="Planting",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            zone="Europe/Madrid",
            capacity=10,
        )
    return w.open_event


@page_write("projects:new_project", right="plain", wrong=MEMBERS)
def _new_project(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:new_project", args=[w.chapter.slug]), {"title": "P", "goal": "G"}


@page_write("projects:new_event", right="plain", wrong=MEMBERS)
def _new_event(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:new_event", args=[w.chapter.slug]), {
        "title": "E",
        "starts_at": "2027-05-01T10:00",
        "zone": "UTC",
        "minutes": "60",
    }


@page_write("projects:commit", right="plain", wrong=MEMBERS)
def _commit(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:commit", args=[_project(w).pk]), {}


@page_write("projects:task", right="admin")
def _task(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:task", args=[_project(w).pk]), {"title": "Dig", "due_on": "2027-03-01"}


@page_write("projects:project_join", right="anonymous", wrong=())
def _project_join(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:project_join", args=[_project(w).pk]), {
        "name": "Nia",
        "email": "nia@example.org",
    }


@page_write("projects:event_join", right="anonymous", wrong=())
def _event_join(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:event_join", args=[_event(w).pk]), {
        "name": "Nia",
        "email": "nia@example.org",
    }


@page_write("projects:confirm", right="anonymous", wrong=())
def _confirm(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.projects import services

    raw = services.join_by_email(_event(w), "Nia", "nia@example.org")
    return reverse("projects:confirm", args=[raw]), {}


@page_write("projects:rsvp", right="plain", wrong=("anonymous",))
def _rsvp(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("projects:rsvp", args=[_event(w).pk]), {}


@page_write("projects:cancel", right="plain", wrong=("anonymous",))
def _cancel(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.projects import services

    services.rsvp(w.users["plain"], _event(w))
    return reverse("projects:cancel", args=[_event(w).pk]), {}


@api_write("POST", "/api/projects", right="plain", wrong=MEMBERS)
def _api_project(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/projects", {"chapter": w.chapter.slug, "title": "P", "goal": "G"}


@api_write("POST", "/api/projects/{project_id}/commit", right="plain", wrong=MEMBERS)
def _api_commit(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/projects/{_project(w).pk}/commit", {"committed": True}


@api_write("POST", "/api/projects/{project_id}/tasks", right="admin")
def _api_task(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/projects/{_project(w).pk}/tasks", {"title": "Dig", "due_on": "2027-03-01"}


@api_write("POST", "/api/events", right="plain", wrong=MEMBERS)
def _api_event(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/events", {
        "chapter": w.chapter.slug,
        "title": "E",
        "starts_at": "2027-05-01T10:00:00Z",
        "ends_at": "2027-05-01T12:00:00Z",
        "zone": "UTC",
    }


@api_write("POST", "/api/events/{event_id}/rsvp", right="plain", wrong=("anonymous",))
def _api_rsvp(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/events/{_event(w).pk}/rsvp", {}


@api_write("POST", "/api/events/{event_id}/cancel", right="plain", wrong=("anonymous",))
def _api_cancel(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.projects import services

    services.rsvp(w.users["plain"], _event(w))
    return f"/api/events/{_event(w).pk}/cancel", {}


# --- evaluations --------------------------------------------------------------------
page_reads(
    "evaluations:library",
    "evaluations:compare",
    "evaluations:detail",
    "evaluations:summary",
    "evaluations:pdf",
)


def _evaluation(w: Any) -> Any:
    if not hasattr(w, "evaluation"):
        from parecon.web.evaluations import services

        w.evaluation = services.create_evaluation(
            w.users["admin"], w.chapter, institution="Forn", kind="coop"
        )
    return w.evaluation


@page_write("evaluations:new", right="plain", wrong=MEMBERS)
def _ev_new(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("evaluations:new", args=[w.chapter.slug]), {"institution": "X", "kind": "coop"}


@page_write("evaluations:rate", right="plain", wrong=MEMBERS)
def _ev_rate(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("evaluations:rate", args=[_evaluation(w).pk]), {"score-equity": "7"}


@page_write("evaluations:fork", right="outsider", wrong=("anonymous", "newcomer"))
def _ev_fork(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("evaluations:fork", args=[_evaluation(w).pk]), {"chapter": w.other.slug}


@api_write("POST", "/api/evaluations", right="plain", wrong=MEMBERS)
def _api_ev(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/evaluations", {"chapter": w.chapter.slug, "institution": "X", "kind": "coop"}


@api_write("POST", "/api/evaluations/{evaluation_id}/ratings", right="plain", wrong=MEMBERS)
def _api_ev_rate(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/evaluations/{_evaluation(w).pk}/ratings", {
        "ratings": [{"value": "equity", "score": 7}]
    }


@api_write(
    "POST",
    "/api/evaluations/{evaluation_id}/fork",
    right="outsider",
    wrong=("anonymous", "newcomer"),
)
def _api_ev_fork(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/evaluations/{_evaluation(w).pk}/fork", {"chapter": w.other.slug}
