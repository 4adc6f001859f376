"""``/api/effort`` (periods, ratings, hours, pools) and ``/api/allowances`` (allowances,
households, needs, appeals, budgets in plans): the pages' actions, the same services.

No response carries an individual rating: a member gets their own score and the
workplace's distributions only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parecon.web.councils.models import Council
from parecon.web.effort import budgets, selectors, services
from parecon.web.effort.models import Allowance, Appeal, EffortPeriod, HoursLog, NeedsRequest
from parecon.web.effort.permissions import is_coworker, is_workplace_facilitator
from parecon.web.jobs.models import Task
from parecon.web.planning.models import Plan
from parecon.web.site.api_auth import writer

effort = Router(tags=["effort"])
allowances = Router(tags=["allowances"])


class EffortPeriodOut(Schema):
    id: int
    council: str
    name: str
    plan_period: str
    starts_on: date
    ends_on: date
    status: str
    pool: float | None
    pool_source: str


class EffortDistributionOut(Schema):
    n_people: int
    n_rated: int
    n_ratings: int
    intensity_quartiles: list[float] | None
    hours_quartiles: list[float] | None
    ratio_quartiles: list[float] | None
    histogram: dict[str, int]


class EffortOwnScoreOut(Schema):
    raters: int
    score: float
    intensity: float
    q1: float | None
    median: float | None
    q3: float | None


class EffortPeriodDetailOut(EffortPeriodOut):
    distribution: EffortDistributionOut
    my_score: EffortOwnScoreOut | None
    rated: list[int]


class EffortPeriodIn(Schema):
    council: str = Field(..., max_length=120)
    name: str = Field(..., max_length=120)
    plan_period: str = Field(..., max_length=40)
    starts_on: date
    ends_on: date
    compensate_onerousness: bool = True


class EffortRatingIn(Schema):
    member_id: int
    score: float = Field(..., ge=1, le=20)


class EffortRatingsIn(Schema):
    ratings: list[EffortRatingIn] = Field(..., min_length=1, max_length=1000)


class EffortSavedOut(Schema):
    saved: int


class EffortHoursIn(Schema):
    worked_on: date
    hours: float = Field(..., gt=0, le=24)
    #: What was done, in words: a name of one of the workplace's tasks links to it.
    task: str = Field("", max_length=200)
    #: One of the workplace's tasks (takes precedence over ``task``).
    task_id: int | None = Field(None, ge=1, le=2**31 - 1)
    intensity: int = 100
    onerousness: int = Field(10, ge=1, le=20)


class EffortHoursOut(Schema):
    id: int
    member: str
    worked_on: date
    hours: float
    task: str
    task_id: int | None
    intensity: int
    onerousness: int
    status: str


class EffortHoursListOut(Schema):
    mine: list[EffortHoursOut]
    to_confirm: list[EffortHoursOut]


class EffortPoolIn(Schema):
    source: str = Field(..., pattern="^(plan|federation)$")
    plan_id: int | None = None
    federation: str | None = Field(None, max_length=120)
    amount: float | None = None


class AllowanceOut(Schema):
    period: int
    run: int
    hours: float
    intensity: float
    onerousness: float
    effort: float
    needs: float
    total: float
    ratio: float
    flagged: bool
    household: str | None


class AllowanceRunOut(Schema):
    period: int
    run: int
    pool: float
    needs: float
    members: int


class AllowanceHouseholdIn(Schema):
    household: str = Field(..., max_length=120)


class AllowanceHouseholdOut(Schema):
    household: str


class AllowanceNeedsIn(Schema):
    amount: float = Field(..., gt=0)
    reason: str = Field(..., min_length=1, max_length=2000)


class AllowanceNeedsOut(Schema):
    id: int
    period: int
    household: str
    amount: float
    status: str


class AllowanceDecisionIn(Schema):
    note: str = Field("", max_length=1000)


class AllowanceAppealIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class AllowanceAppealOut(Schema):
    id: int
    period: int
    status: str
    resolution: str
    intensity: float | None


class AllowanceResolveIn(Schema):
    uphold: bool
    resolution: str = Field(..., min_length=1, max_length=1000)
    intensity: float | None = None


class AllowanceBudgetOut(Schema):
    council: str
    level: str
    budget: float | None
    allowances: float | None


def _period_out(p: EffortPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "council": p.council.slug,
        "name": p.name,
        "plan_period": p.plan_period,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "status": p.status,
        "pool": p.pool,
        "pool_source": p.pool_source,
    }


def _period(period_id: int) -> EffortPeriod:
    return get_object_or_404(EffortPeriod.objects.select_related("council__chapter"), pk=period_id)


def _hours_out(log: HoursLog) -> dict[str, Any]:
    return {
        "id": log.pk,
        "member": log.member.display_name,
        "worked_on": log.worked_on,
        "hours": log.hours,
        "task": log.task_name,
        "task_id": log.task_id,
        "intensity": log.intensity,
        "onerousness": log.onerousness,
        "status": log.status,
    }


def _allowance_out(a: Allowance) -> dict[str, Any]:
    return {
        "period": a.run.period_id,
        "run": a.run.number,
        "hours": a.hours,
        "intensity": a.intensity,
        "onerousness": a.onerousness,
        "effort": a.effort,
        "needs": a.needs,
        "total": a.total,
        "ratio": a.ratio,
        "flagged": a.flagged,
        "household": a.household.slug if a.household is not None else None,
    }


def _needs_out(r: NeedsRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "period": r.period_id,
        "household": r.household.slug,
        "amount": r.amount,
        "status": r.status,
    }


def _appeal_out(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "period": a.period_id,
        "status": a.status,
        "resolution": a.resolution,
        "intensity": a.intensity,
    }


def _quart(q: tuple[float, float, float] | None) -> list[float] | None:
    return list(q) if q is not None else None


# ---------------------------------------------------------------- /api/effort


@effort.get("/periods", response=list[EffortPeriodOut])
def list_periods(request: HttpRequest, council: str) -> list[dict[str, Any]]:
    found = get_object_or_404(Council, slug=council)
    return [_period_out(p) for p in found.effort_periods.select_related("council")[:200]]


@effort.post("/periods", response={201: EffortPeriodOut})
def open_period(request: HttpRequest, payload: EffortPeriodIn) -> Status[dict[str, Any]]:
    actor = writer(request)
    council = get_object_or_404(Council, slug=payload.council)
    p = services.open_period(
        actor,
        council,
        name=payload.name,
        plan_period=payload.plan_period,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        compensate_onerousness=payload.compensate_onerousness,
    )
    return Status(201, _period_out(p))


@effort.get("/periods/{period_id}", response=EffortPeriodDetailOut)
def get_period(request: HttpRequest, period_id: int) -> dict[str, Any]:
    p = _period(period_id)
    coworker = is_coworker(request.user, p.council)
    if not (coworker or is_workplace_facilitator(request.user, p.council)):
        raise PermissionDenied("Only the workplace's members see its effort period.")
    at = selectors.version(p)
    d = selectors.distribution(p, at)
    score = selectors.own_score(p, request.user, at) if coworker else None  # type: ignore[arg-type]
    return {
        **_period_out(p),
        "distribution": {
            "n_people": d.n_people,
            "n_rated": d.n_rated,
            "n_ratings": d.n_ratings,
            "intensity_quartiles": _quart(d.intensity_quartiles),
            "hours_quartiles": _quart(d.hours_quartiles),
            "ratio_quartiles": _quart(d.ratio_quartiles),
            "histogram": dict(d.histogram),
        },
        "my_score": score.__dict__ if score is not None else None,
        "rated": sorted(selectors.rated_by(p, request.user)) if coworker else [],  # type: ignore[arg-type]
    }


@effort.post("/periods/{period_id}/ratings", response=EffortSavedOut)
def rate(request: HttpRequest, period_id: int, payload: EffortRatingsIn) -> dict[str, int]:
    actor = writer(request)
    made = services.rate_effort(
        actor, _period(period_id), {r.member_id: r.score for r in payload.ratings}
    )
    return {"saved": len(made)}


@effort.get("/periods/{period_id}/hours", response=EffortHoursListOut)
def list_hours(request: HttpRequest, period_id: int) -> dict[str, Any]:
    p = _period(period_id)
    if not is_coworker(request.user, p.council):
        raise PermissionDenied("Only the workplace's members see its hours.")
    mine = p.logs.filter(member_id=request.user.pk or 0).select_related("member", "task")[:500]
    pending = selectors.pending_for(p, request.user)  # type: ignore[arg-type]
    return {"mine": [_hours_out(x) for x in mine], "to_confirm": [_hours_out(x) for x in pending]}


@effort.post("/periods/{period_id}/hours", response={201: EffortHoursOut})
def log_hours(request: HttpRequest, period_id: int, payload: EffortHoursIn) -> Status[Any]:
    actor = writer(request)
    p = _period(period_id)
    task: Task | str = payload.task
    if payload.task_id is not None:
        found = Task.objects.filter(pk=payload.task_id, council=p.council).first()
        if found is None:
            raise ValidationError({"task_id": "Choose one of this workplace's tasks."})
        task = found
    log = services.log_hours(
        actor,
        p,
        worked_on=payload.worked_on,
        hours=payload.hours,
        task=task,
        intensity=payload.intensity,
        onerousness=payload.onerousness,
    )
    return Status(201, _hours_out(log))


def _answer(request: HttpRequest, log_id: int, confirm: bool) -> dict[str, Any]:
    actor = writer(request)
    log = get_object_or_404(HoursLog.objects.select_related("period__council"), pk=log_id)
    return _hours_out(services.confirm_log(actor, log, confirm))


@effort.post("/hours/{log_id}/confirm", response=EffortHoursOut)
def confirm_hours(request: HttpRequest, log_id: int) -> dict[str, Any]:
    return _answer(request, log_id, True)


@effort.post("/hours/{log_id}/dispute", response=EffortHoursOut)
def dispute_hours(request: HttpRequest, log_id: int) -> dict[str, Any]:
    return _answer(request, log_id, False)


@effort.post("/periods/{period_id}/pool", response=EffortPeriodOut)
def set_pool(request: HttpRequest, period_id: int, payload: EffortPoolIn) -> dict[str, Any]:
    actor = writer(request)
    p = _period(period_id)
    if payload.source == "plan":
        plan = get_object_or_404(Plan, pk=payload.plan_id or 0)
        p = services.set_pool_from_plan(actor, p, plan)
    else:
        federation = get_object_or_404(Council, slug=payload.federation or "")
        if payload.amount is None:
            raise ValidationError({"amount": "The federation's pool needs an amount."})
        p = services.set_pool_by_federation(actor, p, federation, payload.amount)
    return _period_out(p)


# ---------------------------------------------------------------- /api/allowances


@allowances.post("/periods/{period_id}/compute", response=AllowanceRunOut)
def compute(request: HttpRequest, period_id: int) -> dict[str, Any]:
    actor = writer(request)
    run = services.compute_allowances(actor, _period(period_id))
    return {
        "period": run.period_id,
        "run": run.number,
        "pool": run.pool,
        "needs": run.needs,
        "members": run.allowances.count(),
    }


@allowances.get("/periods/{period_id}/mine", response={200: AllowanceOut, 204: None})
def mine(request: HttpRequest, period_id: int) -> Any:
    p = _period(period_id)
    if not is_coworker(request.user, p.council):
        raise PermissionDenied("Only the workplace's members have allowances here.")
    a = selectors.own_allowance(p, request.user)  # type: ignore[arg-type]
    return Status(200, _allowance_out(a)) if a is not None else Status(204, None)


@allowances.post("/household", response=AllowanceHouseholdOut)
def choose_household(request: HttpRequest, payload: AllowanceHouseholdIn) -> dict[str, str]:
    actor = writer(request)
    council = get_object_or_404(Council, slug=payload.household)
    services.choose_household(actor, council)
    return {"household": council.slug}


@allowances.post("/periods/{period_id}/needs", response={201: AllowanceNeedsOut})
def request_needs(request: HttpRequest, period_id: int, payload: AllowanceNeedsIn) -> Status[Any]:
    actor = writer(request)
    r = services.request_needs(actor, _period(period_id), None, payload.amount, payload.reason)
    return Status(201, _needs_out(r))


def _decide(request: HttpRequest, needs_id: int, approve: bool, note: str) -> dict[str, Any]:
    actor = writer(request)
    r = get_object_or_404(NeedsRequest.objects.select_related("household"), pk=needs_id)
    return _needs_out(services.decide_needs(actor, r, approve, note))


@allowances.post("/needs/{needs_id}/approve", response=AllowanceNeedsOut)
def approve_needs(
    request: HttpRequest, needs_id: int, payload: AllowanceDecisionIn
) -> dict[str, Any]:
    return _decide(request, needs_id, True, payload.note)


@allowances.post("/needs/{needs_id}/decline", response=AllowanceNeedsOut)
def decline_needs(
    request: HttpRequest, needs_id: int, payload: AllowanceDecisionIn
) -> dict[str, Any]:
    return _decide(request, needs_id, False, payload.note)


@allowances.post("/periods/{period_id}/appeals", response={201: AllowanceAppealOut})
def appeal(request: HttpRequest, period_id: int, payload: AllowanceAppealIn) -> Status[Any]:
    actor = writer(request)
    return Status(201, _appeal_out(services.appeal(actor, _period(period_id), payload.reason)))


@allowances.post("/appeals/{appeal_id}/resolve", response=AllowanceAppealOut)
def resolve(request: HttpRequest, appeal_id: int, payload: AllowanceResolveIn) -> dict[str, Any]:
    actor = writer(request)
    row = get_object_or_404(Appeal.objects.select_related("period__council"), pk=appeal_id)
    return _appeal_out(
        services.resolve_appeal(actor, row, payload.uphold, payload.resolution, payload.intensity)
    )


@allowances.get("/plans/{plan_id}/budgets", response=list[AllowanceBudgetOut])
def plan_budgets(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    plan = get_object_or_404(Plan, pk=plan_id)
    totals = selectors.household_allowances(plan)
    return [
        {
            "council": p.council.slug,
            "level": p.council.level,
            "budget": p.budget,
            "allowances": totals.get(p.council_id),
        }
        for p in plan.participants.filter(council__kind="consumer").select_related("council")
    ]


@allowances.post("/plans/{plan_id}/budgets", response=list[AllowanceBudgetOut])
def take_budgets(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    actor = writer(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    budgets.take_budgets_from_allowances(actor, plan)
    return plan_budgets(request, plan_id)
