"""Reading councils: a chapter's councils, a council's members and federation tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from parecon.web.chapters.models import Membership, RoleGrant
from parecon.web.councils.models import Council, CouncilMembership

if TYPE_CHECKING:
    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member


def councils_of(chapter: Chapter | None = None) -> QuerySet[Council]:
    councils = Council.objects.select_related("chapter", "parent").annotate(
        n_members=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    )
    if chapter is not None:
        councils = councils.filter(chapter=chapter)
    return councils.order_by("kind", "level", "name")


def member_names(council: Council) -> list[str]:
    """Display names of the council's members (its chapter's, for a chapter-council)."""
    if council.acts_for_chapter:
        rows = Membership.objects.active().filter(chapter=council.chapter_id)
    else:
        rows = CouncilMembership.objects.active().filter(council=council)  # type: ignore[assignment]
    return sorted(m.member.display_name for m in rows.select_related("member"))


def councils_of_member(member: Member) -> list[Council]:
    """The councils a member belongs to directly, and those acting for their chapters."""
    direct = Council.objects.filter(memberships__member=member, memberships__left_at__isnull=True)
    acting = Council.objects.filter(
        acts_for_chapter=True,
        chapter__memberships__member=member,
        chapter__memberships__left_at__isnull=True,
    )
    return list((direct | acting).distinct().select_related("chapter").order_by("kind", "name"))


def council_facilitators(council: Council) -> list[str]:
    grants = (
        RoleGrant.objects.current()
        .filter(council=council, role="facilitator")
        .select_related("member")
    )
    return sorted(g.member.display_name for g in grants)
