"""Showing posts: text escaped, paragraphs kept, resolved @mentions linked to profiles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


@register.simple_tag(takes_context=True)
def post_article(context: template.Context, item: selectors.ShownPost) -> SafeString:
    """A post on its thread's page, up to its mediators' forms (``_post.html`` adds
    them and closes the ``<article>``).

    Written with ``format_html`` rather than as a template: a page shows fifty posts,
    and the template language spent more than half of the page's time on them. Every
    value is escaped by ``format_html`` or ``body_html``; translations are escaped as
    ``{% translate %}`` escapes them.
    """
    post = item.post
    user = context.get("user")
    created = timezone.localtime(post.created_at)  # the date filter converts it so
    edited = ""
    if post.edited_at:
        edited = format_html(
            ' · <a href="{}">{}</a>',
            reverse("discussion:history", args=[post.pk]),
            mark_safe(gettext("edited (%(n)s versions)") % {"n": item.revisions}),  # a number
        )
    notice = ""
    if post.is_hidden:
        reason = ""
        if item.text_shown:
            reason = " " + gettext("Reason: %(reason)s") % {"reason": escape(post.hidden_reason)}
        notice = format_html(
            '<p class="notice">{}{}</p>',
            mark_safe(gettext("Hidden by the chapter's mediators.")),
            mark_safe(reason),  # the translation with the reason escaped, as blocktranslate
        )
    body = format_html('<div class="body">{}</div>', body_html(post.body, item.mentioned))
    edit = flag = ""
    if item.can_edit:
        edit = format_html(
            '<a href="{}">{}</a>',
            reverse("discussion:edit", args=[post.pk]),
            mark_safe(gettext("Edit")),
        )
    if (
        context.get("can_post")
        and not post.is_hidden
        and post.author_id != getattr(user, "pk", None)
    ):
        flag = format_html(
            '<a href="{}">{}</a>',
            reverse("discussion:flag", args=[post.pk]),
            mark_safe(gettext("Flag for the mediators")),
        )
    return format_html(
        '<article class="post{}" id="post-{}" aria-labelledby="by-{}">\n'
        '<header><span id="by-{}"><a href="{}">{}</a></span> <span class="muted">@{} · '
        '<time datetime="{}">{}</time>{}</span></header>\n'
        "{}\n{}\n"
        '<p class="actions">{}\n{}</p>\n',
        " hidden-post" if post.is_hidden else "",
        post.pk,
        post.pk,
        post.pk,
        reverse("members:profile", args=[post.author_id]),
        post.author.display_name,
        mentions.handle_of(post.author),
        created.isoformat(),  # the date filter's "c"
        formats.date_format(created, "SHORT_DATETIME_FORMAT"),
        edited,
        notice,
        body if item.text_shown else "",
        edit,
        flag,
    )
