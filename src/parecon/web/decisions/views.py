"""Decision pages: propose, see and challenge weights, vote, count, write the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon import selfmanagement as sm
from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter, Role
from parecon.web.decisions import amendments, federated, rules, selectors, services
from parecon.web.decisions.forms import (
    AmendmentForm,
    ChallengeForm,
    DocumentForm,
    MinorityForm,
    OutcomeForm,
    ProposalForm,
    RulesForm,
)
from parecon.web.decisions.models import Amendment, Decision, Document, Kind, Status
from parecon.web.decisions.units import tree_around, unit_label
from parecon.web.members.models import Member
from parecon.web.site.outcomes import flash_error


def _member(request: HttpRequest) -> Member:
    """The logged-in member (the views are behind ``login_required``)."""
    user = request.user
    assert isinstance(user, Member)
    return user


@login_required
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    decisions = Decision.objects.filter(chapter=chapter).select_related("created_by")[:200]
    # Decisions of the federations above that affect this member (they vote there).
    above = Decision.objects.filter(
        chapter__in=chapter.ancestors(), weights__member=_member(request)
    ).select_related("chapter")[:50]
    return render(
        request,
        "decisions/list.html",
        {"chapter": chapter, "decisions": decisions, "above": above},
    )


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


def _stakes(text: str, members: dict[str, int]) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """``name = weight: Ana, Ben`` lines as stake categories of the chapter's members."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, names = line.partition(":")
        if not sep:
            raise ValidationError(
                {
                    "stakes": _("Line %(n)d: write the category, a colon and the names.")
                    % {"n": number}
                }
            )
        category, _eq, weight = head.partition("=")
        pks = []
        for name in (n.strip() for n in names.split(",")):
            if not name:
                continue
            if name.casefold() not in members:
                raise ValidationError(
                    {
                        "stakes": _("Line %(n)d: no member called %(name)s.")
                        % {"n": number, "name": name}
                    }
                )
            pks.append(members[name.casefold()])
        out.append((category.strip(), weight.strip(), tuple(pks)))
    return tuple(out)


@login_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    form = _proposal_form(request, chapter)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        grant = None
        if d.get("grant_member") and d.get("grant_role"):
            grant = (int(d["grant_member"]), d["grant_role"], int(d.get("grant_days") or 0))
        chapter_members = {
            m.display_name.casefold(): m.pk
            for m in Member.objects.filter(
                memberships__chapter=chapter, memberships__left_at__isnull=True
            )
        }
        try:
            stakes = _stakes(d.get("stakes", ""), chapter_members)
        except ValidationError as exc:
            flash_error(request, exc)
            return render(request, "decisions/propose.html", {"chapter": chapter, "form": form})
        proposal = services.Proposal(
            stakes=stakes,
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
            federated=d["federated"],
            pull_down_share=d.get("pull_down_share") or "1/2",
        )
        try:
            decision = services.propose(_member(request), chapter, proposal)
        except ValidationError as exc:
            flash_error(request, exc)
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
    selectors.require_reader(request.user, decision)
    me: Member = request.user  # type: ignore[assignment]
    show = selectors.may_see_results(decision, me)
    live = None
    if show and decision.status == Status.VOTING:
        try:
            live = services.tally(decision)
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
        **_kind_context(decision, me),
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
    selectors.require_reader(request.user, decision)
    try:
        cast = services.cast(_member(request), decision, _ballot_data(request, decision))
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        request.session[f"receipt-{decision.pk}"] = cast.receipt
        messages.success(request, _("Your vote is counted."))
    return redirect("decisions:detail", pk=pk)


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    try:
        action(decision)
    except ValidationError as exc:
        flash_error(request, exc)
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
    selectors.require_reader(request.user, decision)
    if decision.status != Status.CLOSED:
        raise Http404
    response = HttpResponse(selectors.ballots_csv(decision), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.pk}-ballots.csv"'
    return response


def _kind_context(decision: Decision, me: Member) -> dict[str, Any]:
    """What a rule change, an amendment or a federated decision shows besides."""
    context: dict[str, Any] = {
        "review_due": decision.review_on is not None
        and decision.status == Status.CLOSED
        and decision.review_on <= timezone.localdate(),
    }
    if decision.kind == Kind.RULES:
        base = decision.ruleset.rules if decision.ruleset else {}
        context["rule_changes"] = rules.changes(base, decision.payload.get("rules", {}))
    if decision.kind == Kind.AMENDMENT:
        am = Amendment.objects.select_related("document").filter(decision=decision).first()
        if am is not None:
            left, right = amendments.diff(am.before, am.after)
            context["amendment"] = {"a": am, "before": left, "after": right}
    state = federated.pull_down_state(decision) if decision.federated else None
    if state is not None:
        units = federated.member_units(decision.chapter)
        slugs = [u.partition(":")[2] for u in units]
        mine = [
            c
            for c in Chapter.objects.filter(slug__in=slugs).order_by("name")
            if permissions.has_role(me, c, Role.FACILITATOR, Role.ADMIN)
        ]
        context["pull_down"] = {
            "state": state,
            "units": len(units),
            "mine": mine,
            "asked": set(decision.pull_downs.values_list("unit__slug", flat=True)),
        }
    return context


@require_POST
@login_required
def pull_down(request: HttpRequest, pk: int) -> HttpResponse:
    unit = Chapter.objects.filter(slug=request.POST.get("unit", "")).first()
    if unit is None:
        messages.error(request, _("Choose the member chapter that asks."))
        return redirect("decisions:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda d: federated.request_pull_down(_member(request), d, unit),
        _("Your chapter's request for a direct vote is recorded."),
    )


# Rules -------------------------------------------------------------------------------


def _rules_initial(ruleset: sm.RuleSet) -> dict[str, str]:
    data = ruleset.as_dict()
    return {
        "default_method": ruleset.default_method,
        "change_method": ruleset.change_method,
        "quorum_weight": data["quorum"]["weight"] or "",
        "quorum_heads": data["quorum"]["heads"] or "",
        "levels": ", ".join(data["weighting"]["levels"]),
        "stakes": ", ".join(f"{k}={v}" for k, v in data["weighting"]["stakes"].items()),
        "thresholds": ", ".join(f"{k}={v}" for k, v in data["thresholds"].items()),
        "role_terms": ", ".join(f"{k}={v}" for k, v in data["role_terms"].items()),
    }


@login_required
def rules_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The chapter's rules now, every earlier version (with what changed), and a form to
    propose the next version."""
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    versions = list(selectors.rule_versions(chapter))
    current = rules.rule_set_of(versions[0] if versions else None)
    history = [
        {
            "v": v,
            "changes": rules.changes(versions[i + 1].rules, v.rules)
            if i + 1 < len(versions)
            else [],
        }
        for i, v in enumerate(versions)
    ]
    pending = Decision.objects.filter(chapter=chapter, kind=Kind.RULES).exclude(
        status=Status.CLOSED
    )
    form = RulesForm(request.POST or None, initial=_rules_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            data = rules.rules_from_form(current, form.cleaned_data)
            decision = rules.propose_rule_change(
                _member(request), chapter, data, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(
                request, _("Your change of the rules is a decision of the chapter now.")
            )
            return redirect("decisions:detail", pk=decision.pk)
    return render(
        request,
        "decisions/rules.html",
        {
            "chapter": chapter,
            "current": current.as_dict(),
            "history": history,
            "pending": pending,
            "form": form,
        },
    )


# Documents ---------------------------------------------------------------------------


@login_required
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    is_admin = permissions.has_role(request.user, chapter, Role.ADMIN)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = amendments.create_document(
                _member(request),
                chapter,
                title=form.cleaned_data["title"],
                type=form.cleaned_data["type"],
                clauses=form.clauses(),
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("The document is written (version 1)."))
            return redirect("decisions:document", pk=doc.pk)
    return render(
        request,
        "decisions/documents.html",
        {
            "chapter": chapter,
            "documents": Document.objects.filter(chapter=chapter),
            "form": form if is_admin else None,
        },
    )


def _document(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, document.chapter)
    return document


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document at its latest version (or ``?version=N``), each clause with its open
    amendments and a form to propose one."""
    doc = _document(request, pk)
    latest = amendments.latest(doc)
    shown = latest
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = get_object_or_404(doc.versions, number=int(wanted))
    pending: dict[str, list[Amendment]] = {}
    for am in doc.amendments.select_related("decision").exclude(decision__status=Status.CLOSED):
        pending.setdefault(am.clause, []).append(am)
    clauses = [
        {
            "n": n,
            "c": c,
            "pending": pending.get(c["key"], []),
            "form": AmendmentForm(
                initial={"clause": c["key"], "heading": c["heading"], "text": c["text"]},
                auto_id=f"id_{c['key']}_%s",
            ),
        }
        for n, c in enumerate(shown.clauses, start=1)
    ]
    return render(
        request,
        "decisions/document.html",
        {
            "document": doc,
            "version": shown,
            "latest": latest,
            "clauses": clauses,
            "new_form": AmendmentForm(initial={"clause": "new"}, auto_id="id_new_%s"),
            "new_pending": [a for k, v in pending.items() for a in v if not a.before],
        },
    )


@login_required
def document_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version, newest first, with the clauses it changed side by side."""
    doc = _document(request, pk)
    versions = list(doc.versions.select_related("amendment__decision").order_by("-number"))
    rows = [
        {
            "v": v,
            "changes": amendments.version_changes(
                versions[i + 1] if i + 1 < len(versions) else None, v
            ),
        }
        for i, v in enumerate(versions)
    ]
    overtaken = doc.amendments.filter(
        decision__status=Status.CLOSED, decision__result__outcome="adopted", applied__isnull=True
    ).select_related("decision")
    return render(
        request,
        "decisions/document_history.html",
        {"document": doc, "rows": rows, "overtaken": overtaken},
    )


@require_POST
@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(Document, pk=pk)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the new text of the clause."))
        return redirect("decisions:document", pk=pk)
    try:
        am = amendments.propose_amendment(
            _member(request),
            doc,
            form.cleaned_data["clause"],
            form.cleaned_data["text"],
            heading=form.cleaned_data["heading"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        flash_error(request, exc)
        return redirect("decisions:document", pk=pk)
    messages.success(request, _("Your amendment is a decision of the chapter now."))
    return redirect("decisions:detail", pk=am.decision_id)


@login_required
def amend_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The text before and after, side by side (HTMX, as the member types)."""
    doc = _document(request, pk)
    key = request.GET.get("clause", "")
    found = amendments.clause_of(amendments.latest(doc), key)
    before = found["text"] if found else ""
    left, right = amendments.diff(before, request.GET.get("text", "")[:10_000])
    return render(request, "decisions/diff.html", {"before": left, "after": right})
