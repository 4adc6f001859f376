"""What goes into calendars: a small registry of feed sources, and ICS rendering.

An app that schedules something for members registers a source from its
``AppConfig.ready()``::

    register_personal_source("meetings", meetings_for_member)
    register_chapter_source("meetings", meetings_of_chapter)

A source takes a member (or a chapter) and returns :class:`CalendarEntry` items; the
personal feed is the concatenation of every personal source, so the shared-work app
adds its shifts to the same feed by registering one more source. Calendars are
RFC 5545, written by ``icalendar`` (imported here only, when a feed is rendered).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member

PRODID = "-//parecon//platform//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a calendar; ``uid`` stays the same when the event changes."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False


PersonalSource = Callable[["Member"], Iterable[CalendarEntry]]
ChapterSource = Callable[["Chapter"], Iterable[CalendarEntry]]

PERSONAL_SOURCES: dict[str, PersonalSource] = {}
CHAPTER_SOURCES: dict[str, ChapterSource] = {}


def register_personal_source(name: str, source: PersonalSource) -> None:
    """Add ``source`` to every member's personal feed (idempotent per ``name``)."""
    PERSONAL_SOURCES[name] = source


def register_chapter_source(name: str, source: ChapterSource) -> None:
    """Add ``source`` to every chapter's public feed (idempotent per ``name``)."""
    CHAPTER_SOURCES[name] = source


def personal_entries(member: Member) -> list[CalendarEntry]:
    return [e for source in PERSONAL_SOURCES.values() for e in source(member)]


def chapter_entries(chapter: Chapter) -> list[CalendarEntry]:
    return [e for source in CHAPTER_SOURCES.values() for e in source(chapter)]


def render_ics(entries: Iterable[CalendarEntry], name: str, method: str = "PUBLISH") -> bytes:
    """An RFC 5545 calendar of ``entries``; ``method`` is REQUEST for an e-mailed invite."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    for e in entries:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", datetime.now().astimezone())
        event.add("dtstart", e.starts_at)
        event.add("dtend", e.ends_at)
        event.add("summary", e.summary)
        event.add("sequence", e.sequence)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        if e.description:
            event.add("description", e.description)
        if e.location:
            event.add("location", e.location)
        if e.url:
            event.add("url", e.url)
        cal.add_component(event)
    return bytes(cal.to_ical())
