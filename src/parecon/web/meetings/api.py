"""``/api/meetings``: meetings, agenda, attendance, minutes, decisions, follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.meetings import room_decisions, services
from parecon.web.meetings.models import AgendaItem, Meeting
from parecon.web.meetings.selectors import RoomDecisionRow, chapter_meetings, room_decisions_of
from parecon.web.members.models import Member
from parecon.web.site.api_auth import writer

router = Router(tags=["meetings"])


class AgendaOut(Schema):
    id: int
    title: str
    notes: str
    minutes_boxed: int
    added_by: str


class RoomDecisionOut(Schema):
    """A decision taken in the room; ``outcome`` is the engine's, empty while open."""

    id: int
    decision_id: int
    text: str
    method: str
    counts: dict[str, int]
    outcome: str


class FollowUpOut(Schema):
    id: int
    title: str
    assignee_id: int | None
    due_on: date
    hours: Decimal
    done: bool


class MeetingOut(Schema):
    id: int
    chapter: str
    title: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    place: str
    video_link: str
    facilitator: str | None
    note_taker: str | None
    agenda: list[AgendaOut]
    present: list[int]
    minutes: str | None
    published_at: datetime | None
    decisions: list[RoomDecisionOut]
    follow_ups: list[FollowUpOut]


class MeetingSummary(Schema):
    id: int
    title: str
    starts_at: datetime
    published: bool


class AgendaIn(Schema):
    title: str = Field(..., max_length=200)
    minutes_boxed: int = Field(10, ge=1, le=240)
    notes: str = Field("", max_length=2000)


class MinutesIn(Schema):
    minutes: str = Field(..., max_length=100_000)


class AttendanceIn(Schema):
    present: list[int] = Field(..., max_length=5000)


class RoomDecisionIn(Schema):
    """The room's counts; with ``agenda_item_id`` (a proposal on the agenda) its method
    counts and ``text``/``method`` are ignored."""

    text: str = Field("", max_length=500)
    method: str = Field("consent", pattern="^(consent|majority|qualified_majority)$")
    agenda_item_id: int | None = None
    block_reason: str = Field("", max_length=2000)
    in_favour: int = Field(0, ge=0, le=1_000_000)
    against: int = Field(0, ge=0, le=1_000_000)
    abstain: int = Field(0, ge=0, le=1_000_000)
    blocks: int = Field(0, ge=0, le=1_000_000)


class FollowUpIn(Schema):
    title: str = Field(..., max_length=200)
    assignee_id: int | None = None
    due_on: date
    hours: Decimal = Field(Decimal(1), ge=Decimal("0.25"), le=Decimal(1000))
    description: str = Field("", max_length=2000)


def _decision_out(d: RoomDecisionRow) -> dict[str, object]:
    return {
        "id": d.id,
        "decision_id": d.decision_id,
        "text": d.title,
        "method": d.method,
        "counts": dict(d.counts),
        "outcome": d.outcome,
    }


def _meeting_out(m: Meeting, viewer: object) -> dict[str, object]:
    show_minutes = m.published_at is not None or services.can_run(viewer, m)  # type: ignore[arg-type]
    return {
        "id": m.pk,
        "chapter": m.chapter.slug,
        "title": m.title,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "zone": m.zone,
        "place": m.place,
        "video_link": m.video_link,
        "facilitator": m.facilitator.display_name if m.facilitator else None,
        "note_taker": m.note_taker.display_name if m.note_taker else None,
        "agenda": [
            {
                "id": i.pk,
                "title": i.title,
                "notes": i.notes,
                "minutes_boxed": i.minutes_boxed,
                "added_by": i.added_by.display_name,
            }
            for i in m.agenda.select_related("added_by")
        ],
        "present": sorted(m.attendance.values_list("member_id", flat=True)),
        "minutes": m.minutes if show_minutes else None,
        "published_at": m.published_at,
        "decisions": [_decision_out(d) for d in room_decisions_of(m)],
        "follow_ups": [
            {
                "id": t.pk,
                "title": t.title,
                "assignee_id": t.assignee_id,
                "due_on": t.due_on,
                "hours": t.hours,
                "done": t.done_at is not None,
            }
            for t in m.follow_ups.all()
        ],
    }


def _meeting(meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("chapter", "facilitator", "note_taker"), pk=meeting_id
    )


@router.get("", response=list[MeetingSummary])
def list_meetings(request: HttpRequest, chapter: str) -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter)
    permissions.require_member(request.user, found)
    return [
        {"id": m.pk, "title": m.title, "starts_at": m.starts_at, "published": bool(m.published_at)}
        for m in chapter_meetings(found)[:200]
    ]


@router.get("/{meeting_id}", response=MeetingOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, object]:
    m = _meeting(meeting_id)
    services.require_viewer(request.user, m)
    return _meeting_out(m, request.user)


@router.post("/{meeting_id}/agenda", response={201: AgendaOut})
def add_agenda(
    request: HttpRequest, meeting_id: int, payload: AgendaIn
) -> Status[dict[str, object]]:
    actor = writer(request)
    item = services.add_agenda_item(
        actor, _meeting(meeting_id), payload.title, payload.minutes_boxed, payload.notes
    )
    return Status(
        201,
        {
            "id": item.pk,
            "title": item.title,
            "notes": item.notes,
            "minutes_boxed": item.minutes_boxed,
            "added_by": actor.display_name,
        },
    )


@router.put("/{meeting_id}/minutes", response=MeetingOut)
def save_minutes(request: HttpRequest, meeting_id: int, payload: MinutesIn) -> dict[str, object]:
    actor = writer(request)
    m = services.save_minutes(actor, _meeting(meeting_id), payload.minutes)
    return _meeting_out(m, actor)


@router.post("/{meeting_id}/attendance", response=MeetingOut)
def attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, object]:
    actor = writer(request)
    m = _meeting(meeting_id)
    services.set_attendance(actor, m, payload.present)
    return _meeting_out(m, actor)


@router.post("/{meeting_id}/decisions", response={201: RoomDecisionOut})
def decision(
    request: HttpRequest, meeting_id: int, payload: RoomDecisionIn
) -> Status[dict[str, object]]:
    actor = writer(request)
    m = _meeting(meeting_id)
    data = payload.dict()
    item_id = data.pop("agenda_item_id")
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=m) if item_id else None
    taken = room_decisions.record_decision(actor, m, agenda_item=item, **data)
    row = next(r for r in room_decisions_of(m) if r.id == taken.pk)
    return Status(201, _decision_out(row))


@router.post("/{meeting_id}/follow-ups", response={201: FollowUpOut})
def follow_up(
    request: HttpRequest, meeting_id: int, payload: FollowUpIn
) -> Status[dict[str, object]]:
    assignee = get_object_or_404(Member, pk=payload.assignee_id) if payload.assignee_id else None
    t = services.add_follow_up(
        writer(request),
        _meeting(meeting_id),
        title=payload.title,
        assignee=assignee,
        due_on=payload.due_on,
        hours=payload.hours,
        description=payload.description,
    )
    return Status(
        201,
        {
            "id": t.pk,
            "title": t.title,
            "assignee_id": t.assignee_id,
            "due_on": t.due_on,
            "hours": t.hours,
            "done": False,
        },
    )


@router.post("/{meeting_id}/publish", response=MeetingOut)
def publish(request: HttpRequest, meeting_id: int) -> dict[str, object]:
    actor = writer(request)
    m = services.publish_minutes(actor, _meeting(meeting_id))
    return _meeting_out(m, actor)
