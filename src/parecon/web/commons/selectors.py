"""Reads of the commons: the board, suggested matches by category and distance, totals.

Allied chapters are a chapter's neighbours in the tree — its parent, its children and
its siblings: the groups a post "visible to allied chapters" reaches.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from parecon.web.chapters.models import Chapter, Membership
from parecon.web.commons.models import Category, Match, Post
from parecon.web.members.models import Member

EARTH_KM = 6371.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def allied(chapter: Chapter) -> QuerySet[Chapter]:
    q = Q(parent=chapter)
    if chapter.parent_id is not None:
        q |= Q(pk=chapter.parent_id) | Q(parent_id=chapter.parent_id)
    return Chapter.objects.filter(q).exclude(pk=chapter.pk)


def board(chapter: Chapter, kind: str | None = None, category: str = "") -> QuerySet[Post]:
    """Open posts a member of ``chapter`` sees: its own, and allied ones shared with it."""
    q = Q(chapter=chapter) | Q(chapter__in=allied(chapter), visibility=Post.Visibility.ALLIED)
    posts = Post.objects.filter(q, status=Post.Status.OPEN).select_related("author", "chapter")
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category=category)
    return posts


def may_read(member: Member, p: Post) -> bool:
    chapters = Membership.objects.active().filter(member=member).values_list("chapter", flat=True)
    if p.chapter_id in chapters:
        return True
    return (
        p.visibility == Post.Visibility.ALLIED
        and allied(p.chapter).filter(pk__in=chapters).exists()
    )


@dataclass(frozen=True)
class Suggestion:
    offer: Post
    km: float | None


def _where(p: Post) -> tuple[float, float] | None:
    if p.latitude is None or p.longitude is None:
        return None
    return (p.latitude, p.longitude)


def suggestions(need: Post, within_km: float | None = None) -> list[Suggestion]:
    """Open offers of the need's category in its chapter, nearest first (unknown last)."""
    offers = (
        Post.objects.filter(
            chapter=need.chapter,
            kind=Post.Kind.OFFER,
            status=Post.Status.OPEN,
            category=need.category,
        )
        .exclude(author=need.author)
        .select_related("author")
    )
    here = _where(need)
    found = []
    for offer in offers:
        there = _where(offer)
        km = distance_km(here, there) if here and there else None
        if within_km is not None and km is not None and km > within_km:
            continue
        found.append(Suggestion(offer, km))
    found.sort(key=lambda s: (s.km is None, s.km or 0.0, -s.offer.urgency, s.offer.pk))
    return found


def my_history(member: Member, chapter: Chapter) -> tuple[QuerySet[Match], QuerySet[Match]]:
    """What the member gave and what they received in ``chapter``."""
    base = Match.objects.filter(chapter=chapter).select_related("giver", "receiver")
    return base.filter(giver=member), base.filter(receiver=member)


def totals(chapter: Chapter) -> list[tuple[str, int, int]]:
    """Matches per category, and loans out: counts only, never who gave most."""
    counts = Counter(
        dict(Match.objects.filter(chapter=chapter).values_list("category").annotate(n=Count("pk")))
    )
    out = Counter(
        dict(
            Match.objects.filter(chapter=chapter, return_by__isnull=False, returned_on__isnull=True)
            .values_list("category")
            .annotate(n=Count("pk"))
        )
    )
    return [
        (str(label), counts[value], out[value])
        for value, label in Category.choices
        if counts[value]
    ]
