"""Who may do what in a chapter: membership and current roles, checked by services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Membership, Role, RoleGrant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


def _real(member: Member | AnonymousUser | None) -> Member | None:
    if member is None or not member.is_authenticated or not member.is_active:
        return None
    return member


def is_member(member: Member | AnonymousUser | None, chapter: Chapter) -> bool:
    m = _real(member)
    return m is not None and Membership.objects.active().filter(chapter=chapter, member=m).exists()


def has_role(member: Member | AnonymousUser | None, chapter: Chapter, *roles: str) -> bool:
    """Whether ``member`` holds one of ``roles`` in the whole ``chapter`` right now.

    Grants limited to one council do not count here (see ``councils.permissions``).
    """
    m = _real(member)
    if m is None:
        return False
    return (
        RoleGrant.objects.current()
        .filter(chapter=chapter, member=m, role__in=roles, council__isnull=True)
        .exists()
    )


def current_roles(member: Member | AnonymousUser | None, chapter: Chapter) -> set[str]:
    m = _real(member)
    if m is None:
        return set()
    return set(
        RoleGrant.objects.current()
        .filter(chapter=chapter, member=m, council__isnull=True)
        .values_list("role", flat=True)
    )


def require_member(member: Member | AnonymousUser | None, chapter: Chapter) -> Member:
    m = _real(member)
    if m is None or not is_member(m, chapter):
        raise PermissionDenied(_("Only members of %(chapter)s may do this.") % {"chapter": chapter})
    return m


def require_role(member: Member | AnonymousUser | None, chapter: Chapter, *roles: str) -> Member:
    m = _real(member)
    if m is None or not has_role(m, chapter, *roles):
        names = ", ".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(
            _("Only a current %(roles)s of %(chapter)s may do this.")
            % {"roles": names, "chapter": chapter}
        )
    return m


def require_login(member: Member | AnonymousUser | None) -> Member:
    m = _real(member)
    if m is None:
        raise PermissionDenied(_("Log in first."))
    return m
