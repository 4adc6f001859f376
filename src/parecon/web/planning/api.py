"""``/api/plans``, ``/api/rounds``, ``/api/proposals``: what a council needs to plan by API.

A council's client reads the open round's prices, puts its figures into its draft
(merged good by good, with the same versions as the page) and submits; a
facilitator closes the round. Same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from parecon.web.councils.models import Council
from parecon.web.councils.permissions import require_council_member
from parecon.web.planning import accounting, selectors, services
from parecon.web.planning.closing import close_round
from parecon.web.planning.models import Plan, Proposal, Review, Round
from parecon.web.planning.page_data import warm
from parecon.web.site.api_auth import writer

plans = Router(tags=["planning"])
rounds = Router(tags=["planning"])
proposals = Router(tags=["planning"])


class GoodOut(Schema):
    index: int
    name: str
    unit: str
    category: str


class PlanOut(Schema):
    id: int
    name: str
    period: str
    chapter: str
    status: str
    rule: str
    tolerance: float
    goods: list[GoodOut]
    councils: list[str]
    open_round: int | None


class RoundOut(Schema):
    id: int
    plan: int
    number: int
    status: str
    deadline: str
    prices: list[float]
    supply: list[float]
    demand: list[float]
    gaps: list[float | None]
    next_prices: list[float]
    max_gap: float | None
    submitted: int
    carried: int


class LineIn(Schema):
    side: str
    good: int
    quantity: str
    version: int


class DraftIn(Schema):
    lines: list[LineIn]


class LineOut(Schema):
    side: str
    good: int
    quantity: float
    version: int


class ConflictOut(Schema):
    side: str
    good: int
    yours: float
    theirs: float
    by: str


class ProposalOut(Schema):
    id: int
    round: int
    council: str
    status: str
    lines: list[LineOut]
    cost: float
    benefit: float
    budget: float | None
    problems: list[str]
    conflicts: list[ConflictOut] = Field(default_factory=list)
    errors: dict[str, str] = Field(default_factory=dict)


def _plan_out(plan: Plan) -> dict[str, Any]:
    current = selectors.open_round(plan)
    return {
        "id": plan.pk,
        "name": plan.name,
        "period": plan.period,
        "chapter": plan.chapter.slug,
        "status": plan.status,
        "rule": plan.rule,
        "tolerance": plan.tolerance,
        "goods": [
            {"index": g.index, "name": g.name, "unit": g.unit, "category": g.category}
            for g in plan.goods.all()
        ],
        "councils": list(plan.participants.values_list("council__slug", flat=True)),
        "open_round": current.pk if current else None,
    }


def _round_out(r: Round) -> dict[str, Any]:
    return {
        "id": r.pk,
        "plan": r.plan_id,
        "number": r.number,
        "status": r.status,
        "deadline": r.deadline.isoformat(),
        "prices": r.prices,
        "supply": r.supply,
        "demand": r.demand,
        "gaps": r.gaps,
        "next_prices": r.next_prices,
        "max_gap": r.max_gap,
        "submitted": r.n_submitted,
        "carried": r.n_carried,
    }


def _proposal_out(p: Proposal, result: services.SaveResult | None = None) -> dict[str, Any]:
    lines = list(p.lines.select_related("good"))
    quantities = services.quantities_of(lines)
    summary = services.summary_of(p, quantities)
    return {
        "id": p.pk,
        "round": p.round_id,
        "council": p.council.slug,
        "status": p.status,
        "lines": [
            {"side": ln.side, "good": ln.good.index, "quantity": ln.quantity, "version": ln.version}
            for ln in lines
        ],
        "cost": summary.cost,
        "benefit": summary.benefit,
        "budget": summary.budget,
        "problems": accounting.submission_problems(
            summary, quantities, services.revision_problems_of(p, quantities)
        ),
        "conflicts": [vars(c) for c in result.conflicts] if result else [],
        "errors": {f"{s}-{i}": m for (s, i), m in result.errors.items()} if result else {},
    }


@plans.get("", response=list[PlanOut], auth=None)
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_plan_out(p) for p in Plan.objects.select_related("chapter")[:100]]


@plans.get("/{plan_id}", response=PlanOut, auth=None)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan_out(get_object_or_404(Plan.objects.select_related("chapter"), pk=plan_id))


@plans.get("/{plan_id}/export", auth=None)
def export_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return selectors.plan_document(get_object_or_404(Plan, pk=plan_id))


@rounds.get("/{round_id}", response=RoundOut, auth=None)
def get_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return _round_out(get_object_or_404(Round, pk=round_id))


@rounds.post("/{round_id}/close", response=RoundOut)
def close(request: HttpRequest, round_id: int) -> dict[str, Any]:
    closed = close_round(writer(request), get_object_or_404(Round, pk=round_id))
    warm(closed.plan)  # the councils polling the page find the new round read
    return _round_out(closed)


def _draft(request: HttpRequest, round_id: int, council: str) -> Proposal:
    r = get_object_or_404(Round, pk=round_id)
    c = get_object_or_404(Council, slug=council)
    require_council_member(request.user, c)
    return services.draft_for(request.user, r, c)  # type: ignore[arg-type]


@proposals.get("/{round_id}/{council}", response=ProposalOut)
def get_proposal(request: HttpRequest, round_id: int, council: str) -> dict[str, Any]:
    return _proposal_out(_draft(request, round_id, council))


@proposals.put("/{round_id}/{council}", response=ProposalOut)
def put_proposal(
    request: HttpRequest, round_id: int, council: str, payload: DraftIn
) -> dict[str, Any]:
    member = writer(request)
    proposal = _draft(request, round_id, council)
    edits = {(ln.side, ln.good): (ln.quantity, ln.version) for ln in payload.lines}
    result = services.save_draft(member, proposal, edits)
    proposal.refresh_from_db()
    return _proposal_out(proposal, result)


@proposals.post("/{round_id}/{council}/submit", response=ProposalOut)
def submit_proposal(request: HttpRequest, round_id: int, council: str) -> dict[str, Any]:
    member = writer(request)
    proposal = _draft(request, round_id, council)
    # The submitted proposal as the service locked and wrote it (round, plan and
    # council already read): no second read of what this request just wrote.
    submitted = services.submit(member, proposal).proposal
    warm(submitted.round.plan)
    return _proposal_out(submitted)


class ReviewIn(Schema):
    reviewer: str = Field(description="slug of the reviewing council (you are a member)")
    verdict: str = Field(description="approve or object")
    reason: str = Field("", max_length=1000, description="needed to object")


class ReviewOut(Schema):
    council: str
    reviewer: str
    verdict: str
    reason: str
    round: int
    created_at: str


def _review_out(r: Review) -> dict[str, Any]:
    return {
        "council": r.version.council.slug,
        "reviewer": r.council.slug,
        "verdict": r.verdict,
        "reason": r.reason,
        "round": r.version.round_number,
        "created_at": r.created_at.isoformat(),
    }


@proposals.get("/{round_id}/{council}/reviews", response=list[ReviewOut], auth=None)
def list_reviews(request: HttpRequest, round_id: int, council: str) -> list[dict[str, Any]]:
    """Other councils' approvals of and objections to the council's proposals in the round."""
    r = get_object_or_404(Round, pk=round_id)
    c = get_object_or_404(Council, slug=council)
    return [_review_out(x) for x in selectors.reviews_of(r, c)]


@proposals.post("/{round_id}/{council}/reviews", response=ReviewOut)
def post_review(
    request: HttpRequest, round_id: int, council: str, payload: ReviewIn
) -> dict[str, Any]:
    """Approve of or object to the worker council's latest submitted proposal in the round."""
    member = writer(request)
    r = get_object_or_404(Round, pk=round_id)
    reviewed = get_object_or_404(Council, slug=council)
    reviewer = get_object_or_404(Council, slug=payload.reviewer)
    version = services.submitted_version(r, reviewed)
    review = services.review(member, reviewer, version, payload.verdict, payload.reason)
    warm(r.plan)
    return _review_out(review)


__all__ = ["plans", "proposals", "rounds"]
