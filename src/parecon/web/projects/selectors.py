"""Reads of projects and events: feeds, and how many newcomers came back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from parecon.web.calendars.feeds import CalendarEntry
from parecon.web.chapters.models import Chapter, Membership
from parecon.web.members.models import Member
from parecon.web.projects.models import Event, Participation, Status

CONFIRMED = (Status.GOING, Status.WAITING)


def event_entry(event: Event) -> CalendarEntry:
    return CalendarEntry(
        uid=event.uid,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description=event.description,
        location=event.place,
        url=reverse("projects:event", args=[event.pk]),
    )


def member_event_feed(member: Member) -> Iterable[CalendarEntry]:
    since = timezone.now() - timedelta(days=120)
    events = Event.objects.filter(
        participants__member=member, participants__status=Status.GOING, ends_at__gte=since
    )
    return [event_entry(e) for e in events]


def chapter_event_feed(chapter: Chapter) -> Iterable[CalendarEntry]:
    since = timezone.now() - timedelta(days=120)
    return [event_entry(e) for e in Event.objects.filter(chapter=chapter, ends_at__gte=since)]


@dataclass(frozen=True)
class NewcomerStats:
    """Newcomers who confirmed at least once; who came to two or more; who joined."""

    newcomers: int
    came_back: int
    became_members: int


def newcomer_stats(chapter: Chapter) -> NewcomerStats:
    rows = Participation.objects.filter(
        Q(event__chapter=chapter) | Q(project__chapter=chapter),
        newcomer__isnull=False,
        status__in=CONFIRMED,
    ).values_list("newcomer_id", "newcomer__email")
    times = Counter(pk for pk, _email in rows)
    emails = {email for _pk, email in rows}
    members = (
        Membership.objects.active()
        .filter(chapter=chapter, member__email__in=emails)
        .values("member_id")
        .distinct()
        .count()
    )
    return NewcomerStats(len(times), sum(1 for n in times.values() if n >= 2), members)
