"""Reads of meetings: a member's and a chapter's, and a meeting as a calendar entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parecon.web.calendars.feeds import CalendarEntry
from parecon.web.chapters.models import Chapter
from parecon.web.decisions.models import Ballot, Status
from parecon.web.meetings.models import DecisionMethod, Meeting, RoomDecision
from parecon.web.members.models import Member
from parecon.web.polls.selectors import councils_containing

#: How far back feeds reach: calendar apps keep what they saw before.
FEED_PAST = timedelta(days=120)


def chapter_meetings(chapter: Chapter) -> QuerySet[Meeting]:
    return Meeting.objects.filter(chapter=chapter).select_related("chapter")


def member_meetings(member: Member) -> QuerySet[Meeting]:
    """Meetings of the chapters the member belongs to now, and those a poll of a
    council they belong to (or of a federation above it) scheduled."""
    return (
        Meeting.objects.filter(
            Q(chapter__memberships__member=member, chapter__memberships__left_at__isnull=True)
            | Q(poll__invitees="council", poll__council__in=councils_containing(member))
        )
        .distinct()
        .select_related("chapter")
    )


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


#: The engine's outcomes and room choices, in the members' language.
OUTCOMES = {
    "adopted": _("adopted"),
    "rejected": _("rejected"),
    "blocked": _("blocked"),
    "no_votes": _("no votes"),
    "no_quorum": _("no quorum"),
}
CHOICE_LABELS = {
    "consent": _("consent"),
    "object": _("object"),
    "abstain": _("abstain"),
    "block": _("block"),
    "yes": _("yes"),
    "no": _("no"),
}


@dataclass(frozen=True)
class RoomDecisionRow:
    """A decision taken in the room as its meeting shows it: the engine's outcome and
    the counts the room entered (choice, number), or ``outcome`` empty while open."""

    id: int
    decision_id: int
    title: str
    method: str
    counts: tuple[tuple[str, int], ...]
    outcome: str
    status: str

    @property
    def method_label(self) -> str:
        return str(dict(DecisionMethod.choices).get(self.method, self.method))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome)) if self.outcome else ""

    @property
    def count_labels(self) -> list[tuple[str, int]]:
        return [(str(CHOICE_LABELS.get(c, c)), n) for c, n in self.counts]


def room_decisions_of(meeting: Meeting) -> list[RoomDecisionRow]:
    rows = []
    taken = RoomDecision.objects.filter(meeting=meeting).select_related("decision")
    for t in taken:
        d = t.decision
        ballots = Ballot.objects.filter(
            decision=d, round=d.round, source=Ballot.Source.ROOM
        ).order_by("pk")
        counts: dict[str, int] = {}
        for b in ballots:
            counts[b.choice] = counts.get(b.choice, 0) + b.count
        rows.append(
            RoomDecisionRow(
                id=t.pk,
                decision_id=d.pk,
                title=d.title,
                method=d.method,
                counts=tuple(counts.items()),
                outcome=str(d.result.get("outcome", "")) if d.status == Status.CLOSED else "",
                status=d.status,
            )
        )
    return rows


def member_feed(member: Member) -> Iterable[CalendarEntry]:
    since = timezone.now() - FEED_PAST
    for meeting in member_meetings(member).filter(ends_at__gte=since).prefetch_related("agenda"):
        yield calendar_entry(meeting)


def chapter_feed(chapter: Chapter) -> Iterable[CalendarEntry]:
    since = timezone.now() - FEED_PAST
    for meeting in chapter_meetings(chapter).filter(ends_at__gte=since).prefetch_related("agenda"):
        yield calendar_entry(meeting, private=False)
