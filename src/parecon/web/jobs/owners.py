"""Who owns shared work — a worker council or a chapter — and who may act for it.

An :class:`Owner` names the pair ``(chapter, council)`` the models store. Its people
are the council's current members (a worker council) or the chapter's. Its
stewards — who list tasks, set hours and qualifications, run and publish the
balancer — are its facilitators and the chapter's admins (for a council, a
facilitator of the council, of a federation above it or of its chapter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Membership, Role
from parecon.web.chapters.permissions import has_role, is_member
from parecon.web.councils.models import Council, CouncilKind, CouncilMembership
from parecon.web.councils.permissions import has_council_role, is_council_member
from parecon.web.jobs.models import owner_filter
from parecon.web.members.models import Member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

STEWARD_ROLES = (Role.FACILITATOR, Role.ADMIN)
KINDS = ("chapter", "council")


@dataclass(frozen=True)
class Owner:
    """A worker council (``council`` set) or a chapter (``council`` None)."""

    chapter: Chapter
    council: Council | None = None

    @property
    def kind(self) -> str:
        return "council" if self.council is not None else "chapter"

    @property
    def slug(self) -> str:
        return self.council.slug if self.council is not None else self.chapter.slug

    @property
    def name(self) -> str:
        return str(self.council or self.chapter)

    @property
    def q(self) -> Q:
        return owner_filter(self.chapter, self.council)

    def fields(self) -> dict[str, object]:
        """Keyword arguments that set a row's owner."""
        return {"chapter": self.chapter, "council": self.council}

    def people_query(self) -> QuerySet[Member]:
        """Current members (a query, to filter or count without loading them all)."""
        if self.council is not None and not self.council.acts_for_chapter:
            ids = CouncilMembership.objects.active().filter(council=self.council)
        else:
            ids = Membership.objects.active().filter(chapter=self.chapter)  # type: ignore[assignment]
        return Member.objects.filter(pk__in=ids.values("member_id"), is_active=True)

    def people(self) -> list[Member]:
        """Current members, in a stable order (by id)."""
        return list(self.people_query().order_by("pk"))

    def person(self, value: str | None) -> Member | None:
        """The current member named by an id or an e-mail address, else None."""
        text = (value or "").strip()
        if text.isdigit():
            return self.people_query().filter(pk=int(text)).first()
        if "@" in text:
            return self.people_query().filter(email__iexact=text).first()
        return None


def owner_of(row: object) -> Owner:
    """The owner of a task, balance or any row with ``chapter`` and ``council``."""
    return Owner(row.chapter, row.council)  # type: ignore[attr-defined]


def find_owner(kind: str, slug: str) -> Owner:
    """The owner named in a URL (``chapter/<slug>`` or ``council/<slug>``), else 404."""
    if kind == "chapter":
        chapter = Chapter.objects.filter(slug=slug).first()
        if chapter is not None:
            return Owner(chapter)
    elif kind == "council":
        council = (
            Council.objects.select_related("chapter")
            .filter(slug=slug, kind=CouncilKind.WORKER)
            .first()
        )
        if council is not None:
            return Owner(council.chapter, council)
    raise Http404(_("No such workplace or chapter."))


def is_owner_member(member: Member | AnonymousUser | None, owner: Owner) -> bool:
    if owner.council is not None:
        return is_council_member(member, owner.council)
    return is_member(member, owner.chapter)


def is_steward(member: Member | AnonymousUser | None, owner: Owner) -> bool:
    if owner.council is not None:
        return has_council_role(member, owner.council, *STEWARD_ROLES)
    return has_role(member, owner.chapter, *STEWARD_ROLES)


def require_owner_member(member: Member | AnonymousUser | None, owner: Owner) -> Member:
    if not is_owner_member(member, owner):
        raise PermissionDenied(_("Only members of %(owner)s may do this.") % {"owner": owner.name})
    return member  # type: ignore[return-value]


def require_steward(member: Member | AnonymousUser | None, owner: Owner) -> Member:
    if not is_steward(member, owner):
        raise PermissionDenied(
            _("Only a current facilitator or admin of %(owner)s may do this.")
            % {"owner": owner.name}
        )
    return member  # type: ignore[return-value]
