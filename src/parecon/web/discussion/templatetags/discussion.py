"""Showing posts: text escaped, paragraphs kept, resolved @mentions linked to profiles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from parecon.web.discussion import mentions, selectors
from parecon.web.discussion.models import Post

if TYPE_CHECKING:
    from parecon.web.members.models import Member

register = template.Library()


def _paragraphs(html: str) -> str:
    parts = [p.strip("\n") for p in re.split(r"\n{2,}", html)]
    return "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in parts if p.strip())


def body_html(text: str, mentioned: Iterable[Member]) -> SafeString:
    """A post's text as HTML: every character the author typed is escaped, paragraphs
    kept, and each @mention resolved among ``mentioned`` linked to its profile."""
    if "@" not in text:
        return mark_safe(_paragraphs(escape(text)))  # escaped
    found = mentions.resolve(mentions.tokens_in(text), mentioned)
    pieces: list[str] = []
    pos = 0
    for match in mentions.MENTION.finditer(text):
        pieces.append(escape(text[pos : match.start()]))
        member = found.members.get(match.group(1).lower())
        if member is None:
            pieces.append(escape(match.group(0)))
        else:
            pieces.append(
                format_html(
                    '<a class="mention" href="{}">@{}</a>',
                    reverse("members:profile", args=[member.pk]),
                    match.group(1),
                )
            )
        pos = match.end()
    pieces.append(escape(text[pos:]))
    return mark_safe(_paragraphs("".join(pieces)))  # every piece is escaped


@register.filter
def post_body(post: Post) -> SafeString:
    """The post's text as HTML (its mentions read from the database if it has any)."""
    return body_html(post.body, post.mentions.all() if "@" in post.body else ())


@register.filter
def shown_body(item: selectors.ShownPost) -> SafeString:
    """A shown post's text as HTML, with the mentions looked up for its whole page."""
    return body_html(item.post.body, item.mentioned)


@register.filter
def handle(member: object) -> str:
    return mentions.handle_of(member)  # type: ignore[arg-type]


@register.inclusion_tag("discussion/_badge.html", takes_context=True)
def unread_badge(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": selectors.unread_count(user) if user is not None else 0}
