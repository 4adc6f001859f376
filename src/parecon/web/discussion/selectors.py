"""Reading the discussion: threads a member may read, posts as they are shown, notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from parecon.web.chapters.models import Role
from parecon.web.chapters.permissions import has_role
from parecon.web.discussion.access import require_reader
from parecon.web.discussion.models import Flag, Notification, Post, PostRevision, Thread

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member


def chapter_threads(reader: Member | AnonymousUser, chapter: Chapter) -> QuerySet[Thread]:
    """The chapter's threads, most recently active first (refuses who may not read)."""
    require_reader(reader, chapter)
    return Thread.objects.filter(chapter=chapter).select_related("author")


def thread_for(reader: Member | AnonymousUser, thread: Thread) -> Thread:
    require_reader(reader, thread.chapter)
    return thread


@dataclass(frozen=True)
class ShownPost:
    """A post as one reader sees it: a hidden post's text only for its author and mediators.

    ``mentioned``: the members its @mentions resolved to when it was written (its
    ``mentions``), looked up for the whole page at once.
    """

    post: Post
    text_shown: bool
    can_edit: bool
    revisions: int
    mentioned: tuple[Member, ...] = ()


def shown_posts(
    reader: Member, thread: Thread, posts: list[Post], *, mediator: bool | None = None
) -> list[ShownPost]:
    """``mediator``: whether the reader is one of the chapter's mediators, if known.

    At most two queries for any number of posts, and none for what a page seldom has:
    revisions are counted only for edited posts, mentions looked up only for posts
    whose text has an ``@``.
    """
    if mediator is None:
        mediator = has_role(reader, thread.chapter, Role.MEDIATOR)
    counts = revision_counts([p.pk for p in posts if p.edited_at is not None])
    mentioned = mentioned_members([p.pk for p in posts if "@" in p.body])
    return [
        ShownPost(
            post=p,
            text_shown=not p.is_hidden or mediator or p.author_id == reader.pk,
            can_edit=p.author_id == reader.pk and not p.is_hidden,
            revisions=counts.get(p.pk, 1),
            mentioned=tuple(mentioned.get(p.pk, ())),
        )
        for p in posts
    ]


def revision_counts(post_ids: list[int]) -> dict[int, int]:
    """How many versions each of these posts has (one query; none for no posts)."""
    if not post_ids:
        return {}
    rows = (
        PostRevision.objects.filter(post_id__in=post_ids)
        .order_by()
        .values_list("post_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def mentioned_members(post_ids: list[int]) -> dict[int, list[Member]]:
    """The members each of these posts mentions (one query; none for no posts)."""
    found: dict[int, list[Member]] = {}
    if not post_ids:
        return found
    rows = Post.mentions.through.objects.filter(post_id__in=post_ids).select_related("member")
    for row in rows:
        found.setdefault(row.post_id, []).append(row.member)
    return found


def thread_posts(thread: Thread) -> QuerySet[Post]:
    return Post.objects.filter(thread=thread).select_related("author", "hidden_by")


def post_revisions(reader: Member | AnonymousUser, post: Post) -> QuerySet[PostRevision]:
    """Every version of a post, oldest first; a hidden post's only for its author and mediators."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    member = require_reader(reader, post.thread.chapter)
    if (
        post.is_hidden
        and post.author_id != member.pk
        and not has_role(member, post.thread.chapter, Role.MEDIATOR)
    ):
        raise PermissionDenied(_("This post was hidden by the chapter's mediators."))
    return post.revisions.select_related("editor").order_by("number")


def open_flags(chapter: Chapter) -> QuerySet[Flag]:
    return Flag.objects.filter(
        post__thread__chapter=chapter, outcome=Flag.Outcome.OPEN
    ).select_related("post__author", "post__thread", "flagged_by")


def unread_count(member: Member | AnonymousUser) -> int:
    if not member.is_authenticated:
        return 0
    return Notification.objects.filter(member=member, read_at__isnull=True).count()


def notifications(member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(member=member).select_related("thread__chapter", "actor")


@dataclass(frozen=True)
class Digest:
    notifications: list[Notification]
    threads: list[Thread]

    def __bool__(self) -> bool:
        return bool(self.notifications or self.threads)


def digest_for(member: Member, since: datetime, limit: int = 50) -> Digest:
    """What a member's digest holds: unread notifications and new threads since ``since``."""
    unread = list(
        Notification.objects.filter(member=member, read_at__isnull=True, created_at__gt=since)
        .select_related("thread__chapter", "actor")
        .order_by("-created_at")[:limit]
    )
    told = {n.thread_id for n in unread}
    threads = [
        t
        for t in Thread.objects.filter(
            chapter__memberships__member=member,
            chapter__memberships__left_at__isnull=True,
            created_at__gt=since,
        )
        .exclude(author=member)
        .select_related("chapter", "author")
        .distinct()
        .order_by("-created_at")[:limit]
        if t.pk not in told
    ]
    return Digest(notifications=unread, threads=threads)
