"""Every write to councils and their memberships: one function per action.

Creating a council takes a current facilitator or admin of its chapter; joining
takes membership of the chapter. Every change is recorded in the chapter's log.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parecon.web.chapters import services as chapter_services
from parecon.web.chapters.models import Chapter, Role, RoleGrant
from parecon.web.chapters.permissions import require_member, require_role
from parecon.web.councils.models import (
    LEVELS,
    Council,
    CouncilKind,
    CouncilLevel,
    CouncilMembership,
)
from parecon.web.councils.permissions import require_council_member
from parecon.web.history.services import record

if TYPE_CHECKING:
    from parecon.web.members.models import Member


def _unique_slug(base: str) -> str:
    root = slugify(base)[:100] or "council"
    slug, n = root, 1
    while Council.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


def _check_parent(chapter: Chapter, level: str, parent: Council | None) -> None:
    if parent is None:
        return
    kind, rank = LEVELS[level]
    parent_kind, parent_rank = LEVELS[parent.level]
    if parent_kind != kind or parent_rank <= rank:
        raise ValidationError(
            {
                "parent": _("A %(level)s cannot be part of %(parent)s (a %(parent_level)s).")
                % {
                    "level": CouncilLevel(level).label,
                    "parent": parent,
                    "parent_level": CouncilLevel(parent.level).label,
                }
            }
        )
    if parent.chapter_id != chapter.pk and parent.chapter not in chapter.ancestors():
        raise ValidationError(
            {"parent": _("The federation must belong to this chapter or one above it.")}
        )


@transaction.atomic
def create_council(
    actor: Member,
    chapter: Chapter,
    *,
    name: str,
    level: str,
    parent: Council | None = None,
    description: str = "",
    acts_for_chapter: bool = False,
) -> Council:
    """A facilitator or admin of ``chapter`` founds a council or federation in it."""
    actor = require_role(actor, chapter, Role.FACILITATOR, Role.ADMIN)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the council a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("A name has at most 200 characters.")})
    if level not in LEVELS:
        raise ValidationError({"level": _("Unknown level %(level)r.") % {"level": level}})
    if acts_for_chapter and LEVELS[level][0] != CouncilKind.CONSUMER:
        raise ValidationError(
            {"acts_for_chapter": _("Only a consumer council acts for a chapter.")}
        )
    _check_parent(chapter, level, parent)
    try:
        with transaction.atomic():
            council = Council.objects.create(
                chapter=chapter,
                name=name,
                slug=_unique_slug(name),
                kind=LEVELS[level][0],
                level=level,
                parent=parent,
                description=description.strip()[:5000],
                acts_for_chapter=acts_for_chapter,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"acts_for_chapter": _("Another council already acts for this chapter.")}
        ) from None
    record(
        "council.created",
        _("%(actor)s founded %(council)s (%(level)s).")
        % {"actor": actor.display_name, "council": name, "level": CouncilLevel(level).label},
        actor=actor,
        chapter=chapter,
        subject=council,
        data={"level": level, "parent": parent.slug if parent else None},
    )
    return council


@transaction.atomic
def join_council(member: Member, council: Council) -> CouncilMembership:
    """A member of the council's chapter joins it (one worker council at a time)."""
    member = require_member(member, council.chapter)
    if not council.takes_members:
        raise ValidationError(
            _("%(council)s is a federation: councils, not people, are its members.")
            % {"council": council}
        )
    active = CouncilMembership.objects.active().select_for_update().filter(member=member)
    if active.filter(council=council).exists():
        raise ValidationError(_("You are already a member of %(council)s.") % {"council": council})
    if council.is_worker:
        current = active.filter(kind=CouncilKind.WORKER).select_related("council").first()
        if current is not None:
            raise ValidationError(
                _("You are a member of the worker council %(council)s; leave it first.")
                % {"council": current.council}
            )
    try:
        with transaction.atomic():
            membership = CouncilMembership.objects.create(
                council=council, member=member, kind=council.kind
            )
    except IntegrityError:  # a concurrent join of the same member
        raise ValidationError(_("You joined another council meanwhile; reload.")) from None
    record(
        "council.joined",
        _("%(member)s joined %(council)s.") % {"member": member.display_name, "council": council},
        actor=member,
        chapter=council.chapter,
        subject=council,
    )
    return membership


@transaction.atomic
def leave_council(member: Member, council: Council) -> None:
    member = require_council_member(member, council)
    if not council.takes_members:
        raise ValidationError(
            _("You belong to %(council)s through its chapter.") % {"council": council}
        )
    CouncilMembership.objects.active().filter(council=council, member=member).update(
        left_at=timezone.now()
    )
    record(
        "council.left",
        _("%(member)s left %(council)s.") % {"member": member.display_name, "council": council},
        actor=member,
        chapter=council.chapter,
        subject=council,
    )


@transaction.atomic
def grant_council_role(
    actor: Member,
    council: Council,
    member: Member,
    role: str,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> RoleGrant:
    """An admin of the chapter grants a role in one council (same record as chapter roles)."""
    require_role(actor, council.chapter, Role.ADMIN)
    if (
        council.takes_members
        and not CouncilMembership.objects.active().filter(council=council, member=member).exists()
    ):
        raise ValidationError(
            {
                "member": _("%(member)s is not a member of %(council)s.")
                % {"member": member.display_name, "council": council}
            }
        )
    return chapter_services.grant_council_role(
        actor, council, member, role, starts_at=starts_at, ends_at=ends_at
    )
