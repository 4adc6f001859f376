"""Every write to projects and events: members with their account, newcomers by e-mail.

A newcomer's answer waits until they open the link e-mailed to them and confirm (a
POST, so that mail scanners that follow links confirm nothing). An event's places
go in order; when someone cancels, the first on the waiting list moves up.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import has_role, require_login, require_member
from parecon.web.history.services import record
from parecon.web.meetings.models import FollowUpTask
from parecon.web.meetings.services import _check_link, _hours, _text
from parecon.web.polls.arithmetic import check_zone
from parecon.web.projects.models import Event, Newcomer, Participation, Project, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_project(
    actor: Member | AnonymousUser,
    chapter: Chapter,
    *,
    title: str,
    goal: str,
    description: str = "",
    thread_url: str = "",
) -> Project:
    m = require_member(actor, chapter)
    project = Project.objects.create(
        chapter=chapter,
        title=_text(title, "title", 200),
        goal=_text(goal, "goal", 500),
        description=_text(description, "description", 5000, required=False),
        thread_url=_check_link(thread_url),
        created_by=m,
    )
    Participation.objects.create(project=project, member=m, status=Status.GOING)
    record(
        "project.created",
        _("%(member)s started the project “%(title)s”.")
        % {"member": m.display_name, "title": project.title},
        actor=m,
        chapter=chapter,
        subject=project,
    )
    return project


@transaction.atomic
def commit(
    actor: Member | AnonymousUser, project: Project, committed: bool = True
) -> Participation:
    """A member of the chapter commits to the project (or withdraws)."""
    m = require_member(actor, project.chapter)
    row, _new = Participation.objects.get_or_create(
        project=project, member=m, defaults={"status": Status.GOING}
    )
    row.status = Status.GOING if committed else Status.CANCELLED
    row.save(update_fields=["status", "changed_at"])
    record(
        "project.committed" if committed else "project.withdrew",
        (
            _("%(member)s committed to “%(title)s”.")
            if committed
            else _("%(member)s withdrew from “%(title)s”.")
        )
        % {"member": m.display_name, "title": project.title},
        actor=m,
        chapter=project.chapter,
        subject=project,
    )
    return row


@transaction.atomic
def add_project_task(
    actor: Member | AnonymousUser,
    project: Project,
    *,
    title: str,
    assignee: Member | None,
    due_on: date,
    hours: object = 1,
) -> FollowUpTask:
    """A committed member (or a facilitator or admin) adds a task to the project."""
    m = require_member(actor, project.chapter)
    committed = project.participants.filter(member=m, status=Status.GOING).exists()
    if not committed and not has_role(m, project.chapter, Role.FACILITATOR, Role.ADMIN):
        raise PermissionDenied(_("Commit to the project to add tasks to it."))
    if (
        assignee is not None
        and not project.participants.filter(member=assignee, status=Status.GOING).exists()
    ):
        raise ValidationError({"assignee": _("Assign the task to a committed member.")})
    task = FollowUpTask.objects.create(
        chapter=project.chapter,
        project=project,
        title=_text(title, "title", 200),
        assignee=assignee,
        due_on=due_on,
        hours=_hours(hours),
        created_by=m,
    )
    record(
        "task.created",
        _("Task “%(task)s” added to “%(title)s”.") % {"task": task.title, "title": project.title},
        actor=m,
        chapter=project.chapter,
        subject=task,
    )
    return task


@transaction.atomic
def create_event(
    actor: Member | AnonymousUser,
    chapter: Chapter,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    zone: str,
    place: str = "",
    capacity: int | None = None,
    description: str = "",
    project: Project | None = None,
) -> Event:
    m = require_member(actor, chapter)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("An event ends after it starts.")})
    if capacity is not None and not 1 <= capacity <= 100_000:
        raise ValidationError({"capacity": _("A capacity is 1 to 100,000 (or blank: no limit).")})
    if project is not None and project.chapter_id != chapter.pk:
        raise ValidationError({"project": _("That project belongs to another chapter.")})
    event = Event.objects.create(
        chapter=chapter,
        project=project,
        title=_text(title, "title", 200),
        description=_text(description, "description", 5000, required=False),
        starts_at=starts_at,
        ends_at=ends_at,
        zone=check_zone(zone),
        place=_text(place, "place", 300, required=False),
        capacity=capacity,
        created_by=m,
    )
    record(
        "event.created",
        _("%(member)s announced “%(title)s”.") % {"member": m.display_name, "title": event.title},
        actor=m,
        chapter=chapter,
        subject=event,
    )
    return event


def _place_status(event: Event) -> str:
    if event.capacity is None:
        return Status.GOING
    going = event.participants.filter(status=Status.GOING).count()
    return Status.GOING if going < event.capacity else Status.WAITING


@transaction.atomic
def rsvp(actor: Member | AnonymousUser, event: Event) -> Participation:
    """A member (of any chapter: events are open) takes a place or joins the waiting list."""
    m = require_login(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = Participation.objects.filter(event=event, member=m).first()
    if row is not None and row.status in (Status.GOING, Status.WAITING):
        raise ValidationError(_("You have already answered."))
    status = _place_status(event)
    if row is None:
        row = Participation.objects.create(event=event, member=m, status=status)
    else:
        row.status = status
        row.save(update_fields=["status", "changed_at"])
    record(
        "event.rsvp",
        _("%(member)s is %(status)s: “%(title)s”.")
        % {"member": m.display_name, "status": row.get_status_display(), "title": event.title},
        actor=m,
        chapter=event.chapter,
        subject=event,
    )
    return row


def _promote(event: Event) -> Participation | None:
    if _place_status(event) != Status.GOING:
        return None
    first = event.participants.filter(status=Status.WAITING).order_by("changed_at", "id").first()
    if first is not None:
        first.status = Status.GOING
        first.save(update_fields=["status", "changed_at"])
        record(
            "event.moved_up",
            _("%(name)s moved up from the waiting list of “%(title)s”.")
            % {"name": first.name, "title": event.title},
            actor=None,
            chapter=event.chapter,
            subject=event,
        )
    return first


@transaction.atomic
def cancel_rsvp(actor: Member | AnonymousUser, event: Event) -> Participation | None:
    """Give up one's place; the first on the waiting list moves up. Returns who did."""
    m = require_login(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = Participation.objects.filter(event=event, member=m).first()
    if row is None or row.status == Status.CANCELLED:
        raise ValidationError(_("You have not answered this event."))
    row.status = Status.CANCELLED
    row.save(update_fields=["status", "changed_at"])
    record(
        "event.cancelled",
        _("%(member)s cannot come to “%(title)s”.")
        % {"member": m.display_name, "title": event.title},
        actor=m,
        chapter=event.chapter,
        subject=event,
    )
    return _promote(event)


@transaction.atomic
def join_by_email(
    target: Event | Project, name: str, email: str, confirm_url: str = "/projects/confirm/{token}/"
) -> str:
    """A newcomer asks to join; the link to confirm is e-mailed. Returns the raw token."""
    name = _text(name, "name", 120)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    newcomer, _new = Newcomer.objects.get_or_create(email=email, defaults={"name": name})
    field = {"event": target} if isinstance(target, Event) else {"project": target}
    row = Participation.objects.filter(newcomer=newcomer, **field).first()
    if row is not None and row.status in (Status.GOING, Status.WAITING):
        raise ValidationError({"email": _("This address has already joined.")})
    raw = "nc_" + secrets.token_urlsafe(32)
    if row is None:
        row = Participation.objects.create(
            newcomer=newcomer, status=Status.PENDING, digest=_digest(raw), **field
        )
    else:
        row.status, row.digest = Status.PENDING, _digest(raw)
        row.save(update_fields=["status", "digest", "changed_at"])
    record(
        "newcomer.requested",
        _("Someone asked by e-mail to join “%(title)s”.") % {"title": target.title},
        actor=None,
        chapter=target.chapter,
        subject=target,
        public=False,
    )
    send_mail(
        _("Confirm: %(title)s") % {"title": target.title},
        _(
            "Open this link to confirm that you join “%(title)s”: %(url)s\n\n"
            "If you did not ask, ignore this e-mail."
        )
        % {"title": target.title, "url": confirm_url.format(token=raw)},
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return raw


def pending_for_token(raw: str) -> Participation | None:
    if not raw.startswith("nc_") or len(raw) > 100:
        return None
    return (
        Participation.objects.select_related("event", "project", "newcomer")
        .filter(digest=_digest(raw), status=Status.PENDING)
        .first()
    )


@transaction.atomic
def confirm(raw: str) -> Participation:
    """The newcomer confirms by their link: a place (or the waiting list) is theirs."""
    row = pending_for_token(raw)
    if row is None:
        raise PermissionDenied(_("This link is not valid any more."))
    target: Event | Project
    if row.event_id is not None:
        target = Event.objects.select_for_update().get(pk=row.event_id)
        row.status = _place_status(target)
    else:
        target = row.project  # type: ignore[assignment]
        row.status = Status.GOING
    row.digest = ""
    row.save(update_fields=["status", "digest", "changed_at"])
    newcomer = row.newcomer
    assert newcomer is not None
    if newcomer.confirmed_at is None:
        newcomer.confirmed_at = timezone.now()
        newcomer.save(update_fields=["confirmed_at"])
    record(
        "newcomer.joined",
        _("%(name)s joined “%(title)s” without an account.")
        % {"name": newcomer.name, "title": target.title},
        actor=None,
        chapter=target.chapter,
        subject=target,
    )
    return row
