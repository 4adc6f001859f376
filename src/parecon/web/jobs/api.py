"""``/api/tasks``, ``/api/complexes``, ``/api/swaps``: shared work in JSON, the same services.

No response carries anyone's rating of a task but the caller's own; a task's
aggregate is empty until enough members have rated it (``ratings.MIN_RATERS``).
Schema names start with ``Jobs`` so they never clash with other apps' in OpenAPI.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from parecon.web.jobs import balancing, selectors, services, swapping
from parecon.web.jobs.models import Balance, Qualification, Swap, Task
from parecon.web.jobs.owners import find_owner, owner_of, require_owner_member
from parecon.web.jobs.ratings import TaskAggregate, aggregate
from parecon.web.members.models import Member
from parecon.web.site.api_auth import writer

tasks_router = Router(tags=["tasks"])
complexes_router = Router(tags=["complexes"])
swaps_router = Router(tags=["swaps"])

KIND = "^(chapter|council)$"


class JobsScaleOut(Schema):
    median: float | None
    q1: float | None
    q3: float | None
    spread: float | None
    outliers: int


class JobsTaskOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    shift_hours: float | None
    shifts_per_week: int | None
    hours: float | None
    due_on: date | None
    role: str
    qualifications: list[str]
    ratings: int
    empowerment: JobsScaleOut
    desirability: JobsScaleOut


class JobsTaskIn(Schema):
    kind: str = Field(..., pattern="^(recurring|one_off)$")
    name: str = Field(..., max_length=200)
    description: str = Field("", max_length=2000)
    shift_hours: Decimal | None = Field(None, ge=Decimal("0.25"), le=Decimal(24))
    shifts_per_week: int | None = Field(None, ge=1, le=500)
    starts_at: time | None = None
    hours: Decimal | None = Field(None, ge=Decimal("0.25"), le=Decimal(1000))
    due_on: date | None = None
    role: str = Field("", pattern="^(|facilitator|note_taker|treasurer|mediator|admin)$")
    qualification_ids: list[int] = Field(default_factory=list, max_length=50)


class JobsRatingIn(Schema):
    empowerment: int = Field(..., ge=1, le=20)
    desirability: int = Field(..., ge=1, le=20)


class JobsOwnRatingOut(Schema):
    task_id: int
    empowerment: int
    desirability: int


class JobsHoursIn(Schema):
    member_id: int
    hours: Decimal = Field(..., ge=Decimal(0), le=Decimal(80))


class JobsHoursOut(Schema):
    member_id: int
    hours: float


class JobsBalanceIn(Schema):
    starts_on: date
    weeks: int = Field(4, ge=1, le=26)
    band: float = Field(2.0, ge=0.1, le=10.0)


class JobsComplexOut(Schema):
    member_id: int
    member: str
    hours: float
    empowerment: float
    desirability: float
    hours_moved: float


class JobsBalanceOut(Schema):
    id: int
    owner_kind: str
    owner: str
    starts_on: date
    weeks: int
    band: float
    status: str
    progress: str
    message: str
    mean_empowerment: float | None
    mean_desirability: float | None
    published_at: datetime | None
    previous_id: int | None
    complexes: list[JobsComplexOut]


class JobsHoldingOut(Schema):
    task_id: int
    task: str
    shifts: float
    hours: float


class JobsShiftOut(Schema):
    task_id: int
    starts_at: datetime
    ends_at: datetime


class JobsMineOut(Schema):
    balance_id: int
    holdings: list[JobsHoldingOut]
    shifts: list[JobsShiftOut]


class JobsSwapIn(Schema):
    balance_id: int
    partner_id: int
    give_task_id: int
    give_shifts: int = Field(1, ge=1, le=50)
    take_task_id: int
    take_shifts: int = Field(1, ge=1, le=50)


class JobsAnswerIn(Schema):
    accept: bool


class JobsSwapOut(Schema):
    id: int
    balance_id: int
    requester_id: int
    partner_id: int
    give_task_id: int
    give_shifts: int
    take_task_id: int
    take_shifts: int
    status: str


def _scale(s: object) -> dict[str, object]:
    return {k: getattr(s, k) for k in ("median", "q1", "q3", "spread", "outliers")}


def _task_out(t: Task, agg: TaskAggregate) -> dict[str, object]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "name": t.name,
        "description": t.description,
        "shift_hours": float(t.shift_hours) if t.shift_hours is not None else None,
        "shifts_per_week": t.shifts_per_week,
        "hours": float(t.hours) if t.hours is not None else None,
        "due_on": t.due_on,
        "role": t.role,
        "qualifications": [q.name for q in t.qualifications.all()],
        "ratings": agg.count,
        "empowerment": _scale(agg.empowerment),
        "desirability": _scale(agg.desirability),
    }


@tasks_router.get("/owners/{kind}/{slug}", response=list[JobsTaskOut])
def list_tasks(request: HttpRequest, kind: str, slug: str) -> list[dict[str, object]]:
    owner = find_owner(kind, slug)
    require_owner_member(request.user, owner)
    listed = list(selectors.tasks_of(owner)[:1000])
    aggs = aggregate(listed)
    return [_task_out(t, aggs[t.pk]) for t in listed]


@tasks_router.post("/owners/{kind}/{slug}", response=JobsTaskOut)
def create_task(
    request: HttpRequest, kind: str, slug: str, payload: JobsTaskIn
) -> dict[str, object]:
    owner = find_owner(kind, slug)
    task = services.create_task(
        writer(request),
        owner,
        kind=payload.kind,
        name=payload.name,
        description=payload.description,
        shift_hours=payload.shift_hours,
        shifts_per_week=payload.shifts_per_week,
        starts_at=payload.starts_at,
        hours=payload.hours,
        due_on=payload.due_on,
        role=payload.role,
        qualifications=Qualification.objects.filter(owner.q, pk__in=payload.qualification_ids),
    )
    return _task_out(task, aggregate([task])[task.pk])


@tasks_router.post("/owners/{kind}/{slug}/hours", response=JobsHoursOut)
def set_hours(
    request: HttpRequest, kind: str, slug: str, payload: JobsHoursIn
) -> dict[str, object]:
    owner = find_owner(kind, slug)
    actor = writer(request)
    require_owner_member(actor, owner)
    member = next((p for p in owner.people() if p.pk == payload.member_id), None)
    if member is None:
        raise ValidationError({"member_id": "not a member of this workplace"})
    row = services.set_weekly_hours(actor, owner, member, payload.hours)
    return {"member_id": member.pk, "hours": float(row.hours)}


@tasks_router.post("/{task_id}/rating", response=JobsOwnRatingOut)
def rate_task(request: HttpRequest, task_id: int, payload: JobsRatingIn) -> dict[str, object]:
    """Your own rating (private: the answer is the only place it is shown, to you)."""
    task = get_object_or_404(Task, pk=task_id)
    r = services.rate_task(
        writer(request), task, empowerment=payload.empowerment, desirability=payload.desirability
    )
    return {"task_id": task.pk, "empowerment": r.empowerment, "desirability": r.desirability}


@tasks_router.post("/{task_id}/retire", response=JobsTaskOut)
def retire_task(request: HttpRequest, task_id: int) -> dict[str, object]:
    task = services.retire_task(writer(request), get_object_or_404(Task, pk=task_id))
    return _task_out(task, aggregate([task])[task.pk])


def _balance_out(b: Balance) -> dict[str, object]:
    rows = selectors.complexes(b) if b.is_finished else []
    return {
        "id": b.pk,
        "owner_kind": "council" if b.council_id else "chapter",
        "owner": b.council.slug if b.council else b.chapter.slug,
        "starts_on": b.starts_on,
        "weeks": b.weeks,
        "band": b.band,
        "status": b.status,
        "progress": b.progress,
        "message": b.message,
        "mean_empowerment": b.mean_empowerment,
        "mean_desirability": b.mean_desirability,
        "published_at": b.published_at,
        "previous_id": b.previous_id,
        "complexes": [
            {
                "member_id": r.member_id,
                "member": r.member.display_name,
                "hours": r.hours,
                "empowerment": r.empowerment,
                "desirability": r.desirability,
                "hours_moved": r.hours_moved,
            }
            for r in rows
        ],
    }


def _balance(request: HttpRequest, balance_id: int) -> tuple[Balance, Member]:
    b = get_object_or_404(Balance.objects.select_related("chapter", "council"), pk=balance_id)
    return b, require_owner_member(request.user, owner_of(b))


@complexes_router.get("/owners/{kind}/{slug}", response=list[JobsBalanceOut])
def list_balances(request: HttpRequest, kind: str, slug: str) -> list[dict[str, object]]:
    owner = find_owner(kind, slug)
    require_owner_member(request.user, owner)
    return [_balance_out(b) for b in selectors.balances_of(owner)[:20]]


@complexes_router.post("/owners/{kind}/{slug}", response=JobsBalanceOut)
def request_balance(
    request: HttpRequest, kind: str, slug: str, payload: JobsBalanceIn
) -> dict[str, object]:
    """Runs the balancer in the background; poll ``GET /api/complexes/{id}`` for its status."""
    b = balancing.request_balance(
        writer(request),
        find_owner(kind, slug),
        starts_on=payload.starts_on,
        weeks=payload.weeks,
        band=payload.band,
    )
    b.refresh_from_db()
    return _balance_out(b)


@complexes_router.get("/{balance_id}", response=JobsBalanceOut)
def get_balance(request: HttpRequest, balance_id: int) -> dict[str, object]:
    return _balance_out(_balance(request, balance_id)[0])


@complexes_router.post("/{balance_id}/publish", response=JobsBalanceOut)
def publish_balance(request: HttpRequest, balance_id: int) -> dict[str, object]:
    b = get_object_or_404(Balance, pk=balance_id)
    return _balance_out(balancing.publish_balance(writer(request), b))


@complexes_router.get("/{balance_id}/mine", response=JobsMineOut)
def my_complex(request: HttpRequest, balance_id: int) -> dict[str, object]:
    b, me = _balance(request, balance_id)
    return {
        "balance_id": b.pk,
        "holdings": [
            {"task_id": h.task.pk, "task": h.task.name, "shifts": h.shifts, "hours": h.hours}
            for h in selectors.holdings(b, me.pk)
        ],
        "shifts": [
            {"task_id": s.task.pk, "starts_at": s.starts_at, "ends_at": s.ends_at}
            for s in selectors.shifts_of(b, me.pk)
        ],
    }


def _swap_out(s: Swap) -> dict[str, object]:
    return {
        "id": s.pk,
        "balance_id": s.balance_id,
        "requester_id": s.requester_id,
        "partner_id": s.partner_id,
        "give_task_id": s.give_task_id,
        "give_shifts": s.give_shifts,
        "take_task_id": s.take_task_id,
        "take_shifts": s.take_shifts,
        "status": s.status,
    }


@swaps_router.get("", response=list[JobsSwapOut])
def my_swaps(request: HttpRequest, balance_id: int) -> list[dict[str, object]]:
    b, me = _balance(request, balance_id)
    return [_swap_out(s) for s in selectors.swaps_of(b, me)[:200]]


@swaps_router.post("", response=JobsSwapOut)
def request_swap(request: HttpRequest, payload: JobsSwapIn) -> dict[str, object]:
    """Offer a swap; 422 with the reason when it would leave someone outside the band."""
    b = get_object_or_404(Balance, pk=payload.balance_id)
    actor = writer(request)
    owner = owner_of(b)
    require_owner_member(actor, owner)
    partner = next((p for p in owner.people() if p.pk == payload.partner_id), None)
    if partner is None:
        raise ValidationError({"partner_id": "not a member of this workplace"})
    give = get_object_or_404(Task.objects.filter(owner.q), pk=payload.give_task_id)
    take = get_object_or_404(Task.objects.filter(owner.q), pk=payload.take_task_id)
    s = swapping.request_swap(
        actor, b, partner=partner, give_task=give, give_shifts=payload.give_shifts,
        take_task=take, take_shifts=payload.take_shifts,
    )  # fmt: skip
    return _swap_out(s)


@swaps_router.post("/{swap_id}/answer", response=JobsSwapOut)
def answer_swap(request: HttpRequest, swap_id: int, payload: JobsAnswerIn) -> dict[str, object]:
    s = get_object_or_404(Swap.objects.select_related("balance"), pk=swap_id)
    return _swap_out(swapping.answer_swap(writer(request), s, accept=payload.accept))
