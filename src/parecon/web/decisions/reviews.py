"""Review reminders: when a decision's review date comes, its chapter is told.

:func:`send_review_reminders` (the ``send_review_reminders`` task and management
command, for cron or the worker) posts one announcement thread per decision due in
the chapter's discussion and notifies every current member, so the reminder reaches
them in their notifications and their digest. Each decision is reminded once; the
chapter page lists the reviews that are due or coming (:func:`reviews_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from parecon.web.chapters.models import Chapter
from parecon.web.decisions.models import Decision, Status
from parecon.web.discussion.models import Notification, Post, PostRevision, Thread
from parecon.web.discussion.services import chapter_members
from parecon.web.history.services import record

#: How far ahead the chapter page shows reviews coming.
AHEAD = timedelta(days=30)


@dataclass(frozen=True)
class Reviews:
    due: list[Decision]
    coming: list[Decision]


def reviews_for(chapter: Chapter, today: date | None = None) -> Reviews:
    """The chapter's closed decisions whose review is due, and those due within 30 days."""
    today = today or timezone.localdate()
    closed = Decision.objects.filter(
        chapter=chapter, status=Status.CLOSED, review_on__isnull=False
    ).order_by("review_on")
    return Reviews(
        due=list(closed.filter(review_on__lte=today)[:20]),
        coming=list(closed.filter(review_on__gt=today, review_on__lte=today + AHEAD)[:20]),
    )


def _remind(decision: Decision) -> int:
    with override(None):  # the thread is written once, in the site's language
        title = _("Review due: %(title)s") % {"title": decision.title}
        body = _(
            "The decision “%(title)s” was to be reviewed on %(date)s. Its outcome: "
            "%(outcome)s\n\nRead it and ask to reopen it if it needs deciding again: %(url)s"
        ) % {
            "title": decision.title,
            "date": decision.review_on.isoformat() if decision.review_on else "",
            "outcome": decision.outcome or decision.result.get("outcome", ""),
            "url": reverse("decisions:detail", args=[decision.pk]),
        }
    title, body = title[:200], body[:10_000]
    now = timezone.now()
    author = decision.created_by
    thread = Thread.objects.create(
        chapter=decision.chapter,
        title=title,
        author=author,
        kind=Thread.Kind.ANNOUNCEMENT,
        last_activity_at=now,
    )
    post = Post.objects.create(thread=thread, author=author, body=body, is_opening=True)
    PostRevision.objects.create(post=post, number=1, title=title, body=body, editor=author)
    members = chapter_members(decision.chapter)
    Notification.objects.bulk_create(
        Notification(member=m, kind=Notification.Kind.ANNOUNCEMENT, thread=thread, post=post)
        for m in members
    )
    decision.reminded_at = now
    decision.save(update_fields=["reminded_at"])
    record(
        "decision.review_due",
        _("The review of “%(title)s” is due; the chapter was reminded.")
        % {"title": decision.title},
        actor=None,
        chapter=decision.chapter,
        subject=decision,
        data={"thread": thread.pk},
    )
    return len(members)


def send_review_reminders(today: date | None = None) -> int:
    """Remind each chapter of its decisions whose review date has come (once each)."""
    today = today or timezone.localdate()
    sent = 0
    due = Decision.objects.filter(
        status=Status.CLOSED, review_on__lte=today, reminded_at__isnull=True
    ).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            decision = (
                Decision.objects.select_for_update()
                .select_related("chapter", "created_by")
                .get(pk=pk)
            )
            if decision.reminded_at is None:  # another worker may have sent it meanwhile
                _remind(decision)
                sent += 1
    return sent
