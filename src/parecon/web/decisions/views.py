"""Decision pages: propose, see and challenge weights, vote, count, write the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon import selfmanagement as sm
from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter, Role
from parecon.web.decisions import selectors, services
from parecon.web.decisions.forms import ChallengeForm, MinorityForm, OutcomeForm, ProposalForm
from parecon.web.decisions.models import Decision, Status
from parecon.web.decisions.units import tree_around, unit_label
from parecon.web.members.models import Member


def _member(request: HttpRequest) -> Member:
    """The logged-in member (the views are behind ``login_required``)."""
    user = request.user
    assert isinstance(user, Member)
    return user


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(str(m) for m in exc.messages))


@login_required
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    decisions = Decision.objects.filter(chapter=chapter).select_related("created_by")[:200]
    return render(request, "decisions/list.html", {"chapter": chapter, "decisions": decisions})


def _proposal_form(request: HttpRequest, chapter: Chapter) -> ProposalForm:
    tree = tree_around(chapter, 1)
    units = [
        (u, unit_label(u))
        for u in sorted(tree.units)
        if u == f"chapter:{chapter.slug}"
        or chapter.slug in u
        or tree.units[u].parent == f"chapter:{chapter.slug}"
    ]
    members = [
        (m.pk, m.display_name)
        for m in Member.objects.filter(
            memberships__chapter=chapter, memberships__left_at__isnull=True
        ).order_by("name")
    ]
    return ProposalForm(request.POST or None, units=units, members=members)


@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    form = _proposal_form(request, chapter)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        grant = None
        if d.get("grant_member") and d.get("grant_role"):
            grant = (int(d["grant_member"]), d["grant_role"], int(d.get("grant_days") or 91))
        proposal = services.Proposal(
            title=d["title"],
            body=d["body"],
            method=d["method"],
            options=tuple(line.strip() for line in d["options"].splitlines() if line.strip()),
            affected_units=tuple(d["affected"]),
            levels=tuple(v.strip() for v in d["levels"].split(",") if v.strip()),
            threshold=d["threshold"],
            quorum_weight=d["quorum_weight"],
            quorum_heads=d["quorum_heads"],
            budget=d.get("budget"),
            goal=d.get("goal"),
            anonymous=d["anonymous"],
            results=d["results"],
            closes_at=d.get("closes_at"),
            reopen_threshold=d["reopen_threshold"],
            grant=grant,
        )
        try:
            decision = services.propose(_member(request), chapter, proposal)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("Proposed. Members can now see their weights and challenge them.")
            )
            return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/propose.html", {"chapter": chapter, "form": form})


def _vote_fields(decision: Decision) -> dict[str, Any]:
    method = sm.get_method(decision.method)
    if method.ballot == "choice":
        choices = [c.name for c in method.choices] if method.choices else list(decision.options)
        return {
            "kind": "choice",
            "choices": choices,
            "needs_reason": [c.name for c in method.choices if c.reason == "required"],
        }
    return {
        "kind": method.ballot,
        "options": list(decision.options),
        "marks": method.marks,
        "budget": decision.budget,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("chapter", "created_by"), pk=pk)
    permissions.require_member(request.user, decision.chapter)
    me: Member = request.user  # type: ignore[assignment]
    show = selectors.may_see_results(decision, me)
    live = None
    if show and decision.status == Status.VOTING:
        try:
            live = services.result_document(services.count(decision))
        except ValidationError:
            live = None
    roles = permissions.current_roles(me, decision.chapter)
    context = {
        "decision": decision,
        "method": sm.get_method(decision.method),
        "weights": selectors.weights_shown(decision),
        "my_weight": selectors.my_weight(decision, me),
        "voted": selectors.has_voted(decision, me),
        "show_results": show,
        "result": decision.result if decision.status == Status.CLOSED else live,
        "vote": _vote_fields(decision),
        "steer": decision.created_by_id == me.pk or bool(roles & {Role.FACILITATOR, Role.ADMIN}),
        "counts_room": bool(roles & {Role.FACILITATOR, Role.NOTE_TAKER}),
        "challenge_form": ChallengeForm(),
        "outcome_form": OutcomeForm(
            initial={"statement": decision.outcome, "review_on": decision.review_on}
        ),
        "minority_form": MinorityForm(),
        "scope_name": unit_label(decision.scope_unit) if decision.scope_unit else "",
        "challenges": decision.challenges.all(),
        "reports": decision.minority_reports.select_related("author"),
        "reopen_requests": decision.reopen_requests.filter(round=decision.round).count(),
        "receipt": request.session.pop(f"receipt-{decision.pk}", None),
    }
    return render(request, "decisions/detail.html", context)


def _ballot_data(request: HttpRequest, decision: Decision) -> dict[str, Any]:
    method = sm.get_method(decision.method)
    if method.ballot == "choice":
        return {"choice": request.POST.get("choice", ""), "reason": request.POST.get("reason", "")}
    if method.ballot == "ranking":
        ranks: dict[int, list[str]] = {}
        for i, option in enumerate(decision.options):
            raw = request.POST.get(f"rank_{i}", "").strip()
            if raw:
                try:
                    ranks.setdefault(int(raw), []).append(option)
                except ValueError as exc:
                    raise ValidationError(
                        _("A rank must be a whole number: %(v)s") % {"v": raw}
                    ) from exc
        return {"ranking": [ranks[k] for k in sorted(ranks)]}
    return {
        "marks": {
            o: request.POST.get(f"mark_{i}", "0") or "0" for i, o in enumerate(decision.options)
        }
    }


@require_POST
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    permissions.require_member(request.user, decision.chapter)
    try:
        cast = services.cast(_member(request), decision, _ballot_data(request, decision))
    except ValidationError as exc:
        _error(request, exc)
    else:
        request.session[f"receipt-{decision.pk}"] = cast.receipt
        messages.success(request, _("Your vote is counted."))
    return redirect("decisions:detail", pk=pk)


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    try:
        action(decision)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return redirect("decisions:detail", pk=pk)


@require_POST
@login_required
def open_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda d: services.open_voting(_member(request), d), _("Voting is open.")
    )


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: services.close(_member(request), d),
        _("The vote is closed and counted."),
    )


@require_POST
@login_required
def challenge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: services.challenge(_member(request), d, request.POST.get("reason", "")),
        _("Your challenge is a decision of the chapter now."),
    )


@require_POST
@login_required
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the outcome statement (and a valid review date)."))
        return redirect("decisions:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda d: services.write_outcome(
            _member(request), d, form.cleaned_data["statement"], form.cleaned_data.get("review_on")
        ),
        _("Outcome recorded."),
    )


@require_POST
@login_required
def minority(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: services.add_minority_report(_member(request), d, request.POST.get("text", "")),
        _("Minority report attached."),
    )


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda d: services.request_reopen(_member(request), d),
        _("Your request to reopen is recorded."),
    )


@require_POST
@login_required
def room_count(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    method = sm.get_method(decision.method)
    rows = []
    if method.ballot == "choice":
        choices = [c.name for c in method.choices] if method.choices else list(decision.options)
        for i, choice in enumerate(choices):
            n = request.POST.get(f"count_{i}", "").strip()
            if n and n != "0":
                rows.append(
                    {"choice": choice, "count": n, "weight": request.POST.get("weight", "1") or "1"}
                )
    else:
        rows.append(
            {
                "ranking" if method.ballot == "ranking" else "marks": request.POST.get(
                    "ballot", ""
                ),
                "count": request.POST.get("count", "1"),
                "weight": request.POST.get("weight", "1") or "1",
            }
        )
    return _act(
        request,
        pk,
        lambda d: services.enter_room_count(
            _member(request), d, rows, request.POST.get("note", "")
        ),
        _("The room's count is entered."),
    )


@login_required
def ballots_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballots, for recounting with ``parecon decide`` (after the close)."""
    decision = get_object_or_404(Decision, pk=pk)
    permissions.require_member(request.user, decision.chapter)
    if decision.status != Status.CLOSED:
        raise Http404
    response = HttpResponse(selectors.ballots_csv(decision), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}-ballots.csv"'
    return response
