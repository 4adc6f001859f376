"""Threads and replies in a chapter, their revisions, flags and notifications.

A :class:`Thread` belongs to one chapter of any level (city, region, country,
international); its first :class:`Post` is the opening one. Every version of a post's
text is kept as a :class:`PostRevision` (the first one too), so an edit never loses
what was said. A post flagged by a member (:class:`Flag`) goes to the chapter's
mediators, who may hide it with a reason that its author sees. A
:class:`Notification` tells a member about a reply, a mention, an announcement, a
flag to look at, or a post of theirs that was hidden.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
BODY_MAX = 10_000
REASON_MAX = 500


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("discussion")
        ANNOUNCEMENT = "announcement", _("announcement")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-last_activity_at", "-id")

    def __str__(self) -> str:
        return self.title

    @property
    def is_announcement(self) -> bool:
        return self.kind == self.Kind.ANNOUNCEMENT


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(_("text"), max_length=BODY_MAX)
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"post {self.pk} in {self.thread_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """One version of a post's text (and, for an opening post, the thread's title)."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField(max_length=BODY_MAX)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("post", "number")
        constraints = (
            models.UniqueConstraint(fields=("post", "number"), name="one_revision_number"),
        )

    def __str__(self) -> str:
        return f"revision {self.number} of post {self.post_id}"


class Flag(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("waiting for a mediator")
        HIDDEN = "hidden", _("the post was hidden")
        DISMISSED = "dismissed", _("dismissed")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("post", "flagged_by"),
                condition=Q(outcome="open"),
                name="one_open_flag_per_member",
            ),
        )

    def __str__(self) -> str:
        return f"flag on post {self.post_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("reply")
        MENTION = "mention", _("mention")
        ANNOUNCEMENT = "announcement", _("announcement")
        FLAG = "flag", _("flagged post")
        HIDDEN = "hidden", _("post hidden")
        FLAG_ANSWERED = "flag_answered", _("flag answered")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("member", "read_at")),)

    def __str__(self) -> str:
        return f"{self.kind} for {self.member_id}"
