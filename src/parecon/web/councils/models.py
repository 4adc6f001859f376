"""Worker and consumer councils, nested into federations, and who belongs to them.

A :class:`Council` belongs to a chapter. Consumer councils nest household →
neighbourhood → city → region; worker councils nest workplace → industry
federation. A federation is a council whose members are the councils below it
(``parent``); people join base councils (workplaces, households, neighbourhoods).
A chapter can act as a consumer council (``acts_for_chapter``): its members are the
chapter's members.

A member belongs to at most one worker council and to any number of consumer
councils at a time (:class:`CouncilMembership`, ended, never deleted, on leaving).
Council-level roles are :class:`~parecon.web.chapters.models.RoleGrant` rows with
their ``council`` set, so the shared-work and decisions apps grant them through the
same record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    WORKER = "worker", _("worker council")
    CONSUMER = "consumer", _("consumer council")


class CouncilLevel(models.TextChoices):
    WORKPLACE = "workplace", _("workplace")
    INDUSTRY = "industry", _("industry federation")
    HOUSEHOLD = "household", _("household")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")
    CITY = "city", _("city federation")
    REGION = "region", _("regional federation")


#: Each level's kind and rank: a council's parent has the same kind and a higher rank.
LEVELS: dict[str, tuple[str, int]] = {
    CouncilLevel.WORKPLACE: (CouncilKind.WORKER, 0),
    CouncilLevel.INDUSTRY: (CouncilKind.WORKER, 1),
    CouncilLevel.HOUSEHOLD: (CouncilKind.CONSUMER, 0),
    CouncilLevel.NEIGHBOURHOOD: (CouncilKind.CONSUMER, 1),
    CouncilLevel.CITY: (CouncilKind.CONSUMER, 2),
    CouncilLevel.REGION: (CouncilKind.CONSUMER, 3),
}
#: Levels people join directly (federations' members are councils).
PERSONAL_LEVELS = (CouncilLevel.WORKPLACE, CouncilLevel.HOUSEHOLD, CouncilLevel.NEIGHBOURHOOD)


class Council(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=CouncilKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=CouncilLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("federation"),
    )
    acts_for_chapter = models.BooleanField(default=False)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("chapter",),
                condition=Q(acts_for_chapter=True),
                name="one_council_acting_for_a_chapter",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_worker(self) -> bool:
        return self.kind == CouncilKind.WORKER

    @property
    def takes_members(self) -> bool:
        """Whether people join it directly (not a federation, not a chapter acting)."""
        return self.level in PERSONAL_LEVELS and not self.acts_for_chapter

    def ancestors(self) -> list[Council]:
        """The federations above, nearest first."""
        chain: list[Council] = []
        node = self.parent
        while node is not None and len(chain) < 16:
            chain.append(node)
            node = node.parent
        return chain


class CouncilMembershipQuerySet(models.QuerySet["CouncilMembership"]):
    def active(self) -> CouncilMembershipQuerySet:
        return self.filter(left_at__isnull=True)


class CouncilMembership(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_memberships"
    )
    #: The council's kind, copied so the database can hold "one worker council each".
    kind = models.CharField(max_length=10, choices=CouncilKind.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("council", "member"),
                condition=Q(left_at__isnull=True),
                name="one_active_council_membership",
            ),
            models.UniqueConstraint(
                fields=("member",),
                condition=Q(left_at__isnull=True, kind="worker"),
                name="one_worker_council_each",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} in {self.council}"
