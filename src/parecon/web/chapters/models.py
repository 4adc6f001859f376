"""Chapters nested by geography, their members, and roles granted for a term.

Chapters form a tree: international → country → region → city. A member belongs to
chapters through :class:`Membership` rows (ended, never deleted, when they leave).

:class:`RoleGrant` is the platform's one role model. A role (facilitator, note-taker,
treasurer, mediator, admin) is held in one chapter for a term and expires on its own;
there is no permanent admin inside a chapter. A grant records where it came from —
the chapter's founding, an admin, a decision, or a published rotation — so that the
decisions and shared-work apps make grants through the same record.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INTERNATIONAL = "international", _("international")
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    CITY = "city", _("city")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("open: anyone may join")
    REQUEST = "request", _("by request, with a reason")
    INVITE = "invite", _("by invitation")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitator")
    NOTE_TAKER = "note_taker", _("note-taker")
    TREASURER = "treasurer", _("treasurer")
    MEDIATOR = "mediator", _("mediator")
    ADMIN = "admin", _("admin")


class GrantSource(models.TextChoices):
    FOUNDING = "founding", _("founding of the chapter")
    ADMIN = "admin", _("granted by an admin")
    DECISION = "decision", _("a decision")
    ROTATION = "rotation", _("the balanced rotation")


class Chapter(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    country_code = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=200, blank=True)
    geonameid = models.IntegerField(null=True, blank=True, unique=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    join_policy = models.CharField(
        _("join policy"), max_length=8, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("level", "country_code", "region"),
                condition=Q(level__in=("country", "region")),
                name="one_chapter_per_country_and_region",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Chapter]:
        """From the parent up to the international chapter."""
        chain: list[Chapter] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("chapter", "member"),
                condition=Q(left_at__isnull=True),
                name="one_active_membership",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} in {self.chapter}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="join_requests")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("chapter", "member"),
                condition=Q(status="pending"),
                name="one_pending_request",
            ),
        )


class Invitation(models.Model):
    """An admin's invitation of an e-mail address to an invite-only chapter."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def current(self, at: datetime | None = None) -> RoleGrantQuerySet:
        now = at or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role held in a chapter for a term; it lapses at ``ends_at`` by itself."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="role_grants")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    #: Set for a role in one council only (a workplace's or a federation's facilitator);
    #: empty for a role in the whole chapter.
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=GrantSource.choices)
    #: What made the grant when it was not an admin: a decision's or rotation's id.
    source_ref = models.CharField(max_length=64, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(max_length=500, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_at",)
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="term_ends_after_it_starts"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} {self.role} of {self.chapter} until {self.ends_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at
