"""One append-only history for the whole platform.

Every change to a role, a chapter, a plan, a proposal or a decision is also written
here as an :class:`Event` (who, when, what). Rows are never updated or deleted: the
model refuses it, and so does the database (triggers installed by the migration).
Erasing a member's account does not touch history either: events keep pointing at the
member's row, whose name has become "a former member".
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a history row."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("history events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("history events are append-only")

    def public(self) -> EventQuerySet:
        return self.filter(public=True)


class Event(models.Model):
    """A recorded action: an actor did ``verb`` to a subject, within a chapter."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    chapter = models.ForeignKey(
        "chapters.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    verb = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True)

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=("subject_type", "subject_id")),
            # A chapter's newest events, and its newest other than planning proposals'
            # (the plan page's cache reads both for its log position).
            models.Index(fields=("chapter", "-id"), name="history_event_chapter_newest"),
            models.Index(
                fields=("chapter", "-id"),
                condition=~models.Q(verb__startswith="proposal."),
                name="history_event_chapter_other",
            ),
        )

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}: {self.summary}"

    @property
    def shown_summary(self) -> str:
        """The summary in the reader's language where it was recorded as a ``Said``."""
        from parecon.web.history.i18n import render

        stored = self.data.get("i18n") if isinstance(self.data, dict) else None
        return render(stored) if isinstance(stored, dict) else self.summary

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("history events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("history events are append-only")
