"""Reading the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parecon.web.history.models import Event, EventQuerySet

if TYPE_CHECKING:
    from django.db import models

    from parecon.web.chapters.models import Chapter


def chapter_log(chapter: Chapter) -> EventQuerySet:
    """The chapter's public log, newest first."""
    return Event.objects.public().filter(chapter=chapter).select_related("actor")


def subject_history(subject: models.Model) -> EventQuerySet:
    """Every event recorded about one object, newest first."""
    return Event.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")
