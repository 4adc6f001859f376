"""The platform's units (chapters, and what other apps add) as a selfmanagement tree.

Unit ids are ``chapter:<slug>`` (and ``<kind>:<id>`` for units other apps add through
:data:`UNIT_SOURCES`, such as neighbourhood councils inside a city's chapter); member
ids are ``m<pk>``. The tree covers the scope chapter's surroundings as far as a
weighting rule can reach (its ancestors and everything below the highest of them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from parecon.selfmanagement import Unit, UnitTree
from parecon.web.chapters.models import Chapter, Membership

#: Functions that add units below chapters: ``source(chapters) -> units``.
UNIT_SOURCES: list[Callable[[list[Chapter]], Iterable[Unit]]] = []


def member_id(pk: int) -> str:
    return f"m{pk}"


def member_pk(label: str) -> int:
    return int(label[1:])


def chapter_unit(chapter: Chapter) -> str:
    return f"chapter:{chapter.slug}"


def tree_around(chapter: Chapter, reach: int) -> UnitTree:
    """Units from ``reach`` levels above ``chapter`` down to every chapter below that."""
    top = chapter
    for _ in range(max(reach, 0)):
        if top.parent is None:
            break
        top = top.parent
    chapters = [top]
    frontier = [top.pk]
    while frontier:
        below = list(Chapter.objects.filter(parent_id__in=frontier))
        chapters.extend(below)
        frontier = [c.pk for c in below]
    members: dict[int, list[str]] = {c.pk: [] for c in chapters}
    for chapter_id, member in (
        Membership.objects.active()
        .filter(chapter_id__in=members)
        .values_list("chapter_id", "member_id")
    ):
        members[chapter_id].append(member_id(member))
    ids = {c.pk: chapter_unit(c) for c in chapters}
    units = [
        Unit(
            id=ids[c.pk],
            parent=ids.get(c.parent_id) if c.parent_id in ids else None,
            members=tuple(members[c.pk]),
            kind="chapter",
        )
        for c in chapters
    ]
    for source in UNIT_SOURCES:
        units.extend(source(chapters))
    return UnitTree(units)


def unit_label(unit_id: str) -> str:
    """A readable name of a unit id."""
    kind, _, key = unit_id.partition(":")
    if kind == "chapter":
        chapter = Chapter.objects.filter(slug=key).first()
        return chapter.name if chapter else key
    return key
