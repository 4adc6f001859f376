"""Every write to time polls: create, answer (as a member or a guest), guest links,
reminders, finalising into a meeting with an e-mailed invite.

The poll's organisers are its creator and the chapter's current facilitators and
admins. Invitees are the chapter's members, the poll's list, or the members of one of
the chapter's councils (a federation reaches every council below it, in chapters
below too): invitees see and answer the poll; guests answer through their own link
only.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.calendars.feeds import render_ics
from parecon.web.chapters.models import Chapter, Membership, Role
from parecon.web.chapters.permissions import has_role, require_login, require_member
from parecon.web.councils.models import Council
from parecon.web.councils.permissions import can_facilitate
from parecon.web.history.services import record
from parecon.web.meetings import services as meetings
from parecon.web.meetings.models import Meeting
from parecon.web.meetings.selectors import calendar_entry
from parecon.web.polls import arithmetic
from parecon.web.polls.models import (
    Choice,
    Invitees,
    PollAnswer,
    PollGuest,
    PollOption,
    TimePoll,
)
from parecon.web.polls.selectors import council_members, invitee_members, poll_result

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member

MAX_OPTIONS = 60
REMIND_BEFORE = timedelta(hours=24)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def require_organiser(actor: Member | AnonymousUser, poll: TimePoll) -> Member:
    m = require_member(actor, poll.chapter)
    if m.pk == poll.created_by_id or has_role(m, poll.chapter, Role.FACILITATOR, Role.ADMIN):
        return m
    raise PermissionDenied(_("Only the poll's organiser, a facilitator or an admin may do this."))


def require_viewer(actor: Member | AnonymousUser, poll: TimePoll) -> Member:
    """A member of the poll's chapter, or one of its invitees (a council poll reaches
    members of councils in chapters below)."""
    m = require_login(actor)
    if poll.invitees == Invitees.COUNCIL and invitee_members(poll).filter(pk=m.pk).exists():
        return m
    return require_member(m, poll.chapter)


def _check_council(m: Member, chapter: Chapter, council: Council | None) -> Council:
    if council is None or council.chapter_id != chapter.pk:
        raise ValidationError({"council": _("Choose one of the chapter's councils.")})
    if not (
        council_members(council).filter(pk=m.pk).exists()
        or can_facilitate(m, council)
        or has_role(m, chapter, Role.ADMIN)
    ):
        raise PermissionDenied(
            _("Only members or facilitators of %(council)s may poll it.") % {"council": council}
        )
    return council


def is_organiser(actor: Member | AnonymousUser, poll: TimePoll) -> bool:
    try:
        require_organiser(actor, poll)
    except PermissionDenied:
        return False
    return True


def _options(
    poll: TimePoll, starts: Sequence[tuple[datetime, int]], zone: str, first: int
) -> list[PollOption]:
    made = []
    for i, (local, minutes) in enumerate(starts, start=first):
        field = f"option {i + 1}"
        if not 15 <= int(minutes) <= 24 * 60:
            raise ValidationError({field: _("A meeting lasts 15 minutes to 24 hours.")})
        instant = arithmetic.option_instant(local, zone, field)
        made.append(
            PollOption(poll=poll, starts_at=instant, duration_minutes=int(minutes), zone=zone)
        )
    seen = {(o.starts_at, o.duration_minutes) for o in poll.options.all()} if first else set()
    for o in made:
        key = (o.starts_at, o.duration_minutes)
        if key in seen:
            raise ValidationError({"options": _("The same time is offered twice.")})
        seen.add(key)
    return made


@transaction.atomic
def create_poll(
    actor: Member | AnonymousUser,
    chapter: Chapter,
    *,
    title: str,
    zone: str,
    options: Sequence[tuple[datetime, int]],
    description: str = "",
    invitees: str = Invitees.CHAPTER,
    invited: Iterable[Member] = (),
    council: Council | None = None,
    closes_at: datetime | None = None,
    place: str = "",
    video_link: str = "",
) -> TimePoll:
    """A poll with ``options`` given as (wall-clock start in ``zone``, minutes)."""
    m = require_member(actor, chapter)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError({"title": _("Give the poll a title (at most 200 characters).")})
    if len(description) > 5000:
        raise ValidationError({"description": _("At most %(n)d characters.") % {"n": 5000}})
    arithmetic.check_zone(zone)
    if not options:
        raise ValidationError({"options": _("Offer at least one time.")})
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": _("At most %(n)d times.") % {"n": MAX_OPTIONS}})
    if invitees not in Invitees.values:
        raise ValidationError(
            {"invitees": _("Invite the chapter, a list of members or a council.")}
        )
    council = _check_council(m, chapter, council) if invitees == Invitees.COUNCIL else None
    invited = list(invited)
    if invitees == Invitees.LIST:
        members = set(
            Membership.objects.active()
            .filter(chapter=chapter, member__in=invited)
            .values_list("member_id", flat=True)
        )
        if not invited or members != {i.pk for i in invited}:
            raise ValidationError({"invited": _("Invite one or more members of the chapter.")})
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The deadline must be in the future.")})
    poll = TimePoll.objects.create(
        chapter=chapter,
        title=title,
        description=description.strip(),
        zone=zone,
        invitees=invitees,
        council=council,
        closes_at=closes_at,
        place=meetings._text(place, "place", 300, required=False),
        video_link=meetings._check_link(video_link),
        created_by=m,
    )
    if invitees == Invitees.LIST:
        poll.invited.set(invited)
    PollOption.objects.bulk_create(_options(poll, options, zone, 0))
    record(
        "poll.created",
        _("%(member)s asked when to meet: “%(title)s” (%(n)d times).")
        % {"member": m.display_name, "title": title, "n": len(options)},
        actor=m,
        chapter=chapter,
        subject=poll,
    )
    return poll


@transaction.atomic
def add_options(
    actor: Member | AnonymousUser,
    poll: TimePoll,
    options: Sequence[tuple[datetime, int]],
    zone: str,
) -> list[PollOption]:
    m = require_organiser(actor, poll)
    _require_open(poll)
    arithmetic.check_zone(zone)
    if not options or poll.options.count() + len(options) > MAX_OPTIONS:
        raise ValidationError({"options": _("Offer 1 to %(n)d times.") % {"n": MAX_OPTIONS}})
    made = PollOption.objects.bulk_create(_options(poll, options, zone, poll.options.count()))
    record(
        "poll.options_added",
        _("%(n)d more times offered in “%(title)s”.") % {"n": len(made), "title": poll.title},
        actor=m,
        chapter=poll.chapter,
        subject=poll,
    )
    return made


def _require_open(poll: TimePoll) -> None:
    if poll.finalised_at is not None:
        raise ValidationError(_("This poll is finalised."))
    if poll.closes_at is not None and timezone.now() >= poll.closes_at:
        raise ValidationError(_("This poll's deadline has passed."))


Answers = Mapping[int, tuple[str, str]]


def _save_answers(
    poll: TimePoll, answers: Answers, member: Member | None = None, guest: PollGuest | None = None
) -> int:
    _require_open(poll)
    option_ids = set(poll.options.values_list("pk", flat=True))
    if not answers:
        raise ValidationError({"answers": _("Answer at least one time.")})
    for option_id, (choice, comment) in answers.items():
        if option_id not in option_ids:
            raise ValidationError({"answers": _("That time is not in this poll.")})
        if choice not in Choice.values:
            raise ValidationError({f"option {option_id}": _("Answer yes, if need be or no.")})
        if len(comment) > 300:
            raise ValidationError(
                {f"option {option_id}": _("A comment has at most 300 characters.")}
            )
    for option_id, (choice, comment) in answers.items():
        PollAnswer.objects.update_or_create(
            option_id=option_id,
            member=member,
            guest=guest,
            defaults={"choice": choice, "comment": comment.strip()},
        )
    return len(answers)


def _notice_if_everyone_answered(poll: TimePoll) -> None:
    if poll.everyone_answered_at is not None:
        return
    result = poll_result(poll)
    if not result.everyone_answered:
        return
    poll.everyone_answered_at = timezone.now()
    poll.save(update_fields=["everyone_answered_at"])
    record(
        "poll.everyone_answered",
        _("Everyone invited has answered “%(title)s”.") % {"title": poll.title},
        actor=None,
        chapter=poll.chapter,
        subject=poll,
    )
    send_mail(
        _("Everyone has answered: %(title)s") % {"title": poll.title},
        _("Everyone invited has answered your poll “%(title)s”. You can now pick a time.")
        % {"title": poll.title},
        settings.DEFAULT_FROM_EMAIL,
        [poll.created_by.email],
    )


@transaction.atomic
def answer_as_member(actor: Member | AnonymousUser, poll: TimePoll, answers: Answers) -> int:
    """Save the member's answers (yes / if need be / no, with comments) to some options."""
    m = require_viewer(actor, poll)
    if not invitee_members(poll).filter(pk=m.pk).exists():
        raise PermissionDenied(_("You are not invited to this poll."))
    n = _save_answers(poll, answers, member=m)
    record(
        "poll.answered",
        _("%(member)s answered “%(title)s”.") % {"member": m.display_name, "title": poll.title},
        actor=m,
        chapter=poll.chapter,
        subject=poll,
    )
    _notice_if_everyone_answered(poll)
    return n


def guest_for_token(raw: str) -> PollGuest | None:
    """The live guest link ``raw`` opens (one poll only), or ``None``."""
    if not raw.startswith("g_") or len(raw) > 100:
        return None
    return (
        PollGuest.objects.select_related("poll", "poll__chapter")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def answer_as_guest(guest: PollGuest, answers: Answers) -> int:
    if guest.revoked_at is not None:
        raise PermissionDenied(_("This guest link was revoked."))
    poll = TimePoll.objects.select_for_update().get(pk=guest.poll_id)
    n = _save_answers(poll, answers, guest=guest)
    record(
        "poll.answered",
        _("Guest %(name)s answered “%(title)s”.") % {"name": guest.name, "title": poll.title},
        actor=None,
        chapter=poll.chapter,
        subject=poll,
        data={"guest": guest.pk},
    )
    _notice_if_everyone_answered(poll)
    return n


@transaction.atomic
def invite_guest(actor: Member | AnonymousUser, poll: TimePoll, name: str) -> tuple[PollGuest, str]:
    """A private link for one guest; the raw token is returned once, only its hash kept."""
    m = require_organiser(actor, poll)
    _require_open(poll)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": _("Give the guest's name (at most 120 characters).")})
    raw = "g_" + secrets.token_urlsafe(32)
    guest = PollGuest.objects.create(poll=poll, name=name, digest=_digest(raw), created_by=m)
    record(
        "poll.guest_invited",
        _("%(name)s was invited as a guest to “%(title)s”.") % {"name": name, "title": poll.title},
        actor=m,
        chapter=poll.chapter,
        subject=guest,
    )
    return guest, raw


@transaction.atomic
def revoke_guest(actor: Member | AnonymousUser, guest: PollGuest) -> PollGuest:
    m = require_organiser(actor, guest.poll)
    if guest.revoked_at is None:
        guest.revoked_at = timezone.now()
        guest.save(update_fields=["revoked_at"])
        record(
            "poll.guest_revoked",
            _("The guest link of %(name)s was revoked.") % {"name": guest.name},
            actor=m,
            chapter=guest.poll.chapter,
            subject=guest,
        )
    return guest


def send_invites(meeting: Meeting, recipients: Iterable[str]) -> int:
    """E-mail the meeting's ICS invite (METHOD:REQUEST) to each address; returns how many."""
    ics = render_ics([calendar_entry(meeting)], meeting.title, method="REQUEST")
    sent = 0
    for address in sorted(set(recipients)):
        message = EmailMessage(
            _("Invitation: %(title)s") % {"title": meeting.title},
            _("The time of “%(title)s” is set. The invitation is attached for your calendar.")
            % {"title": meeting.title},
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        message.attach("invite.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        sent += message.send()
    return sent


@transaction.atomic
def finalise(actor: Member | AnonymousUser, poll: TimePoll, option: PollOption) -> Meeting:
    """Pick ``option``: the poll closes, a meeting is made, every invitee gets the invite."""
    m = require_organiser(actor, poll)
    poll = TimePoll.objects.select_for_update().get(pk=poll.pk)
    if poll.finalised_at is not None:
        raise ValidationError(_("This poll is finalised."))
    if option.poll_id != poll.pk:
        raise ValidationError({"option": _("That time is not in this poll.")})
    meeting = meetings.create_meeting(
        m,
        poll.chapter,
        title=poll.title,
        starts_at=option.starts_at,
        ends_at=option.ends_at,
        zone=option.zone,
        place=poll.place,
        video_link=poll.video_link,
        poll=poll,
    )
    poll.finalised_option = option
    poll.finalised_at = timezone.now()
    poll.save(update_fields=["finalised_option", "finalised_at"])
    record(
        "poll.finalised",
        _("“%(title)s” will meet at %(when)s (%(zone)s).")
        % {
            "title": poll.title,
            "when": f"{option.local_start:%Y-%m-%d %H:%M}",
            "zone": option.zone,
        },
        actor=m,
        chapter=poll.chapter,
        subject=poll,
    )
    send_invites(meeting, [i.email for i in invitee_members(poll) if i.email])
    return meeting


def send_reminders(now: datetime | None = None) -> int:
    """Remind invitees who have not answered polls closing within a day; once per poll."""
    now = now or timezone.now()
    due = TimePoll.objects.filter(
        finalised_at__isnull=True,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE,
    )
    sent = 0
    for poll in due.select_related("chapter"):
        with transaction.atomic():
            missing = set(poll_result(poll).missing)
            for member in invitee_members(poll):
                if f"m{member.pk}" in missing and member.email:
                    sent += send_mail(
                        _("Reminder: when can you meet? %(title)s") % {"title": poll.title},
                        _("The poll “%(title)s” closes soon and is waiting for your answer.")
                        % {"title": poll.title},
                        settings.DEFAULT_FROM_EMAIL,
                        [member.email],
                    )
            poll.reminded_at = now
            poll.save(update_fields=["reminded_at"])
            record(
                "poll.reminded",
                _("Invitees who have not answered “%(title)s” were reminded.")
                % {"title": poll.title},
                actor=None,
                chapter=poll.chapter,
                subject=poll,
                data={"missing": len(missing)},
            )
    return sent
