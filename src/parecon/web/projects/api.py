"""``/api/projects`` and ``/api/events``: projects, commitments, tasks, events, RSVP.

Newcomers join by e-mail through the pages only (a confirmation link is e-mailed);
the API is for members.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parecon.web.chapters.models import Chapter
from parecon.web.instants import Instant
from parecon.web.members.models import Member
from parecon.web.projects import services
from parecon.web.projects.models import Event, Project
from parecon.web.projects.models import Status as Going
from parecon.web.site.api_auth import writer

projects_router = Router(tags=["projects"])
events_router = Router(tags=["events"])


class ProjectOut(Schema):
    id: int
    chapter: str
    title: str
    goal: str
    description: str
    thread_url: str
    committed: list[str]
    tasks: list[str]


class ProjectIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., max_length=200)
    goal: str = Field(..., max_length=500)
    description: str = Field("", max_length=5000)
    thread_url: str = Field("", max_length=200)


class CommitIn(Schema):
    committed: bool = True


class ProjectTaskIn(Schema):
    title: str = Field(..., max_length=200)
    assignee_id: int | None = None
    due_on: date
    hours: Decimal = Field(Decimal(1), ge=Decimal("0.25"), le=Decimal(1000))


class OpenEventOut(Schema):
    id: int
    chapter: str
    project: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    place: str
    capacity: int | None
    going: int
    waiting: int


class OpenEventIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., max_length=200)
    starts_at: Instant
    ends_at: Instant
    zone: str = Field(..., max_length=64)
    place: str = Field("", max_length=300)
    capacity: int | None = Field(None, ge=1, le=100_000)
    description: str = Field("", max_length=5000)
    project: int | None = None


class RsvpOut(Schema):
    status: str


def _project_out(p: Project) -> dict[str, object]:
    return {
        "id": p.pk,
        "chapter": p.chapter.slug,
        "title": p.title,
        "goal": p.goal,
        "description": p.description,
        "thread_url": p.thread_url,
        "committed": [
            r.name
            for r in p.participants.filter(status=Going.GOING).select_related("member", "newcomer")
        ],
        "tasks": [t.title for t in p.tasks.all()],
    }


def _event_out(e: Event) -> dict[str, object]:
    return {
        "id": e.pk,
        "chapter": e.chapter.slug,
        "project": e.project_id,
        "title": e.title,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "zone": e.zone,
        "place": e.place,
        "capacity": e.capacity,
        "going": e.participants.filter(status=Going.GOING).count(),
        "waiting": e.participants.filter(status=Going.WAITING).count(),
    }


@projects_router.get("", response=list[ProjectOut], auth=None)
def list_projects(request: HttpRequest, chapter: str) -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter)
    return [_project_out(p) for p in Project.objects.filter(chapter=found)[:200]]


@projects_router.get("/{project_id}", response=ProjectOut, auth=None)
def get_project(request: HttpRequest, project_id: int) -> dict[str, object]:
    return _project_out(get_object_or_404(Project, pk=project_id))


@projects_router.post("", response={201: ProjectOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, object]]:
    actor = writer(request)
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    p = services.create_project(
        actor,
        chapter,
        title=payload.title,
        goal=payload.goal,
        description=payload.description,
        thread_url=payload.thread_url,
    )
    return Status(201, _project_out(p))


@projects_router.post("/{project_id}/commit", response=ProjectOut)
def commit(request: HttpRequest, project_id: int, payload: CommitIn) -> dict[str, object]:
    p = get_object_or_404(Project, pk=project_id)
    services.commit(writer(request), p, payload.committed)
    return _project_out(p)


@projects_router.post("/{project_id}/tasks", response={201: ProjectOut})
def add_task(
    request: HttpRequest, project_id: int, payload: ProjectTaskIn
) -> Status[dict[str, object]]:
    actor = writer(request)
    p = get_object_or_404(Project, pk=project_id)
    assignee = get_object_or_404(Member, pk=payload.assignee_id) if payload.assignee_id else None
    services.add_project_task(
        actor, p, title=payload.title, assignee=assignee, due_on=payload.due_on, hours=payload.hours
    )
    return Status(201, _project_out(p))


@events_router.get("", response=list[OpenEventOut], auth=None)
def list_events(request: HttpRequest, chapter: str) -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter)
    return [_event_out(e) for e in Event.objects.filter(chapter=found)[:200]]


@events_router.get("/{event_id}", response=OpenEventOut, auth=None)
def get_event(request: HttpRequest, event_id: int) -> dict[str, object]:
    return _event_out(get_object_or_404(Event, pk=event_id))


@events_router.post("", response={201: OpenEventOut})
def create_event(request: HttpRequest, payload: OpenEventIn) -> Status[dict[str, object]]:
    actor = writer(request)
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    project = get_object_or_404(Project, pk=payload.project) if payload.project else None
    e = services.create_event(
        actor,
        chapter,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        zone=payload.zone,
        place=payload.place,
        capacity=payload.capacity,
        description=payload.description,
        project=project,
    )
    return Status(201, _event_out(e))


@events_router.post("/{event_id}/rsvp", response=RsvpOut)
def rsvp(request: HttpRequest, event_id: int) -> dict[str, str]:
    row = services.rsvp(writer(request), get_object_or_404(Event, pk=event_id))
    return {"status": row.status}


@events_router.post("/{event_id}/cancel", response=RsvpOut)
def cancel(request: HttpRequest, event_id: int) -> dict[str, str]:
    services.cancel_rsvp(writer(request), get_object_or_404(Event, pk=event_id))
    return {"status": "cancelled"}
