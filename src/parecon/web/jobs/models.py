"""The platform's one task model, task ratings, balanced job complexes and swaps.

**Owner.** Every :class:`Task` belongs to one owner: a worker council (``council`` set;
``chapter`` is then the council's chapter) or a chapter itself (``council`` empty).
Its people are the council's current members, or the chapter's. Other apps (effort,
meetings, projects) refer to tasks by ``Task`` and to owners by the same
``(chapter, council)`` pair; :func:`owner_filter` builds the query for one.

**Tasks.** A task is a recurring duty (a shift length and whole shifts per week) or a
one-off task (total hours and a due date). Both are rated and both count in the
balance of the period they fall in: a one-off task due in a period of ``w`` weeks is
one weekly shift of ``hours / w`` hours for one person. A chapter's foundation roles
(facilitator, note-taker, …) are recurring duties with ``role`` set; publishing a
rotation grants the role for the weeks each person holds it. The meetings' and
projects' follow-ups (:class:`~parecon.web.meetings.models.FollowUpTask`) are adopted
as one-off tasks of their chapter (``follow_up`` set; see ``services.adopt_follow_ups``).

**Ratings** are private: :class:`TaskRating` rows are appended (the latest per member
and task counts) and only their aggregate is ever shown.

**Balances.** A :class:`Balance` is one run of the core's balancer for an owner and
a period; its rows (:class:`Assignment`, :class:`PersonComplex`) are written once.
Accepted :class:`Swap` rows change a published balance's effective assignment
without rewriting it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parecon.web.chapters.models import Role

if TYPE_CHECKING:
    from parecon.web.chapters.models import Chapter
    from parecon.web.councils.models import Council

#: The core's rating scale (``parecon.work.workplace.RATING_MIN``/``RATING_MAX``).
RATING_MIN = 1
RATING_MAX = 20


def owner_filter(chapter: Chapter, council: Council | None) -> Q:
    """Rows of one owner: the council's, or the chapter's own (no council)."""
    if council is not None:
        return Q(council=council)
    return Q(chapter=chapter, council__isnull=True)


class OwnedModel(models.Model):
    """Belongs to a worker council (``council`` set) or to a chapter (``council`` empty)."""

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def owner_name(self) -> str:
        return str(self.council or self.chapter)


class Qualification(OwnedModel):
    """Something a task needs (a licence, training); members hold it by :class:`Holder`."""

    name = models.CharField(_("qualification"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Holder(models.Model):
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="holders"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("qualification", "member"), name="one_holder_row"),
        )


class TaskKind(models.TextChoices):
    RECURRING = "recurring", _("recurring duty")
    ONE_OFF = "one_off", _("one-off task")


class Task(OwnedModel):
    """THE task of the platform: a recurring duty or a one-off task of an owner."""

    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices)
    name = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    #: Recurring: hours of one shift and whole shifts per week.
    shift_hours = models.DecimalField(
        _("hours per shift"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    shifts_per_week = models.PositiveSmallIntegerField(_("shifts per week"), null=True, blank=True)
    #: When the shifts start (the rotation calendar places them from Monday on).
    starts_at = models.TimeField(_("shifts start at"), default="09:00")
    #: One-off: total hours and the day it is due.
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    #: A one-off task someone has already taken on (only they are qualified for it).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    qualifications = models.ManyToManyField(Qualification, blank=True, related_name="tasks")
    #: A chapter's foundation role held by whoever does this duty.
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    #: The meetings' or projects' follow-up this task adopts (one row each).
    follow_up = models.OneToOneField(
        "meetings.FollowUpTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Retired tasks stay (ratings and balances refer to them) but are no longer balanced.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("kind", "name", "id")
        constraints = (
            models.CheckConstraint(
                condition=(
                    Q(kind="recurring", shift_hours__gt=0, shifts_per_week__gte=1)
                    | Q(kind="one_off", hours__gt=0, due_on__isnull=False)
                ),
                name="task_has_its_hours",
            ),
            models.UniqueConstraint(
                fields=("chapter", "role"),
                condition=Q(council__isnull=True, retired_at__isnull=True) & ~Q(role=""),
                name="one_live_duty_per_role",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_recurring(self) -> bool:
        return self.kind == TaskKind.RECURRING

    @property
    def weekly_hours(self) -> float:
        """Hours per week of a recurring duty (0 for a one-off task)."""
        if not self.is_recurring or self.shift_hours is None or self.shifts_per_week is None:
            return 0.0
        return float(self.shift_hours) * self.shifts_per_week


class TaskRating(models.Model):
    """One member's private rating of one task (appended; the latest counts)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="ratings")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    empowerment = models.PositiveSmallIntegerField()
    desirability = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(empowerment__gte=RATING_MIN, empowerment__lte=RATING_MAX)
                & Q(desirability__gte=RATING_MIN, desirability__lte=RATING_MAX),
                name="rating_on_the_scale",
            ),
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("task ratings are append-only")
        super().save(*args, **kwargs)


class WeeklyHours(OwnedModel):
    """Hours a week one person works for an owner (appended; the latest counts).

    People without a row share what the tasks need beyond the set hours equally.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("hours a week"), max_digits=5, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(condition=Q(hours__gte=0), name="hours_not_negative"),
        )


class BalanceStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("balancing")
    DONE = "done", _("balanced")
    OUTSIDE_BAND = "outside_band", _("found, but someone is outside the band")
    INFEASIBLE = "infeasible", _("no balanced assignment exists")
    FAILED = "failed", _("could not run")


class Balance(OwnedModel):
    """One run of the balancer for an owner's period, and whether it was published."""

    starts_on = models.DateField(_("period starts"))
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=4)
    band = models.FloatField(_("band"), default=2.0)
    status = models.CharField(max_length=14, choices=BalanceStatus.choices, default="queued")
    progress = models.CharField(max_length=200, blank=True)
    #: The core's words: its message, or why no balanced assignment exists.
    message = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    mean_empowerment = models.FloatField(null=True, blank=True)
    mean_desirability = models.FloatField(null=True, blank=True)
    #: The published balance whose assignment this one keeps as much of as it can.
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"balance {self.pk} of {self.owner_name} from {self.starts_on}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (BalanceStatus.QUEUED, BalanceStatus.RUNNING)


class Assignment(models.Model):
    """Average shifts per week of one task in one person's complex (written once)."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="assignments")
    shifts = models.FloatField()
    #: Hours of one shift in this balance (a one-off task's share of its period).
    shift_hours = models.FloatField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("balance", "member", "task"), name="one_cell"),
        )


class PersonComplex(models.Model):
    """One person's complex in a balance: hours, both averages, hours moved."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="complexes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hours = models.FloatField()
    empowerment = models.FloatField()
    desirability = models.FloatField()
    hours_moved = models.FloatField(default=0.0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("balance", "member"), name="one_complex_each"),
        )


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Swap(models.Model):
    """``requester`` gives ``give_shifts`` of ``give_task`` for ``take_shifts`` of ``take_task``."""

    balance = models.ForeignKey(Balance, on_delete=models.PROTECT, related_name="swaps")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    give_task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+")
    give_shifts = models.PositiveSmallIntegerField()
    take_task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+")
    take_shifts = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default="requested")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
