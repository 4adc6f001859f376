"""Writes of shared work: tasks, qualifications, hours and private ratings.

One function per action; each authorises (``owners``), validates, runs in one
transaction and records the change in the history. Ratings are recorded without
their values and privately: only the aggregate is ever shown. Balancing, publishing
and swaps are in ``balancing`` and ``swapping``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.chapters.models import Role
from parecon.web.history.i18n import Said
from parecon.web.history.services import record
from parecon.web.jobs.models import (
    RATING_MAX,
    RATING_MIN,
    Holder,
    Qualification,
    Task,
    TaskKind,
    TaskRating,
    WeeklyHours,
)
from parecon.web.jobs.owners import Owner, owner_of, require_owner_member, require_steward

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.commons.models import FollowUp as OrganisationFollowUp
    from parecon.web.commons.models import Match
    from parecon.web.meetings.models import FollowUpTask
    from parecon.web.members.models import Member


def _text(value: object, field: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(n)d characters, not %(m)d.") % {"n": limit, "m": len(text)}}
        )
    return text


def _decimal(value: object, field: str, low: str, high: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or not Decimal(low) <= number <= Decimal(high):
        raise ValidationError(
            {field: _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}}
        )
    return number.quantize(Decimal("0.01"))


def _whole(value: object, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if not low <= number <= high:
        raise ValidationError(
            {
                field: _("Enter a whole number from %(low)d to %(high)d.")
                % {"low": low, "high": high}
            }
        )
    return number


@transaction.atomic
def create_task(
    actor: Member | AnonymousUser,
    owner: Owner,
    *,
    kind: str,
    name: str,
    description: str = "",
    shift_hours: object = None,
    shifts_per_week: object = None,
    starts_at: time | None = None,
    hours: object = None,
    due_on: date | None = None,
    role: str = "",
    qualifications: Iterable[Qualification] = (),
) -> Task:
    """A steward lists a recurring duty or a one-off task of the owner."""
    m = require_steward(actor, owner)
    if kind not in TaskKind.values:
        raise ValidationError({"kind": _("Choose a recurring duty or a one-off task.")})
    if role and role not in Role.values:
        raise ValidationError({"role": _("Not one of the roles.")})
    if role and kind != TaskKind.RECURRING:
        raise ValidationError({"role": _("A role is a recurring duty.")})
    live = Task.objects.filter(owner.q, role=role, retired_at__isnull=True)
    if role and owner.council is None and live.exists():
        raise ValidationError({"role": _("This role is already one of the chapter's duties.")})
    task = Task(
        **owner.fields(),
        kind=kind,
        name=_text(name, "name", 200),
        description=_text(description, "description", 2000, required=False),
        role=role,
        created_by=m,
    )
    if kind == TaskKind.RECURRING:
        task.shift_hours = _decimal(shift_hours, "shift_hours", "0.25", "24")
        task.shifts_per_week = _whole(shifts_per_week, "shifts_per_week", 1, 500)
        if starts_at is not None:
            if starts_at.tzinfo is not None:
                # A shift starts at a wall-clock time of the place, in every season.
                raise ValidationError(
                    {"starts_at": _("Give the start as a local time, without a time zone.")}
                )
            task.starts_at = starts_at
    else:
        task.hours = _decimal(hours, "hours", "0.25", "1000")
        if due_on is None:
            raise ValidationError({"due_on": _("A one-off task needs a due date.")})
        task.due_on = due_on
    task.save()
    chosen = list(qualifications)
    if any(
        q.chapter_id != owner.chapter.pk
        or q.council_id != (owner.council.pk if owner.council else None)
        for q in chosen
    ):
        raise ValidationError({"qualifications": _("Choose qualifications of this workplace.")})
    task.qualifications.set(chosen)
    record(
        "jobs.task_created",
        Said(
            gettext_noop("%(member)s listed the task “%(task)s” of %(owner)s."),
            {"member": m.display_name, "task": task.name, "owner": owner.name},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=task,
        data={"kind": kind, "role": role, "weekly_hours": task.weekly_hours},
    )
    return task


@transaction.atomic
def retire_task(actor: Member | AnonymousUser, task: Task) -> Task:
    """A steward retires a task: it stays for the record but is no longer balanced."""
    owner = owner_of(task)
    m = require_steward(actor, owner)
    if task.retired_at is not None:
        raise ValidationError(_("This task is already retired."))
    task.retired_at = timezone.now()
    task.save(update_fields=["retired_at"])
    record(
        "jobs.task_retired",
        Said(
            gettext_noop("%(member)s retired the task “%(task)s”."),
            {"member": m.display_name, "task": task.name},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=task,
    )
    return task


@transaction.atomic
def add_qualification(actor: Member | AnonymousUser, owner: Owner, name: str) -> Qualification:
    m = require_steward(actor, owner)
    q = Qualification.objects.create(**owner.fields(), name=_text(name, "name", 120))
    record(
        "jobs.qualification_added",
        Said(gettext_noop("Qualification “%(name)s” added."), {"name": q.name}),
        actor=m,
        chapter=owner.chapter,
        subject=q,
    )
    return q


@transaction.atomic
def grant_qualification(
    actor: Member | AnonymousUser, qualification: Qualification, member: Member
) -> Holder:
    """A steward records that a member holds a qualification."""
    owner = owner_of(qualification)
    m = require_steward(actor, owner)
    if member.pk not in {p.pk for p in owner.people()}:
        raise ValidationError({"member": _("Only members of %(o)s.") % {"o": owner.name}})
    if Holder.objects.filter(qualification=qualification, member=member).exists():
        raise ValidationError({"member": _("They already hold it.")})
    holder = Holder.objects.create(qualification=qualification, member=member, granted_by=m)
    record(
        "jobs.qualified",
        Said(
            gettext_noop("%(member)s holds the qualification “%(name)s”."),
            {"member": member.display_name, "name": qualification.name},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=holder,
    )
    return holder


@transaction.atomic
def set_weekly_hours(
    actor: Member | AnonymousUser, owner: Owner, member: Member, hours: object
) -> WeeklyHours:
    """A steward sets how many hours a week a member works (part-time is just fewer)."""
    m = require_steward(actor, owner)
    if member.pk not in {p.pk for p in owner.people()}:
        raise ValidationError({"member": _("Only members of %(o)s.") % {"o": owner.name}})
    row = WeeklyHours.objects.create(
        **owner.fields(), member=member, hours=_decimal(hours, "hours", "0", "80"), set_by=m
    )
    record(
        "jobs.hours_set",
        Said(
            gettext_noop("%(member)s works %(hours)s hours a week for %(owner)s."),
            {"member": member.display_name, "hours": str(row.hours), "owner": owner.name},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=row,
    )
    return row


@transaction.atomic
def rate_task(
    actor: Member | AnonymousUser, task: Task, *, empowerment: object, desirability: object
) -> TaskRating:
    """A member rates a task privately; a new rating replaces their last one.

    The history records that a rating was made, never its values, and not in the
    public log.
    """
    owner = owner_of(task)
    m = require_owner_member(actor, owner)
    if task.retired_at is not None:
        raise ValidationError(_("This task is retired."))
    rating = TaskRating.objects.create(
        task=task,
        member=m,
        empowerment=_whole(empowerment, "empowerment", RATING_MIN, RATING_MAX),
        desirability=_whole(desirability, "desirability", RATING_MIN, RATING_MAX),
    )
    record(
        "jobs.task_rated",
        Said(gettext_noop("A member rated the task “%(task)s”."), {"task": task.name}),
        actor=m,
        chapter=owner.chapter,
        subject=task,
        public=False,
    )
    return rating


def adopt_follow_up(follow_up: FollowUpTask) -> Task:
    """The one-off task of a meeting's or project's follow-up (made once, when it is)."""
    existing = Task.objects.filter(follow_up=follow_up).first()
    if existing is not None:
        return existing
    return Task.objects.create(
        chapter_id=follow_up.chapter_id,
        kind=TaskKind.ONE_OFF,
        name=follow_up.title,
        description=follow_up.description,
        hours=follow_up.hours,
        due_on=follow_up.due_on,
        assignee_id=follow_up.assignee_id,
        follow_up=follow_up,
        created_by_id=follow_up.created_by_id,
    )


#: Hours a contact with an organisation counts as (a call, a visit, a meeting).
CONTACT_HOURS = Decimal(1)


def task_for_contact(follow_up: OrganisationFollowUp) -> Task:
    """An outreach follow-up (a contact with an organisation by a date) becomes a one-off
    task of its chapter, done by its assignee, so that it counts in the balance."""
    org = follow_up.organisation
    return Task.objects.create(
        chapter_id=org.chapter_id,
        kind=TaskKind.ONE_OFF,
        name=_("Contact %(org)s: %(what)s") % {"org": org.name[:80], "what": follow_up.what[:100]},
        hours=CONTACT_HOURS,
        due_on=follow_up.due,
        assignee_id=follow_up.assignee_id,
        created_by_id=follow_up.created_by_id,
    )


#: Hours a commons match counts as when it becomes a one-off task of the giver.
MATCH_HOURS = Decimal(1)


def task_for_match(match: Match) -> None:
    """A commons match becomes a one-off task of its chapter, done by the giver.

    Registered in ``commons.services.task_hook``; runs inside the match's transaction
    (the commons service records the match itself).
    """
    Task.objects.create(
        chapter_id=match.chapter_id,
        kind=TaskKind.ONE_OFF,
        name=_("Mutual aid: %(what)s") % {"what": match.what[:180]},
        hours=MATCH_HOURS,
        due_on=match.on,
        assignee_id=match.giver_id,
        created_by_id=match.giver_id,
    )
