"""Who may act in a workplace's effort period: its members, and its facilitators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from parecon.web.councils.models import CouncilLevel
from parecon.web.councils.permissions import (
    can_facilitate,
    is_council_member,
    require_council_member,
    require_facilitator,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.councils.models import Council
    from parecon.web.members.models import Member


def require_workplace(council: Council) -> None:
    if council.level != CouncilLevel.WORKPLACE or council.acts_for_chapter:
        raise PermissionDenied(_("Effort is rated in workplaces (worker councils)."))


def require_coworker(member: Member | AnonymousUser | None, council: Council) -> Member:
    require_workplace(council)
    return require_council_member(member, council)


def require_workplace_facilitator(
    member: Member | AnonymousUser | None, council: Council
) -> Member:
    require_workplace(council)
    return require_facilitator(member, council)


def is_coworker(member: Member | AnonymousUser | None, council: Council) -> bool:
    return is_council_member(member, council)


def is_workplace_facilitator(member: Member | AnonymousUser | None, council: Council) -> bool:
    return can_facilitate(member, council)
