"""Who may act for a council: its members, and facilitators of it or of the chapter.

A council's facilitator is a member holding the facilitator role either in the
whole chapter (a :class:`~parecon.web.chapters.models.RoleGrant` without a council)
or in this council or a federation above it (a grant with ``council`` set). The
same two-level rule serves any council-scoped role the later apps need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Membership, Role, RoleGrant
from parecon.web.chapters.permissions import has_role
from parecon.web.councils.models import Council, CouncilMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


def _real(member: Member | AnonymousUser | None) -> Member | None:
    if member is None or not member.is_authenticated or not member.is_active:
        return None
    return member


def is_council_member(member: Member | AnonymousUser | None, council: Council) -> bool:
    """Members of a base council, or of the chapter a chapter-council acts for."""
    m = _real(member)
    if m is None:
        return False
    if council.acts_for_chapter:
        return Membership.objects.active().filter(chapter=council.chapter_id, member=m).exists()
    return CouncilMembership.objects.active().filter(council=council, member=m).exists()


def councils_of_member(
    member: Member | AnonymousUser | None, among: QuerySet[Council]
) -> list[Council]:
    """Those councils of ``among`` that ``member`` is a member of (the rule above), by
    kind and name, in one query that does not grow with ``among`` (a city's plan has
    thousands of councils; the member belongs to a few)."""
    m = _real(member)
    if m is None:
        return []
    joined = CouncilMembership.objects.active().filter(member=m).values("council_id")
    chapters = Membership.objects.active().filter(member=m).values("chapter_id")
    return list(
        among.filter(
            Q(acts_for_chapter=False, pk__in=joined)
            | Q(acts_for_chapter=True, chapter__in=chapters)
        )
        .distinct()
        .order_by("kind", "name")
    )


def has_council_role(member: Member | AnonymousUser | None, council: Council, *roles: str) -> bool:
    """A current grant of ``roles`` in the council's chapter, this council or a federation above."""
    m = _real(member)
    if m is None:
        return False
    if has_role(m, council.chapter, *roles):
        return True
    scope = [council.pk, *(c.pk for c in council.ancestors())]
    return (
        RoleGrant.objects.current().filter(Q(council__in=scope), member=m, role__in=roles).exists()
    )


def can_facilitate(member: Member | AnonymousUser | None, council: Council) -> bool:
    return has_council_role(member, council, Role.FACILITATOR)


def require_council_member(member: Member | AnonymousUser | None, council: Council) -> Member:
    m = _real(member)
    if m is None or not is_council_member(m, council):
        raise PermissionDenied(_("Only members of %(council)s may do this.") % {"council": council})
    return m


def require_facilitator(member: Member | AnonymousUser | None, council: Council) -> Member:
    m = _real(member)
    if m is None or not can_facilitate(m, council):
        raise PermissionDenied(
            _("Only a current facilitator of %(council)s or its chapter may do this.")
            % {"council": council}
        )
    return m
