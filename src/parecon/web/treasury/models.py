"""A chapter's treasury in the open: accounts, a double-entry journal, dues.

Entries and their lines are only added: a correction is a new entry that reverses
another. Expenses wait for approval — by the chapter's treasurer (a rotating role)
up to the chapter's limit, by a decision above it — and never by whoever asked.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        ASSET = "asset", _("money held (cash, bank, a fund)")
        INCOME = "income", _("income")
        EXPENSE = "expense", _("spending")
        EQUITY = "equity", _("opening balance")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="accounts"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("kind", "name")
        constraints = (
            models.UniqueConstraint(fields=("chapter", "name"), name="account_names_unique"),
        )

    def __str__(self) -> str:
        return self.name


class Settings(models.Model):
    """A chapter's treasury rules: the limit above which spending needs a decision."""

    chapter = models.OneToOneField(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="treasury"
    )
    currency = models.CharField(max_length=3, default="EUR")
    decision_limit = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("100.00"))


class Entry(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        DONATION = "donation", _("donation")
        GRANT = "grant", _("grant")
        DUES = "dues", _("dues")
        EXPENSE = "expense", _("expense")
        TRANSFER = "transfer", _("transfer")
        OPENING = "opening", _("opening balance")
        CORRECTION = "correction", _("correction")
        IMPORTED = "imported", _("bank statement")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        POSTED = "posted", _("in the books")
        REFUSED = "refused", _("refused")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="entries"
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.POSTED)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    receipt = models.FileField(upload_to="receipts/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )

    class Meta:
        ordering = ("-date", "-id")
        verbose_name_plural = "entries"


class Line(models.Model):
    """One side of an entry: positive is a debit, negative a credit."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    amount = models.DecimalField(max_digits=14, decimal_places=2)


class DuesScale(models.Model):
    """The sliding scale of dues, set by a decision of the chapter."""

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="dues_scales"
    )
    bands = models.JSONField()  # [{"name": "low income", "monthly": "2.00"}, ...]
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)


class DuesChoice(models.Model):
    """A member's band on the current scale: private to the member."""

    scale = models.ForeignKey(DuesScale, on_delete=models.PROTECT, related_name="choices")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=80)
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("scale", "member"), name="one_band_each"),)


class BudgetPlan(models.Model):
    """A chapter's budget for a period, planned participatorily in rounds.

    Its lines are the goods of a small plan: the board (the planning engine's, kept in
    ``board_state``) announces an indicative price for the chapter's money and for each
    line with a capacity (the room's hours); proposers request lines and offer
    contributions; rounds repeat until every request fits what the chapter expects to
    have. An adopted decision of the chapter ratifies it, and its lines become the
    treasury's budget.
    """

    class Status(models.TextChoices):
        PLANNING = "planning", _("planning by rounds")
        ADOPTED = "adopted", _("adopted by decision")
        STOPPED = "stopped", _("stopped without a budget")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="budget_plans"
    )
    name = models.CharField(_("name"), max_length=200)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    expected_income = models.DecimalField(_("expected income"), max_digits=14, decimal_places=2)
    rule = models.CharField(_("price rule"), max_length=40, default="tatonnement")
    tolerance = models.FloatField(_("tolerance"), default=0.03)
    max_rounds = models.PositiveIntegerField(_("round limit"), default=20)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNING)
    board_state = models.JSONField(default=dict)
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The proposal put to the chapter for this budget: only it can ratify the budget.
    proposed_as = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts", "-id")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """What the chapter's money buys (``unit_cost`` a unit), perhaps with a fixed
    capacity (hours of the room); ``amount`` is what the adopted budget gives it."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="lines")
    index = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    unit_cost = models.DecimalField(_("cost of a unit"), max_digits=14, decimal_places=2)
    capacity = models.DecimalField(
        _("capacity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ("plan", "index")
        constraints = (
            models.UniqueConstraint(fields=("plan", "index"), name="one_budget_line_per_index"),
            models.UniqueConstraint(fields=("plan", "name"), name="one_budget_line_per_name"),
        )

    def __str__(self) -> str:
        return self.name


class Proposer(models.Model):
    """Who proposes in a budget: a project, a working group, or a member's need."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("a project")
        GROUP = "group", _("a working group or committee")
        NEED = "need", _("a member's need (from the needs board)")

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="proposers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    need = models.ForeignKey(
        "commons.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("plan", "name"), name="one_proposer_per_name"),
        )

    def __str__(self) -> str:
        return self.name


class BudgetRound(models.Model):
    """One round: the prices announced, and when closed the totals and whether they fit."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField()
    prices = models.JSONField(default=list)
    supply = models.JSONField(default=list)
    demand = models.JSONField(default=list)
    gaps = models.JSONField(default=list)
    fits = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("plan", "number")
        constraints = (
            models.UniqueConstraint(fields=("plan", "number"), name="one_budget_round_per_number"),
        )


class BudgetProposal(models.Model):
    """A proposer's request in one round: units of each line (by index, as text) and
    the money it will bring in (a fundraiser, a grant it applies for)."""

    round = models.ForeignKey(BudgetRound, on_delete=models.PROTECT, related_name="proposals")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="proposals")
    quantities = models.JSONField(default=dict)
    contribution = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    carried = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("round", "proposer"), name="one_budget_proposal_each"),
        )
