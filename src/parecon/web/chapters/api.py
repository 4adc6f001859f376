"""``/api/chapters``: chapters, their members, log, joining and roles."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from parecon.web.chapters import permissions, services
from parecon.web.chapters.models import Chapter, JoinRequest, Membership, RoleGrant
from parecon.web.history.selectors import chapter_log
from parecon.web.instants import Instant
from parecon.web.members.models import Member
from parecon.web.site.api_auth import writer
from parecon.web.site.search import name_contains

router = Router(tags=["chapters"])


class ChapterOut(Schema):
    slug: str
    name: str
    level: str
    parent: str | None
    description: str
    join_policy: str
    members: int


class ChapterIn(Schema):
    description: str = Field(..., max_length=5000)
    join_policy: str = Field(..., pattern="^(open|request|invite)$")


class JoinIn(Schema):
    reason: str = Field("", max_length=2000)


class JoinOut(Schema):
    status: str


class MemberOut(Schema):
    id: int
    name: str


class EventOut(Schema):
    when: datetime
    verb: str
    summary: str
    actor: str | None


class GrantIn(Schema):
    member_id: int
    role: str = Field(..., pattern="^(facilitator|note_taker|treasurer|mediator|admin)$")
    starts_at: Instant | None = None
    ends_at: Instant | None = None


class GrantOut(Schema):
    id: int
    member_id: int
    member: str
    role: str
    starts_at: datetime
    ends_at: datetime
    source: str
    current: bool


class RevokeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


def _chapter_out(chapter: Chapter) -> dict[str, object]:
    return {
        "slug": chapter.slug,
        "name": chapter.name,
        "level": chapter.level,
        "parent": chapter.parent.slug if chapter.parent else None,
        "description": chapter.description,
        "join_policy": chapter.join_policy,
        "members": Membership.objects.active().filter(chapter=chapter).count(),
    }


def _grant_out(g: RoleGrant) -> dict[str, object]:
    return {
        "id": g.pk,
        "member_id": g.member_id,
        "member": g.member.display_name,
        "role": g.role,
        "starts_at": g.starts_at,
        "ends_at": g.ends_at,
        "source": g.source,
        "current": g.is_current,
    }


@router.get("", response=list[ChapterOut], auth=None)
def list_chapters(
    request: HttpRequest, q: Annotated[str, Query(max_length=100)] = ""
) -> list[dict[str, object]]:
    chapters = Chapter.objects.select_related("parent").order_by("level", "name")
    if q:
        chapters = chapters.filter(name_contains("name", q))
    return [_chapter_out(c) for c in chapters[:200]]


@router.get("/{slug}", response=ChapterOut, auth=None)
def get_chapter(request: HttpRequest, slug: str) -> dict[str, object]:
    return _chapter_out(get_object_or_404(Chapter, slug=slug))


@router.patch("/{slug}", response=ChapterOut)
def edit_chapter(request: HttpRequest, slug: str, payload: ChapterIn) -> dict[str, object]:
    chapter = get_object_or_404(Chapter, slug=slug)
    services.edit_chapter(
        writer(request), chapter, description=payload.description, join_policy=payload.join_policy
    )
    return _chapter_out(chapter)


@router.get("/{slug}/members", response=list[MemberOut])
def chapter_members(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    return [
        {"id": m.member_id, "name": m.member.display_name}
        for m in Membership.objects.active().filter(chapter=chapter).select_related("member")
    ]


@router.get("/{slug}/log", response=list[EventOut])
def get_log(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    return [
        {
            "when": e.created_at,
            "verb": e.verb,
            "summary": e.shown_summary,
            "actor": e.actor.display_name if e.actor else None,
        }
        for e in chapter_log(chapter)[:200]
    ]


@router.post("/{slug}/join", response=JoinOut)
def join(request: HttpRequest, slug: str, payload: JoinIn) -> dict[str, str]:
    chapter = get_object_or_404(Chapter, slug=slug)
    result = services.join(writer(request), chapter, payload.reason)
    return {"status": "requested" if isinstance(result, JoinRequest) else "member"}


@router.post("/{slug}/leave", response=JoinOut)
def leave(request: HttpRequest, slug: str) -> dict[str, str]:
    services.leave(writer(request), get_object_or_404(Chapter, slug=slug))
    return {"status": "left"}


@router.post("/{slug}/requests/{request_id}/approve", response=JoinOut)
def approve(request: HttpRequest, slug: str, request_id: int) -> dict[str, str]:
    join_request = get_object_or_404(JoinRequest, pk=request_id, chapter__slug=slug)
    return {"status": services.decide_join_request(writer(request), join_request, True).status}


@router.post("/{slug}/requests/{request_id}/decline", response=JoinOut)
def decline(request: HttpRequest, slug: str, request_id: int) -> dict[str, str]:
    join_request = get_object_or_404(JoinRequest, pk=request_id, chapter__slug=slug)
    return {"status": services.decide_join_request(writer(request), join_request, False).status}


@router.get("/{slug}/roles", response=list[GrantOut])
def roles(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    return [
        _grant_out(g)
        for g in RoleGrant.objects.filter(chapter=chapter).select_related("member")[:500]
    ]


@router.post("/{slug}/roles", response={201: GrantOut})
def grant(request: HttpRequest, slug: str, payload: GrantIn) -> Status[dict[str, object]]:
    chapter = get_object_or_404(Chapter, slug=slug)
    actor = writer(request)
    permissions.require_role(actor, chapter, "admin")
    member = get_object_or_404(Member, pk=payload.member_id)
    g = services.grant_role(
        actor, chapter, member, payload.role, starts_at=payload.starts_at, ends_at=payload.ends_at
    )
    return Status(201, _grant_out(g))


@router.post("/{slug}/roles/{grant_id}/revoke", response=GrantOut)
def revoke(request: HttpRequest, slug: str, grant_id: int, payload: RevokeIn) -> dict[str, object]:
    g = get_object_or_404(RoleGrant, pk=grant_id, chapter__slug=slug)
    return _grant_out(services.revoke_role(writer(request), g, payload.reason))
