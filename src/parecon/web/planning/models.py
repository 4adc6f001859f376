"""Plans, their goods and rounds, councils' proposals and every version of them.

A :class:`Plan` is opened for a period by a facilitator; its goods catalogue is
:class:`Good` rows (in the order of every price vector), its councils
:class:`Participant` rows. Each :class:`Round` announces prices; each council has
one :class:`Proposal` per round — the draft its members edit good by good
(:class:`ProposalLine`, each with a version for merging concurrent edits) — and
every saved or submitted state of it is an immutable :class:`ProposalVersion`.
Closing a round reads the submitted versions, never the drafts.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parecon.web.history.models import AppendOnlyError


class PlanStatus(models.TextChoices):
    PLANNING = "planning", _("planning by rounds")
    PROPOSED = "proposed", _("proposed for ratification")
    RATIFIED = "ratified", _("ratified")
    STOPPED = "stopped", _("stopped without a feasible plan")


class Category(models.TextChoices):
    PRIVATE = "private", _("private")
    PUBLIC = "public", _("public")
    INTERMEDIATE = "intermediate", _("intermediate")
    RESOURCE = "resource", _("resource")
    LABOUR = "labour", _("labour")
    POLLUTANT = "pollutant", _("pollutant")


#: What each kind of council proposes: consumers request final goods; worker
#: councils offer outputs and ask for inputs (labour, resources, intermediate goods,
#: emission permits).
CONSUMED = (Category.PRIVATE, Category.PUBLIC)
PRODUCED = (Category.PRIVATE, Category.INTERMEDIATE, Category.PUBLIC)
USED = (Category.INTERMEDIATE, Category.RESOURCE, Category.LABOUR, Category.POLLUTANT)


class Plan(models.Model):
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, related_name="plans")
    federation = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("federation"),
    )
    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(_("period"), max_length=40)
    rule = models.CharField(_("price rule"), max_length=40, default="informed")
    tolerance = models.FloatField(_("tolerance"), default=0.03)
    max_rounds = models.PositiveIntegerField(_("round limit"), default=20)
    round_days = models.PositiveIntegerField(_("days per round"), default=7)
    #: Revision limits (after Looking Forward): from round ``revision_from`` on, a council
    #: may move each figure of its last counted proposal by at most this share of it.
    revision_limit = models.FloatField(_("revision limit"), null=True, blank=True)
    revision_from = models.PositiveIntegerField(_("revision limits from round"), default=3)
    #: Deadlines of the first rounds (ISO datetimes); later rounds last ``round_days``.
    schedule = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="planning")
    #: The facilitation board between rounds (see ``planning.facilitation``).
    board_state = models.JSONField(default=dict)
    #: Simulated councils planning alongside the people: {} or a source description.
    simulation = models.JSONField(default=dict, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"


class Good(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goods")
    index = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    initial_price = models.FloatField()

    class Meta:
        ordering = ("index",)
        constraints = (
            models.UniqueConstraint(fields=("plan", "index"), name="one_good_per_index"),
            models.UniqueConstraint(fields=("plan", "name"), name="one_good_per_name"),
        )

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A council taking part in a plan, with its budget when it is a consumer council."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="participants")
    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, related_name="participations"
    )
    budget = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("plan", "council"), name="one_participation"),
        )


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open for proposals")
    CLOSED = "closed", _("closed")


class Round(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField()
    deadline = models.DateTimeField()
    status = models.CharField(max_length=8, choices=RoundStatus.choices, default="open")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Announced before the round (one per good, in catalogue order).
    prices = models.JSONField(default=list)
    #: Published when the round closes.
    supply = models.JSONField(default=list)
    demand = models.JSONField(default=list)
    gaps = models.JSONField(default=list)
    next_prices = models.JSONField(default=list)
    max_gap = models.FloatField(null=True, blank=True)
    board_status = models.CharField(max_length=12, blank=True)
    n_submitted = models.PositiveIntegerField(default=0)
    n_carried = models.PositiveIntegerField(default=0)
    #: The background close's task id (django-tasks), while one is queued or running.
    closing_task = models.CharField(max_length=64, blank=True, default="")
    #: Per council (by id): its proposal's cost (consumers) or SB and SC (workers)
    #: at the next prices.
    council_results = models.JSONField(default=dict)
    #: While open, the totals of the counted submissions so far
    #: (``{"submitted": n, "supply": [...], "demand": [...]}``, one per good), kept by
    #: each submission under the round's row lock so that the round page never sums
    #: every proposal; None until the first submission (or in rounds opened before it
    #: was kept), when they are summed from the proposals.
    running = models.JSONField(null=True, blank=True, editable=False)
    close_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("plan", "number")
        constraints = (
            models.UniqueConstraint(fields=("plan", "number"), name="one_round_per_number"),
        )

    def __str__(self) -> str:
        return f"{self.plan} round {self.number}"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CARRIED = "carried", _("carried forward")


class Proposal(models.Model):
    """A council's proposal in one round: a draft until submitted (or carried forward)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="proposals")
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default="draft")
    #: The version the board counts: the submitted one, or the one carried forward.
    counted = models.ForeignKey(
        "ProposalVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("round", "council"), name="one_proposal_per_round"),
        )


class Side(models.TextChoices):
    SUPPLY = "supply", _("output")
    DEMAND = "demand", _("request or input")


class ProposalLine(models.Model):
    """One good of a draft; ``version`` counts its changes, for merging edits."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    good = models.ForeignKey(Good, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=6, choices=Side.choices)
    quantity = models.FloatField(default=0.0)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("proposal", "good", "side"), name="one_line_per_good"),
        )


class VersionQuerySet(models.QuerySet["ProposalVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("proposal versions are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("proposal versions are append-only")


class VersionKind(models.TextChoices):
    DRAFT = "draft", _("draft saved")
    SUGGESTION = "suggestion", _("suggestion accepted")
    SUBMITTED = "submitted", _("submitted")


class ProposalVersion(models.Model):
    """An immutable state of a council's proposal: who saved or submitted what, when.

    ``quantities`` is ``{"supply": {good_index: q}, "demand": {good_index: q}}``
    (indices as strings, zeros left out).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    round_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    quantities = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[VersionQuerySet] = VersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("created_at", "id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("proposal versions are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("proposal versions are append-only")


class Verdict(models.TextChoices):
    APPROVE = "approve", _("approve")
    OBJECT = "object", _("object")


class Review(models.Model):
    """Another council's approval of, or objection to, a worker council's proposal."""

    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="reviews")
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Consent(models.TextChoices):
    CONSENT = "consent", _("consent")
    OBJECT = "object", _("object")


class Ratification(models.Model):
    """A council's answer to the proposed plan (the latest answer of each council counts)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="ratifications")
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=8, choices=Consent.choices)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
