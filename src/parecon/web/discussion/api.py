"""``/api/threads``: a chapter's threads, replies, edits and their history, flags, notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status

from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import require_role
from parecon.web.discussion import mentions, selectors, services
from parecon.web.discussion.models import BODY_MAX, REASON_MAX, TITLE_MAX, Flag, Post, Thread
from parecon.web.site.api_auth import writer

router = Router(tags=["threads"])


class ThreadIn(Schema):
    chapter: str = Field(..., min_length=1, max_length=120, description="the chapter's slug")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    body: str = Field(..., min_length=1, max_length=BODY_MAX)
    announcement: bool = Field(False, description="facilitators only: also e-mailed")


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=BODY_MAX)


class EditIn(Schema):
    body: str = Field(..., min_length=1, max_length=BODY_MAX)
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


#: Ids are 64-bit in every database; a larger number is refused (422), not a 500.
MAX_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ReadIn(Schema):
    ids: list[RowId] | None = Field(
        None, max_length=1000, description="these notifications; all when omitted"
    )


class ThreadOut(Schema):
    id: int
    chapter: str
    title: str
    kind: str
    author_id: int
    author: str
    created_at: datetime
    last_activity_at: datetime
    replies: int


class PostOut(Schema):
    id: int
    thread_id: int
    author_id: int
    author: str
    handle: str
    body: str | None = Field(description="null when hidden from the caller")
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str | None = Field(description="for the post's author and mediators")
    mentions: list[int]


class ThreadDetailOut(ThreadOut):
    posts: list[PostOut]


class WrittenOut(Schema):
    """A written post, with the @mentions that named no one or several members."""

    post: PostOut
    unresolved_mentions: list[str]
    ambiguous_mentions: list[str]


class CreatedOut(WrittenOut):
    thread: ThreadOut


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    editor: str
    created_at: datetime


class FlagOut(Schema):
    id: int
    post_id: int
    outcome: str
    created_at: datetime


class OpenFlagOut(FlagOut):
    """A flag as its chapter's mediators see it."""

    thread_id: int
    reason: str
    flagged_by: str
    author: str
    body: str


class NotificationOut(Schema):
    id: int
    kind: str
    thread_id: int
    thread: str
    chapter: str
    post_id: int | None
    actor: str | None
    created_at: datetime
    read: bool


class ReadOut(Schema):
    marked: int
    unread: int


def _thread_out(t: Thread) -> dict[str, object]:
    return {
        "id": t.pk,
        "chapter": t.chapter.slug,
        "title": t.title,
        "kind": t.kind,
        "author_id": t.author_id,
        "author": t.author.display_name,
        "created_at": t.created_at,
        "last_activity_at": t.last_activity_at,
        "replies": t.replies,
    }


def _post_out(post: Post, shown: bool = True) -> dict[str, object]:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "author_id": post.author_id,
        "author": post.author.display_name,
        "handle": mentions.handle_of(post.author),
        "body": post.body if shown else None,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "hidden": post.is_hidden,
        "hidden_reason": post.hidden_reason if post.is_hidden and shown else None,
        "mentions": [m.pk for m in post.mentions.all()],
    }


def _written(post: Post, found: mentions.Resolved) -> dict[str, object]:
    return {
        "post": _post_out(post),
        "unresolved_mentions": found.unknown,
        "ambiguous_mentions": found.ambiguous,
    }


def _thread(thread_id: int) -> Thread:
    return get_object_or_404(Thread.objects.select_related("chapter", "author"), pk=thread_id)


def _post(post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("thread__chapter", "author"), pk=post_id)


@router.get("/notifications", response=list[NotificationOut])
def list_notifications(request: HttpRequest, unread: bool = False) -> list[dict[str, object]]:
    rows = selectors.notifications(request.user)  # type: ignore[arg-type]
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "thread_id": n.thread_id,
            "thread": n.thread.title,
            "chapter": n.thread.chapter.slug,
            "post_id": n.post_id,
            "actor": n.actor.display_name if n.actor else None,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in rows[:200]
    ]


@router.post("/notifications/read", response=ReadOut)
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    member = writer(request)
    marked = services.mark_read(member, payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(member)}


@router.get("/flags", response=list[OpenFlagOut])
def open_flags(
    request: HttpRequest, chapter: Annotated[str, Query(min_length=1, max_length=120)]
) -> list[dict[str, object]]:
    """The chapter's flags waiting for a mediator (for its current mediators)."""
    found = get_object_or_404(Chapter, slug=chapter)
    require_role(request.user, found, Role.MEDIATOR)
    return [
        {
            "id": f.pk,
            "post_id": f.post_id,
            "outcome": f.outcome,
            "created_at": f.created_at,
            "thread_id": f.post.thread_id,
            "reason": f.reason,
            "flagged_by": f.flagged_by.display_name,
            "author": f.post.author.display_name,
            "body": f.post.body,
        }
        for f in selectors.open_flags(found)[:200]
    ]


@router.get("", response=list[ThreadOut])
def list_threads(
    request: HttpRequest, chapter: Annotated[str, Query(min_length=1, max_length=120)]
) -> list[dict[str, object]]:
    found = get_object_or_404(Chapter, slug=chapter)
    return [
        _thread_out(t)
        for t in selectors.chapter_threads(request.user, found).select_related("chapter")[:200]
    ]


@router.post("", response={201: CreatedOut})
def create_thread(request: HttpRequest, payload: ThreadIn) -> Status[dict[str, object]]:
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    thread, found = services.start_thread(
        writer(request),
        chapter,
        title=payload.title,
        body=payload.body,
        announcement=payload.announcement,
    )
    opening = thread.posts.select_related("author").get(is_opening=True)
    return Status(201, {"thread": _thread_out(thread), **_written(opening, found)})


@router.get("/{thread_id}", response=ThreadDetailOut)
def get_thread(request: HttpRequest, thread_id: PathId) -> dict[str, object]:
    thread = selectors.thread_for(request.user, _thread(thread_id))
    posts = list(selectors.thread_posts(thread)[:500])
    shown = selectors.shown_posts(request.user, thread, posts)  # type: ignore[arg-type]
    return {**_thread_out(thread), "posts": [_post_out(s.post, s.text_shown) for s in shown]}


@router.post("/{thread_id}/replies", response={201: WrittenOut})
def reply(request: HttpRequest, thread_id: PathId, payload: ReplyIn) -> Status[dict[str, object]]:
    thread = _thread(thread_id)
    post, found = services.reply(writer(request), thread, body=payload.body)
    return Status(201, _written(post, found))


@router.patch("/posts/{post_id}", response=WrittenOut)
def edit_post(request: HttpRequest, post_id: PathId, payload: EditIn) -> dict[str, object]:
    post, found = services.edit_post(
        writer(request), _post(post_id), body=payload.body, title=payload.title
    )
    return _written(post, found)


@router.get("/posts/{post_id}/revisions", response=list[RevisionOut])
def revisions(request: HttpRequest, post_id: PathId) -> list[dict[str, object]]:
    return [
        {
            "number": r.number,
            "title": r.title,
            "body": r.body,
            "editor": r.editor.display_name,
            "created_at": r.created_at,
        }
        for r in selectors.post_revisions(request.user, _post(post_id))
    ]


@router.post("/posts/{post_id}/flag", response={201: FlagOut})
def flag(request: HttpRequest, post_id: PathId, payload: ReasonIn) -> Status[dict[str, object]]:
    f = services.flag_post(writer(request), _post(post_id), reason=payload.reason)
    return Status(
        201, {"id": f.pk, "post_id": f.post_id, "outcome": f.outcome, "created_at": f.created_at}
    )


@router.post("/posts/{post_id}/hide", response=PostOut)
def hide(request: HttpRequest, post_id: PathId, payload: ReasonIn) -> dict[str, object]:
    return _post_out(services.hide_post(writer(request), _post(post_id), reason=payload.reason))


@router.post("/posts/{post_id}/unhide", response=PostOut)
def unhide(request: HttpRequest, post_id: PathId) -> dict[str, object]:
    return _post_out(services.unhide_post(writer(request), _post(post_id)))


@router.post("/flags/{flag_id}/dismiss", response=FlagOut)
def dismiss(request: HttpRequest, flag_id: PathId) -> dict[str, object]:
    flag = get_object_or_404(Flag.objects.select_related("post__thread__chapter"), pk=flag_id)
    f = services.dismiss_flag(writer(request), flag)
    return {"id": f.pk, "post_id": f.post_id, "outcome": f.outcome, "created_at": f.created_at}
