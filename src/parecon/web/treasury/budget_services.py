"""Every write of a participatory chapter budget: opening it, proposing, closing a
round, adopting it by decision. One function per action, each logged.

The treasurer or a facilitator opens the plan and closes rounds; any member adds a
proposer (for a project, a working group, or their own need from the needs board)
and only that member edits its request. Closing a round plays it on the planning
engine's board (``parecon.web.planning.facilitation``); an adopted decision of the
chapter ratifies a budget whose requests fit, and its lines become the amounts
spending is checked against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.engine import available_rules
from parecon.exceptions import PareconError
from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import require_member, require_role
from parecon.web.decisions.models import Decision
from parecon.web.history.services import record
from parecon.web.members.models import Member
from parecon.web.planning.facilitation import board_from_json, board_to_json, new_board, play_round
from parecon.web.treasury import budgeting, ledger
from parecon.web.treasury.models import (
    Account,
    BudgetLine,
    BudgetPlan,
    BudgetProposal,
    BudgetRound,
    Proposer,
)
from parecon.web.treasury.services import books

PLANNERS = (Role.TREASURER, Role.FACILITATOR)
MAX_LINES = 60


@dataclass(frozen=True)
class LineSpec:
    name: str
    unit_cost: str
    account: int | str
    unit: str = ""
    capacity: str = ""


def _amount(text: object, field: str) -> Decimal:
    try:
        value = ledger.money(text, field)
    except ledger.LedgerError as exc:
        raise ValidationError({field: str(exc)}) from exc
    if value < 0:
        raise ValidationError({field: _("%(f)s: it cannot be negative.") % {"f": field}})
    return value


@transaction.atomic
def open_budget(
    actor: Member,
    chapter: Chapter,
    *,
    name: str,
    starts: date,
    ends: date,
    expected_income: str,
    lines: Sequence[LineSpec],
    rule: str = "tatonnement",
    tolerance: float = 0.03,
    max_rounds: int = 20,
) -> BudgetPlan:
    """The treasurer or a facilitator opens a budget plan and its first round."""
    actor = require_role(actor, chapter, *PLANNERS)
    books(chapter)
    if not name.strip():
        raise ValidationError({"name": _("Give the budget a name.")})
    if ends < starts:
        raise ValidationError({"ends": _("The period ends before it starts.")})
    income = _amount(expected_income, "expected_income")
    if income <= 0:
        raise ValidationError({"expected_income": _("The expected income must be more than zero.")})
    if rule not in available_rules():
        raise ValidationError({"rule": _("Unknown price rule %(r)r.") % {"r": rule}})
    if not (math.isfinite(tolerance) and 0 < tolerance < 1):
        raise ValidationError({"tolerance": _("The tolerance is a fraction between 0 and 1.")})
    if not 1 <= max_rounds <= 200:
        raise ValidationError({"max_rounds": _("The round limit is between 1 and 200.")})
    if not lines or len(lines) > MAX_LINES:
        raise ValidationError(
            {"lines": _("A budget has between 1 and %(n)d lines.") % {"n": MAX_LINES}}
        )
    plan = BudgetPlan.objects.create(
        chapter=chapter,
        name=name.strip()[:200],
        starts=starts,
        ends=ends,
        expected_income=income,
        rule=rule,
        tolerance=tolerance,
        max_rounds=max_rounds,
        created_by=actor,
    )
    made: list[BudgetLine] = []
    seen: set[str] = set()
    for i, spec in enumerate(lines):
        where = _("line %(n)d") % {"n": i + 1}
        line_name = spec.name.strip()[:120]
        if not line_name or line_name in seen:
            raise ValidationError(
                {"lines": _("%(w)s: give each line its own name.") % {"w": where}}
            )
        seen.add(line_name)
        cost = _amount(spec.unit_cost, f"lines[{i}].unit_cost")
        if cost <= 0:
            raise ValidationError(
                {"lines": _("%(w)s: a unit must cost more than zero.") % {"w": where}}
            )
        capacity = _amount(spec.capacity, f"lines[{i}].capacity") if spec.capacity else None
        account = Account.objects.filter(
            chapter=chapter, pk=str(spec.account), kind="expense"
        ).first()
        if account is None:
            raise ValidationError(
                {"lines": _("%(w)s: choose a spending account of this chapter.") % {"w": where}}
            )
        made.append(
            BudgetLine(
                plan=plan,
                index=i,
                name=line_name,
                unit=spec.unit.strip()[:40],
                unit_cost=cost,
                capacity=capacity,
                account=account,
            )
        )
    BudgetLine.objects.bulk_create(made)
    prices = budgeting.initial_prices(made)
    try:
        board = new_board(
            rule, prices, budgeting.engine_goods(made), tolerance=tolerance, max_rounds=max_rounds
        )
    except PareconError as exc:
        raise ValidationError(str(exc)) from None
    plan.board_state = board_to_json(board)
    plan.save(update_fields=["board_state"])
    BudgetRound.objects.create(plan=plan, number=1, prices=prices)
    record(
        "budget.opened",
        _("%(a)s opened the budget %(p)s (%(s)s to %(e)s, expected income %(i)s).")
        % {"a": actor.display_name, "p": plan.name, "s": starts, "e": ends, "i": income},
        actor=actor,
        chapter=chapter,
        subject=plan,
    )
    return plan


def _planning(plan: BudgetPlan) -> BudgetRound:
    if plan.status != BudgetPlan.Status.PLANNING:
        raise ValidationError(_("This budget is no longer being planned."))
    open_round = plan.rounds.filter(closed_at__isnull=True).first()
    if open_round is None:
        raise ValidationError(_("No round is open: the budget waits for its decision."))
    return open_round


@transaction.atomic
def add_proposer(
    actor: Member,
    plan: BudgetPlan,
    *,
    name: str,
    kind: str,
    project: object | None = None,
    need: object | None = None,
) -> Proposer:
    """A member proposes for a project, a working group, or their own need."""
    from parecon.web.commons.models import Post
    from parecon.web.projects.models import Project

    actor = require_member(actor, plan.chapter)
    _planning(plan)
    if kind not in Proposer.Kind.values:
        raise ValidationError({"kind": _("A project, a working group, or a need.")})
    chosen_project = chosen_need = None
    if kind == Proposer.Kind.PROJECT:
        chosen_project = Project.objects.filter(pk=str(project), chapter=plan.chapter).first()
        if chosen_project is None:
            raise ValidationError({"project": _("Choose a project of this chapter.")})
        name = name.strip() or chosen_project.title
    if kind == Proposer.Kind.NEED:
        chosen_need = Post.objects.filter(
            pk=str(need), chapter=plan.chapter, kind=Post.Kind.NEED, status=Post.Status.OPEN
        ).first()
        if chosen_need is None:
            raise ValidationError({"need": _("Choose an open need on the needs board.")})
        if chosen_need.author_id != actor.pk:
            raise PermissionDenied(_("Only who posted a need brings it to the budget."))
        name = name.strip() or chosen_need.title
    name = name.strip()[:200]
    if not name:
        raise ValidationError({"name": _("Name who is proposing.")})
    if plan.proposers.filter(name=name).exists():
        raise ValidationError({"name": _("%(n)s already proposes in this budget.") % {"n": name}})
    proposer = Proposer.objects.create(
        plan=plan, name=name, kind=kind, member=actor, project=chosen_project, need=chosen_need
    )
    record(
        "budget.proposer",
        _("%(a)s proposes in the budget %(p)s for %(n)s.")
        % {"a": actor.display_name, "p": plan.name, "n": name},
        actor=actor,
        chapter=plan.chapter,
        subject=proposer,
    )
    return proposer


@transaction.atomic
def propose(
    actor: Member,
    proposer: Proposer,
    quantities: Mapping[str, str],
    contribution: str = "0",
) -> BudgetProposal:
    """The proposer's member sets its request for the open round (units of each line)
    and what it will bring in."""
    plan = BudgetPlan.objects.select_for_update().get(pk=proposer.plan_id)
    actor = require_member(actor, plan.chapter)
    if proposer.member_id != actor.pk:
        raise PermissionDenied(
            _("Only the member who proposes for %(n)s edits it.") % {"n": proposer}
        )
    open_round = _planning(plan)
    lines = {ln.index: ln for ln in plan.lines.all()}
    clean: dict[str, str] = {}
    for key, raw in quantities.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            index = -1
        if index not in lines:
            raise ValidationError({"quantities": _("No line %(k)s in this budget.") % {"k": key}})
        if str(raw).strip() in ("", "0"):
            continue
        value = _amount(raw, lines[index].name)
        if value > 0:
            clean[str(index)] = str(value)
    money = _amount(contribution or "0", "contribution")
    row, _created = BudgetProposal.objects.update_or_create(
        round=open_round,
        proposer=proposer,
        defaults={
            "quantities": clean,
            "contribution": money,
            "carried": False,
            "submitted_by": actor,
        },
    )
    record(
        "budget.proposed",
        _("%(n)s proposed for round %(r)d of %(p)s: %(q)s; bringing in %(c)s.")
        % {
            "n": proposer.name,
            "r": open_round.number,
            "p": plan.name,
            "q": ", ".join(f"{lines[int(i)].name} {q}" for i, q in clean.items()) or "—",
            "c": money,
        },
        actor=actor,
        chapter=plan.chapter,
        subject=row,
        data={"quantities": clean, "contribution": str(money)},
    )
    return row


def requests_of(round_: BudgetRound) -> list[tuple[Mapping[int, Decimal], Decimal]]:
    return [
        ({int(i): Decimal(q) for i, q in p.quantities.items()}, p.contribution)
        for p in round_.proposals.order_by("proposer_id")
    ]


def _carry_forward(round_: BudgetRound) -> None:
    """Proposers who did not propose this round keep their last round's request."""
    if round_.number == 1:
        return
    have = set(round_.proposals.values_list("proposer_id", flat=True))
    last = BudgetProposal.objects.filter(
        round__plan=round_.plan_id, round__number=round_.number - 1
    ).exclude(proposer_id__in=have)
    BudgetProposal.objects.bulk_create(
        BudgetProposal(
            round=round_,
            proposer_id=p.proposer_id,
            quantities=p.quantities,
            contribution=p.contribution,
            carried=True,
            submitted_by=None,
        )
        for p in last
    )


@transaction.atomic
def close_round(actor: Member, plan: BudgetPlan) -> BudgetRound:
    """Play the open round on the board: publish the totals and gaps; the next round
    opens at the board's new prices unless the requests fit (or planning is over)."""
    plan = BudgetPlan.objects.select_for_update().get(pk=plan.pk)
    actor = require_role(actor, plan.chapter, *PLANNERS)
    open_round = _planning(plan)
    _carry_forward(open_round)
    lines = list(plan.lines.all())
    requests = requests_of(open_round)
    if not requests:
        raise ValidationError(_("Nobody has proposed yet."))
    board = board_from_json(plan.board_state)
    try:
        result = play_round(board, budgeting.populations(lines, plan.expected_income, requests))
    except PareconError as exc:
        raise ValidationError(str(exc)) from None
    supply = [float(x) for x in result.supply]
    demand = [float(x) for x in result.demand]
    open_round.supply = supply
    open_round.demand = demand
    open_round.gaps = [float(x) for x in result.gaps]
    open_round.fits = budgeting.fits(supply, demand, plan.tolerance)
    open_round.closed_at = timezone.now()
    open_round.closed_by = actor
    open_round.save()
    plan.board_state = board_to_json(board)
    if not open_round.fits:
        if board.status == "open":
            BudgetRound.objects.create(
                plan=plan, number=open_round.number + 1, prices=[float(p) for p in board.prices]
            )
        else:
            plan.status = BudgetPlan.Status.STOPPED
    plan.save(update_fields=["board_state", "status"])
    record(
        "budget.round_closed",
        _("Round %(r)d of %(p)s closed: requests %(d)s of %(s)s expected%(fit)s.")
        % {
            "r": open_round.number,
            "p": plan.name,
            "d": Decimal(repr(demand[0])).quantize(ledger.CENT),
            "s": Decimal(repr(supply[0])).quantize(ledger.CENT),
            "fit": _("; they fit") if open_round.fits else "",
        },
        actor=actor,
        chapter=plan.chapter,
        subject=open_round,
        data={"demand": demand, "supply": supply, "fits": open_round.fits},
    )
    return open_round


def line_totals(plan: BudgetPlan, round_: BudgetRound) -> dict[int, Decimal]:
    """Money each line is asked for in ``round_`` (units times cost, exact cents)."""
    costs = {ln.index: ln.unit_cost for ln in plan.lines.all()}
    totals = {i: Decimal("0.00") for i in costs}
    for quantities, _money in requests_of(round_):
        for i, q in quantities.items():
            totals[i] += (q * costs[i]).quantize(ledger.CENT)
    return totals


def _fits_now(plan: BudgetPlan) -> BudgetRound:
    if plan.status != BudgetPlan.Status.PLANNING:
        raise ValidationError(_("This budget is no longer being planned."))
    last = plan.rounds.filter(closed_at__isnull=False).order_by("-number").first()
    if last is None or not last.fits or plan.rounds.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("Only a budget whose requests fit is put to the chapter."))
    return last


@transaction.atomic
def put_to_chapter(actor: Member, plan: BudgetPlan) -> Decision:
    """Propose the fitting budget to the chapter as a decision (consent); once that
    decision is adopted it, and only it, ratifies the budget."""
    from parecon.web.decisions import services as decisions

    plan = BudgetPlan.objects.select_for_update().get(pk=plan.pk)
    actor = require_role(actor, plan.chapter, *PLANNERS)
    last = _fits_now(plan)
    if plan.proposed_as is not None:
        raise ValidationError(_("This budget is already before the chapter."))
    totals = line_totals(plan, last)
    body = (
        "\n".join(f"- {ln.name}: {totals[ln.index]}" for ln in plan.lines.all())
        + "\n\n"
        + _("In all %(t)s of %(i)s expected.")
        % {
            "t": sum(totals.values(), Decimal("0.00")),
            "i": plan.expected_income,
        }
    )
    decision = decisions.propose(
        actor,
        plan.chapter,
        decisions.Proposal(title=(_("Adopt the budget %(p)s") % {"p": plan.name})[:200], body=body),
    )
    plan.proposed_as = decision
    plan.save(update_fields=["proposed_as"])
    record(
        "budget.put_to_chapter",
        _("%(a)s put the budget %(p)s to the chapter.") % {"a": actor.display_name, "p": plan.name},
        actor=actor,
        chapter=plan.chapter,
        subject=plan,
        data={"decision": decision.pk},
    )
    return decision


@transaction.atomic
def adopt(actor: Member, plan: BudgetPlan, decision: Decision) -> BudgetPlan:
    """An adopted decision of the chapter ratifies a budget whose requests fit; its
    lines become the treasury's budget for the period."""
    plan = BudgetPlan.objects.select_for_update().get(pk=plan.pk)
    actor = require_role(actor, plan.chapter, *PLANNERS)
    last = _fits_now(plan)
    if plan.proposed_as_id is not None and decision.pk != plan.proposed_as_id:
        raise ValidationError(
            {"decision": _("This budget is ratified by the decision it was put to.")}
        )
    if decision.chapter_id != plan.chapter_id or decision.result.get("outcome") != "adopted":
        raise ValidationError(
            {"decision": _("A budget is ratified by an adopted decision of the chapter.")}
        )
    overlap = BudgetPlan.objects.filter(
        chapter=plan.chapter,
        status=BudgetPlan.Status.ADOPTED,
        starts__lte=plan.ends,
        ends__gte=plan.starts,
    ).first()
    if overlap is not None:
        raise ValidationError(
            _("The adopted budget %(b)s already covers part of this period.") % {"b": overlap}
        )
    totals = line_totals(plan, last)
    for line in plan.lines.all():
        line.amount = totals[line.index]
        line.save(update_fields=["amount"])
    plan.status = BudgetPlan.Status.ADOPTED
    plan.decision = decision
    plan.save(update_fields=["status", "decision"])
    record(
        "budget.adopted",
        _("The budget %(p)s is adopted (decided: %(d)s): %(t)s in all.")
        % {"p": plan.name, "d": decision.title, "t": sum(totals.values(), Decimal("0.00"))},
        actor=actor,
        chapter=plan.chapter,
        subject=plan,
        data={"lines": {str(i): str(v) for i, v in totals.items()}},
    )
    return plan
