"""Reading chapter budgets: where a round stands, and spending against the adopted lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from parecon.web.chapters.models import Chapter
from parecon.web.treasury import budgeting
from parecon.web.treasury.ledger import CENT
from parecon.web.treasury.models import (
    Account,
    BudgetLine,
    BudgetPlan,
    BudgetProposal,
    BudgetRound,
    Entry,
    Line,
)


@dataclass(frozen=True)
class LineStanding:
    line: BudgetLine
    price: float  # shares a unit at the announced prices
    units: Decimal  # asked for in the last closed round
    money: Decimal


@dataclass(frozen=True)
class ProposerStanding:
    proposal: BudgetProposal
    cost: float  # shares at the announced prices, less its contribution
    money: Decimal


@dataclass(frozen=True)
class Standing:
    plan: BudgetPlan
    open_round: BudgetRound | None
    last_closed: BudgetRound | None
    lines: list[LineStanding]
    proposals: list[ProposerStanding]
    requested: Decimal
    contributions: Decimal


def _money(proposal: BudgetProposal, costs: dict[int, Decimal]) -> Decimal:
    return sum(
        ((Decimal(q) * costs[int(i)]).quantize(CENT) for i, q in proposal.quantities.items()),
        Decimal("0.00"),
    )


def standing(plan: BudgetPlan) -> Standing:
    """The announced prices of the open round (or the last one), what each line and
    proposer asks for in it, and the totals against the expected income."""
    lines = list(plan.lines.select_related("account"))
    costs = {ln.index: ln.unit_cost for ln in lines}
    rounds = list(plan.rounds.all())
    open_round = next((r for r in rounds if r.closed_at is None), None)
    closed = [r for r in rounds if r.closed_at is not None]
    last_closed = closed[-1] if closed else None
    shown = open_round or last_closed
    prices = shown.prices if shown is not None else budgeting.initial_prices(lines)
    unit = budgeting.line_prices(lines, prices)
    proposals = (
        list(shown.proposals.select_related("proposer", "proposer__member").order_by("proposer_id"))
        if shown
        else []
    )
    units = {ln.index: Decimal("0") for ln in lines}
    for p in proposals:
        for i, q in p.quantities.items():
            units[int(i)] += Decimal(q)
    rows = [
        ProposerStanding(
            p,
            budgeting.request_cost(
                lines,
                prices,
                {int(i): Decimal(q) for i, q in p.quantities.items()},
                p.contribution,
            ),
            _money(p, costs),
        )
        for p in proposals
    ]
    return Standing(
        plan,
        open_round,
        last_closed,
        [
            LineStanding(
                ln, unit[ln.index], units[ln.index], (units[ln.index] * ln.unit_cost).quantize(CENT)
            )
            for ln in lines
        ],
        rows,
        sum((r.money for r in rows), Decimal("0.00")),
        sum((r.proposal.contribution for r in rows), Decimal("0.00")),
    )


def adopted_budget(chapter: Chapter, on: date) -> BudgetPlan | None:
    """The adopted budget whose period covers ``on``."""
    return BudgetPlan.objects.filter(
        chapter=chapter, status=BudgetPlan.Status.ADOPTED, starts__lte=on, ends__gte=on
    ).first()


@dataclass(frozen=True)
class AgainstBudget:
    account: Account
    budgeted: Decimal
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.budgeted - self.spent


def _spent(plan: BudgetPlan) -> dict[int, Decimal]:
    rows = (
        Line.objects.filter(
            entry__chapter=plan.chapter,
            entry__status=Entry.Status.POSTED,
            entry__date__range=(plan.starts, plan.ends),
            account__kind="expense",
        )
        .values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    )
    return {a: Decimal(str(t or 0)).quantize(CENT) for a, t in rows}


def against_budget(plan: BudgetPlan) -> list[AgainstBudget]:
    """Each spending account: what the budget gives it and what was spent in the
    period (accounts spent on without a line show a budget of zero)."""
    budgeted: dict[int, Decimal] = {}
    accounts: dict[int, Account] = {}
    for line in plan.lines.select_related("account"):
        budgeted[line.account_id] = budgeted.get(line.account_id, Decimal("0.00")) + (
            line.amount or Decimal("0.00")
        )
        accounts[line.account_id] = line.account
    spent = _spent(plan)
    for account in Account.objects.filter(pk__in=set(spent) - set(accounts)):
        accounts[account.pk] = account
    return [
        AgainstBudget(accounts[a], budgeted.get(a, Decimal("0.00")), spent.get(a, Decimal("0.00")))
        for a in sorted(accounts, key=lambda pk: accounts[pk].name)
    ]


def left_on(chapter: Chapter, account: Account, on: date) -> Decimal | None:
    """What the adopted budget covering ``on`` still has for ``account`` (None: no
    budget covers that date)."""
    plan = adopted_budget(chapter, on)
    if plan is None:
        return None
    for row in against_budget(plan):
        if row.account.pk == account.pk:
            return row.left
    return Decimal("0.00")
