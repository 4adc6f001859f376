"""Effort pages: parse the request, call a service, render."""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.councils.models import Council, CouncilKind, CouncilLevel
from parecon.web.councils.permissions import has_council_role, is_council_member
from parecon.web.effort import budgets, selectors, services
from parecon.web.effort.models import (
    Appeal,
    AppealStatus,
    EffortPeriod,
    HoursLog,
    Intensity,
    NeedsRequest,
    NeedsStatus,
)
from parecon.web.effort.permissions import (
    is_coworker,
    is_workplace_facilitator,
    require_workplace,
)
from parecon.web.jobs.models import Task
from parecon.web.members.models import Member
from parecon.web.planning.models import Plan, RoundStatus
from parecon.web.site.outcomes import attempt


def _number(raw: str | None) -> float:
    try:
        value = float((raw or "").strip().replace(",", "."))
    except ValueError:
        raise ValidationError(_("%(v)r is not a number.") % {"v": raw}) from None
    if not math.isfinite(value):
        raise ValidationError(_("%(v)r is not a number.") % {"v": raw})
    return value


def _pk(raw: str | None) -> int:
    """A row's id from a form field (0, which finds nothing, when it is not one)."""
    text = (raw or "").strip()
    return int(text) if text.isdigit() else 0


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError(_("%(v)r is not a date (YYYY-MM-DD).") % {"v": raw}) from None


def _task(period: EffortPeriod, task_id: str | None, text: str) -> Task | str:
    """The workplace's task chosen in the form, else the free text written."""
    if _pk(task_id):
        found = Task.objects.filter(council=period.council, pk=_pk(task_id)).first()
        if found is None:
            raise ValidationError({"task": _("Choose one of the workplace's tasks.")})
        return found
    return text


def _period(pk: int) -> EffortPeriod:
    return get_object_or_404(EffortPeriod.objects.select_related("council__chapter"), pk=pk)


def workplace(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council.objects.select_related("chapter"), slug=slug)
    require_workplace(council)
    return render(
        request,
        "effort/workplace.html",
        {
            "council": council,
            "periods": council.effort_periods.all()[:100],
            "can_open": is_workplace_facilitator(request.user, council),
        },
    )


@require_POST
@login_required
def new_period(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    created: list[EffortPeriod] = []

    def act() -> None:
        created.append(
            services.open_period(
                request.user,  # type: ignore[arg-type]
                council,
                name=request.POST.get("name", ""),
                plan_period=request.POST.get("plan_period", ""),
                starts_on=_day(request.POST.get("starts_on")),
                ends_on=_day(request.POST.get("ends_on")),
                compensate_onerousness=request.POST.get("compensate_onerousness") == "on",
            )
        )

    attempt(request, act, _("Period opened: coworkers can rate effort and log hours."))
    if created:
        return redirect("effort:period", pk=created[0].pk)
    return redirect("effort:workplace", slug=slug)


def _pool_plans(period: EffortPeriod) -> list[Plan]:
    chapters = [period.council.chapter, *period.council.chapter.ancestors()]
    return list(
        Plan.objects.filter(chapter__in=chapters, rounds__status=RoundStatus.CLOSED)
        .distinct()
        .order_by("-created_at")[:20]
    )


def _my_federations(request: HttpRequest, period: EffortPeriod) -> list[Council]:
    chapters = [period.council.chapter, *period.council.chapter.ancestors()]
    found = Council.objects.filter(chapter__in=chapters, kind=CouncilKind.CONSUMER).exclude(
        level=CouncilLevel.HOUSEHOLD
    )
    return [c for c in found if has_council_role(request.user, c, "facilitator")]


@login_required
def period(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    member = request.user
    coworker = is_coworker(member, period.council)
    facilitator = is_workplace_facilitator(member, period.council)
    if not (coworker or facilitator):
        raise PermissionDenied(_("Only the workplace's members see its effort period."))
    run = selectors.latest_run(period)
    mine = selectors.own_allowance(period, member, run) if coworker and run else None  # type: ignore[arg-type]
    at = selectors.version(period)
    context: dict[str, Any] = {
        "period": period,
        "council": period.council,
        "coworker": coworker,
        "facilitator": facilitator,
        "distribution": selectors.distribution(period, at),
        "run": run,
        "intensities": Intensity.choices,
    }
    if coworker:
        me: Member = member  # type: ignore[assignment]  # a coworker is a real member
        mates = selectors.workmates(period, me)
        context.update(
            picker=_picker(request, period, me, mates.near),
            tasks=selectors.loggable_tasks(period, me, mates.held),
            logs=period.logs.filter(member=me)
            .select_related("task")
            .order_by("-worked_on", "-id")[:100],
            pending=selectors.pending_for(period, me, mates.near),
            pending_count=selectors.pending_count(period, me),
            score=selectors.own_score(period, me, at),
            allowance=mine,
            household=selectors.household_of(me),
            households=selectors.households_of(me),
            my_needs=period.needs.filter(member=me).select_related("household")[:20],
            my_appeals=period.appeals.filter(member=me)[:20],
        )
    if facilitator:
        context.update(
            plans=_pool_plans(period),
            federations=_my_federations(request, period),
            open_appeals=period.appeals.filter(status=AppealStatus.OPEN)
            .exclude(member_id=member.pk or 0)
            .select_related("member", "allowance"),
        )
    return render(request, "effort/period.html", context)


def _picker(
    request: HttpRequest, period: EffortPeriod, me: Member, near: set[int] | None = None
) -> selectors.CoworkerPicker:
    data = request.POST if request.method == "POST" else request.GET
    query, page = str(data.get("q", "")), _pk(data.get("page")) or 1
    return selectors.coworker_picker(period, me, query, page, near)


@login_required
def coworkers(request: HttpRequest, pk: int) -> HttpResponse:
    """The rating form's list of coworkers: a search or a page (HTMX, or a link's target)."""
    period = _period(pk)
    if not is_coworker(request.user, period.council):
        raise PermissionDenied(_("Only the workplace's members rate its effort."))
    if not request.htmx:  # type: ignore[attr-defined]
        query = request.GET.urlencode()
        return redirect(
            reverse("effort:period", args=[pk]) + (f"?{query}" if query else "") + "#rate"
        )
    me: Member = request.user  # type: ignore[assignment]
    return render(
        request,
        "effort/_coworkers.html",
        {"period": period, "picker": _picker(request, period, me)},
    )


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    ratings: dict[int, str] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("rating-") and value.strip():
            try:
                ratings[int(key.removeprefix("rating-"))] = value
            except ValueError:
                continue
    attempt(
        request,
        lambda: services.rate_effort(request.user, period, ratings),  # type: ignore[arg-type]
        _("Thank you: your ratings are counted, and shown to no one."),
    )
    back = {k: str(request.POST[k]) for k in ("q", "page") if request.POST.get(k)}
    return redirect(
        reverse("effort:period", args=[pk]) + (f"?{urlencode(back)}" if back else "") + "#rate"
    )


@require_POST
@login_required
def log(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)

    def act() -> None:
        services.log_hours(
            request.user,  # type: ignore[arg-type]
            period,
            worked_on=_day(request.POST.get("worked_on")),
            hours=_number(request.POST.get("hours")),
            task=_task(period, request.POST.get("task_id"), request.POST.get("task", "")),
            intensity=int(_number(request.POST.get("intensity") or "100")),
            onerousness=int(_number(request.POST.get("onerousness") or "10")),
        )

    attempt(request, act, _("Hours logged; a coworker will confirm them."))
    return redirect("effort:period", pk=pk)


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    row = get_object_or_404(HoursLog.objects.select_related("period__council"), pk=pk)
    if verdict not in ("confirm", "dispute"):
        raise PermissionDenied
    attempt(
        request,
        lambda: services.confirm_log(request.user, row, verdict == "confirm"),  # type: ignore[arg-type]
        _("Thank you for answering."),
    )
    return redirect("effort:period", pk=row.period_id)


@require_POST
@login_required
def pool(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    if request.POST.get("source") == "federation":
        federation = get_object_or_404(Council, pk=_pk(request.POST.get("federation")))

        def act() -> None:
            services.set_pool_by_federation(
                request.user,  # type: ignore[arg-type]
                period,
                federation,
                _number(request.POST.get("amount")),
            )

    else:
        plan = get_object_or_404(Plan, pk=_pk(request.POST.get("plan")))

        def act() -> None:
            services.set_pool_from_plan(request.user, period, plan)  # type: ignore[arg-type]

    attempt(request, act, _("The period's pool is set."))
    return redirect("effort:period", pk=pk)


@require_POST
@login_required
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    attempt(
        request,
        lambda: services.compute_allowances(request.user, period),  # type: ignore[arg-type]
        _("Allowances computed; each member sees their own."),
    )
    return redirect("effort:period", pk=pk)


@require_POST
@login_required
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)

    def act() -> None:
        services.request_needs(
            request.user,  # type: ignore[arg-type]
            period,
            None,
            _number(request.POST.get("amount")),
            request.POST.get("reason", ""),
        )

    attempt(request, act, _("Asked; your household's council will decide."))
    return redirect("effort:period", pk=pk)


@require_POST
@login_required
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    attempt(
        request,
        lambda: services.appeal(request.user, period, request.POST.get("reason", "")),  # type: ignore[arg-type]
        _("Your appeal is under review."),
    )
    return redirect("effort:period", pk=pk)


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Appeal.objects.select_related("period__council"), pk=pk)

    def act() -> None:
        raw = str(request.POST.get("intensity") or "").strip()
        services.resolve_appeal(
            request.user,  # type: ignore[arg-type]
            row,
            request.POST.get("verdict") == "uphold",
            str(request.POST.get("resolution", "")),
            _number(raw) if raw else None,
        )

    attempt(request, act, _("The appeal is resolved."))
    return redirect("effort:period", pk=row.period_id)


@require_POST
@login_required
def household(request: HttpRequest) -> HttpResponse:
    council = get_object_or_404(Council, pk=_pk(request.POST.get("household")))
    attempt(
        request,
        lambda: services.choose_household(request.user, council),  # type: ignore[arg-type]
        _("Your allowances go to %(h)s.") % {"h": council},
    )
    back = request.POST.get("period")
    if back and back.isdigit():
        return redirect("effort:period", pk=int(back))
    return redirect("effort:household_page", slug=council.slug)


@require_POST
@login_required
def decide_needs(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    row = get_object_or_404(NeedsRequest.objects.select_related("household"), pk=pk)
    if verdict not in ("approve", "decline"):
        raise PermissionDenied
    attempt(
        request,
        lambda: services.decide_needs(
            request.user,  # type: ignore[arg-type]
            row,
            verdict == "approve",
            request.POST.get("note", ""),
        ),
        _("Decided, and recorded in the log."),
    )
    return redirect("effort:household_page", slug=row.household.slug)


@login_required
def household_page(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council.objects.select_related("chapter"), slug=slug)
    if council.level != CouncilLevel.HOUSEHOLD:
        raise PermissionDenied(_("Allowances go to households."))
    facilitator = has_council_role(request.user, council, "facilitator")
    if not (is_council_member(request.user, council) or facilitator):
        raise PermissionDenied(_("Only the household's members see its allowances."))
    return render(
        request,
        "effort/household.html",
        {
            "council": council,
            "facilitator": facilitator,
            "totals": selectors.household_totals(council),
            "budgets": council.participations.select_related("plan").order_by("-plan__created_at"),
            "requests": NeedsRequest.objects.filter(household=council)
            .select_related("member", "period")
            .order_by("-created_at")[:100],
            "requested": NeedsStatus.REQUESTED,
        },
    )


@login_required
def plan_budgets(request: HttpRequest, pk: int) -> HttpResponse:
    from parecon.web.planning.permissions import is_plan_facilitator

    plan = get_object_or_404(Plan.objects.select_related("chapter", "federation"), pk=pk)
    if request.method == "POST":
        attempt(
            request,
            lambda: budgets.take_budgets_from_allowances(request.user, plan),  # type: ignore[arg-type]
            _("Households' budgets now come from their members' allowances."),
        )
        return redirect("effort:plan_budgets", pk=pk)
    totals = selectors.household_allowances(plan)
    rows = [
        (p.council, p.budget, totals.get(p.council_id))
        for p in plan.participants.filter(council__kind=CouncilKind.CONSUMER).select_related(
            "council"
        )
    ]
    shown = {c.pk for c, _b, _t in rows}
    waiting = Council.objects.filter(pk__in=[k for k in totals if k not in shown])
    return render(
        request,
        "effort/plan_budgets.html",
        {
            "plan": plan,
            "rows": rows,
            "waiting": [(c, totals[c.pk]) for c in waiting],
            "facilitator": is_plan_facilitator(request.user, plan),
        },
    )
