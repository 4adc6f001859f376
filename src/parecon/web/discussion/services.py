"""Every write to the discussion: one function per action.

Each function checks who may act (members post; the author edits; facilitators
announce; mediators hide), validates, writes in one transaction and records the change
in the history. Posting and editing are recorded privately (the post itself is the
record); announcements and the hiding of a post are admin actions, so they go into the
chapter's public log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.chapters.models import Role
from parecon.web.chapters.permissions import has_role, require_member, require_role
from parecon.web.discussion import mentions
from parecon.web.discussion.access import require_reader
from parecon.web.discussion.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Flag,
    Notification,
    Post,
    PostRevision,
    Thread,
)
from parecon.web.history.i18n import Said
from parecon.web.history.services import record

if TYPE_CHECKING:
    from collections.abc import Iterable

    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str, *, field: str, limit: int, what: str) -> str:
    """Text without control characters, not blank, at most ``limit`` characters."""
    text = _CONTROL.sub("", value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: _("%(what)s cannot be empty.") % {"what": what}})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("%(what)s may be at most %(limit)s characters; this one has %(n)s.")
                % {
                    "what": what,
                    "limit": formats.number_format(limit, force_grouping=True),
                    "n": formats.number_format(len(text), force_grouping=True),
                }
            }
        )
    return text


def _title(value: str) -> str:
    return clean_text(value, field="title", limit=TITLE_MAX, what=_("A title"))


def _body(value: str) -> str:
    return clean_text(value, field="body", limit=BODY_MAX, what=_("A post"))


def _reason(value: str) -> str:
    return clean_text(value, field="reason", limit=REASON_MAX, what=_("A reason"))


def chapter_members(chapter: Chapter) -> list[Member]:
    """The chapter's current members who can be notified (active, not erased)."""
    from parecon.web.members.models import Member

    return list(
        Member.objects.filter(
            memberships__chapter=chapter,
            memberships__left_at__isnull=True,
            is_active=True,
            erased_at__isnull=True,
        ).distinct()
    )


def _notify(
    kind: str, members: Iterable[Member], thread: Thread, post: Post | None, actor: Member | None
) -> int:
    rows = [
        Notification(member=m, kind=kind, thread=thread, post=post, actor=actor)
        for m in {m.pk: m for m in members if actor is None or m.pk != actor.pk}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def _set_mentions(post: Post, text: str, *, already: set[int]) -> mentions.Resolved:
    """Resolve the @mentions of ``text`` in the chapter; notify the newly mentioned.

    A text without an @token that replaces one without mentions (every new reply
    but a few) changes nothing, so it costs no query.
    """
    tokens = mentions.tokens_in(text)
    if not tokens and not already:
        return mentions.Resolved()
    found = mentions.resolve(tokens, chapter_members(post.thread.chapter) if tokens else ())
    post.mentions.set(found.members.values())
    new = [m for m in found.members.values() if m.pk not in already]
    _notify(Notification.Kind.MENTION, new, post.thread, post, post.author)
    return found


def _revise(
    post: Post, editor: Member, body: str, title: str = "", *, first: bool = False
) -> PostRevision:
    """The post's next revision; ``first`` for a post just created (no query for the number)."""
    last = (
        0 if first else post.revisions.order_by("-number").values_list("number", flat=True).first()
    )
    return PostRevision.objects.create(
        post=post, number=(last or 0) + 1, title=title, body=body, editor=editor
    )


def _participants(thread: Thread) -> QuerySet[Member]:
    """The thread's author and everyone who posted in it, among its chapter's current
    members who can be notified (one query, however long the thread)."""
    from parecon.web.members.models import Member

    posted = Post.objects.filter(thread=thread).values("author_id")
    return Member.objects.filter(
        Q(pk__in=posted) | Q(pk=thread.author_id),
        memberships__chapter_id=thread.chapter_id,
        memberships__left_at__isnull=True,
        is_active=True,
        erased_at__isnull=True,
    ).distinct()


@transaction.atomic
def start_thread(
    author: Member, chapter: Chapter, *, title: str, body: str, announcement: bool = False
) -> tuple[Thread, mentions.Resolved]:
    """A member opens a thread; a facilitator may make it an announcement (e-mailed)."""
    author = require_member(author, chapter)
    if announcement:
        require_role(author, chapter, Role.FACILITATOR)
    title, body = _title(title), _body(body)
    now = timezone.now()
    thread = Thread.objects.create(
        chapter=chapter,
        title=title,
        author=author,
        kind=Thread.Kind.ANNOUNCEMENT if announcement else Thread.Kind.DISCUSSION,
        last_activity_at=now,
    )
    post = Post.objects.create(thread=thread, author=author, body=body, is_opening=True)
    _revise(post, author, body, title, first=True)
    found = _set_mentions(post, body, already=set())
    if announcement:
        mentioned = {m.pk for m in found.members.values()}
        _notify(
            Notification.Kind.ANNOUNCEMENT,
            [m for m in chapter_members(chapter) if m.pk not in mentioned],
            thread,
            post,
            author,
        )
        record(
            "discussion.announced",
            Said(
                gettext_noop("%(member)s announced: %(title)s"),
                {"member": author.display_name, "title": title},
            ),
            actor=author,
            chapter=chapter,
            subject=thread,
        )
        from parecon.web.discussion.tasks import email_announcement

        email_announcement.enqueue(thread.pk)
    else:
        record(
            "discussion.thread_started",
            Said(
                gettext_noop("%(member)s started the thread “%(title)s”"),
                {"member": author.display_name, "title": title},
            ),
            actor=author,
            chapter=chapter,
            subject=thread,
            public=False,
        )
    return thread, found


@transaction.atomic
def reply(author: Member, thread: Thread, *, body: str) -> tuple[Post, mentions.Resolved]:
    """A member of the thread's chapter replies; earlier participants are notified."""
    author = require_member(author, thread.chapter)
    body = _body(body)
    post = Post.objects.create(thread=thread, author=author, body=body)
    _revise(post, author, body, first=True)
    Thread.objects.filter(pk=thread.pk).update(
        replies=F("replies") + 1, last_activity_at=timezone.now()
    )
    found = _set_mentions(post, body, already=set())
    mentioned = {m.pk for m in found.members.values()}
    _notify(
        Notification.Kind.REPLY,
        [m for m in _participants(thread).only("pk") if m.pk not in mentioned],
        thread,
        post,
        author,
    )
    record(
        "discussion.replied",
        Said(
            gettext_noop("%(member)s replied in “%(title)s”"),
            {"member": author.display_name, "title": thread.title},
        ),
        actor=author,
        chapter=thread.chapter,
        subject=post,
        public=False,
    )
    return post, found


@transaction.atomic
def edit_post(
    editor: Member, post: Post, *, body: str, title: str | None = None
) -> tuple[Post, mentions.Resolved]:
    """The author changes their post; the earlier text stays as a revision."""
    require_member(editor, post.thread.chapter)
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if post.author_id != editor.pk:
        raise PermissionDenied(_("Only the author of a post may edit it."))
    if post.is_hidden:
        raise PermissionDenied(_("A hidden post cannot be edited."))
    body = _body(body)
    thread = post.thread
    new_title = thread.title
    if title is not None and post.is_opening:
        new_title = _title(title)
    if body == post.body and new_title == thread.title:
        raise ValidationError({"body": _("Nothing changed.")})
    already = set(post.mentions.values_list("pk", flat=True))
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    if new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title"])
    revision = _revise(post, editor, body, new_title if post.is_opening else "")
    found = _set_mentions(post, body, already=already)
    record(
        "discussion.edited",
        Said(
            gettext_noop("%(member)s edited a post in “%(title)s” (revision %(n)s)"),
            {"member": editor.display_name, "title": thread.title, "n": revision.number},
        ),
        actor=editor,
        chapter=thread.chapter,
        subject=post,
        data={"revision": revision.number},
        public=False,
    )
    return post, found


@transaction.atomic
def flag_post(member: Member, post: Post, *, reason: str) -> Flag:
    """A reader asks the chapter's mediators to look at a post."""
    chapter = post.thread.chapter
    member = require_reader(member, chapter)
    reason = _reason(reason)
    if post.author_id == member.pk:
        raise ValidationError(_("You cannot flag your own post; edit it instead."))
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."))
    if Flag.objects.filter(post=post, flagged_by=member, outcome=Flag.Outcome.OPEN).exists():
        raise ValidationError(_("You already flagged this post; the mediators will look at it."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagged_by=member, reason=reason)
    except IntegrityError:  # the same member's flag from a request running meanwhile
        raise ValidationError(
            _("You already flagged this post; the mediators will look at it.")
        ) from None
    from parecon.web.chapters.models import RoleGrant

    mediators = [
        g.member
        for g in RoleGrant.objects.current()
        .filter(chapter=chapter, role=Role.MEDIATOR)
        .select_related("member")
    ]
    _notify(Notification.Kind.FLAG, mediators, post.thread, post, None)
    record(
        "discussion.flagged",
        Said(
            gettext_noop("A post in “%(title)s” was flagged for the mediators."),
            {"title": post.thread.title},
        ),
        actor=member,
        chapter=chapter,
        subject=flag,
        data={"post": post.pk},
        public=False,
    )
    return flag


@transaction.atomic
def hide_post(mediator: Member, post: Post, *, reason: str) -> Post:
    """A current mediator hides a post; its author sees why, and the log shows it."""
    post = Post.objects.select_for_update().select_related("thread__chapter").get(pk=post.pk)
    chapter = post.thread.chapter
    mediator = require_role(mediator, chapter, Role.MEDIATOR)
    reason = _reason(reason)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."))
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, mediator, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    open_flags = Flag.objects.filter(post=post, outcome=Flag.Outcome.OPEN)
    flaggers = [f.flagged_by for f in open_flags.select_related("flagged_by")]
    _notify(Notification.Kind.FLAG_ANSWERED, flaggers, post.thread, post, mediator)
    open_flags.update(outcome=Flag.Outcome.HIDDEN, resolved_by=mediator, resolved_at=now)
    _notify(Notification.Kind.HIDDEN, [post.author], post.thread, post, mediator)
    record(
        "discussion.hidden",
        Said(
            gettext_noop("%(mediator)s hid a post by %(author)s in “%(title)s”: %(reason)s"),
            {
                "mediator": mediator.display_name,
                "author": post.author.display_name,
                "title": post.thread.title,
                "reason": reason,
            },
        ),
        actor=mediator,
        chapter=chapter,
        subject=post,
        data={"reason": reason},
    )
    return post


@transaction.atomic
def unhide_post(mediator: Member, post: Post) -> Post:
    """A current mediator shows a hidden post again (recorded publicly too)."""
    post = Post.objects.select_for_update().select_related("thread__chapter").get(pk=post.pk)
    chapter = post.thread.chapter
    mediator = require_role(mediator, chapter, Role.MEDIATOR)
    if not post.is_hidden:
        raise ValidationError(_("This post is not hidden."))
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record(
        "discussion.unhidden",
        Said(
            gettext_noop("%(mediator)s showed again a post by %(author)s in “%(title)s”"),
            {
                "mediator": mediator.display_name,
                "author": post.author.display_name,
                "title": post.thread.title,
            },
        ),
        actor=mediator,
        chapter=chapter,
        subject=post,
    )
    return post


@transaction.atomic
def dismiss_flag(mediator: Member, flag: Flag) -> Flag:
    """A current mediator decides a flagged post stays as it is."""
    flag = Flag.objects.select_for_update().select_related("post__thread__chapter").get(pk=flag.pk)
    chapter = flag.post.thread.chapter
    mediator = require_role(mediator, chapter, Role.MEDIATOR)
    if flag.outcome != Flag.Outcome.OPEN:
        raise ValidationError(_("This flag was already dealt with."))
    flag.outcome, flag.resolved_by, flag.resolved_at = (
        Flag.Outcome.DISMISSED,
        mediator,
        timezone.now(),
    )
    flag.save(update_fields=["outcome", "resolved_by", "resolved_at"])
    _notify(
        Notification.Kind.FLAG_ANSWERED, [flag.flagged_by], flag.post.thread, flag.post, mediator
    )
    record(
        "discussion.flag_dismissed",
        Said(
            gettext_noop("%(mediator)s kept a flagged post in “%(title)s” as it is."),
            {"mediator": mediator.display_name, "title": flag.post.thread.title},
        ),
        actor=mediator,
        chapter=chapter,
        subject=flag,
    )
    return flag


def mark_read(member: Member, ids: Iterable[int] | None = None) -> int:
    """Mark the member's own notifications read (all of them, or those ``ids``)."""
    if not member.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    rows = Notification.objects.filter(member=member, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def mark_thread_read(member: Member, thread: Thread) -> int:
    """Reading a thread reads its notifications (no write when there are none: on
    SQLite even an empty UPDATE waits for the write lock)."""
    unread = Notification.objects.filter(member=member, thread=thread, read_at__isnull=True)
    if not unread.exists():
        return 0
    return unread.update(read_at=timezone.now())


def can_moderate(member: Member, chapter: Chapter) -> bool:
    return has_role(member, chapter, Role.MEDIATOR)
