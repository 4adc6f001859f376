"""``/api/accounts``, ``/api/ledger``, ``/api/budgets`` and ``/api/reports``: the
treasury in JSON, on the same services as the pages. Money travels as text
(``"12.50"``), never as a float.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.decisions.models import Decision
from parecon.web.site.api_auth import writer
from parecon.web.treasury import budget_selectors, budget_services, selectors, services
from parecon.web.treasury.chapter_report import chapter_report, default_period
from parecon.web.treasury.models import BudgetPlan, DuesChoice, DuesScale, Entry, Proposer

accounts = Router(tags=["accounts"])
ledger = Router(tags=["ledger"])
budgets = Router(tags=["budgets"])
reports = Router(tags=["reports"])

Money = Annotated[str, Field(max_length=20)]


def _chapter(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    services.books(chapter)
    return chapter


# ---------------------------------------------------------------- accounts


class AccountOut(Schema):
    id: int
    name: str
    kind: str
    balance: str


@accounts.get("", response=list[AccountOut], operation_id="list_accounts")
def list_accounts(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = _chapter(request, chapter)
    return [
        {"id": a.pk, "name": a.name, "kind": a.kind, "balance": str(b)}
        for a, b in selectors.balances(c)
    ]


# ---------------------------------------------------------------- ledger


class TreasuryLineOut(Schema):
    account: str
    amount: str


class EntryOut(Schema):
    id: int
    date: dt.date
    kind: str
    status: str
    description: str
    purpose: str
    amount: str
    created_by: str
    approved_by: str | None
    decision: int | None
    corrects: int | None
    receipt: bool
    lines: list[TreasuryLineOut]


def _entry_out(e: Entry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "date": e.date,
        "kind": e.kind,
        "status": e.status,
        "description": e.description,
        "purpose": e.purpose,
        "amount": str(e.amount),
        "created_by": str(e.created_by.display_name),
        "approved_by": str(e.approved_by.display_name) if e.approved_by else None,
        "decision": e.decision_id,
        "corrects": e.corrects_id,
        "receipt": bool(e.receipt),
        "lines": [
            {"account": ln.account.name, "amount": str(ln.amount)}
            for ln in e.lines.select_related("account")
        ],
    }


def _entry(request: HttpRequest, pk: int) -> Entry:
    e = get_object_or_404(Entry.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, e.chapter)
    return e


class IncomeIn(Schema):
    chapter: str = Field(..., max_length=120)
    kind: str = Field(..., max_length=12)
    amount: Money
    into: int
    source: int
    date: dt.date | None = None
    description: str = Field("", max_length=300)


class ExpenseIn(Schema):
    chapter: str = Field(..., max_length=120)
    amount: Money
    pay_from: int
    category: int
    purpose: str = Field("", max_length=120)
    date: dt.date | None = None
    description: str = Field(..., max_length=300)


class ApproveIn(Schema):
    decision: int | None = None


class TreasuryReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class StatementIn(Schema):
    chapter: str = Field(..., max_length=120)
    bank: int
    csv: str = Field(..., max_length=2_000_000)
    name: str = Field("statement.csv", max_length=120)


class BandIn(Schema):
    chapter: str = Field(..., max_length=120)
    band: str = Field(..., max_length=80)


class BandOut(Schema):
    bands: list[dict[str, str]]
    mine: str | None


@ledger.get("", response=list[EntryOut], operation_id="list_entries")
def list_entries(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = _chapter(request, chapter)
    rows = Entry.objects.filter(chapter=c).select_related("created_by", "approved_by")[:500]
    return [_entry_out(e) for e in rows]


@ledger.post("/income", response={201: EntryOut}, operation_id="record_income")
def record_income(request: HttpRequest, payload: IncomeIn) -> Status[dict[str, Any]]:
    me = writer(request)
    c = get_object_or_404(Chapter, slug=payload.chapter)
    e = services.record_income(
        me,
        c,
        kind=payload.kind,
        amount=payload.amount,
        into=payload.into,
        source=payload.source,
        on=payload.date or timezone.localdate(),
        description=payload.description,
    )
    return Status(201, _entry_out(e))


@ledger.post("/expenses", response={201: EntryOut}, operation_id="request_expense")
def request_expense(request: HttpRequest, payload: ExpenseIn) -> Status[dict[str, Any]]:
    """Ask for an expense (a receipt is attached on the treasury page)."""
    me = writer(request)
    c = get_object_or_404(Chapter, slug=payload.chapter)
    e = services.request_expense(
        me,
        c,
        amount=payload.amount,
        pay_from=payload.pay_from,
        category=payload.category,
        purpose=payload.purpose,
        on=payload.date or timezone.localdate(),
        description=payload.description,
    )
    return Status(201, _entry_out(e))


@ledger.post("/{entry_id}/approve", response=EntryOut, operation_id="approve_expense")
def approve(request: HttpRequest, entry_id: int, payload: ApproveIn) -> dict[str, Any]:
    me = writer(request)
    e = _entry(request, entry_id)
    decision = None
    if payload.decision is not None:
        decision = Decision.objects.filter(pk=payload.decision, chapter=e.chapter).first()
        if decision is None:
            raise ValidationError({"decision": "no such decision of this chapter"})
    return _entry_out(services.approve_expense(me, e, decision))


@ledger.post("/{entry_id}/refuse", response=EntryOut, operation_id="refuse_expense")
def refuse(request: HttpRequest, entry_id: int, payload: TreasuryReasonIn) -> dict[str, Any]:
    me = writer(request)
    return _entry_out(services.refuse_expense(me, _entry(request, entry_id), payload.reason))


@ledger.post("/{entry_id}/correct", response={201: EntryOut}, operation_id="correct_entry")
def correct(
    request: HttpRequest, entry_id: int, payload: TreasuryReasonIn
) -> Status[dict[str, Any]]:
    me = writer(request)
    return Status(201, _entry_out(services.correct(me, _entry(request, entry_id), payload.reason)))


@ledger.post("/statements", response={201: list[EntryOut]}, operation_id="import_statement")
def statement(request: HttpRequest, payload: StatementIn) -> Status[list[dict[str, Any]]]:
    me = writer(request)
    c = get_object_or_404(Chapter, slug=payload.chapter)
    made = services.import_statement(me, c, payload.bank, payload.csv, payload.name)
    return Status(201, [_entry_out(e) for e in made])


@ledger.get("/dues", response=BandOut, operation_id="my_dues_band")
def my_band(request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]) -> dict[str, Any]:
    """The scale, and the caller's own band (nobody reads another's)."""
    c = _chapter(request, chapter)
    scale = DuesScale.objects.filter(chapter=c).first()
    if scale is None:
        return {"bands": [], "mine": None}
    mine = DuesChoice.objects.filter(scale=scale, member=request.user.pk).first()
    return {"bands": scale.bands, "mine": mine.band if mine else None}


@ledger.put("/dues", response=BandOut, operation_id="choose_dues_band")
def choose_band(request: HttpRequest, payload: BandIn) -> dict[str, Any]:
    me = writer(request)
    c = get_object_or_404(Chapter, slug=payload.chapter)
    scale = DuesScale.objects.filter(chapter=c).first()
    if scale is None:
        permissions.require_member(me, c)
        raise ValidationError({"band": "this chapter has no scale of dues"})
    choice = services.choose_band(me, scale, payload.band)
    return {"bands": scale.bands, "mine": choice.band}


# ---------------------------------------------------------------- budgets


class BudgetLineIn(Schema):
    name: str = Field(..., max_length=120)
    unit_cost: Money
    account: int
    unit: str = Field("", max_length=40)
    capacity: str = Field("", max_length=20)


class BudgetIn(Schema):
    chapter: str = Field(..., max_length=120)
    name: str = Field(..., max_length=200)
    starts: dt.date
    ends: dt.date
    expected_income: Money
    lines: list[BudgetLineIn] = Field(..., max_length=budget_services.MAX_LINES)
    tolerance: float = Field(0.03, gt=0, lt=1)
    max_rounds: int = Field(20, ge=1, le=200)


class BudgetLineOut(Schema):
    index: int
    name: str
    unit: str
    unit_cost: str
    capacity: str | None
    account: str
    price: float
    asked_units: str
    asked_money: str
    adopted: str | None


class TreasuryProposalOut(Schema):
    proposer: int
    name: str
    kind: str
    quantities: dict[str, str]
    contribution: str
    carried: bool
    cost: float
    money: str


class BudgetOut(Schema):
    id: int
    chapter: str
    name: str
    starts: dt.date
    ends: dt.date
    expected_income: str
    status: str
    decision: int | None
    proposed_as: int | None
    round: int | None
    fits: bool
    requested: str
    contributions: str
    lines: list[BudgetLineOut]
    proposals: list[TreasuryProposalOut]


class ProposerIn(Schema):
    name: str = Field("", max_length=200)
    kind: str = Field(..., max_length=8)
    project: int | None = None
    need: int | None = None


class ProposerOut(Schema):
    id: int
    plan: int
    name: str
    kind: str
    member: str


class RequestIn(Schema):
    quantities: dict[str, Money]
    contribution: Money = "0"


class TreasuryRoundOut(Schema):
    number: int
    prices: list[float]
    supply: list[float]
    demand: list[float]
    gaps: list[float]
    fits: bool


class DecisionIn(Schema):
    decision: int


class AgainstOut(Schema):
    account: str
    budgeted: str
    spent: str
    left: str


def _budget_out(plan: BudgetPlan) -> dict[str, Any]:
    s = budget_selectors.standing(plan)
    shown = s.open_round or s.last_closed
    return {
        "id": plan.pk,
        "chapter": plan.chapter.slug,
        "name": plan.name,
        "starts": plan.starts,
        "ends": plan.ends,
        "expected_income": str(plan.expected_income),
        "status": plan.status,
        "decision": plan.decision_id,
        "proposed_as": plan.proposed_as_id,
        "round": shown.number if shown else None,
        "fits": bool(s.last_closed and s.last_closed.fits and s.open_round is None),
        "requested": str(s.requested),
        "contributions": str(s.contributions),
        "lines": [
            {
                "index": ln.line.index,
                "name": ln.line.name,
                "unit": ln.line.unit,
                "unit_cost": str(ln.line.unit_cost),
                "capacity": None if ln.line.capacity is None else str(ln.line.capacity),
                "account": ln.line.account.name,
                "price": ln.price,
                "asked_units": str(ln.units),
                "asked_money": str(ln.money),
                "adopted": None if ln.line.amount is None else str(ln.line.amount),
            }
            for ln in s.lines
        ],
        "proposals": [
            {
                "proposer": p.proposal.proposer_id,
                "name": p.proposal.proposer.name,
                "kind": p.proposal.proposer.kind,
                "quantities": p.proposal.quantities,
                "contribution": str(p.proposal.contribution),
                "carried": p.proposal.carried,
                "cost": p.cost,
                "money": str(p.money),
            }
            for p in s.proposals
        ],
    }


def _plan(request: HttpRequest, pk: int) -> BudgetPlan:
    plan = get_object_or_404(BudgetPlan.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, plan.chapter)
    return plan


@budgets.get("", response=list[BudgetOut], operation_id="list_budgets")
def list_budgets(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = _chapter(request, chapter)
    return [_budget_out(p) for p in BudgetPlan.objects.filter(chapter=c)[:50]]


@budgets.post("", response={201: BudgetOut}, operation_id="open_budget")
def open_budget(request: HttpRequest, payload: BudgetIn) -> Status[dict[str, Any]]:
    me = writer(request)
    c = get_object_or_404(Chapter, slug=payload.chapter)
    plan = budget_services.open_budget(
        me,
        c,
        name=payload.name,
        starts=payload.starts,
        ends=payload.ends,
        expected_income=payload.expected_income,
        lines=[budget_services.LineSpec(**ln.dict()) for ln in payload.lines],
        tolerance=payload.tolerance,
        max_rounds=payload.max_rounds,
    )
    return Status(201, _budget_out(plan))


@budgets.get("/{plan_id}", response=BudgetOut, operation_id="get_budget")
def get_budget(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _budget_out(_plan(request, plan_id))


@budgets.get("/{plan_id}/rounds", response=list[TreasuryRoundOut], operation_id="budget_rounds")
def rounds(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    plan = _plan(request, plan_id)
    return [
        {
            "number": r.number,
            "prices": r.prices,
            "supply": r.supply,
            "demand": r.demand,
            "gaps": r.gaps,
            "fits": r.fits,
        }
        for r in plan.rounds.all()
    ]


@budgets.get("/{plan_id}/against", response=list[AgainstOut], operation_id="budget_against")
def against(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """Spending against the adopted lines (empty while it is being planned)."""
    plan = _plan(request, plan_id)
    if plan.status != BudgetPlan.Status.ADOPTED:
        return []
    return [
        {
            "account": a.account.name,
            "budgeted": str(a.budgeted),
            "spent": str(a.spent),
            "left": str(a.left),
        }
        for a in budget_selectors.against_budget(plan)
    ]


@budgets.post("/{plan_id}/proposers", response={201: ProposerOut}, operation_id="add_proposer")
def add_proposer(request: HttpRequest, plan_id: int, payload: ProposerIn) -> Status[dict[str, Any]]:
    me = writer(request)
    plan = _plan(request, plan_id)
    p = budget_services.add_proposer(
        me, plan, name=payload.name, kind=payload.kind, project=payload.project, need=payload.need
    )
    return Status(
        201,
        {"id": p.pk, "plan": plan.pk, "name": p.name, "kind": p.kind, "member": me.display_name},
    )


@budgets.put("/proposers/{proposer_id}/request", response=BudgetOut, operation_id="propose")
def propose(request: HttpRequest, proposer_id: int, payload: RequestIn) -> dict[str, Any]:
    me = writer(request)
    proposer = get_object_or_404(Proposer.objects.select_related("plan__chapter"), pk=proposer_id)
    permissions.require_member(me, proposer.plan.chapter)
    budget_services.propose(me, proposer, payload.quantities, payload.contribution)
    return _budget_out(proposer.plan)


@budgets.post("/{plan_id}/close", response=TreasuryRoundOut, operation_id="close_budget_round")
def close(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    me = writer(request)
    r = budget_services.close_round(me, _plan(request, plan_id))
    return {
        "number": r.number,
        "prices": r.prices,
        "supply": r.supply,
        "demand": r.demand,
        "gaps": r.gaps,
        "fits": r.fits,
    }


@budgets.post("/{plan_id}/adopt", response=BudgetOut, operation_id="adopt_budget")
def adopt(request: HttpRequest, plan_id: int, payload: DecisionIn) -> dict[str, Any]:
    me = writer(request)
    plan = _plan(request, plan_id)
    decision = Decision.objects.filter(pk=payload.decision, chapter=plan.chapter).first()
    if decision is None:
        permissions.require_member(me, plan.chapter)
        raise ValidationError({"decision": "no such decision of this chapter"})
    return _budget_out(budget_services.adopt(me, plan, decision))


class ProposedOut(Schema):
    decision: int
    title: str


@budgets.post("/{plan_id}/decision", response={201: ProposedOut}, operation_id="budget_decision")
def put_to_chapter(request: HttpRequest, plan_id: int) -> Status[dict[str, Any]]:
    """Put a fitting budget to the chapter as a decision (only it then ratifies it)."""
    me = writer(request)
    d = budget_services.put_to_chapter(me, _plan(request, plan_id))
    return Status(201, {"decision": d.pk, "title": d.title})


# ---------------------------------------------------------------- reports


class AmountOut(Schema):
    name: str
    amount: str


class MoneyOut(Schema):
    income: list[AmountOut]
    spending: list[AmountOut]
    money_held: list[AmountOut]
    total_in: str
    total_out: str


class MonthlyOut(MoneyOut):
    chapter: str
    year: int
    month: int


class ChapterReportOut(Schema):
    chapter: str
    first: dt.date
    last: dt.date
    members: int
    joined: int
    left: int
    meetings: int
    attendance: int
    decisions: int
    tasks_done: int
    task_hours: str
    needs_posted: int
    offers_posted: int
    needs_met: int
    money: MoneyOut
    budget: int | None
    against_budget: list[AgainstOut]
    organisations_added: int
    followups_done: int
    evaluations: list[AmountOut]
    newcomers: int
    newcomers_came_back: int
    newcomers_joined: int


def _pairs(rows: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"name": n, "amount": str(v)} for n, v in rows]


def _money_out(m: selectors.Money) -> dict[str, Any]:
    return {
        "income": _pairs(m.income),
        "spending": _pairs(m.spending),
        "money_held": _pairs(m.money_held),
        "total_in": str(m.total_in),
        "total_out": str(m.total_out),
    }


@reports.get("/monthly", response=MonthlyOut, operation_id="monthly_report")
def monthly(
    request: HttpRequest,
    chapter: Annotated[str, Query(max_length=120)],
    year: Annotated[int, Query(ge=1900, le=9999)],
    month: Annotated[int, Query(ge=1, le=12)],
) -> dict[str, Any]:
    c = _chapter(request, chapter)
    r = selectors.monthly_report(c, year, month)
    return {
        "chapter": c.slug,
        "year": year,
        "month": month,
        "income": _pairs(r.income),
        "spending": _pairs(r.spending),
        "money_held": _pairs(r.money_held),
        "total_in": str(r.total_in),
        "total_out": str(r.total_out),
    }


@reports.get("/chapter", response=ChapterReportOut, operation_id="chapter_report")
def chapter(
    request: HttpRequest,
    chapter: Annotated[str, Query(max_length=120)],
    first: Annotated[dt.date | None, Query(alias="from")] = None,
    last: Annotated[dt.date | None, Query(alias="until")] = None,
) -> dict[str, Any]:
    c = _chapter(request, chapter)
    d_first, d_last = default_period(timezone.localdate())
    r = chapter_report(c, first or d_first, last or d_last)
    return {
        "chapter": c.slug,
        "first": r.first,
        "last": r.last,
        "members": r.members,
        "joined": r.joined,
        "left": r.left,
        "meetings": len(r.meetings),
        "attendance": r.attendance,
        "decisions": len(r.decisions),
        "tasks_done": sum(n for _p, n, _h in r.tasks_done),
        "task_hours": str(sum((h for _p, _n, h in r.tasks_done), start=0)),
        "needs_posted": r.needs_posted,
        "offers_posted": r.offers_posted,
        "needs_met": r.needs_met,
        "money": _money_out(r.money),
        "budget": r.budget.pk if r.budget else None,
        "against_budget": [
            {
                "account": a.account.name,
                "budgeted": str(a.budgeted),
                "spent": str(a.spent),
                "left": str(a.left),
            }
            for a in r.against_budget
        ],
        "organisations_added": r.organisations_added,
        "followups_done": r.followups_done,
        "evaluations": _pairs(list(r.evaluations)),
        "newcomers": r.newcomers.newcomers,
        "newcomers_came_back": r.newcomers.came_back,
        "newcomers_joined": r.newcomers.became_members,
    }
