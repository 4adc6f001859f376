"""Budget pages: open a chapter budget, propose in its rounds, close them, adopt it."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters.permissions import has_role
from parecon.web.commons.models import Post
from parecon.web.decisions.models import Decision
from parecon.web.projects.models import Project
from parecon.web.site.outcomes import attempt
from parecon.web.treasury import budget_selectors, budget_services
from parecon.web.treasury.models import Account, BudgetPlan, Proposer
from parecon.web.treasury.views import _chapter, _me

LINE_ROWS = 6


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError({field: _("Not a date: %(v)s") % {"v": text}}) from exc


@login_required
def budgets(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    return render(
        request,
        "treasury/budgets.html",
        {
            "chapter": chapter,
            "plans": BudgetPlan.objects.filter(chapter=chapter),
            "planner": has_role(request.user, chapter, *budget_services.PLANNERS),
            "expenses": Account.objects.filter(chapter=chapter, kind="expense"),
            "rows": range(LINE_ROWS),
        },
    )


@require_POST
@login_required
def open_budget(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    p = request.POST
    made: list[BudgetPlan] = []

    def run() -> None:
        lines = [
            budget_services.LineSpec(
                name=p.get(f"line-{i}-name", ""),
                unit_cost=p.get(f"line-{i}-cost", ""),
                account=p.get(f"line-{i}-account", "0"),
                unit=p.get(f"line-{i}-unit", ""),
                capacity=p.get(f"line-{i}-capacity", "").strip(),
            )
            for i in range(LINE_ROWS)
            if p.get(f"line-{i}-name", "").strip()
        ]
        made.append(
            budget_services.open_budget(
                _me(request),
                chapter,
                name=p.get("name", ""),
                starts=_date(p.get("starts", ""), "starts"),
                ends=_date(p.get("ends", ""), "ends"),
                expected_income=p.get("expected_income", ""),
                lines=lines,
            )
        )

    if attempt(request, run, _("The budget is open for proposals.")):
        return redirect("treasury:budget", slug=slug, pk=made[0].pk)
    return redirect("treasury:budgets", slug=slug)


@login_required
def budget(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    me = _me(request)
    standing = budget_selectors.standing(plan)
    mine = {r.proposal.proposer_id: r.proposal for r in standing.proposals}
    return render(
        request,
        "treasury/budget.html",
        {
            "chapter": chapter,
            "plan": plan,
            "standing": standing,
            "planner": has_role(me, chapter, *budget_services.PLANNERS),
            "my_proposers": [
                (proposer, mine.get(proposer.pk)) for proposer in plan.proposers.filter(member=me)
            ],
            "projects": Project.objects.filter(chapter=chapter),
            "needs": Post.objects.filter(
                chapter=chapter, author=me, kind=Post.Kind.NEED, status=Post.Status.OPEN
            ),
            "decisions": Decision.objects.filter(chapter=chapter, status="closed"),
            "against": budget_selectors.against_budget(plan)
            if plan.status == BudgetPlan.Status.ADOPTED
            else [],
        },
    )


def _back(slug: str, pk: int) -> HttpResponse:
    return redirect("treasury:budget", slug=slug, pk=pk)


@require_POST
@login_required
def add_proposer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    p = request.POST
    attempt(
        request,
        lambda: budget_services.add_proposer(
            _me(request),
            plan,
            name=p.get("name", ""),
            kind=p.get("kind", ""),
            project=p.get("project") or None,
            need=p.get("need") or None,
        ),
        _("You propose in this budget: set your request below."),
    )
    return _back(slug, pk)


@require_POST
@login_required
def propose(request: HttpRequest, slug: str, pk: int, proposer: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    who = get_object_or_404(Proposer, pk=proposer, plan=plan)
    p = request.POST
    quantities = {
        str(ln.index): p.get(f"q-{ln.index}", "") for ln in plan.lines.all() if f"q-{ln.index}" in p
    }
    attempt(
        request,
        lambda: budget_services.propose(
            _me(request), who, quantities, p.get("contribution", "") or "0"
        ),
        _("Your request is in this round."),
    )
    return _back(slug, pk)


@require_POST
@login_required
def close_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    attempt(
        request,
        lambda: budget_services.close_round(_me(request), plan),
        _("The round is closed and its totals published."),
    )
    return _back(slug, pk)


@require_POST
@login_required
def adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    raw = request.POST.get("decision", "")
    decision = Decision.objects.filter(pk=raw, chapter=chapter).first() if raw.isdigit() else None

    def run() -> None:
        if decision is None:
            raise ValidationError(_("Choose the decision that ratified the budget."))
        budget_services.adopt(_me(request), plan, decision)

    attempt(request, run, _("The budget is adopted: its lines are the treasury's budget."))
    return _back(slug, pk)


@require_POST
@login_required
def put_to_chapter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    plan = get_object_or_404(BudgetPlan, pk=pk, chapter=chapter)
    made: list[Decision] = []
    if attempt(
        request,
        lambda: made.append(budget_services.put_to_chapter(_me(request), plan)),
        _("The budget is before the chapter as a decision."),
    ):
        return redirect("decisions:detail", pk=made[0].pk)
    return _back(slug, pk)
