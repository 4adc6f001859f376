"""What a plan's page shows to everyone, read once per change and cached under it.

The round page is the platform's busiest: every member reads it (and polls its live
fragment) while the round is open. Everything on it that does not depend on who reads
it (rounds, goods, councils taking part, submitted workplaces and their reviews, running
totals, consent answers, the plan's history) changes only through a service that
records an event in the plan's chapter, in the same transaction as the change. So the
chapter's log position (its newest event and its count of events; the count also moves
when PostgreSQL commits two writes out of the order of their ids) names a version of
that data: it is read in one small query, before the data, and the data read after it
is cached under it. A reader never gets data older than the log it has seen, but for
one exception below.

The data comes in two parts by how often it changes. Proposals' events (a submission,
a review) change only the *activity*: who submitted, review tallies, running totals,
the history. Every other event may change the *structure*: rounds, goods, councils
taking part, consent answers. The structure is keyed by the log position without
proposals' events, so the many submissions of an open round re-read only the activity.
Keys name the database too, so two databases never share an entry.

What depends on the reader (their councils, roles, membership) and the background
close's progress (not an event) are read fresh on every request.

A submission or a review makes every polling reader miss the new activity at once
(in a city's round, about once a second). The request that wrote it reads it first
(:func:`warm`, after its transaction), holding a short lease on the new version;
readers that come while the lease is held are given the activity as of the change
before (the page as they would have seen it a moment earlier, itself consistent)
instead of waiting or reading the same rows again. The writer's own next page is read
after its write, so it always sees its change.

A city's plan has thousands of councils: the page lists the first :data:`SHOWN` of
them (and of the submitted workplaces) as plain rows, with their counts, and links to
the plan's council list (paginated, searchable) for the rest, so what is cached, and
read back on every request, does not grow with the councils.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from parecon.web.history.models import Event
from parecon.web.planning import selectors
from parecon.web.planning.models import (
    Good,
    Participant,
    Plan,
    PlanStatus,
    Round,
    RoundStatus,
)

__all__ = ["SHOWN", "CouncilRow", "PlanPage", "ReviewRow", "keys", "plan_page", "warm"]

#: Seconds a version stays cached (a bound on memory; a new event makes a new version).
TTL = 600
#: Seconds a reader waits for another's read of the same version, polling every POLL
#: seconds; a lease outlives a reader that died while reading by LEASE seconds at most.
WAIT, POLL, LEASE = 2.0, 0.01, 5
#: The layout of the cached classes below: part of every key, so that a server started
#: on a newer layout never reads an older one's entries from the shared cache.
VERSION = 2
#: Event ids back from the chapter's newest that its log position counts (log_position).
WINDOW = 1_000
#: Events of the plan's history shown on its page.
LOG_LENGTH = 30
#: Councils taking part (and submitted workplaces) listed on the plan's page; the plan's
#: council list pages through the rest.
SHOWN = 50

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CouncilRow:
    """A council taking part, as the plan's pages list it: plain values, which a
    cache reads back far faster than model instances."""

    council: int
    name: str
    slug: str
    kind: str
    level: str
    budget: float | None
    answer: str = ""


@dataclass(frozen=True)
class ReviewRow:
    """A workplace that has submitted this round, with its reviews so far."""

    council: int
    name: str
    slug: str
    approve: int
    object: int


@dataclass(frozen=True)
class Structure:
    """What changes only with rounds, councils, budgets and consent."""

    key: str
    rounds: list[Round]
    goods: list[Good]
    #: The first :data:`SHOWN` councils taking part, by kind and name.
    councils: list[CouncilRow]
    #: How many councils take part, by kind (``consumer``, ``worker``).
    by_kind: dict[str, int]
    #: Consent answers while the plan is proposed: how many of each.
    answer_counts: dict[str, int]

    @property
    def n_councils(self) -> int:
        return sum(self.by_kind.values())

    @property
    def current(self) -> Round | None:
        return next((r for r in self.rounds if r.status == RoundStatus.OPEN), None)

    @property
    def closed(self) -> list[Round]:
        return [r for r in self.rounds if r.status == RoundStatus.CLOSED]


@dataclass(frozen=True)
class Activity:
    """What changes with every submission and review of the open round."""

    key: str
    #: The first :data:`SHOWN` workplaces with a counted submission, by name.
    reviewable: list[ReviewRow]
    n_reviewable: int
    totals: dict[str, Any] | None
    log: list[Event]


@dataclass(frozen=True)
class PlanPage:
    """A plan's reader-independent page data at one position of its chapter's log.

    The page's templates cache the fragments made only of this data under the key of
    the part they show (``{% cache %}``, varied by language).
    """

    structure: Structure
    activity: Activity

    @property
    def current(self) -> Round | None:
        return self.structure.current

    @property
    def closed(self) -> list[Round]:
        return self.structure.closed


_PROPOSALS = Q(verb__startswith="proposal.")
#: The chapter's log position in one statement: its newest event, its newest other than
#: proposals' (through the partial index of those events, ``history_event_chapter_other``)
#: and the counts of both among the newest ``WINDOW`` ids. Written out because SQLite uses
#: a partial index only when the query repeats its condition literally (the ORM passes
#: the pattern as a parameter, and walked every proposal's event since: 27 ms at 50,000).
_POSITION = """
WITH newest AS (
    SELECT "id", "created_at" FROM "{table}" WHERE "chapter_id" = %(chapter)s
    ORDER BY "id" DESC LIMIT 1
), other AS (
    SELECT "id", "created_at" FROM "{table}" WHERE "chapter_id" = %(chapter)s
    AND {other} ORDER BY "id" DESC LIMIT 1
)
SELECT newest."id", newest."created_at", other."id", other."created_at",
    (SELECT COUNT(*) FROM "{table}" WHERE "chapter_id" = %(chapter)s
        AND "id" > newest."id" - %(window)s),
    (SELECT COUNT(*) FROM "{table}" WHERE "chapter_id" = %(chapter)s
        AND "id" > newest."id" - %(window)s AND {other})
FROM newest LEFT JOIN other ON 1 = 1
""".format(table=Event._meta.db_table, other="NOT (\"verb\" LIKE 'proposal.%%' ESCAPE '\\')")


def log_position(plan: Plan) -> tuple[str, str]:
    """The chapter's log position, whole and without proposals' events, as key parts.

    Each part is the newest event's id and time (each read by walking an index from the
    newest end: the chapter's, and a partial one of the events other than proposals')
    and the count of those events among the newest :data:`WINDOW` ids. The count moves
    when PostgreSQL commits two transactions out of the order of their ids (which needs
    the later-committed event to be among the newest ``WINDOW`` ids: far more than the
    writes in flight at once); bounding it keeps the read from growing with the log,
    which a city's chapter fills by the ten thousand. The time is part of the position
    because a database made afresh (or restored) hands out the same ids again, never at
    the same instants. A position may also change with no change to the data (an old
    event leaving the window): that is only a read more.
    """
    with connection.cursor() as cursor:
        cursor.execute(_POSITION, {"chapter": plan.chapter_id, "window": WINDOW})
        row = cursor.fetchone()
    if row is None:
        return "0.0.0", "0.0.0"
    newest, at, other, other_at, count, other_count = row
    # The times only tell positions apart: their text as the database returns it, with
    # no space (a cache key holds none).
    return (
        f"{newest}.{count}.{str(at).replace(' ', 'T')}",
        f"{other or 0}.{other_count}.{str(other_at).replace(' ', 'T')}",
    )


def council_rows(
    participants: QuerySet[Participant],
    answers: dict[int, str] | None = None,
) -> list[CouncilRow]:
    """``participants`` as rows, by kind and name (the first :data:`SHOWN`; the plan's
    council list pages through the rest)."""
    rows = participants.order_by("council__kind", "council__name", "council_id").values_list(
        "council_id", "council__name", "council__slug", "council__kind", "council__level",
        "budget",
    )  # fmt: skip
    answers = answers or {}
    return [CouncilRow(*row, answer=answers.get(row[0], "")) for row in rows[:SHOWN]]


def _structure(plan: Plan, key: str) -> Structure:
    # Consent answers are shown only while the plan is up for ratification.
    answers: dict[int, str] = {}
    if plan.status == PlanStatus.PROPOSED:  # each council's latest answer counts
        rows = plan.ratifications.order_by("created_at", "id").values_list("council_id", "answer")
        answers = dict(rows)
    by_kind = dict(
        plan.participants.values_list("council__kind").annotate(n=Count("pk")).order_by()
    )
    return Structure(
        key=key,
        rounds=list(plan.rounds.order_by("number")),
        goods=list(plan.goods.all()),
        councils=council_rows(plan.participants.all(), answers),
        by_kind=by_kind,
        answer_counts=dict(Counter(answers.values())),
    )


def reviewable_rows(round_: Round) -> tuple[list[ReviewRow], int]:
    """The round's workplaces with a counted submission (so can be reviewed), by name
    (the first :data:`SHOWN`), with their review tallies, and how many there are.

    A proposal counts from its first submission, as in the running totals: editing it
    again makes its status a draft but keeps the submitted version counted (and
    reviewable) until it is submitted anew. Only a submission changes this list, and
    each one is recorded, which the page's cache relies on.
    """
    submitted = (
        round_.proposals.filter(council__kind="worker")
        .exclude(counted=None)
        .order_by("council__name", "council_id")
    )
    n = submitted.count()
    if not n:
        return [], 0
    firsts = submitted.values_list("council_id", "council__name", "council__slug")
    rows = list(firsts[:SHOWN])
    tallies = selectors.review_tallies(round_, councils=[r[0] for r in rows])
    return [
        ReviewRow(
            c, name, slug, tallies.get(c, {}).get("approve", 0), tallies.get(c, {}).get("object", 0)
        )
        for c, name, slug in rows
    ], n


def _activity(plan: Plan, structure: Structure, key: str) -> Activity:
    current = structure.current
    reviewable, n_reviewable = reviewable_rows(current) if current else ([], 0)
    # Two queries that each walk an index newest first and stop at LOG_LENGTH: the
    # plan's own events, and the rounds' (proposals, closes) by id in the chapter's log.
    # One query joining them with OR read and sorted the chapter's whole log (54 ms at
    # 50,000 events; these take 1 ms while a round's events are recent, 31 ms when they
    # are all older than the 50,000).
    about_plan = Event.objects.filter(subject_type="planning.plan", subject_id=str(plan.pk))
    # Rounds' events name their plan (events recorded before they did are shown in
    # every plan of the chapter, as they were). The plan is read from each event's data
    # during the walk (no index): a quiet plan beside a busy one of the same chapter
    # walks back through the busy one's events until it has LOG_LENGTH of its own.
    rounds = Event.objects.filter(
        _PROPOSALS | Q(verb="round.closed"),
        Q(data__plan=plan.pk) | ~Q(data__has_key="plan"),
        chapter=plan.chapter_id,
    ).order_by("-pk")
    log = sorted(
        {
            e.pk: e
            for part in (about_plan.order_by("-created_at", "-pk"), rounds)
            for e in part.select_related("actor")[:LOG_LENGTH]
        }.values(),
        key=lambda e: (e.created_at, e.pk),
        reverse=True,
    )[:LOG_LENGTH]
    return Activity(
        key=key,
        reviewable=reviewable,
        n_reviewable=n_reviewable,
        totals=selectors.running_totals(current, councils=structure.n_councils)
        if current
        else None,
        log=log,
    )


def _order(position: str) -> tuple[int, int]:
    """A log position's order: its newest event id, then its count of events."""
    newest, count, _at = position.split(".", 2)
    return int(newest), int(count)


def _cached(
    key: str,
    read: Callable[[], T],
    kind: type[T],
    latest: tuple[str, tuple[int, int]] | None = None,
) -> T:
    """The value under ``key``, read and stored if missing.

    The reader that misses takes a short lease on the key while it reads. Others that
    miss while the lease is held get the newest value stored under ``latest``'s key if
    given (the version before; ``latest``'s order keeps a slow reader of an older
    version from replacing a newer one there), else wait for the reader's value (up to
    :data:`WAIT` seconds, then read it themselves). The lease is advisory: two readers
    that both take it only read twice.
    """
    found = cache.get(key)
    if isinstance(found, kind):
        return found
    lease = f"{key}:reading"
    leased = cache.add(lease, 1, LEASE)
    if not leased:
        before = _latest(latest[0]) if latest else None
        if before is not None and isinstance(before[1], kind):
            return before[1]
        waited = 0.0
        while waited < WAIT:
            time.sleep(POLL)
            waited += POLL
            found = cache.get(key)
            if isinstance(found, kind):
                return found
    try:
        value = read()
        cache.set(key, value, TTL)
        if latest:
            stored = _latest(latest[0])
            if stored is None or stored[0] <= latest[1]:
                cache.set(latest[0], (latest[1], value), TTL)
    finally:
        if leased:
            cache.delete(lease)
    return value


def _latest(key: str) -> tuple[tuple[int, int], Any] | None:
    """The (order, value) pair :func:`_cached` stored under ``key``, if there is one."""
    stored = cache.get(key)
    return stored if isinstance(stored, tuple) and len(stored) == 2 else None


def keys(plan: Plan) -> tuple[str, str, str]:
    """The plan's structure key, activity key and whole log position as of now.

    The keys name the data's layout (:data:`VERSION`), the database, the plan and its
    status, and the log position; the page's fragments are cached under them too.
    """
    whole, structural = log_position(plan)  # first: what is read after it is as new
    database = connection.settings_dict["NAME"]
    structure = f"parecon:plan-page:{VERSION}:{database}:{plan.pk}:{plan.status}:{structural}"
    return structure, f"{structure}:activity:{whole}", whole


def plan_page(plan: Plan) -> PlanPage:
    """The plan's page data as of now: from the cache for what nothing recorded since
    has changed."""
    structure_key, activity_key, whole = keys(plan)
    structure = _cached(structure_key, lambda: _structure(plan, structure_key), Structure)
    activity = _cached(
        activity_key,
        lambda: _activity(plan, structure, activity_key),
        Activity,
        latest=(f"{structure_key}:latest", _order(whole)),
    )
    return PlanPage(structure, activity)


def warm(plan: Plan) -> None:
    """Read the plan's page data for the version a write has just made, so that the
    readers polling the round find it (called by the writer after its transaction).

    The write is already committed: a failure here is logged, never the writer's answer.
    """
    try:
        plan_page(plan)
    except Exception:
        logger.exception("reading plan %s's page after a write failed", plan.pk)
