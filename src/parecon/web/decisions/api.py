"""``/api/decisions``: propose, weigh, vote, count and record outcomes."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.decisions import selectors, services
from parecon.web.decisions.models import Decision
from parecon.web.decisions.models import Status as DecisionStatus
from parecon.web.site.api_auth import writer

router = Router(tags=["decisions"])


class ProposalIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=20_000)
    method: str = Field("consent", max_length=32)
    options: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    affected_units: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    listed: dict[str, str] = Field(default_factory=dict)
    levels: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=lambda: ["1", "1/4"], min_length=1, max_length=6
    )
    threshold: str = Field("", max_length=16)
    quorum_weight: str = Field("", max_length=16)
    quorum_heads: str = Field("", max_length=16)
    budget: int | None = Field(None, ge=1, le=1000)
    goal: int | None = Field(None, ge=1, le=10_000)
    anonymous: bool = False
    results: str = Field("after_voting", pattern="^(after_voting|at_close)$")
    closes_at: datetime | None = None
    reopen_threshold: int = Field(3, ge=1, le=10_000)


class WeightOut(Schema):
    name: str
    weight: str
    reasons: list[str]


class DecisionOut(Schema):
    id: int
    chapter: str
    title: str
    body: str
    method: str
    options: list[str]
    status: str
    round: int
    scope: str
    anonymous: bool
    weights: list[WeightOut]
    my_weight: str | None
    result: dict[str, Any] | None
    outcome: str
    review_on: date | None


class BallotIn(Schema):
    choice: str = Field("", max_length=64)
    reason: str = Field("", max_length=2000)
    ranking: list[list[Annotated[str, Field(max_length=200)]]] = Field(
        default_factory=list, max_length=50
    )
    marks: dict[str, str] = Field(default_factory=dict)


class ReceiptOut(Schema):
    receipt: str


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=10_000)


class OutcomeIn(Schema):
    statement: str = Field(..., min_length=1, max_length=5000)
    review_on: date | None = None


class RoomRow(Schema):
    choice: str = Field("", max_length=64)
    ranking: str = Field("", max_length=2000)
    marks: str = Field("", max_length=2000)
    count: int = Field(1, ge=1, le=100_000)
    weight: str = Field("1", max_length=16)


class RoomIn(Schema):
    rows: list[RoomRow] = Field(..., min_length=1, max_length=100)
    note: str = Field("", max_length=200)


def _out(decision: Decision, request: HttpRequest) -> dict[str, Any]:
    me = request.user
    show = selectors.may_see_results(decision, me)
    result = None
    if show:
        result = (
            decision.result
            if decision.status == DecisionStatus.CLOSED
            else services.tally(decision)
        )
    mine = selectors.my_weight(decision, me)
    return {
        "id": decision.pk,
        "chapter": decision.chapter.slug,
        "title": decision.title,
        "body": decision.body,
        "method": decision.method,
        "options": decision.options,
        "status": decision.status,
        "round": decision.round,
        "scope": decision.scope_unit,
        "anonymous": decision.anonymous,
        "weights": [
            w.__dict__ | {"reasons": list(w.reasons)} for w in selectors.weights_shown(decision)
        ],
        "my_weight": mine.weight if mine else None,
        "result": result,
        "outcome": decision.outcome,
        "review_on": decision.review_on,
    }


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, decision.chapter)
    return decision


@router.get("", response=list[DecisionOut])
def list_decisions(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = get_object_or_404(Chapter, slug=chapter)
    permissions.require_member(request.user, c)
    return [_out(d, request) for d in Decision.objects.filter(chapter=c)[:100]]


@router.post("", response={201: DecisionOut})
def create(request: HttpRequest, payload: ProposalIn) -> Status[dict[str, Any]]:
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    listed = []
    for k, v in payload.listed.items():
        if not k.isdigit():
            from django.core.exceptions import ValidationError

            raise ValidationError({"listed": f"member ids are numbers, not {k!r}"})
        listed.append((int(k), v))
    proposal = services.Proposal(
        title=payload.title,
        body=payload.body,
        method=payload.method,
        options=tuple(payload.options),
        affected_units=tuple(payload.affected_units),
        listed=tuple(listed),
        levels=tuple(payload.levels),
        threshold=payload.threshold,
        quorum_weight=payload.quorum_weight,
        quorum_heads=payload.quorum_heads,
        budget=payload.budget,
        goal=payload.goal,
        anonymous=payload.anonymous,
        results=payload.results,
        closes_at=payload.closes_at,
        reopen_threshold=payload.reopen_threshold,
    )
    decision = services.propose(writer(request), chapter, proposal)
    return Status(201, _out(decision, request))


@router.get("/{decision_id}", response=DecisionOut)
def get_decision(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(_decision(request, decision_id), request)


@router.post("/{decision_id}/open", response=DecisionOut)
def open_voting(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(services.open_voting(writer(request), _decision(request, decision_id)), request)


@router.post("/{decision_id}/votes", response={201: ReceiptOut})
def vote(request: HttpRequest, decision_id: int, payload: BallotIn) -> Status[dict[str, str]]:
    cast = services.cast(writer(request), _decision(request, decision_id), payload.dict())
    return Status(201, {"receipt": cast.receipt})


@router.post("/{decision_id}/close", response=DecisionOut)
def close(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(services.close(writer(request), _decision(request, decision_id)), request)


@router.post("/{decision_id}/challenge", response={201: DecisionOut})
def challenge(request: HttpRequest, decision_id: int, payload: TextIn) -> Status[dict[str, Any]]:
    made = services.challenge(writer(request), _decision(request, decision_id), payload.text)
    return Status(201, _out(made, request))


@router.post("/{decision_id}/outcome", response=DecisionOut)
def outcome(request: HttpRequest, decision_id: int, payload: OutcomeIn) -> dict[str, Any]:
    d = services.write_outcome(
        writer(request), _decision(request, decision_id), payload.statement, payload.review_on
    )
    return _out(d, request)


@router.post("/{decision_id}/minority-reports", response={201: TextIn})
def minority(request: HttpRequest, decision_id: int, payload: TextIn) -> Status[dict[str, str]]:
    report = services.add_minority_report(
        writer(request), _decision(request, decision_id), payload.text
    )
    return Status(201, {"text": report.text})


@router.post("/{decision_id}/reopen", response=DecisionOut)
def reopen(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(services.request_reopen(writer(request), _decision(request, decision_id)), request)


@router.post("/{decision_id}/room-counts", response=DecisionOut)
def room_counts(request: HttpRequest, decision_id: int, payload: RoomIn) -> dict[str, Any]:
    decision = _decision(request, decision_id)
    rows = []
    for r in payload.rows:
        row: dict[str, Any] = {"count": r.count, "weight": r.weight}
        if r.choice:
            row["choice"] = r.choice
        if r.ranking:
            row["ranking"] = r.ranking
        if r.marks:
            row["marks"] = r.marks
        rows.append(row)
    services.enter_room_count(writer(request), decision, rows, payload.note)
    return _out(decision, request)
