"""Effort periods of a workplace: ratings, hours logs, needs, appeals and allowances.

An :class:`EffortPeriod` belongs to one worker council. During it, coworkers rate
each other's effort (:class:`EffortRating`, append-only: a new rating of the same
person replaces the old one by being later) and log their hours
(:class:`HoursLog`, confirmed by a coworker). When the period's pool is set (from a
plan's prices or by a consumer federation) a facilitator computes the allowances
with the core (:class:`AllowanceRun` and its :class:`Allowance` rows, append-only;
the latest run counts). Each allowance goes to one consumer council, the member's
household, whose budget in the plan of ``plan_period`` it becomes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parecon.web.history.models import AppendOnlyError


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("effort ratings and allowances are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("effort ratings and allowances are append-only")


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed."""

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("effort ratings and allowances are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("effort ratings and allowances are append-only")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("open for ratings and hours")
    COMPUTED = "computed", _("allowances computed")


class PoolSource(models.TextChoices):
    PLAN = "plan", _("the value of consumer goods at a plan's prices")
    FEDERATION = "federation", _("an amount set by the consumer federation")


class EffortPeriod(models.Model):
    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, related_name="effort_periods"
    )
    name = models.CharField(_("name"), max_length=120)
    #: The plan period whose household budgets these allowances become (say "2027").
    plan_period = models.CharField(_("plan period"), max_length=40)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(max_length=10, choices=PeriodStatus.choices, default="open")
    compensate_onerousness = models.BooleanField(_("compensate onerous work"), default=True)
    pool_source = models.CharField(max_length=12, choices=PoolSource.choices, blank=True)
    pool_plan = models.ForeignKey(
        "planning.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pool_federation = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pool = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_on", "-id")

    def __str__(self) -> str:
        return f"{self.council}: {self.name}"


class EffortRating(AppendOnly):
    """One coworker's rating of another's effort (1–20); never shown to anyone."""

    period = models.ForeignKey(EffortPeriod, on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(20)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(rater=models.F("ratee")), name="no_self_rating"
            ),
        )


class Intensity(models.IntegerChoices):
    """How hard the hours were, as a percentage of a normal pace."""

    LIGHT = 75, _("light")
    NORMAL = 100, _("normal")
    HARD = 125, _("hard")
    VERY_HARD = 150, _("very hard")


class LogStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a coworker")
    CONFIRMED = "confirmed", _("confirmed")
    DISPUTED = "disputed", _("disputed by a coworker")


class HoursLog(models.Model):
    period = models.ForeignKey(EffortPeriod, on_delete=models.PROTECT, related_name="logs")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worked_on = models.DateField(_("day"))
    hours = models.FloatField(_("hours"))
    #: What was done: one of the workplace's tasks (shared work's :class:`Task`) …
    task = models.ForeignKey(
        "jobs.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours_logs",
        verbose_name=_("task"),
    )
    #: … or, when it is none of them, in words (also kept from logs written before
    #: tasks were linked whose text names no task of the workplace).
    task_text = models.CharField(_("other work"), max_length=200, blank=True)
    intensity = models.PositiveSmallIntegerField(
        _("intensity"), choices=Intensity.choices, default=Intensity.NORMAL
    )
    #: How onerous the work was, 1 (pleasant) to 20 (most onerous).
    onerousness = models.PositiveSmallIntegerField(
        _("onerousness"), validators=[MinValueValidator(1), MaxValueValidator(20)], default=10
    )
    status = models.CharField(max_length=10, choices=LogStatus.choices, default="pending")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-worked_on", "-id")

    @property
    def task_name(self) -> str:
        """What was done, in words: the task's name or the free text."""
        return self.task.name if self.task_id is not None and self.task else self.task_text


class NeedsStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class NeedsRequest(models.Model):
    """A needs-based addition a member asks for, decided by their household's council."""

    period = models.ForeignKey(EffortPeriod, on_delete=models.PROTECT, related_name="needs")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    amount = models.FloatField(_("amount"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=10, choices=NeedsStatus.choices, default="requested")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")


class HouseholdChoice(AppendOnly):
    """The consumer council a member's allowances go to (the latest choice counts)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")


class AllowanceRun(AppendOnly):
    """One computation of a period's allowances by the core (the latest counts)."""

    period = models.ForeignKey(EffortPeriod, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField()
    pool = models.FloatField()
    needs = models.FloatField(default=0.0)
    reason = models.CharField(max_length=200, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("period", "number")
        constraints = (
            models.UniqueConstraint(fields=("period", "number"), name="one_run_per_number"),
        )


class Allowance(AppendOnly):
    """A member's allowance in one run: what the core computed and where it goes."""

    run = models.ForeignKey(AllowanceRun, on_delete=models.PROTECT, related_name="allowances")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours = models.FloatField()
    #: The rated intensity (mean 1 over the workplace) times the logged pace.
    intensity = models.FloatField()
    onerousness = models.FloatField()
    credits = models.FloatField()
    effort = models.FloatField()
    needs = models.FloatField(default=0.0)
    ratio = models.FloatField()
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ("run", "id")

    @property
    def total(self) -> float:
        return self.effort + self.needs


class AppealStatus(models.TextChoices):
    OPEN = "open", _("under review")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class Appeal(models.Model):
    """A member appeals their allowance; a facilitator reviews and resolves it.

    An upheld appeal may correct the member's intensity (mean 1 over the workplace)
    and the allowances are recomputed with it.
    """

    period = models.ForeignKey(EffortPeriod, on_delete=models.PROTECT, related_name="appeals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allowance = models.ForeignKey(Allowance, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=10, choices=AppealStatus.choices, default="open")
    resolution = models.CharField(_("resolution"), max_length=1000, blank=True)
    intensity = models.FloatField(_("corrected intensity"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
