"""Every write to meetings: one function per action, authorised and recorded.

Who runs a meeting: its facilitator and note-taker, or any current facilitator,
note-taker or admin of the chapter. Any member adds agenda items. Scheduling a
meeting directly, and choosing who facilitates, is for a facilitator or an admin.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Membership, Role, RoleGrant
from parecon.web.chapters.permissions import has_role, require_login, require_member, require_role
from parecon.web.history.models import Event
from parecon.web.history.services import record
from parecon.web.meetings.models import (
    AgendaItem,
    Attendance,
    FollowUpTask,
    Meeting,
)
from parecon.web.polls.arithmetic import check_zone
from parecon.web.polls.selectors import invitee_members

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.decisions.models import Decision
    from parecon.web.members.models import Member
    from parecon.web.polls.models import TimePoll

MAX_AGENDA_ITEMS = 60
#: Minutes autosave every few seconds; the history gets one event per editor per window.
MINUTES_LOG_WINDOW = timedelta(minutes=10)


def require_runner(actor: Member | AnonymousUser, meeting: Meeting) -> Member:
    """The meeting's facilitator or note-taker, or a chapter's current one (or admin)."""
    m = require_member(actor, meeting.chapter)
    if m.pk in (meeting.facilitator_id, meeting.note_taker_id) or has_role(
        m, meeting.chapter, Role.FACILITATOR, Role.NOTE_TAKER, Role.ADMIN
    ):
        return m
    raise PermissionDenied(_("Only the meeting's facilitator or note-taker may do this."))


def require_viewer(actor: Member | AnonymousUser, meeting: Meeting) -> Member:
    """A member of the chapter, or an invitee of the council poll that set the meeting."""
    m = require_login(actor)
    poll = meeting.poll
    if (
        poll is not None
        and poll.invitees == "council"
        and invitee_members(poll).filter(pk=m.pk).exists()
    ):
        return m
    return require_member(m, meeting.chapter)


def can_run(actor: Member | AnonymousUser, meeting: Meeting) -> bool:
    try:
        require_runner(actor, meeting)
    except PermissionDenied:
        return False
    return True


def require_open_record(meeting: Meeting) -> None:
    if meeting.published_at is not None:
        raise ValidationError(_("The minutes are published; the meeting's record is closed."))


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def current_holder(chapter: Chapter, role: str) -> Member | None:
    grant = RoleGrant.objects.current().filter(chapter=chapter, role=role).order_by("starts_at")
    first = grant.select_related("member").first()
    return first.member if first is not None else None


def _check_link(url: str) -> str:
    url = (url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError({"video_link": _("A video link starts with https://.")})
    if len(url) > 200:
        raise ValidationError({"video_link": _("At most %(n)d characters.") % {"n": 200}})
    return url


def create_meeting(
    actor: Member,
    chapter: Chapter,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    zone: str,
    place: str = "",
    video_link: str = "",
    poll: TimePoll | None = None,
) -> Meeting:
    """The meeting row, its roles from the chapter's current grants; the caller authorises."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A meeting ends after it starts.")})
    meeting = Meeting.objects.create(
        chapter=chapter,
        title=_text(title, "title", 200),
        starts_at=starts_at,
        ends_at=ends_at,
        zone=check_zone(zone),
        place=_text(place, "place", 300, required=False),
        video_link=_check_link(video_link),
        poll=poll,
        facilitator=current_holder(chapter, Role.FACILITATOR),
        note_taker=current_holder(chapter, Role.NOTE_TAKER),
        created_by=actor,
    )
    record(
        "meeting.scheduled",
        _("%(member)s scheduled the meeting “%(title)s” for %(when)s UTC.")
        % {
            "member": actor.display_name,
            "title": meeting.title,
            "when": f"{starts_at:%Y-%m-%d %H:%M}",
        },
        actor=actor,
        chapter=chapter,
        subject=meeting,
    )
    return meeting


@transaction.atomic
def schedule_meeting(actor: Member | AnonymousUser, chapter: Chapter, **fields: object) -> Meeting:
    """Schedule a meeting without a poll (a facilitator or an admin)."""
    m = require_role(actor, chapter, Role.FACILITATOR, Role.ADMIN)
    return create_meeting(m, chapter, **fields)  # type: ignore[arg-type]


@transaction.atomic
def assign_roles(
    actor: Member | AnonymousUser,
    meeting: Meeting,
    facilitator: Member | None,
    note_taker: Member | None,
) -> Meeting:
    """Choose who facilitates and who takes notes, among the chapter's current holders."""
    m = require_role(actor, meeting.chapter, Role.FACILITATOR, Role.ADMIN)
    require_open_record(meeting)
    for who, role, field in (
        (facilitator, Role.FACILITATOR, "facilitator"),
        (note_taker, Role.NOTE_TAKER, "note_taker"),
    ):
        if who is not None and not has_role(who, meeting.chapter, role):
            raise ValidationError(
                {field: _("%(member)s does not hold this role now.") % {"member": who}}
            )
    meeting.facilitator = facilitator
    meeting.note_taker = note_taker
    meeting.save(update_fields=["facilitator", "note_taker"])
    record(
        "meeting.roles",
        _("Facilitator: %(f)s; note-taker: %(n)s.")
        % {
            "f": facilitator.display_name if facilitator else "—",
            "n": note_taker.display_name if note_taker else "—",
        },
        actor=m,
        chapter=meeting.chapter,
        subject=meeting,
    )
    return meeting


@transaction.atomic
def add_agenda_item(
    actor: Member | AnonymousUser,
    meeting: Meeting,
    title: str,
    minutes_boxed: int,
    notes: str = "",
    decision: Decision | None = None,
) -> AgendaItem:
    """Any member of the chapter proposes an item, with a time box of 1–240 minutes;
    ``decision`` puts one of the chapter's open proposals on the agenda."""
    m = require_member(actor, meeting.chapter)
    require_open_record(meeting)
    if decision is not None:
        if decision.chapter_id != meeting.chapter_id or decision.status == "closed":
            raise ValidationError({"decision": _("Only the chapter's open proposals.")})
        if meeting.agenda.filter(decision=decision).exists():
            raise ValidationError({"decision": _("This proposal is on the agenda already.")})
        title = title or decision.title
    if not 1 <= int(minutes_boxed) <= 240:
        raise ValidationError({"minutes_boxed": _("A time box is 1 to 240 minutes.")})
    if meeting.agenda.count() >= MAX_AGENDA_ITEMS:
        raise ValidationError(_("The agenda is full."))
    last = meeting.agenda.order_by("-position").first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=_text(title, "title", 200),
        notes=_text(notes, "notes", 2000, required=False),
        minutes_boxed=int(minutes_boxed),
        decision=decision,
        position=(last.position + 1) if last else 0,
        added_by=m,
    )
    record(
        "meeting.agenda_added",
        _("%(member)s put “%(item)s” on the agenda of “%(title)s”.")
        % {"member": m.display_name, "item": item.title, "title": meeting.title},
        actor=m,
        chapter=meeting.chapter,
        subject=item,
    )
    return item


@transaction.atomic
def remove_agenda_item(actor: Member | AnonymousUser, item: AgendaItem) -> None:
    """Whoever added it, or the meeting's runners, take an item off the agenda."""
    meeting = item.meeting
    m = require_member(actor, meeting.chapter)
    if item.added_by_id != m.pk:
        require_runner(m, meeting)
    require_open_record(meeting)
    record(
        "meeting.agenda_removed",
        _("“%(item)s” was taken off the agenda.") % {"item": item.title},
        actor=m,
        chapter=meeting.chapter,
        subject=meeting,
        data={"item": item.title},
    )
    item.delete()


@transaction.atomic
def set_attendance(
    actor: Member | AnonymousUser, meeting: Meeting, member_ids: Iterable[int]
) -> int:
    """Record who was present (members of the chapter); returns how many."""
    m = require_runner(actor, meeting)
    require_open_record(meeting)
    ids = set(int(i) for i in member_ids)
    valid = set(
        Membership.objects.active()
        .filter(chapter=meeting.chapter, member_id__in=ids)
        .values_list("member_id", flat=True)
    )
    if ids - valid:
        raise ValidationError({"present": _("Only members of the chapter can be marked present.")})
    meeting.attendance.exclude(member_id__in=ids).delete()
    have = set(meeting.attendance.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=i) for i in sorted(ids - have)]
    )
    record(
        "meeting.attendance",
        _("%(n)d present at “%(title)s”.") % {"n": len(ids), "title": meeting.title},
        actor=m,
        chapter=meeting.chapter,
        subject=meeting,
        data={"present": sorted(ids)},
    )
    return len(ids)


@transaction.atomic
def save_minutes(actor: Member | AnonymousUser, meeting: Meeting, text: str) -> Meeting:
    """Save the minutes as typed (autosaved from the page); logged once per window."""
    m = require_runner(actor, meeting)
    require_open_record(meeting)
    meeting.minutes = _text(text, "minutes", 100_000, required=False)
    meeting.minutes_saved_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_saved_at"])
    recent = Event.objects.filter(
        verb="meeting.minutes_saved",
        subject_type="meetings.meeting",
        subject_id=str(meeting.pk),
        actor=m,
        created_at__gte=timezone.now() - MINUTES_LOG_WINDOW,
    )
    if not recent.exists():
        record(
            "meeting.minutes_saved",
            _("%(member)s wrote the minutes of “%(title)s”.")
            % {"member": m.display_name, "title": meeting.title},
            actor=m,
            chapter=meeting.chapter,
            subject=meeting,
            public=False,
        )
    return meeting


def _hours(value: object) -> Decimal:
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"hours": _("Enter a number of hours.")}) from None
    if not hours.is_finite() or not Decimal("0.25") <= hours <= Decimal(1000):
        raise ValidationError({"hours": _("Hours are from 0.25 to 1000.")})
    return hours.quantize(Decimal("0.01"))


@transaction.atomic
def add_follow_up(
    actor: Member | AnonymousUser,
    meeting: Meeting,
    *,
    title: str,
    assignee: Member | None,
    due_on: date,
    hours: object = 1,
    description: str = "",
) -> FollowUpTask:
    """A one-off task that came out of the meeting, for a member of the chapter."""
    m = require_runner(actor, meeting)
    if (
        assignee is not None
        and not Membership.objects.active()
        .filter(chapter=meeting.chapter, member=assignee)
        .exists()
    ):
        raise ValidationError({"assignee": _("Assign the task to a member of the chapter.")})
    task = FollowUpTask.objects.create(
        chapter=meeting.chapter,
        meeting=meeting,
        title=_text(title, "title", 200),
        description=_text(description, "description", 2000, required=False),
        assignee=assignee,
        due_on=due_on,
        hours=_hours(hours),
        created_by=m,
    )
    record(
        "task.created",
        _("Follow-up “%(task)s” for %(who)s, due %(due)s.")
        % {
            "task": task.title,
            "who": assignee.display_name if assignee else _("anyone"),
            "due": due_on.isoformat(),
        },
        actor=m,
        chapter=meeting.chapter,
        subject=task,
    )
    return task


@transaction.atomic
def complete_follow_up(actor: Member | AnonymousUser, task: FollowUpTask) -> FollowUpTask:
    """The assignee, or a runner of its meeting, marks a follow-up done."""
    m = require_member(actor, task.chapter)
    if task.assignee_id != m.pk:
        if task.meeting is None:
            require_role(m, task.chapter, Role.FACILITATOR, Role.ADMIN)
        else:
            require_runner(m, task.meeting)
    if task.done_at is not None:
        raise ValidationError(_("This task is already done."))
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    record(
        "task.done",
        _("%(member)s marked “%(task)s” done.") % {"member": m.display_name, "task": task.title},
        actor=m,
        chapter=task.chapter,
        subject=task,
    )
    return task


@transaction.atomic
def publish_minutes(actor: Member | AnonymousUser, meeting: Meeting) -> Meeting:
    """Publish the minutes and decisions to the chapter; the record closes."""
    m = require_runner(actor, meeting)
    require_open_record(meeting)
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes before publishing them.")})
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["published_at"])
    record(
        "meeting.published",
        _("The minutes of “%(title)s” were published (%(n)d decisions).")
        % {"title": meeting.title, "n": meeting.decisions.count()},
        actor=m,
        chapter=meeting.chapter,
        subject=meeting,
    )
    return meeting
