"""``/api/polls``: time polls, their counted grid in a viewer's zone, answers, guests."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.councils.models import Council
from parecon.web.instants import Instant
from parecon.web.members.models import Member
from parecon.web.polls import arithmetic, services
from parecon.web.polls.models import PollGuest, TimePoll
from parecon.web.polls.selectors import member_zone, poll_result, voter_names
from parecon.web.site.api_auth import writer

router = Router(tags=["polls"])


class OptionIn(Schema):
    start: datetime = Field(..., description="wall-clock start in the poll's zone (no offset)")
    minutes: int = Field(..., ge=15, le=1440)


class PollIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    zone: str = Field(..., max_length=64)
    options: list[OptionIn] = Field(..., min_length=1, max_length=60)
    invitees: str = Field("chapter", pattern="^(chapter|list|council)$")
    invited: list[int] = Field(default_factory=list, max_length=1000)
    council: str = Field("", max_length=120, description="a council's slug (invitees=council)")
    closes_at: Instant | None = None
    place: str = Field("", max_length=300)
    video_link: str = Field("", max_length=200)


class AnswerIn(Schema):
    option: int
    choice: str = Field(..., pattern="^(yes|if_need_be|no)$")
    comment: str = Field("", max_length=300)


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(..., min_length=1, max_length=60)


class GuestIn(Schema):
    name: str = Field(..., max_length=120)


class GuestOut(Schema):
    id: int
    name: str
    link: str


class FinaliseIn(Schema):
    option: int


class SlotOut(Schema):
    option: int
    start: datetime
    end: datetime
    yes: list[str]
    if_need_be: list[str]
    no: list[str]
    score: int
    best: bool


class DayOut(Schema):
    date: str
    slots: list[SlotOut]


class PollOut(Schema):
    id: int
    chapter: str
    title: str
    description: str
    zone: str
    viewer_zone: str
    closes_at: datetime | None
    finalised_option: int | None
    meeting: int | None
    days: list[DayOut]
    best: list[int]
    missing: list[str]
    everyone_answered: bool


class PollSummary(Schema):
    id: int
    title: str
    closes_at: datetime | None
    finalised: bool


def _poll_out(poll: TimePoll, viewer_zone: str) -> dict[str, object]:
    result = poll_result(poll)
    names = voter_names(poll)
    days = arithmetic.grid(result, viewer_zone)
    meeting = getattr(poll, "meeting", None)
    return {
        "id": poll.pk,
        "chapter": poll.chapter.slug,
        "title": poll.title,
        "description": poll.description,
        "zone": poll.zone,
        "viewer_zone": viewer_zone,
        "closes_at": poll.closes_at,
        "finalised_option": poll.finalised_option_id,
        "meeting": meeting.pk if meeting else None,
        "days": [
            {
                "date": d.date.isoformat(),
                "slots": [
                    {
                        "option": int(s.score.option.id),
                        "start": s.start,
                        "end": s.end,
                        "yes": [names.get(v, "?") for v in s.score.yes],
                        "if_need_be": [names.get(v, "?") for v in s.score.if_need_be],
                        "no": [names.get(v, "?") for v in s.score.no],
                        "score": s.score.score,
                        "best": s.score.best,
                    }
                    for s in d.slots
                ],
            }
            for d in days
        ],
        "best": [int(b) for b in result.best],
        "missing": [names.get(v, "?") for v in result.missing],
        "everyone_answered": result.everyone_answered,
    }


def _poll_for(request: HttpRequest, poll_id: int) -> TimePoll:
    poll = get_object_or_404(TimePoll.objects.select_related("chapter"), pk=poll_id)
    services.require_viewer(request.user, poll)
    return poll


@router.get("", response=list[PollSummary])
def list_polls(request: HttpRequest, chapter: str) -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter)
    permissions.require_member(request.user, found)
    return [
        {"id": p.pk, "title": p.title, "closes_at": p.closes_at, "finalised": bool(p.finalised_at)}
        for p in TimePoll.objects.filter(chapter=found)[:200]
    ]


@router.get("/{poll_id}", response=PollOut)
def get_poll(request: HttpRequest, poll_id: int, tz: str = "") -> dict[str, object]:
    poll = _poll_for(request, poll_id)
    zone = arithmetic.check_zone(tz, "tz") if tz else member_zone(request.user, poll.zone)
    return _poll_out(poll, zone)


@router.post("", response={201: PollOut})
def create_poll(request: HttpRequest, payload: PollIn) -> Status[dict[str, object]]:
    actor = writer(request)
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    poll = services.create_poll(
        actor,
        chapter,
        title=payload.title,
        description=payload.description,
        zone=payload.zone,
        options=[(o.start.replace(tzinfo=None), o.minutes) for o in payload.options],
        invitees=payload.invitees,
        invited=list(Member.objects.filter(pk__in=payload.invited)),
        council=Council.objects.filter(slug=payload.council).first() if payload.council else None,
        closes_at=payload.closes_at,
        place=payload.place,
        video_link=payload.video_link,
    )
    return Status(201, _poll_out(poll, poll.zone))


@router.post("/{poll_id}/answers", response=PollOut)
def answer(request: HttpRequest, poll_id: int, payload: AnswersIn) -> dict[str, object]:
    actor = writer(request)
    poll = get_object_or_404(TimePoll.objects.select_related("chapter"), pk=poll_id)
    services.answer_as_member(
        actor, poll, {a.option: (a.choice, a.comment) for a in payload.answers}
    )
    return _poll_out(poll, member_zone(actor, poll.zone))


@router.post("/{poll_id}/guests", response={201: GuestOut})
def invite_guest(request: HttpRequest, poll_id: int, payload: GuestIn) -> Status[dict[str, object]]:
    poll = get_object_or_404(TimePoll.objects.select_related("chapter"), pk=poll_id)
    guest, raw = services.invite_guest(writer(request), poll, payload.name)
    link = request.build_absolute_uri(f"/polls/guest/{raw}/")
    return Status(201, {"id": guest.pk, "name": guest.name, "link": link})


@router.post("/{poll_id}/guests/{guest_id}/revoke", response=GuestOut)
def revoke_guest(request: HttpRequest, poll_id: int, guest_id: int) -> dict[str, object]:
    guest = get_object_or_404(
        PollGuest.objects.select_related("poll"), pk=guest_id, poll_id=poll_id
    )
    services.revoke_guest(writer(request), guest)
    return {"id": guest.pk, "name": guest.name, "link": ""}


@router.post("/{poll_id}/finalise", response=PollOut)
def finalise(request: HttpRequest, poll_id: int, payload: FinaliseIn) -> dict[str, object]:
    actor = writer(request)
    poll = get_object_or_404(TimePoll.objects.select_related("chapter"), pk=poll_id)
    services.require_organiser(actor, poll)
    option = get_object_or_404(poll.options, pk=payload.option)
    services.finalise(actor, poll, option)
    poll.refresh_from_db()
    return _poll_out(poll, member_zone(actor, poll.zone))
