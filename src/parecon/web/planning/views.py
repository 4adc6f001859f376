"""Plan pages: parse the request, call a service or selector, render."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Field, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.engine import available_rules
from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import is_member, require_role
from parecon.web.councils.models import Council, CouncilKind
from parecon.web.councils.permissions import councils_of_member
from parecon.web.planning import accounting, selectors, services, tasks
from parecon.web.planning.catalogue import (
    goods_from_csv,
    goods_from_economy,
    load_simulation,
    store_economy_file,
)
from parecon.web.planning.charts import gap_chart_svg
from parecon.web.planning.forms import CouncilFilter
from parecon.web.planning.models import Good, Plan, PlanStatus, Proposal, Ratification, Round
from parecon.web.planning.page_data import SHOWN, plan_page, warm
from parecon.web.planning.permissions import is_plan_facilitator
from parecon.web.site.outcomes import error_text


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("chapter").order_by("-created_at")[:100]
    return render(request, "planning/list.html", {"plans": plans})


def _labels(model: type[Model], field: str) -> dict[str, str]:
    """A choice field's labels in the active language, once per page: a model's
    ``get_FOO_display`` rebuilds and hashes the choices (lazy strings) on every call."""
    choices = model._meta.get_field(field)
    assert isinstance(choices, Field)
    return {str(value): str(label) for value, label in choices.flatchoices}


def _rows(
    round_: Round | None,
    goods: list[Good],
    closed: Round | None = None,
    totals: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Each good's price, category, the running ``totals`` if given, and the ``closed``
    round's figures if given."""
    categories = _labels(Good, "category")
    rows = []
    for g in goods:
        row: dict[str, Any] = {
            "good": g,
            "category": categories.get(g.category, g.category),
            "price": round_.prices[g.index] if round_ else None,
        }
        if totals is not None:
            row.update(offered=totals["supply"][g.index], requested=totals["demand"][g.index])
        if closed is not None:
            row.update(
                supply=closed.supply[g.index],
                demand=closed.demand[g.index],
                gap=closed.gaps[g.index],
                next_price=closed.next_prices[g.index],
                last_price=closed.prices[g.index],
            )
        rows.append(row)
    return rows


def _taking_part(plan: Plan) -> QuerySet[Council]:
    """The councils taking part in ``plan``, as a query (never loaded whole)."""
    return Council.objects.filter(participations__plan=plan)


def _closing(current: Round | None) -> str | None:
    """The background close's progress, read fresh (it is no event of the plan's log)."""
    if current is None:
        return None
    fresh = Round.objects.filter(pk=current.pk).only("status", "closing_task").first()
    return tasks.closing_state(fresh) if fresh is not None else None


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("chapter", "federation"), pk=pk)
    page = plan_page(plan)
    structure, activity = page.structure, page.activity
    current, closed = page.current, page.closed
    my_councils = councils_of_member(request.user, _taking_part(plan))
    levels = _labels(Council, "level")
    answers = _labels(Ratification, "answer")
    mine_answered = (
        services.consent_tally(plan, councils=my_councils)
        if plan.status == PlanStatus.PROPOSED and my_councils
        else {}
    )
    context = {
        "plan": plan,
        "structure_key": structure.key,
        "activity_key": activity.key,
        "round": current,
        "rounds": structure.rounds,
        "closed": closed,
        "rows": _rows(current, structure.goods, closed[-1] if closed else None, activity.totals),
        "councils": [
            (row, levels.get(row.level, row.level), answers.get(row.answer, row.answer))
            for row in structure.councils
        ],
        "by_kind": structure.by_kind,
        "n_councils": structure.n_councils,
        "answer_counts": structure.answer_counts,
        "shown": SHOWN,
        "my_councils": my_councils,
        "my_ratify": [
            (c, answers.get(mine_answered[c.pk].answer, "") if c.pk in mine_answered else "")
            for c in my_councils
        ]
        if plan.status == PlanStatus.PROPOSED
        else [],
        # Each submitted workplace links to its proposal's page, where councils read its
        # figures and review it: no form per workplace here, so the page stays light.
        "reviewable": activity.reviewable,
        "n_reviewable": activity.n_reviewable,
        "facilitator": is_plan_facilitator(request.user, plan),
        "totals": activity.totals,
        "closing": _closing(current),
        "log": activity.log if is_member(request.user, plan.chapter) else [],
    }
    return render(request, "planning/detail.html", context)


#: Councils per page of a plan's council list.
COUNCILS_PAGE = 50


def plan_councils(request: HttpRequest, pk: int) -> HttpResponse:
    """Every council taking part, paged and filtered: a city's plan has thousands, and
    its page lists the first only. Open to all, as the plan's page is."""
    plan = get_object_or_404(Plan.objects.select_related("chapter"), pk=pk)
    current = selectors.open_round(plan)
    form = CouncilFilter(request.GET)
    if current is None:  # nothing to have submitted: the filter is not offered
        del form.fields["round"]
    valid = form.is_valid()
    if valid and current is None and request.GET.get("round"):
        form.add_error(None, _("No round is open: there is no submission to filter by."))
        valid = False
    chosen = form.cleaned_data if valid else {}
    round_filter = chosen.get("round", "")
    rows = selectors.councils_listed(
        plan,
        current,
        query=chosen.get("q", "").strip(),
        kind=chosen.get("kind", ""),
        submitted=None if not round_filter else round_filter == "submitted",
    )
    page = Paginator(rows if valid else rows.none(), COUNCILS_PAGE).get_page(
        request.GET.get("page")
    )
    listed = list(page.object_list)
    workers = [p.council_id for p in listed if p.council.kind == CouncilKind.WORKER]
    tallies = selectors.review_tallies(current, councils=workers) if current and workers else {}
    answers = (
        services.consent_tally(plan, councils=[p.council for p in listed])
        if plan.status == PlanStatus.PROPOSED
        else {}
    )
    levels = _labels(Council, "level")
    consent = _labels(Ratification, "answer")
    kept = {k: v for k, v in chosen.items() if v} if valid else {}
    return render(
        request,
        "planning/councils.html",
        {
            "plan": plan,
            "round": current,
            "form": form,
            "page": page,
            "params": urlencode(kept),
            "rows": [
                {
                    "participant": p,
                    "level": levels.get(p.council.level, p.council.level),
                    "submitted": getattr(p, "submitted", None),
                    "tally": tallies.get(p.council_id),
                    "answer": consent.get(answers[p.council_id].answer, "")
                    if p.council_id in answers
                    else "",
                }
                for p in listed
            ],
        },
        status=200 if valid else 400,
    )


@login_required
def worker_proposal(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A worker council's submitted proposal in the open round, for other councils to read
    and to approve of or object to (the workplace sees their reasons on its draft)."""
    plan = get_object_or_404(Plan.objects.select_related("chapter"), pk=pk)
    council = get_object_or_404(Council, slug=slug, kind="worker")
    taking = plan.participants.filter(council=council).first()
    if taking is None:
        raise Http404
    mine = councils_of_member(request.user, _taking_part(plan))
    if not mine and not is_member(request.user, plan.chapter):
        raise PermissionDenied
    round_ = selectors.open_round(plan)
    try:
        if round_ is None:
            raise ValidationError(_("No round is open."))
        version = services.submitted_version(round_, council)
    except ValidationError as exc:
        messages.info(request, error_text(exc))
        return redirect("planning:detail", pk=pk)
    facts = services.council_facts(plan, council, taking)
    goods = facts.goods
    summary = services.summary_of(
        version.proposal, version.quantities, prices=round_.prices, facts=facts
    )

    def lines(side: str) -> list[dict[str, Any]]:
        figures = version.quantities.get(side, {})
        return [
            {
                "good": g,
                "quantity": f"{figures[str(g.index)]:g}",
                "price": round_.prices[g.index],
                "value": round_.prices[g.index] * figures[str(g.index)],
            }
            for g in goods
            if str(g.index) in figures
        ]

    context = {
        "plan": plan,
        "round": round_,
        "council": council,
        "version": version,
        "outputs": lines("supply"),
        "inputs": lines("demand"),
        "summary": summary,
        "reviews": selectors.reviews_of(round_, council),
        "reviewers": [c for c in mine if c.pk != council.pk],
    }
    return render(request, "planning/proposal.html", context)


def plan_chart(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    gaps = list(
        plan.rounds.filter(status="closed").order_by("number").values_list("max_gap", flat=True)
    )
    svg = gap_chart_svg(gaps, plan.tolerance, title=_("Largest gap per round"))
    return HttpResponse(svg, content_type="image/svg+xml")


def round_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The open round's progress, polled by the plan page."""
    plan = get_object_or_404(Plan, pk=pk)
    page = plan_page(plan)
    current = page.current
    return render(
        request,
        "planning/_live.html",
        {
            "plan": plan,
            "round": current,
            "totals": page.activity.totals,
            "rows": _rows(current, page.structure.goods, totals=page.activity.totals),
            "closing": _closing(current),
        },
    )


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    current = get_object_or_404(Round, plan=plan, number=int(request.POST.get("round", 0) or 0))
    try:
        closed = tasks.close_or_enqueue(request.user, current)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if closed is None:
            messages.info(
                request,
                _("Round %(n)d is closing in the background; this page shows when it is done.")
                % {"n": current.number},
            )
            return redirect("planning:detail", pk=pk)
        messages.success(
            request,
            _("Round %(n)d is closed; new prices are published.") % {"n": closed.number},
        )
    return redirect("planning:detail", pk=pk)


def _key(name: str) -> tuple[str, int] | None:
    try:
        _prefix, side, index = name.split("-", 2)
        return side, int(index)
    except ValueError:
        return None


def _draft_context(
    request: HttpRequest, plan: Plan, round_: Round, council: Council, proposal: Proposal
) -> dict[str, Any]:
    facts = services.council_facts(plan, council)
    goods = {g.index: g for g in facts.goods}
    lines = {
        (ln.side, ln.good.index): ln for ln in proposal.lines.select_related("good", "updated_by")
    }
    quantities = services.quantities_of(list(lines.values()))
    summary = services.summary_of(proposal, quantities, facts=facts)
    suggestion = selectors.suggestion_for(plan, council, round_, facts=facts)
    rows = []
    for side, index in services.allowed_keys(council, list(goods.values())):
        line = lines.get((side, index))
        q = line.quantity if line else 0.0
        g = goods[index]
        price = round_.prices[index]
        share = (
            price * q / facts.n_sharing
            if g.category == "public" and side == "demand" and council.kind == "consumer"
            else price * q
        )
        rows.append(
            {
                "name": f"{side}-{index}",
                "side": side,
                "good": g,
                "quantity": f"{q:g}",
                "version": line.version if line else 0,
                "price": price,
                "value": share,
                "suggested": (suggestion or {}).get(side, {}).get(str(index)),
            }
        )
    return {
        "plan": plan,
        "round": round_,
        "council": council,
        "proposal": proposal,
        "rows": rows,
        "outputs": [r for r in rows if r["side"] == "supply"] if council.is_worker else [],
        "inputs": [r for r in rows if r["side"] == "demand"],
        "summary": summary,
        "problems": accounting.submission_problems(
            summary, quantities, services.revision_problems_of(proposal, quantities)
        ),
        "suggestion": suggestion,
        "reviews": selectors.reviews_of(round_, council),
    }


@login_required
def council_draft(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    council = get_object_or_404(Council, slug=slug)
    round_ = selectors.open_round(plan)
    if round_ is None:
        messages.info(request, _("No round is open."))
        return redirect("planning:detail", pk=pk)
    proposal = services.draft_for(request.user, round_, council)  # type: ignore[arg-type]
    conflicts: tuple[services.Conflict, ...] = ()
    errors: dict[tuple[str, int], str] = {}
    saved_keys: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        edits: dict[tuple[str, int], tuple[str, int]] = {}
        for name in request.POST:
            value = request.POST.get(name, "")
            if not name.startswith("q-"):
                continue
            key = _key(name)
            if key is None:
                continue
            base = request.POST.get(f"b-{key[0]}-{key[1]}", "")
            if value.strip() == base.strip():
                continue
            try:
                version = int(request.POST.get(f"v-{key[0]}-{key[1]}", "0"))
            except ValueError:
                version = 0
            edits[key] = (value, version)
        try:
            if action == "suggestion":
                ctx = _draft_context(request, plan, round_, council, proposal)
                if ctx["suggestion"] is None:
                    raise ValidationError(_("No suggestion yet: it needs a past proposal."))
                services.accept_suggestion(request.user, proposal, ctx["suggestion"])  # type: ignore[arg-type]
                messages.success(request, _("The suggestion is in the draft; check it and submit."))
            else:
                result = services.save_draft(request.user, proposal, edits)  # type: ignore[arg-type]
                conflicts, errors = result.conflicts, result.errors
                saved_keys = [f"{s}-{i}" for (s, i) in edits if (s, i) not in errors]
                if action == "submit" and not conflicts and not errors:
                    services.submit(request.user, proposal)  # type: ignore[arg-type]
                    warm(plan)
                    messages.success(
                        request, _("Submitted. You can revise it until the round closes.")
                    )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        proposal.refresh_from_db()
        if request.htmx and action == "save":  # type: ignore[attr-defined]
            context = _draft_context(request, plan, round_, council, proposal)
            context.update(conflicts=conflicts, errors=_named(errors), saved=saved_keys, oob=True)
            return render(request, "planning/_draft_status.html", context)
        if not conflicts and not errors:
            return redirect("planning:draft", pk=pk, slug=slug)
    context = _draft_context(request, plan, round_, council, proposal)
    context.update(conflicts=conflicts, errors=_named(errors))
    return render(request, "planning/draft.html", context)


def _named(errors: dict[tuple[str, int], str]) -> dict[str, str]:
    return {f"{s}-{i}": m for (s, i), m in errors.items()}


@require_POST
@login_required
def proposal_review(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A member's council approves of, or objects to, the worker council ``slug``'s proposal."""
    plan = get_object_or_404(Plan, pk=pk)
    reviewed = get_object_or_404(Council, slug=slug)
    reviewer = get_object_or_404(Council, slug=request.POST.get("reviewer", ""))
    round_ = selectors.open_round(plan)
    try:
        if round_ is None:
            raise ValidationError(_("No round is open."))
        version = services.submitted_version(round_, reviewed)
        services.review(
            request.user,  # type: ignore[arg-type]
            reviewer,
            version,
            request.POST.get("verdict", ""),
            request.POST.get("reason", ""),
        )
        warm(plan)
        messages.success(
            request, _("Your council's review is recorded; %(c)s sees it.") % {"c": reviewed}
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("planning:proposal", pk=pk, slug=slug)


@require_POST
@login_required
def plan_propose(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    try:
        services.propose_plan(request.user, plan)  # type: ignore[arg-type]
        messages.success(request, _("The plan is up for ratification by every council."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("planning:detail", pk=pk)


@require_POST
@login_required
def plan_ratify(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    council = get_object_or_404(Council, slug=slug)
    try:
        services.ratify(
            request.user,  # type: ignore[arg-type]
            plan,
            council,
            request.POST.get("answer", ""),
            request.POST.get("reason", ""),
        )
        messages.success(request, _("Your council's answer is recorded."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("planning:detail", pk=pk)


def plan_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    response = JsonResponse(selectors.plan_document(plan), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.json"'
    return response


def plan_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per good: ``good,category,unit,price,supply,demand,gap``."""
    plan = get_object_or_404(Plan, pk=pk)
    doc = selectors.plan_document(plan)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["good", "category", "unit", "price", "supply", "demand", "gap"])
    for i, name in enumerate(doc["goods"]):
        writer.writerow(
            [
                name,
                doc["categories"][i],
                doc["units"][i],
                doc["prices"][i],
                doc["supply"][i] if doc["supply"] else "",
                doc["demand"][i] if doc["demand"] else "",
                doc["gaps"][i] if doc["gaps"] else "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.csv"'
    return response


def _day(text: str) -> datetime | None:
    if not text:
        return None
    try:
        day = datetime.fromisoformat(text).date()
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


@login_required
def plan_new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_role(request.user, chapter, Role.FACILITATOR)
    councils = list(Council.objects.filter(chapter=chapter).order_by("kind", "name"))
    ratified = Plan.objects.filter(chapter=chapter, status="ratified")
    values: dict[str, Any] = {
        "rule": "informed",
        "tolerance": "0.03",
        "max_rounds": "20",
        "round_days": "7",
        "budget": "1000",
        "goods_csv": "name,unit,category,price\n",
        "source": "csv",
        "consumers": "1000",
        "workers": "1000",
        "goods_per_category": "2",
        "seed": "1",
    }
    if request.method == "POST":
        values.update({k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"})
        try:
            plan = _open_from_form(request, chapter, councils, ratified)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The plan is open; round 1 takes proposals."))
            return redirect("planning:detail", pk=plan.pk)
    return render(
        request,
        "planning/new.html",
        {
            "chapter": chapter,
            "councils": councils,
            "rules": available_rules(),
            "values": values,
            "chosen": set(request.POST.getlist("councils")),
            "ratified": ratified,
        },
    )


def _number(request: HttpRequest, name: str, kind: type = float) -> Any:
    raw = request.POST.get(name, "").strip()
    try:
        return kind(raw)
    except ValueError:
        raise ValidationError(
            {name: _("%(f)s: %(v)r is not a number.") % {"f": name, "v": raw}}
        ) from None


def _open_from_form(
    request: HttpRequest, chapter: Chapter, councils: list[Council], ratified: Any
) -> Plan:
    source = request.POST.get("source", "csv")
    simulation: dict[str, Any] = {}
    if source == "csv":
        goods = goods_from_csv(request.POST.get("goods_csv", ""))
    elif source == "file":
        upload = request.FILES.get("economy")
        if upload is None:
            raise ValidationError({"economy": _("Choose an economy file.")})
        stored = store_economy_file(upload.name or "economy.json", upload.read())
        simulation = {"source": "file", "file": stored, "name": upload.name}
        goods = goods_from_economy(load_simulation(simulation))
        if request.POST.get("simulate") != "on":
            simulation = {}
    else:
        simulation = {
            "source": "generate",
            "consumers": _number(request, "consumers", int),
            "workers": _number(request, "workers", int),
            "goods_per_category": _number(request, "goods_per_category", int),
            "seed": _number(request, "seed", int),
        }
        goods = goods_from_economy(load_simulation(simulation))
    chosen = {int(c) for c in request.POST.getlist("councils") if c.isdigit()}
    budget = _number(request, "budget")
    first = _day(request.POST.get("first_deadline", ""))
    previous = ratified.filter(pk=request.POST.get("previous") or 0).first()
    return services.open_plan(
        request.user,  # type: ignore[arg-type]
        chapter,
        services.PlanSettings(
            name=request.POST.get("name", ""),
            period=request.POST.get("period", ""),
            goods=goods,
            councils=[(c, None) for c in councils if c.pk in chosen],
            rule=request.POST.get("rule", "informed"),
            tolerance=_number(request, "tolerance"),
            max_rounds=_number(request, "max_rounds", int),
            round_days=_number(request, "round_days", int),
            revision_limit=(
                _number(request, "revision_limit")
                if request.POST.get("revision_limit", "").strip()
                else None
            ),
            revision_from=(
                _number(request, "revision_from", int)
                if request.POST.get("revision_from", "").strip()
                else 3
            ),
            deadlines=[first] if first else [timezone.now() + timedelta(days=7)],
            default_budget=budget,
            simulation=simulation,
            previous=previous,
        ),
    )
