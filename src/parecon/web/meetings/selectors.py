"""Reads of meetings: a member's and a chapter's, and a meeting as a calendar entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from parecon.web.calendars.feeds import CalendarEntry
from parecon.web.chapters.models import Chapter
from parecon.web.meetings.models import Meeting
from parecon.web.members.models import Member

#: How far back feeds reach: calendar apps keep what they saw before.
FEED_PAST = timedelta(days=120)


def chapter_meetings(chapter: Chapter) -> QuerySet[Meeting]:
    return Meeting.objects.filter(chapter=chapter).select_related("chapter")


def member_meetings(member: Member) -> QuerySet[Meeting]:
    """Meetings of the chapters the member belongs to now."""
    return Meeting.objects.filter(
        chapter__memberships__member=member, chapter__memberships__left_at__isnull=True
    ).select_related("chapter")


def calendar_entry(meeting: Meeting, private: bool = True) -> CalendarEntry:
    """The meeting as an ICS event; a public (chapter) feed leaves out the video link."""
    agenda = [f"- {i.title} ({i.minutes_boxed} min)" for i in meeting.agenda.all()]
    parts = [meeting.chapter.name]
    if agenda:
        parts += ["", *agenda]
    location = meeting.place
    if private and meeting.video_link:
        location = f"{location} · {meeting.video_link}" if location else meeting.video_link
    return CalendarEntry(
        uid=meeting.uid,
        summary=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        description="\n".join(parts),
        location=location,
        url=reverse("meetings:detail", args=[meeting.pk]),
        sequence=meeting.sequence,
    )


def member_feed(member: Member) -> Iterable[CalendarEntry]:
    since = timezone.now() - FEED_PAST
    for meeting in member_meetings(member).filter(ends_at__gte=since).prefetch_related("agenda"):
        yield calendar_entry(meeting)


def chapter_feed(chapter: Chapter) -> Iterable[CalendarEntry]:
    since = timezone.now() - FEED_PAST
    for meeting in chapter_meetings(chapter).filter(ends_at__gte=since).prefetch_related("agenda"):
        yield calendar_entry(meeting, private=False)
