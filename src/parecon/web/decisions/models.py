"""Decisions with a say in proportion to how much each member is affected.

A :class:`Decision` lives in a chapter (its scope), declares who is affected, and is
counted by :func:`parecon.selfmanagement.decide` with the weights
:func:`parecon.selfmanagement.weigh` gives. Its life: *weighing* (members see the
weights and may challenge them) → *voting* → *closed* (the result stored), and
possibly reopened by members' requests. Ballots, weights, receipts, room counts,
minority reports and reopen requests are rows that are only ever added.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    WEIGHING = "weighing", _("weights open to challenge")
    VOTING = "voting", _("voting")
    CLOSED = "closed", _("closed")


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
