"""Who may facilitate a plan, and who may speak for a council in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parecon.web.chapters.models import Role
from parecon.web.chapters.permissions import has_role, require_role
from parecon.web.councils.permissions import can_facilitate, require_facilitator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member
    from parecon.web.planning.models import Plan


def is_plan_facilitator(member: Member | AnonymousUser | None, plan: Plan) -> bool:
    if plan.federation is not None:
        return can_facilitate(member, plan.federation)
    return has_role(member, plan.chapter, Role.FACILITATOR)


def require_plan_facilitator(member: Member | AnonymousUser | None, plan: Plan) -> Member:
    """A facilitator of the plan's federation (or of its chapter when it has none)."""
    if plan.federation is not None:
        return require_facilitator(member, plan.federation)
    return require_role(member, plan.chapter, Role.FACILITATOR)
