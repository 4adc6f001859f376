"""@mentions: finding them in a post and resolving them among a chapter's members.

A member is mentioned by their handle — their name made into a slug, ``@ada-okafor``
for Ada Okafor — or by their first name alone (``@ada``) when no one else in the
chapter shares it. A mention that matches no one, or several members, notifies no
one; the author is told which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.text import slugify

if TYPE_CHECKING:
    from parecon.web.members.models import Member

MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]{0,62}[\w]|[\w])", re.UNICODE)


def handle_of(member: Member) -> str:
    """The member's handle: their name as a slug (``ada-okafor``)."""
    return slugify(member.display_name) or f"member-{member.pk}"


def tokens_in(text: str) -> list[str]:
    """The distinct @tokens of a text, lower-cased, in order of appearance."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


@dataclass
class Resolved:
    members: dict[str, Member] = field(default_factory=dict)
    ambiguous: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def resolve(tokens: Iterable[str], candidates: Iterable[Member]) -> Resolved:
    """Each token's member among ``candidates`` (a chapter's members), by handle or first name."""
    by_handle: dict[str, list[Member]] = {}
    by_first: dict[str, list[Member]] = {}
    for member in candidates:
        if member.erased_at is not None:
            continue
        by_handle.setdefault(handle_of(member), []).append(member)
        first = slugify(member.display_name.split(" ", 1)[0])
        if first:
            by_first.setdefault(first, []).append(member)
    out = Resolved()
    for token in tokens:
        key = slugify(token)
        matches = by_handle.get(key) or by_first.get(key) or []
        if len(matches) == 1:
            out.members[token] = matches[0]
        elif matches:
            out.ambiguous.append(token)
        else:
            out.unknown.append(token)
    return out
