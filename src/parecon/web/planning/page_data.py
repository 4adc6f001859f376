"""What a plan's page shows to everyone, read once per change and cached under it.

The round page is the platform's busiest: every member reads it (and polls its live
fragment) while the round is open. Everything on it that does not depend on who reads
it (rounds, goods, councils taking part, submitted workplaces and their reviews, running
totals, consent answers, the plan's history) changes only through a service that
records an event in the plan's chapter, in the same transaction as the change. So the
chapter's log position (its newest event and its count of events; the count also moves
when PostgreSQL commits two writes out of the order of their ids) names a version of
that data: it is read in one small query, before the data, and the data read after it
is cached under it. A reader never gets data older than the log it has seen.

What depends on the reader (their councils, roles, membership) and the background
close's progress (not an event) are read fresh on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from parecon.web.history.models import Event
from parecon.web.planning import selectors, services
from parecon.web.planning.models import (
    Good,
    Participant,
    Plan,
    PlanStatus,
    Round,
    RoundStatus,
)

__all__ = ["PlanPage", "plan_page"]

#: Seconds a version stays cached (a bound on memory; a new event makes a new version).
TTL = 600
#: Events of the plan's history shown on its page.
LOG_LENGTH = 30


@dataclass(frozen=True)
class PlanPage:
    """A plan's reader-independent page data at one position of its chapter's log.

    ``key`` names that position; the page's templates cache the fragments made only of
    this data under it (``{% cache %}``, varied by language).
    """

    key: str
    rounds: list[Round]
    goods: list[Good]
    participants: list[Participant]
    submitted_workplaces: set[int]
    tallies: dict[int, dict[str, int]]
    totals: dict[str, Any] | None
    answers: dict[int, str]
    log: list[Event]

    @property
    def current(self) -> Round | None:
        return next((r for r in self.rounds if r.status == RoundStatus.OPEN), None)

    @property
    def closed(self) -> list[Round]:
        return [r for r in self.rounds if r.status == RoundStatus.CLOSED]


def log_position(plan: Plan) -> tuple[int, int]:
    """The newest event of the plan's chapter and how many it has."""
    found = Event.objects.filter(chapter_id=plan.chapter_id).aggregate(
        newest=Max("pk"), count=Count("pk")
    )
    return int(found["newest"] or 0), int(found["count"])


def _read(plan: Plan, key: str) -> PlanPage:
    rounds = list(plan.rounds.order_by("number"))
    current = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    participants = list(
        plan.participants.select_related("council").order_by("council__kind", "council__name")
    )
    submitted = selectors.submitted_workplaces(current) if current else set()
    # Consent answers are shown only while the plan is up for ratification.
    latest = services.consent_tally(plan) if plan.status == PlanStatus.PROPOSED else {}
    log = (
        Event.objects.filter(subject_type="planning.plan", subject_id=str(plan.pk))
        | Event.objects.filter(verb__startswith="proposal.", chapter=plan.chapter_id)
        | Event.objects.filter(verb="round.closed", chapter=plan.chapter_id)
    )
    return PlanPage(
        key=key,
        rounds=rounds,
        goods=list(plan.goods.all()),
        participants=participants,
        submitted_workplaces=submitted,
        tallies=selectors.review_tallies(current) if submitted and current else {},
        totals=selectors.running_totals(current, councils=len(participants)) if current else None,
        answers={c: r.answer for c, r in latest.items()},
        log=list(log.select_related("actor").order_by("-created_at")[:LOG_LENGTH]),
    )


def plan_page(plan: Plan) -> PlanPage:
    """The plan's page data as of now: from the cache when nothing was recorded since."""
    newest, count = log_position(plan)  # first: the data read after it is at least as new
    key = f"parecon:plan-page:{plan.pk}:{plan.status}:{newest}:{count}"
    found = cache.get(key)
    if isinstance(found, PlanPage):
        return found
    page = _read(plan, key)
    cache.set(key, page, TTL)
    return page
