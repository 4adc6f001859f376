"""``/api/decisions``: propose, weigh, vote, count and record outcomes."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.decisions import amendments, federated, rules, selectors, services
from parecon.web.decisions.models import Decision, Document
from parecon.web.decisions.models import Status as DecisionStatus
from parecon.web.instants import Instant
from parecon.web.site.api_auth import writer

router = Router(tags=["decisions"])


class ProposalIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=20_000)
    method: str = Field("", max_length=32)
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
    closes_at: Instant | None = None
    reopen_threshold: int = Field(3, ge=1, le=10_000)
    federated: bool = False
    pull_down_share: str = Field("1/2", max_length=16)
    stakeholders: dict[str, list[int]] = Field(
        default_factory=dict, description="stake category: member ids"
    )
    stakes: dict[str, str] = Field(
        default_factory=dict, description="stake category: weight (absent: the rules')"
    )


class WeightOut(Schema):
    name: str
    weight: str
    reasons: list[str]


class DecisionOut(Schema):
    id: int
    chapter: str
    kind: str
    ruleset_version: int | None
    federated: bool
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
        "kind": decision.kind,
        "ruleset_version": decision.ruleset.version if decision.ruleset else None,
        "federated": decision.federated,
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
    decision = get_object_or_404(Decision.objects.select_related("chapter", "ruleset"), pk=pk)
    selectors.require_reader(request.user, decision)
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
        federated=payload.federated,
        pull_down_share=payload.pull_down_share,
        stakes=tuple(
            (c, payload.stakes.get(c, ""), tuple(pks)) for c, pks in payload.stakeholders.items()
        ),
    )
    decision = services.propose(writer(request), chapter, proposal)
    return Status(201, _out(decision, request))


class DecisionRulesVersionOut(Schema):
    version: int
    rules: dict[str, Any]
    fingerprint: str
    decision: int | None
    created_at: datetime


class DecisionRulesOut(Schema):
    chapter: str
    current: dict[str, Any]
    versions: list[DecisionRulesVersionOut]


class DecisionRulesIn(Schema):
    chapter: str = Field(..., max_length=120)
    rules: dict[str, Any]
    reason: str = Field("", max_length=5000)


@router.get("/rules", response=DecisionRulesOut)
def get_rules(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> dict[str, Any]:
    """A chapter's rules now and every version, with the decision that adopted it."""
    c = get_object_or_404(Chapter, slug=chapter)
    permissions.require_member(request.user, c)
    versions = selectors.rule_versions(c)
    return {
        "chapter": c.slug,
        "current": rules.rule_set_of(versions[0] if versions else None).as_dict(),
        "versions": [
            {
                "version": v.version,
                "rules": v.rules,
                "fingerprint": v.fingerprint,
                "decision": v.decision_id,
                "created_at": v.created_at,
            }
            for v in versions
        ],
    }


@router.post("/rules", response={201: DecisionOut})
def propose_rules(request: HttpRequest, payload: DecisionRulesIn) -> Status[dict[str, Any]]:
    """Propose the next version of the rules: a decision under the current ones."""
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    made = rules.propose_rule_change(writer(request), chapter, payload.rules, reason=payload.reason)
    return Status(201, _out(made, request))


class DecisionClauseIn(Schema):
    heading: str = Field("", max_length=200)
    text: str = Field(..., min_length=1, max_length=10_000)


class DecisionDocumentIn(Schema):
    chapter: str = Field(..., max_length=120)
    title: str = Field(..., min_length=1, max_length=200)
    type: str = Field("other", pattern="^(vision|bylaws|other)$")
    clauses: list[DecisionClauseIn] = Field(..., min_length=1, max_length=200)


class DecisionClauseOut(Schema):
    key: str
    heading: str
    text: str


class DecisionDocumentVersionOut(Schema):
    number: int
    clauses: list[DecisionClauseOut]
    decision: int | None
    created_at: datetime


class DecisionDocumentOut(Schema):
    id: int
    chapter: str
    title: str
    type: str
    versions: list[DecisionDocumentVersionOut]


class DecisionAmendmentIn(Schema):
    clause: str = Field(..., max_length=32, description="a clause's key, or 'new'")
    text: str = Field(..., min_length=1, max_length=10_000)
    heading: str = Field("", max_length=200)
    reason: str = Field("", max_length=5000)


def _document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "chapter": document.chapter.slug,
        "title": document.title,
        "type": document.type,
        "versions": [
            {
                "number": v.number,
                "clauses": v.clauses,
                "decision": v.amendment.decision_id if v.amendment else None,
                "created_at": v.created_at,
            }
            for v in document.versions.select_related("amendment").order_by("-number")
        ],
    }


def _document(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, document.chapter)
    return document


@router.get("/documents", response=list[DecisionDocumentOut])
def list_documents(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = get_object_or_404(Chapter, slug=chapter)
    permissions.require_member(request.user, c)
    return [_document_out(d) for d in Document.objects.filter(chapter=c)[:100]]


@router.post("/documents", response={201: DecisionDocumentOut})
def create_document(request: HttpRequest, payload: DecisionDocumentIn) -> Status[dict[str, Any]]:
    """An admin writes version 1 of a chapter's document."""
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    document = amendments.create_document(
        writer(request),
        chapter,
        title=payload.title,
        type=payload.type,
        clauses=[(c.heading, c.text) for c in payload.clauses],
    )
    return Status(201, _document_out(document))


@router.get("/documents/{document_id}", response=DecisionDocumentOut)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    """A document with every version, newest first."""
    return _document_out(_document(request, document_id))


@router.post("/documents/{document_id}/amendments", response={201: DecisionOut})
def amend(
    request: HttpRequest, document_id: int, payload: DecisionAmendmentIn
) -> Status[dict[str, Any]]:
    """Propose a new text for a clause (or a new clause): a decision of the chapter."""
    document = get_object_or_404(Document.objects.select_related("chapter"), pk=document_id)
    made = amendments.propose_amendment(
        writer(request),
        document,
        payload.clause,
        payload.text,
        heading=payload.heading,
        reason=payload.reason,
    )
    return Status(201, _out(made.decision, request))


class DecisionPullDownIn(Schema):
    unit: str = Field(..., max_length=120, description="the member chapter's slug")


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


@router.post("/{decision_id}/pull-down", response=DecisionOut)
def pull_down(
    request: HttpRequest, decision_id: int, payload: DecisionPullDownIn
) -> dict[str, Any]:
    """A member chapter asks that a federated decision be a direct vote."""
    decision = _decision(request, decision_id)
    unit = get_object_or_404(Chapter, slug=payload.unit)
    return _out(federated.request_pull_down(writer(request), decision, unit), request)
