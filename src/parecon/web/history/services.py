"""Writing to the history: the one function every service calls after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from parecon.web.history.i18n import Said
from parecon.web.history.models import Event

if TYPE_CHECKING:
    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member


def record(
    verb: str,
    summary: str | Said,
    *,
    actor: Member | None,
    chapter: Chapter | None = None,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
) -> Event:
    """Append one event; call it inside the transaction of the change it records.

    Pass the summary as a :class:`~parecon.web.history.i18n.Said` to have it read in
    each reader's language (a plain string reads as written).
    """
    if isinstance(summary, Said):
        data = {**(data or {}), "i18n": summary.stored()}
    return Event.objects.create(
        verb=verb,
        summary=str(summary)[:500],
        actor=actor,
        chapter=chapter,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        data=data or {},
        public=public,
    )
