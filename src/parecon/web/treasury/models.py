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
