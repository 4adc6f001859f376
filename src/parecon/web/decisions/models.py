"""Decisions with a say in proportion to how much each member is affected.

A :class:`Decision` lives in a chapter (its scope), declares who is affected, and is
counted by :func:`parecon.selfmanagement.decide` with the weights
:func:`parecon.selfmanagement.weigh` gives. Its life: *weighing* (members see the
weights and may challenge them) → *voting* → *closed* (the result stored), and
possibly reopened by members' requests. Ballots, weights, receipts, room counts,
minority reports and reopen requests are rows that are only ever added.

A chapter's rules (:class:`RuleSetVersion`) and documents (:class:`DocumentVersion`)
are append-only versions: a new version is written only by an adopted decision, and
every decision records the rule-set version it was proposed under.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    WEIGHING = "weighing", _("weights open to challenge")
    VOTING = "voting", _("voting")
    CLOSED = "closed", _("closed")


class Kind(models.TextChoices):
    ORDINARY = "ordinary", _("decision")
    RULES = "rules", _("change of the rules")
    AMENDMENT = "amendment", _("amendment")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a version once written."""


class AppendOnly(models.Model):
    """A row written once: never updated (the database refuses too), never deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} rows are append-only")


class RuleSetVersion(AppendOnly):
    """One version of a chapter's decision rules (:class:`parecon.selfmanagement.RuleSet`
    as plain data), adopted by ``decision`` (none for the first, the defaults)."""

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="rule_sets"
    )
    version = models.PositiveIntegerField()
    rules = models.JSONField()
    fingerprint = models.CharField(max_length=64)
    decision = models.ForeignKey(
        "Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("chapter", "-version")
        constraints = (
            models.UniqueConstraint(fields=("chapter", "version"), name="one_ruleset_version"),
        )

    def __str__(self) -> str:
        return f"rules v{self.version} of {self.chapter_id}"


class Visibility(models.TextChoices):
    AFTER_VOTING = "after_voting", _("to those who voted, while open")
    AT_CLOSE = "at_close", _("only when it closes")


class Decision(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="decisions"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), max_length=20_000, blank=True)
    method = models.CharField(_("method"), max_length=32)
    options = models.JSONField(default=list, blank=True)
    #: Who is affected: {"units": [unit ids], "listed": {member id: weight}}.
    affected = models.JSONField(default=dict, blank=True)
    #: The weighting rule: {"levels": ["1", "1/4"], "combine": "max"}.
    weighting = models.JSONField(default=dict, blank=True)
    scope_unit = models.CharField(max_length=64, blank=True)
    threshold = models.CharField(max_length=16, blank=True)
    quorum_weight = models.CharField(max_length=16, blank=True)
    quorum_heads = models.CharField(max_length=16, blank=True)
    budget = models.PositiveIntegerField(null=True, blank=True)
    goal = models.PositiveIntegerField(null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous ballots"), default=False)
    results = models.CharField(
        _("results shown"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.AFTER_VOTING,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WEIGHING)
    round = models.PositiveIntegerField(default=1)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    reopen_threshold = models.PositiveIntegerField(_("requests that reopen it"), default=3)
    #: A role granted if adopted: {"member": id, "role": name, "days": n}.
    grant = models.JSONField(default=dict, blank=True)
    challenge_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="challenges"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    outcome = models.TextField(_("outcome statement"), max_length=5000, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    #: When the chapter was reminded that the review date came (once).
    reminded_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    #: For a change of the rules: {"rules": the proposed RuleSet as plain data}.
    payload = models.JSONField(default=dict, blank=True)
    #: The rule-set version the decision was proposed and counted under.
    ruleset = models.ForeignKey(
        RuleSetVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    #: Counted per member chapter and aggregated by affected members (unless pulled down).
    federated = models.BooleanField(_("federated"), default=False)
    pull_down_share = models.CharField(max_length=16, default="1/2")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class Weight(models.Model):
    """A member's say in a decision (frozen when voting opens), with the reasons."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="weights")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    weight = models.CharField(max_length=32)
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("decision", "member"), name="one_weight_each"),
        )


class Ballot(models.Model):
    """A ballot: online (one per voter and round) or a batch counted in a room.

    Anonymous ballots have no voter; a :class:`Receipt` records only that the member
    voted, and the ballot keeps the digest of the receipt code shown to the voter.
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("online")
        ROOM = "room", _("counted in the room")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="ballots")
    round = models.PositiveIntegerField()
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=64)
    weight = models.CharField(max_length=32)
    choice = models.CharField(max_length=64, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    ranking = models.JSONField(default=list, blank=True)
    marks = models.JSONField(default=dict, blank=True)
    count = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ONLINE)
    receipt_digest = models.CharField(max_length=64, blank=True)
    #: In a federated decision: the member unit the voter votes in.
    unit = models.CharField(max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("decision", "round", "voter"),
                condition=Q(voter__isnull=False),
                name="one_ballot_per_voter_and_round",
            ),
        )


class Receipt(models.Model):
    """That a member voted in a round of an anonymous decision (never which ballot)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="receipts")
    round = models.PositiveIntegerField()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("decision", "round", "member"), name="one_receipt"),
        )


class MinorityReport(models.Model):
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="minority_reports"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("minority report"), max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)


class ReopenRequest(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reopen_requests")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("decision", "round", "member"), name="one_request_each"
            ),
        )


class PullDownRequest(models.Model):
    """A member chapter asks that a federated decision be a direct vote of all affected."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="pull_downs")
    unit = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("decision", "unit"), name="one_pull_down_each"),
        )


class Document(models.Model):
    """A chapter's document amended clause by clause (its vision, its by-laws)."""

    class Type(models.TextChoices):
        VISION = "vision", _("vision and mission")
        BYLAWS = "bylaws", _("by-laws")
        OTHER = "other", _("document")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("kind"), max_length=10, choices=Type.choices, default=Type.OTHER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class DocumentVersion(AppendOnly):
    """The whole text at one version: ``clauses`` is [{"key", "heading", "text"}]."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    clauses = models.JSONField()
    #: The adopted amendment that made this version (none for the first).
    amendment = models.ForeignKey(
        "Amendment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("document", "-number")
        constraints = (
            models.UniqueConstraint(fields=("document", "number"), name="one_document_version"),
        )


class Amendment(models.Model):
    """A proposed new text of one clause (or a new clause), decided by ``decision``."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="amendment")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="amendments")
    #: The clause amended; a new key adds a clause at the end.
    clause = models.CharField(max_length=32)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    base = models.PositiveIntegerField()
    before = models.TextField(blank=True)
    after = models.TextField(_("new text"), max_length=10_000)
    #: The version its adoption wrote (none while undecided, rejected or overtaken).
    applied = models.PositiveIntegerField(null=True, blank=True)
