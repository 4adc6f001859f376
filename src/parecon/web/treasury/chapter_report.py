"""The chapter report for a period: the "dull but essential" summary chapters asked for.

It reads what the other apps keep — memberships, meetings and who attended,
decisions, projects' tasks done, needs met, the books and the budget, outreach,
evaluations, newcomers who came back — and counts; it never ranks people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Membership
from parecon.web.commons.models import FollowUp, Match, Organisation, Post
from parecon.web.decisions.models import Decision
from parecon.web.decisions.models import Status as DecisionStatus
from parecon.web.evaluations.models import Evaluation
from parecon.web.meetings.models import FollowUpTask, Meeting
from parecon.web.projects.selectors import NewcomerStats, newcomer_stats
from parecon.web.treasury import budget_selectors
from parecon.web.treasury.budget_selectors import AgainstBudget
from parecon.web.treasury.models import BudgetPlan
from parecon.web.treasury.selectors import Money, money_between


@dataclass(frozen=True)
class MeetingRow:
    title: str
    starts_at: datetime
    attended: int


@dataclass(frozen=True)
class DecisionRow:
    title: str
    on: date
    outcome: str


@dataclass(frozen=True)
class ChapterReport:
    chapter: Chapter
    first: date
    last: date
    members: int
    joined: int
    left: int
    meetings: list[MeetingRow]
    decisions: list[DecisionRow]
    tasks_done: list[tuple[str, int, Decimal]]  # project (or "—"), tasks, hours
    needs_posted: int
    needs_met: int
    offers_posted: int
    money: Money
    budget: BudgetPlan | None
    against_budget: list[AgainstBudget]
    organisations_added: int
    followups_done: int
    evaluations: list[tuple[str, int]]  # institution, ratings given
    newcomers: NewcomerStats

    @property
    def attendance(self) -> int:
        return sum(m.attended for m in self.meetings)


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def default_period(today: date) -> tuple[date, date]:
    """The quarter so far."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, today


def check_period(first: date, last: date) -> None:
    """Refuse a period that ends before it starts, or lies outside 1900–9998."""
    if last < first:
        raise ValidationError({"until": _("until: the period ends before it starts.")})
    if first.year < 1900 or last.year > 9998:
        raise ValidationError({"from": _("from/until: a period between 1900 and 9998.")})


def chapter_report(chapter: Chapter, first: date, last: date) -> ChapterReport:
    check_period(first, last)
    start, end = _span(first, last)
    memberships = Membership.objects.filter(chapter=chapter)
    members = (
        memberships.filter(joined_at__lt=end)
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=end))
        .count()
    )
    meetings = [
        MeetingRow(m.title, m.starts_at, m.n)
        for m in Meeting.objects.filter(
            chapter=chapter, starts_at__gte=start, starts_at__lt=end, ends_at__lte=timezone.now()
        )
        .annotate(n=Count("attendance"))
        .order_by("starts_at")
    ]
    decisions = [
        DecisionRow(d.title, timezone.localdate(d.closed_at), str(d.result.get("outcome", "")))
        for d in Decision.objects.filter(
            chapter=chapter,
            status=DecisionStatus.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        ).order_by("closed_at")
        if d.closed_at is not None
    ]
    # Decisions taken in a meeting are decisions of the chapter (meetings.RoomDecision
    # only links them to the meeting), so the list above already holds them.
    decisions.sort(key=lambda d: d.on)
    tasks: dict[str, tuple[int, Decimal]] = {}
    for t in FollowUpTask.objects.filter(
        chapter=chapter, done_at__gte=start, done_at__lt=end
    ).select_related("project"):
        key = t.project.title if t.project is not None else "—"
        n, hours = tasks.get(key, (0, Decimal("0")))
        tasks[key] = (n + 1, hours + t.hours)
    posts = Post.objects.filter(chapter=chapter, created_at__gte=start, created_at__lt=end)
    budget = (
        BudgetPlan.objects.filter(
            chapter=chapter, status=BudgetPlan.Status.ADOPTED, starts__lte=last, ends__gte=first
        )
        .order_by("-starts")
        .first()
    )
    return ChapterReport(
        chapter=chapter,
        first=first,
        last=last,
        members=members,
        joined=memberships.filter(joined_at__gte=start, joined_at__lt=end).count(),
        left=memberships.filter(left_at__gte=start, left_at__lt=end).count(),
        meetings=meetings,
        decisions=decisions,
        tasks_done=[(k, n, h) for k, (n, h) in sorted(tasks.items())],
        needs_posted=posts.filter(kind=Post.Kind.NEED).count(),
        offers_posted=posts.filter(kind=Post.Kind.OFFER).count(),
        needs_met=Match.objects.filter(
            chapter=chapter, created_at__gte=start, created_at__lt=end
        ).count(),
        money=money_between(chapter, first, last),
        budget=budget,
        against_budget=budget_selectors.against_budget(budget) if budget else [],
        organisations_added=Organisation.objects.filter(
            chapter=chapter, created_at__gte=start, created_at__lt=end
        ).count(),
        followups_done=FollowUp.objects.filter(
            organisation__chapter=chapter, done=True, due__range=(first, last)
        ).count(),
        evaluations=[
            (e.institution, e.n)
            for e in Evaluation.objects.filter(chapter=chapter)
            .annotate(
                n=Count(
                    "ratings",
                    filter=Q(ratings__updated_at__gte=start, ratings__updated_at__lt=end),
                )
            )
            .filter(Q(n__gt=0) | Q(created_at__gte=start, created_at__lt=end))
            .order_by("institution")
        ],
        newcomers=newcomer_stats(chapter),
    )
