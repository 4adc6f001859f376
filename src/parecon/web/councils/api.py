"""``/api/councils``: councils, their members, founding and joining."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from parecon.web.chapters.models import Chapter
from parecon.web.councils import selectors, services
from parecon.web.councils.models import Council
from parecon.web.councils.permissions import is_council_member
from parecon.web.site.api_auth import writer

router = Router(tags=["councils"])


class CouncilOut(Schema):
    slug: str
    name: str
    kind: str
    level: str
    chapter: str
    parent: str | None
    acts_for_chapter: bool


class CouncilIn(Schema):
    chapter: str
    name: str = Field(..., max_length=200)
    level: str = Field(..., pattern="^(workplace|industry|household|neighbourhood|city|region)$")
    parent: str | None = None
    description: str = Field("", max_length=5000)
    acts_for_chapter: bool = False


def _out(c: Council) -> dict[str, object]:
    return {
        "slug": c.slug,
        "name": c.name,
        "kind": c.kind,
        "level": c.level,
        "chapter": c.chapter.slug,
        "parent": c.parent.slug if c.parent else None,
        "acts_for_chapter": c.acts_for_chapter,
    }


@router.get("", response=list[CouncilOut], auth=None)
def list_councils(request: HttpRequest, chapter: str = "") -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter) if chapter else None
    return [_out(c) for c in selectors.councils_of(found)[:500]]


@router.get("/mine", response=list[CouncilOut])
def my_councils(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(c) for c in selectors.councils_of_member(request.user)]  # type: ignore[arg-type]


@router.get("/{slug}", response=CouncilOut, auth=None)
def get_council(request: HttpRequest, slug: str) -> dict[str, object]:
    return _out(get_object_or_404(Council.objects.select_related("chapter", "parent"), slug=slug))


@router.get("/{slug}/members", response=list[str])
def council_members(request: HttpRequest, slug: str) -> list[str]:
    council = get_object_or_404(Council, slug=slug)
    if not is_council_member(request.user, council):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("only the council's members see its member list")
    return selectors.member_names(council)


@router.post("", response=CouncilOut)
def create_council(request: HttpRequest, payload: CouncilIn) -> dict[str, object]:
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    parent = get_object_or_404(Council, slug=payload.parent) if payload.parent else None
    council = services.create_council(
        writer(request),
        chapter,
        name=payload.name,
        level=payload.level,
        parent=parent,
        description=payload.description,
        acts_for_chapter=payload.acts_for_chapter,
    )
    return _out(council)


@router.post("/{slug}/join", response=CouncilOut)
def join(request: HttpRequest, slug: str) -> dict[str, object]:
    council = get_object_or_404(Council, slug=slug)
    services.join_council(writer(request), council)
    return _out(council)


@router.post("/{slug}/leave", response=CouncilOut)
def leave(request: HttpRequest, slug: str) -> dict[str, object]:
    council = get_object_or_404(Council, slug=slug)
    services.leave_council(writer(request), council)
    return _out(council)
