"""Reading effort periods: people, the latest ratings, confirmed hours, households.

Nothing here returns one person's rating of another to a page or the API: the
ratings feed :func:`parecon.web.effort.arithmetic.effort_scores` only, and what is
shown is each member's own score and the workplace's distributions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Case, QuerySet, Value, When

from parecon.exceptions import PareconError
from parecon.web.councils.models import Council, CouncilLevel, CouncilMembership
from parecon.web.effort.arithmetic import LoggedHours, effort_scores, few_raters_threshold
from parecon.web.effort.models import (
    Allowance,
    AllowanceRun,
    EffortPeriod,
    EffortRating,
    HoursLog,
    HouseholdChoice,
    LogStatus,
    PeriodStatus,
)
from parecon.web.jobs.models import Task
from parecon.web.members.models import Member
from parecon.web.site.search import name_contains
from parecon.work.effort import EffortScores

if TYPE_CHECKING:
    from parecon.web.planning.models import Plan


def coworkers(council: Council) -> list[Member]:
    """Current members of the workplace, by name (all of them: for small workplaces)."""
    rows = CouncilMembership.objects.active().filter(council=council).select_related("member")
    return sorted((r.member for r in rows), key=lambda m: (m.display_name, m.pk))


def coworker_count(council: Council) -> int:
    return CouncilMembership.objects.active().filter(council=council).count()


def coworker_ids(council: Council, among: Iterable[int] | None = None) -> set[int]:
    """Ids of the workplace's current members (of ``among`` only, when given)."""
    rows = CouncilMembership.objects.active().filter(council=council)
    if among is not None:
        rows = rows.filter(member_id__in=list(among))
    return set(rows.values_list("member_id", flat=True))


@dataclass(frozen=True)
class Workmates:
    """What a member does in the workplace's published balance (after swaps): the
    tasks they hold, and whom they work with — holders of those tasks and those
    logging hours on the same tasks as they do. Read once per page."""

    held: set[int]
    near: set[int]


def workmates(period: EffortPeriod, member: Member) -> Workmates:
    from parecon.web.jobs.balancing import latest_published
    from parecon.web.jobs.complexes import effective
    from parecon.web.jobs.owners import Owner

    council = period.council
    held: set[int] = set()
    out: set[int] = set()
    balance = latest_published(Owner(council.chapter, council))
    if balance is not None:
        eff = effective(balance, member.pk)
        held = set(eff.of_member(member.pk))
        out |= {m for (m, t), s in eff.shifts.items() if t in held and s > 0}
    logged = period.logs.filter(member=member, task__isnull=False).values("task_id")
    out |= set(period.logs.filter(task_id__in=logged).values_list("member_id", flat=True))
    out.discard(member.pk)
    return Workmates(held, coworker_ids(council, out) if out else out)


def close_coworkers(period: EffortPeriod, member: Member) -> set[int]:
    """Whom ``member`` works with (:attr:`Workmates.near`)."""
    return workmates(period, member).near


#: Coworkers listed per page of the rating form.
PICKER_PAGE = 25


@dataclass(frozen=True)
class CoworkerPicker:
    """One page of the coworkers a member may rate: those they work with unless they
    searched (then everyone whose name matches), by name."""

    page: Page[Member]
    rated: set[int]
    query: str
    close: bool
    everyone: int

    @property
    def people(self) -> list[Member]:
        return list(self.page.object_list)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def pages(self) -> int:
        return self.page.paginator.num_pages


def coworker_picker(
    period: EffortPeriod,
    member: Member,
    query: str = "",
    page: int = 1,
    near: set[int] | None = None,
) -> CoworkerPicker:
    """The rating form's list: a page of :data:`PICKER_PAGE` coworkers, ``member`` left
    out (a page past the end is the last); ``near``: :func:`close_coworkers`, when the
    page has read it already."""
    query = query.strip()[:100]
    rows = Member.objects.filter(
        pk__in=CouncilMembership.objects.active()
        .filter(council=period.council)
        .values("member_id"),
        erased_at__isnull=True,
    ).exclude(pk=member.pk)
    close = False
    if query:
        rows = rows.filter(name_contains("name", query))
    else:
        near = close_coworkers(period, member) if near is None else near
        if near:
            rows, close = rows.filter(pk__in=near), True
    chosen = Paginator(rows.order_by("name", "pk"), PICKER_PAGE).get_page(page)
    chosen.object_list = list(chosen.object_list)
    rated = set(
        EffortRating.objects.filter(
            period=period, rater=member, ratee_id__in=[m.pk for m in chosen.object_list]
        ).values_list("ratee_id", flat=True)
    )
    return CoworkerPicker(chosen, rated, query, close, coworker_count(period.council) - 1)


def latest_ratings(period: EffortPeriod) -> dict[tuple[int, int], float]:
    """``{(rater id, ratee id): score}``, each rater's latest rating of each ratee."""
    out: dict[tuple[int, int], float] = {}
    for rater, ratee, score in period.ratings.order_by("created_at", "id").values_list(
        "rater_id", "ratee_id", "score"
    ):
        out[(rater, ratee)] = score
    return out


def rated_by(period: EffortPeriod, member: Member) -> set[int]:
    """Whom ``member`` has rated (ids only: the scores are never shown back)."""
    return set(
        EffortRating.objects.filter(period=period, rater=member).values_list("ratee_id", flat=True)
    )


def confirmed_hours(period: EffortPeriod) -> dict[int, LoggedHours]:
    """Per member: confirmed hours and their hours-weighted pace and onerousness."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for member, hours, intensity, onerous in period.logs.filter(
        status=LogStatus.CONFIRMED
    ).values_list("member_id", "hours", "intensity", "onerousness"):
        s = sums[member]
        s[0] += hours
        s[1] += hours * intensity / 100
        s[2] += hours * onerous
    return {
        m: LoggedHours(h, p / h if h else 1.0, o / h if h else 10.0)
        for m, (h, p, o) in sums.items()
        if h > 0
    }


def households_of(member: Member) -> list[Council]:
    return list(
        Council.objects.filter(
            level=CouncilLevel.HOUSEHOLD,
            memberships__member=member,
            memberships__left_at__isnull=True,
        ).order_by("name")
    )


def households_by_member(ids: list[int]) -> dict[int, Council | None]:
    """:func:`household_of` for many members in two queries."""
    rows = CouncilMembership.objects.active().filter(
        member_id__in=ids, council__level=CouncilLevel.HOUSEHOLD
    )
    theirs: dict[int, list[Council]] = defaultdict(list)
    for row in rows.select_related("council").order_by("council__name"):
        theirs[row.member_id].append(row.council)
    chosen: dict[int, int] = {}
    for member_id, household_id in (
        HouseholdChoice.objects.filter(member_id__in=ids)
        .order_by("created_at", "id")
        .values_list("member_id", "household_id")
    ):
        chosen[member_id] = household_id
    out: dict[int, Council | None] = {}
    for i in ids:
        mine = theirs.get(i, [])
        pick = next((h for h in mine if h.pk == chosen.get(i)), None)
        out[i] = pick if pick is not None else (mine[0] if len(mine) == 1 else None)
    return out


def household_of(member: Member) -> Council | None:
    """The household a member's allowances go to: their latest choice, else their only one."""
    mine = households_of(member)
    choice = HouseholdChoice.objects.filter(member=member).order_by("-created_at", "-id").first()
    if choice is not None:
        chosen = next((h for h in mine if h.pk == choice.household_id), None)
        if chosen is not None:
            return chosen
    return mine[0] if len(mine) == 1 else None


def latest_run(period: EffortPeriod) -> AllowanceRun | None:
    return period.runs.order_by("-number").first()


def own_allowance(
    period: EffortPeriod, member: Member, run: AllowanceRun | None = None
) -> Allowance | None:
    """``member``'s allowance in the latest run (``run``, when the page has read it)."""
    run = run or latest_run(period)
    if run is None:
        return None
    return run.allowances.filter(member=member).select_related("household").first()


def scoring_people(period: EffortPeriod) -> list[int]:
    """Who is scored: anyone who rated, was rated or has confirmed hours, in id order."""
    ratings = latest_ratings(period)
    people = {p for pair in ratings for p in pair} | set(confirmed_hours(period))
    return sorted(people)


@dataclass(frozen=True)
class OwnScore:
    """What a member sees of their own ratings: the score, its intensity and, with
    enough raters, the middle half of the centred ratings (never min or max)."""

    raters: int
    score: float
    intensity: float
    q1: float | None
    median: float | None
    q3: float | None


@dataclass(frozen=True)
class Distribution:
    """What the workplace sees: counts and quartiles over people, no names."""

    n_people: int
    n_rated: int
    n_ratings: int
    intensity_quartiles: tuple[float, float, float] | None
    hours_quartiles: tuple[float, float, float] | None
    histogram: tuple[tuple[str, int], ...]
    ratio_quartiles: tuple[float, float, float] | None


def _quartiles(values: list[float]) -> tuple[float, float, float] | None:
    if len(values) < 3:
        return None
    q = np.percentile(np.asarray(values), [25, 50, 75])
    return (float(q[0]), float(q[1]), float(q[2]))


BINS = (0.0, 0.8, 0.9, 1.1, 1.2, np.inf)
BIN_LABELS = ("< 0.8", "0.8–0.9", "0.9–1.1", "1.1–1.2", "≥ 1.2")


#: A period's version: (period, its creation time, last rating id, confirmed logs,
#: last allowance run id, current coworkers). Ratings and runs are append-only and a
#: confirmed log stays confirmed, so the version changes whenever the scores or the
#: distribution could (the creation time tells apart periods whose ids a rollback
#: reused); it takes one query, in every process, so a write anywhere invalidates.
Version = tuple[int, float, int, int, int, int]

_SCORES: dict[Version, tuple[list[int], EffortScores] | None] = {}
_DISTRIBUTIONS: dict[Version, Distribution] = {}


def version(period: EffortPeriod) -> Version:
    from django.db.models import Count, OuterRef, Subquery

    def count(qs: QuerySet[Any], by: str) -> Subquery:
        return Subquery(qs.order_by().values(by).annotate(n=Count("id")).values("n")[:1])

    at = OuterRef("pk")
    row = (
        EffortPeriod.objects.filter(pk=period.pk)
        .values(
            last=Subquery(EffortRating.objects.filter(period=at).order_by("-id").values("id")[:1]),
            run=Subquery(AllowanceRun.objects.filter(period=at).order_by("-id").values("id")[:1]),
            confirmed=count(
                HoursLog.objects.filter(period=at, status=LogStatus.CONFIRMED), "period"
            ),
            people=count(
                CouncilMembership.objects.active().filter(council=OuterRef("council")), "council"
            ),
        )
        .get()
    )
    return (
        period.pk,
        period.created_at.timestamp(),
        int(row["last"] or 0),
        int(row["confirmed"] or 0),
        int(row["run"] or 0),
        int(row["people"] or 0),
    )


def scores(
    period: EffortPeriod, at: Version | None = None
) -> tuple[list[int], EffortScores] | None:
    """The core's scores of the scoring people, or None when someone is unrated.

    Kept per process (a few periods, by :func:`version`) so pages do not re-run the
    core on each view.
    """
    key = at or version(period)
    if key not in _SCORES:
        if len(_SCORES) > 64:
            _SCORES.clear()
        _SCORES[key] = _scores(period)
    return _SCORES[key]


def _scores(period: EffortPeriod) -> tuple[list[int], EffortScores] | None:
    people = scoring_people(period)
    ratings = latest_ratings(period)
    rated = {ratee for _r, ratee in ratings}
    if len(people) < 2 or any(p not in rated for p in people):
        return None
    try:
        return people, effort_scores(people, ratings)
    except PareconError:
        return None


def own_score(period: EffortPeriod, member: Member, at: Version | None = None) -> OwnScore | None:
    found = scores(period, at)
    if found is None or member.pk not in found[0]:
        return None
    people, s = found
    i = people.index(member.pk)
    count = int(s.count[i])
    enough = count >= max(3, few_raters_threshold(len(people)))
    d = s.distribution[i]
    return OwnScore(
        count,
        float(s.score[i]),
        float(s.intensity[i]),
        float(d[1]) if enough else None,
        float(d[2]) if enough else None,
        float(d[3]) if enough else None,
    )


def distribution(period: EffortPeriod, at: Version | None = None) -> Distribution:
    """What the workplace sees, kept per process by :func:`version` like the scores."""
    key = at or version(period)
    if key not in _DISTRIBUTIONS:
        if len(_DISTRIBUTIONS) > 64:
            _DISTRIBUTIONS.clear()
        _DISTRIBUTIONS[key] = _distribution(period, key)
    return _DISTRIBUTIONS[key]


def _distribution(period: EffortPeriod, key: Version) -> Distribution:
    hours = confirmed_hours(period)
    found = scores(period, key)
    intensities: list[float] = []
    if found is not None:
        intensities = [float(x) for x in found[1].intensity]
    counts: list[int] = (
        [int(c) for c in np.histogram(np.asarray(intensities), bins=np.asarray(BINS))[0]]
        if intensities
        else []
    )
    run = latest_run(period)
    ratios = (
        list(run.allowances.filter(hours__gt=0).values_list("ratio", flat=True))
        if run is not None
        else []
    )
    return Distribution(
        key[5],
        period.ratings.values("ratee").distinct().count(),
        period.ratings.values("rater", "ratee").distinct().count(),
        _quartiles(intensities),
        _quartiles([h.hours for h in hours.values()]),
        tuple(zip(BIN_LABELS, counts, strict=False)),
        _quartiles(ratios),
    )


#: Coworkers' logs shown at once for confirming (the oldest first; the rest wait).
PENDING_SHOWN = 25


def pending_for(
    period: EffortPeriod, member: Member, near: set[int] | None = None
) -> list[HoursLog]:
    """Coworkers' logs waiting for a confirmation that ``member`` may give, the oldest
    first: those of the people they work with (``near``, else read), then anyone's."""
    near = close_coworkers(period, member) if near is None else near
    theirs_first = Case(When(member_id__in=near, then=Value(0)), default=Value(1))
    return list(
        period.logs.filter(status=LogStatus.PENDING)
        .exclude(member=member)
        .alias(theirs_first=theirs_first)
        .select_related("member", "task")
        .order_by("theirs_first", "worked_on", "id")[:PENDING_SHOWN]
    )


def pending_count(period: EffortPeriod, member: Member) -> int:
    return period.logs.filter(status=LogStatus.PENDING).exclude(member=member).count()


@dataclass(frozen=True)
class LoggableTasks:
    """The workplace's live tasks for the hours form: the member's own first."""

    mine: list[Task]
    others: list[Task]


def loggable_tasks(
    period: EffortPeriod, member: Member, held: set[int] | None = None
) -> LoggableTasks:
    """The workplace's live tasks, those ``member`` holds (``held``, else read) first."""
    council = period.council
    tasks = list(
        Task.objects.filter(council=council, retired_at__isnull=True).order_by("name", "pk")
    )
    if held is None:
        held = workmates(period, member).held
    return LoggableTasks([t for t in tasks if t.pk in held], [t for t in tasks if t.pk not in held])


def household_allowances(plan: Plan) -> dict[int, float]:
    """Per household id: its members' allowances (with needs) for ``plan.period``.

    The latest run of every computed period whose ``plan_period`` is the plan's,
    in workplaces of the plan's chapter or below it. Neighbourhoods and federations
    never appear: allowances go to households only.
    """
    chapters = [plan.chapter_id]
    frontier = [plan.chapter_id]
    from parecon.web.chapters.models import Chapter

    while frontier:
        frontier = list(Chapter.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        chapters += frontier
    totals: dict[int, float] = defaultdict(float)
    periods = EffortPeriod.objects.filter(
        plan_period=plan.period, status=PeriodStatus.COMPUTED, council__chapter__in=chapters
    )
    for period in periods:
        run = latest_run(period)
        if run is None:
            continue
        for a in run.allowances.filter(household__level=CouncilLevel.HOUSEHOLD):
            assert a.household_id is not None
            totals[a.household_id] += a.effort + a.needs
    return dict(totals)


def household_totals(household: Council) -> list[tuple[str, float, int]]:
    """(plan period, allowances with needs, members counted) going to ``household``."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    periods = EffortPeriod.objects.filter(
        status=PeriodStatus.COMPUTED, runs__allowances__household=household
    ).distinct()
    for period in periods:
        run = latest_run(period)
        if run is None:
            continue
        for a in run.allowances.filter(household=household):
            t = totals[period.plan_period]
            t[0] += a.effort + a.needs
            t[1] += 1
    return [(k, v[0], int(v[1])) for k, v in sorted(totals.items(), reverse=True)]
