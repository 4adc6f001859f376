"""Every write to decisions: one function per action, counted by the pure library.

Weights come from :func:`parecon.selfmanagement.weigh` over the chapter tree, the
count from :func:`parecon.selfmanagement.decide`; nothing here counts by itself.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon import selfmanagement as sm
from parecon.exceptions import InvalidValueError
from parecon.web.chapters.models import Chapter, GrantSource, Role
from parecon.web.chapters.permissions import has_role, require_member
from parecon.web.chapters.services import grant_role_by
from parecon.web.decisions.models import (
    Ballot,
    Decision,
    Kind,
    MinorityReport,
    Receipt,
    ReopenRequest,
    Status,
    Weight,
)
from parecon.web.decisions.units import chapter_unit, member_id, member_pk, tree_around
from parecon.web.history.services import record
from parecon.web.members.models import Member

DEFAULT_LEVELS = ("1", "1/4")


def _fraction(text: str, field: str) -> Fraction:
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError({field: _("Not a number: %(v)s") % {"v": text}}) from exc
    if value < 0:
        raise ValidationError({field: _("Must not be negative.")})
    return value


def _share(text: str, field: str) -> Fraction | None:
    if not str(text).strip():
        return None
    value = _fraction(text, field)
    if value > 1:
        raise ValidationError({field: _("A share is between 0 and 1.")})
    return value


def subject_of(decision: Decision) -> str:
    """What the count is about: a rule change names the exact text of the proposed rules."""
    if decision.kind == Kind.RULES:
        return str(_core(sm.RuleSet.from_dict, decision.payload["rules"]).fingerprint())
    return f"decision {decision.pk}"


def rules_of(decision: Decision) -> sm.DecisionRules:
    return sm.DecisionRules(
        quorum=sm.Quorum(
            weight=_share(decision.quorum_weight, "quorum_weight"),
            heads=_share(decision.quorum_heads, "quorum_heads"),
        ),
        threshold=_share(decision.threshold, "threshold"),
        budget=decision.budget,
        goal=decision.goal,
        subject=subject_of(decision),
    )


def method_of(decision: Decision) -> sm.Method:
    return sm.get_method(decision.method)


def _core(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the pure library; its value errors become form errors naming the field."""
    try:
        return call(*args, **kwargs)
    except InvalidValueError as exc:
        raise ValidationError(str(exc)) from exc
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def compute_weights(decision: Decision) -> sm.Weighting:
    """The members' weights by the decision's declared affectedness and rule."""
    levels = tuple(decision.weighting.get("levels") or DEFAULT_LEVELS)
    rule = sm.WeightingRule(
        levels=tuple(_fraction(v, "levels") for v in levels),
        stakes={
            k: _fraction(v, "stakes") for k, v in (decision.weighting.get("stakes") or {}).items()
        },
        combine=decision.weighting.get("combine", "max"),
    )
    tree = tree_around(decision.chapter, len(levels) - 1)
    units = tuple(decision.affected.get("units") or (chapter_unit(decision.chapter),))
    listed = {
        member_id(int(k)): _fraction(v, "listed")
        for k, v in (decision.affected.get("listed") or {}).items()
    }
    stakeholders = {
        category: tuple(member_id(int(pk)) for pk in pks)
        for category, pks in (decision.affected.get("stakeholders") or {}).items()
    }
    affected = sm.Affected(units=units, stakeholders=stakeholders, listed=listed)
    weighting: sm.Weighting = _core(sm.weigh, tree, affected, rule)
    return weighting


def _store_weights(decision: Decision) -> None:
    weighting = compute_weights(decision)
    decision.scope_unit = weighting.scope
    Weight.objects.filter(decision=decision).delete()
    Weight.objects.bulk_create(
        Weight(
            decision=decision,
            member_id=member_pk(label),
            weight=str(w),
            reasons=list(weighting.reasons.get(label, ())),
        )
        for label, w in weighting.weights.items()
    )


@dataclass(frozen=True)
class Proposal:
    """What a member proposes: the question, the method and who is affected."""

    title: str
    body: str = ""
    method: str = ""  # empty: the chapter's rules' default method
    options: tuple[str, ...] = ()
    affected_units: tuple[str, ...] = ()
    listed: tuple[tuple[int, str], ...] = ()
    levels: tuple[str, ...] = ()  # empty: the rules' weighting levels
    threshold: str = ""
    quorum_weight: str = ""
    quorum_heads: str = ""
    budget: int | None = None
    goal: int | None = None
    anonymous: bool = False
    results: str = "after_voting"
    closes_at: datetime | None = None
    reopen_threshold: int = 3
    grant: tuple[int, str, int] | None = None  # (member pk, role, days; 0: the rules' term)
    federated: bool = False
    pull_down_share: str = "1/2"
    #: Stakeholders by category: (category, weight or "" for the rules', member pks).
    stakes: tuple[tuple[str, str, tuple[int, ...]], ...] = ()


@transaction.atomic
def propose(
    actor: Member,
    chapter: Chapter,
    p: Proposal,
    *,
    challenge_of: Decision | None = None,
    kind: str = Kind.ORDINARY,
    payload: dict[str, Any] | None = None,
) -> Decision:
    """A member of the chapter proposes; weights are computed and open to challenge.

    What the proposal leaves empty (method, weighting levels, required share, quorum,
    a role's term) comes from the chapter's current rule set, whose version the
    decision records.
    """
    from parecon.web.decisions import rules as chapter_rules

    actor = require_member(actor, chapter)
    if not p.title.strip():
        raise ValidationError({"title": _("Give the proposal a title.")})
    version = chapter_rules.ensure_current(chapter)
    ruleset = chapter_rules.rule_set_of(version)
    method = _core(sm.get_method, p.method or ruleset.default_method)
    threshold = p.threshold
    if not threshold.strip() and method.name in ruleset.thresholds:
        threshold = str(ruleset.threshold(method.name))
    quorum_weight, quorum_heads = p.quorum_weight, p.quorum_heads
    if not quorum_weight.strip() and ruleset.quorum.weight is not None:
        quorum_weight = str(sm.exact(ruleset.quorum.weight))
    if not quorum_heads.strip() and ruleset.quorum.heads is not None:
        quorum_heads = str(sm.exact(ruleset.quorum.heads))
    levels = p.levels or tuple(str(sm.exact(v)) for v in ruleset.weighting.levels)
    stake_weights: dict[str, str] = {}
    stakeholders: dict[str, list[int]] = {}
    for category, weight, pks in p.stakes:
        category = category.strip()
        if not category or not pks:
            raise ValidationError({"stakes": _("A stake category needs a name and its members.")})
        if weight.strip():
            stake_weights[category] = str(_fraction(weight, "stakes"))
        elif category in ruleset.weighting.stakes:
            stake_weights[category] = str(sm.exact(ruleset.weighting.stakes[category]))
        else:
            raise ValidationError(
                {"stakes": _("Give the weight of the stake “%(c)s”.") % {"c": category}}
            )
        stakeholders[category] = sorted(set(pks))
    options = [o.strip() for o in p.options if o.strip()]
    if method.ballot != "choice" or not method.choices:
        if method.name in ("majority", "qualified_majority") and not options:
            options = ["yes", "no", "abstain"]
        if len(options) < 2:
            raise ValidationError({"options": _("This method needs at least two options.")})
        if len(set(options)) != len(options):
            raise ValidationError({"options": _("An option is listed twice.")})
    if method.marks == "dots" and not p.budget:
        raise ValidationError({"budget": _("A dot vote needs a budget of dots.")})
    if method.tally == "opt_in" and not p.goal:
        raise ValidationError({"goal": _("Say how many volunteers are needed.")})
    grant: dict[str, Any] = {}
    if p.grant is not None:
        grantee, role, days = p.grant
        days = days or ruleset.role_terms.get(role, 91)
        if role not in Role.values or days < 1:
            raise ValidationError(
                {"grant": _("A role grant needs a known role and a term in days.")}
            )
        grant = {"member": grantee, "role": role, "days": days}
    if p.federated:
        if not chapter.children.exists():
            raise ValidationError(
                {
                    "federated": _(
                        "Only a chapter with chapters within it can decide as a federation."
                    )
                }
            )
        if p.anonymous:
            raise ValidationError(
                {
                    "anonymous": _(
                        "A federated decision counts each chapter's ballots: not anonymous."
                    )
                }
            )
        _share(p.pull_down_share, "pull_down_share")
    decision = Decision(
        chapter=chapter,
        title=p.title.strip()[:200],
        body=p.body,
        method=method.name,
        options=options if not (method.ballot == "choice" and method.choices) else [],
        affected={
            "units": list(p.affected_units),
            "listed": {str(k): v for k, v in p.listed},
            "stakeholders": stakeholders,
        },
        weighting={"levels": list(levels), "stakes": stake_weights, "combine": "max"},
        threshold=threshold,
        quorum_weight=quorum_weight,
        quorum_heads=quorum_heads,
        budget=p.budget,
        goal=p.goal,
        anonymous=p.anonymous,
        results=p.results,
        closes_at=p.closes_at,
        reopen_threshold=max(1, p.reopen_threshold),
        grant=grant,
        challenge_of=challenge_of,
        created_by=actor,
        kind=kind,
        payload=payload or {},
        ruleset=version,
        federated=p.federated,
        pull_down_share=p.pull_down_share if p.federated else "1/2",
    )
    _core(rules_of(decision).check)
    decision.full_clean(exclude=["created_by", "chapter"])
    decision.save()
    _store_weights(decision)
    if decision.anonymous:
        _banded(decision)  # refuses when too few are affected to hide a weight
    record(
        "decision.proposed",
        _("%(actor)s proposed “%(title)s” (%(method)s).")
        % {"actor": actor.display_name, "title": decision.title, "method": method.name},
        actor=actor,
        chapter=chapter,
        subject=decision,
    )
    return decision


def _may_steer(member: Member, decision: Decision) -> bool:
    return decision.created_by_id == member.pk or has_role(
        member, decision.chapter, Role.FACILITATOR, Role.ADMIN
    )


@transaction.atomic
def challenge(actor: Member, decision: Decision, reason: str) -> Decision:
    """Challenge the weights: a quick consent decision of the whole scope."""
    actor = require_member(actor, decision.chapter)
    if decision.status != Status.WEIGHING:
        raise ValidationError(_("Weights can be challenged only before voting opens."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the weights.")})
    return propose(
        actor,
        decision.chapter,
        Proposal(
            title=_("Challenge to the weights of “%(t)s”") % {"t": decision.title},
            body=reason.strip(),
            method="consent",
            affected_units=(decision.scope_unit or chapter_unit(decision.chapter),),
            levels=("1",),
            reopen_threshold=decision.reopen_threshold,
        ),
        challenge_of=decision,
    )


@transaction.atomic
def open_voting(actor: Member, decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not _may_steer(actor, decision):
        raise PermissionDenied(_("Only the proposer or a facilitator may open the vote."))
    if decision.status != Status.WEIGHING:
        raise ValidationError(_("Voting is already open or closed."))
    if decision.challenges.exclude(status=Status.CLOSED).exists():
        raise ValidationError(_("A challenge to the weights is still open."))
    _store_weights(decision)  # as they stand now (members may have joined)
    decision.status = Status.VOTING
    decision.opened_at = timezone.now()
    decision.save(update_fields=["status", "opened_at", "scope_unit"])
    record(
        "decision.opened",
        _("Voting opened on “%(title)s”.") % {"title": decision.title},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
    )
    return decision


def _ballot_of(
    decision: Decision, label: str, data: dict[str, Any], weight: str, count: int = 1
) -> sm.Ballot:
    method = method_of(decision)
    if method.ballot == "choice":
        return sm.Ballot(
            label,
            weight,
            choice=str(data.get("choice", "")),
            reason=str(data.get("reason", "")),
            count=count,
        )
    if method.ballot == "ranking":
        ranking = data.get("ranking")
        if isinstance(ranking, str):
            ranking = _core(sm.parse_ranking, ranking)
        tiers = tuple(tuple(str(o) for o in tier) for tier in (ranking or ()))
        return sm.Ballot(label, weight, ranking=tiers, count=count)
    raw = data.get("marks") or {}
    if isinstance(raw, str):  # "a=3, b=2" as a room's note-taker types it
        pairs = [part.split("=", 1) for part in raw.split(",") if part.strip()]
        if any(len(p) != 2 for p in pairs):
            raise ValidationError(
                {"marks": _("Write marks as option=number, separated by commas.")}
            )
        raw = {k.strip(): v.strip() for k, v in pairs}
    marks = {str(k): _fraction(v, f"marks[{k}]") for k, v in raw.items()}
    return sm.Ballot(label, weight, marks=marks, count=count)


def _check_ballot(decision: Decision, ballot: sm.Ballot) -> None:
    """Validate one ballot with the engine (a BallotError names the field)."""
    _core(
        sm.decide,
        decision.method,
        [ballot],
        options=decision.options or None,
        rules=rules_of(decision),
    )


def _banded(decision: Decision) -> sm.WeightBands:
    """Weights in bands of at least three members, for anonymous ballots."""
    weights = {str(w.member_id): Fraction(w.weight) for w in decision.weights.all()}
    return _core(sm.weight_bands, weights)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Cast:
    ballot: Ballot
    receipt: str


@transaction.atomic
def cast(actor: Member, decision: Decision, data: dict[str, Any]) -> Cast:
    """Vote once per round, with the weight one has in this decision."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Status.VOTING:
        raise ValidationError(_("This decision is not open for voting."))
    if decision.closes_at and timezone.now() > decision.closes_at:
        raise ValidationError(_("The deadline has passed."))
    weight = Weight.objects.filter(decision=decision, member=actor).first()
    if weight is None or not actor.is_active:
        raise PermissionDenied(_("You are not among those this decision affects."))
    already = (
        Receipt.objects.filter(decision=decision, round=decision.round, member=actor).exists()
        if decision.anonymous
        else Ballot.objects.filter(decision=decision, round=decision.round, voter=actor).exists()
    )
    if already:
        raise ValidationError(_("You have already voted in this round."))
    ballot_weight = weight.weight
    if decision.anonymous:
        ballot_weight = str(_banded(decision).weight(str(actor.pk)))
    code = secrets.token_urlsafe(12)
    label = ("anon-" + secrets.token_hex(8)) if decision.anonymous else member_id(actor.pk)
    core_ballot = _ballot_of(decision, label, data, ballot_weight)
    _check_ballot(decision, core_ballot)
    ballot = Ballot.objects.create(
        decision=decision,
        round=decision.round,
        voter=None if decision.anonymous else actor,
        label=label,
        weight=ballot_weight,
        choice=core_ballot.choice or "",
        reason=core_ballot.reason[:2000],
        ranking=[list(t) for t in core_ballot.ranking],
        marks={k: str(v) for k, v in core_ballot.marks.items()},
        receipt_digest=hashlib.sha256(code.encode()).hexdigest(),
        unit=unit_of_voter(decision, actor.pk) if decision.federated else "",
    )
    if decision.anonymous:
        Receipt.objects.create(decision=decision, round=decision.round, member=actor)
    record(
        "decision.voted",
        _("A vote was cast on “%(title)s”.") % {"title": decision.title},
        actor=None if decision.anonymous else actor,
        chapter=decision.chapter,
        subject=decision,
        public=False,
    )
    return Cast(ballot, code)


@transaction.atomic
def enter_room_count(
    actor: Member, decision: Decision, rows: list[dict[str, Any]], note: str = ""
) -> list[Ballot]:
    """Ballots counted on paper in a room, entered with their counts by the note-taker
    or a facilitator; each row is a choice (or ranking/marks), a count and a weight."""
    if not has_role(actor, decision.chapter, Role.FACILITATOR, Role.NOTE_TAKER):
        raise PermissionDenied(_("Only a facilitator or note-taker enters a room's count."))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Status.VOTING:
        raise ValidationError(_("This decision is not open for voting."))
    if decision.federated:
        raise ValidationError(
            _("A federated decision is counted per chapter: enter room counts there.")
        )
    made = []
    for i, row in enumerate(rows, start=1):
        try:
            count = int(row.get("count", 1))
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                {"count": _("Row %(i)d: the count is not a whole number.") % {"i": i}}
            ) from exc
        if count < 1:
            raise ValidationError(
                {"count": _("Row %(i)d: the count must be at least 1.") % {"i": i}}
            )
        weight = str(_fraction(row.get("weight", "1"), "weight"))
        label = f"room-{decision.round}-{Ballot.objects.filter(decision=decision).count() + i}"
        core_ballot = _ballot_of(decision, label, row, weight, count)
        _check_ballot(decision, core_ballot)
        made.append(
            Ballot.objects.create(
                decision=decision,
                round=decision.round,
                label=label,
                weight=weight,
                choice=core_ballot.choice or "",
                reason=core_ballot.reason[:2000],
                ranking=[list(t) for t in core_ballot.ranking],
                marks={k: str(v) for k, v in core_ballot.marks.items()},
                count=count,
                source=Ballot.Source.ROOM,
                entered_by=actor,
            )
        )
    record(
        "decision.room_count",
        _("%(actor)s entered %(n)d ballots counted in the room. %(note)s")
        % {"actor": actor.display_name, "n": sum(b.count for b in made), "note": note[:200]},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
    )
    return made


def unit_of_voter(decision: Decision, pk: int) -> str:
    """The member chapter a voter votes in (the federation itself for its own members)."""
    from parecon.web.decisions.federated import member_units

    for unit, members in member_units(decision.chapter).items():
        if pk in members:
            return unit
    return chapter_unit(decision.chapter)


def count(decision: Decision) -> sm.DecisionResult:
    """The result of the current round as it stands (online and room ballots)."""
    if decision.federated:
        from parecon.web.decisions.federated import count_federated

        return count_federated(decision).result
    ballots = [
        sm.Ballot(
            b.label,
            b.weight,
            choice=b.choice or None,
            reason=b.reason,
            ranking=tuple(tuple(t) for t in b.ranking),
            marks={k: Fraction(v) for k, v in b.marks.items()},
            count=b.count,
        )
        for b in decision.ballots.filter(round=decision.round).order_by("pk")
    ]
    electorate = {member_id(w.member_id): Fraction(w.weight) for w in decision.weights.all()}
    if decision.anonymous:
        electorate = {member_id(int(k)): w for k, w in _banded(decision).weights().items()}
        # Members who voted stand in the electorate as their anonymous ballots (same
        # weights in total, same heads), so no ballot is tied to a member.
        voted = Receipt.objects.filter(decision=decision, round=decision.round)
        for pk in voted.values_list("member_id", flat=True):
            electorate.pop(member_id(pk), None)
    for b in ballots:
        if b.voter.startswith(("room-", "anon-")) and b.count == 1:
            electorate[b.voter] = Fraction(b.weight)  # type: ignore[arg-type]
    result: sm.DecisionResult = _core(
        sm.decide,
        decision.method,
        ballots,
        options=decision.options or None,
        electorate=electorate,
        rules=rules_of(decision),
    )
    return result


def tally(decision: Decision) -> dict[str, Any]:
    """The current round's result as stored (with each member chapter's, if federated)."""
    if decision.federated:
        from parecon.web.decisions.federated import count_federated, federated_document

        return federated_document(count_federated(decision))
    return result_document(count(decision))


def result_document(result: sm.DecisionResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome,
        "winner": result.winner,
        "ranking": [list(t) for t in result.ranking],
        "totals": [
            {
                "option": t.option,
                "weighted": str(t.weighted),
                "unweighted": str(t.unweighted),
                "share": str(t.share),
            }
            for t in result.totals
        ],
        "agreement": [
            {
                "option": a.option,
                "level": a.level,
                "weighted": str(a.weighted),
                "unweighted": str(a.unweighted),
            }
            for a in result.agreement
        ],
        "turnout": {
            "weight_cast": str(result.turnout.weight_cast),
            "heads_cast": result.turnout.heads_cast,
            "weight_eligible": None
            if result.turnout.weight_eligible is None
            else str(result.turnout.weight_eligible),
            "heads_eligible": result.turnout.heads_eligible,
            "quorum_met": result.turnout.quorum_met,
        },
        "reasons": [{"choice": r.choice, "reason": r.reason} for r in result.reasons],
    }


@transaction.atomic
def close(actor: Member, decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not _may_steer(actor, decision):
        raise PermissionDenied(_("Only the proposer or a facilitator may close the vote."))
    if decision.status != Status.VOTING:
        raise ValidationError(_("Only an open vote can be closed."))
    result = count(decision)
    decision.result = tally(decision) if decision.federated else result_document(result)
    decision.status = Status.CLOSED
    decision.closed_at = timezone.now()
    decision.save(update_fields=["result", "status", "closed_at"])
    record(
        "decision.closed",
        _("“%(title)s” closed: %(outcome)s.")
        % {"title": decision.title, "outcome": decision.result["outcome"]},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
        data=decision.result,
    )
    _apply(decision, result)
    return decision


def _apply(decision: Decision, result: sm.DecisionResult) -> None:
    """What an adopted decision does by itself: a role grant, a challenge upheld, new
    rules (if valid under the current ones), an amended document."""
    if decision.kind == Kind.RULES:
        from parecon.web.decisions.rules import apply_rule_change

        apply_rule_change(decision, result)
    if decision.kind == Kind.AMENDMENT:
        from parecon.web.decisions.amendments import apply_amendment

        apply_amendment(decision)
    adopted = decision.result.get("outcome") in ("adopted", "chosen", "filled")
    if adopted and decision.grant:
        member = Member.objects.get(pk=decision.grant["member"])
        now = timezone.now()
        grant_role_by(
            GrantSource.DECISION,
            str(decision.pk),
            decision.chapter,
            member,
            decision.grant["role"],
            starts_at=now,
            ends_at=now + timedelta(days=int(decision.grant["days"])),
        )
    if decision.challenge_of_id and adopted:
        parent = decision.challenge_of
        assert parent is not None
        record(
            "decision.weights_upheld_challenge",
            _("The challenge to the weights of “%(t)s” was adopted: its proposer must revise them.")
            % {"t": parent.title},
            actor=None,
            chapter=parent.chapter,
            subject=parent,
        )


@transaction.atomic
def write_outcome(
    actor: Member, decision: Decision, statement: str, review_on: date | None
) -> Decision:
    if not _may_steer(actor, decision):
        raise PermissionDenied(_("Only the proposer or a facilitator writes the outcome."))
    if decision.status != Status.CLOSED:
        raise ValidationError(_("The outcome is written once the vote has closed."))
    decision.outcome = statement.strip()[:5000]
    decision.review_on = review_on
    decision.save(update_fields=["outcome", "review_on"])
    record(
        "decision.outcome",
        _("Outcome of “%(title)s”: %(text)s")
        % {"title": decision.title, "text": decision.outcome[:300]},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
    )
    return decision


@transaction.atomic
def add_minority_report(actor: Member, decision: Decision, text: str) -> MinorityReport:
    """Anyone the decision affects (in a federation, members of its chapters too)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Only those this decision affects attach minority reports."))
    if not Weight.objects.filter(decision=decision, member=actor).exists():
        raise PermissionDenied(_("Only those this decision affects attach minority reports."))
    if not text.strip():
        raise ValidationError({"text": _("A minority report needs its text.")})
    report = MinorityReport.objects.create(decision=decision, author=actor, text=text.strip())
    record(
        "decision.minority_report",
        _("%(actor)s attached a minority report to “%(title)s”.")
        % {"actor": actor.display_name, "title": decision.title},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
    )
    return report


@transaction.atomic
def request_reopen(actor: Member, decision: Decision) -> Decision:
    """Ask to reopen a closed decision; enough requests reopen it for a new round."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not Weight.objects.filter(decision=decision, member=actor).exists():
        raise PermissionDenied(_("Only those this decision affects may ask to reopen it."))
    if decision.status != Status.CLOSED:
        raise ValidationError(_("Only a closed decision can be reopened."))
    _request, created = ReopenRequest.objects.get_or_create(
        decision=decision, member=actor, round=decision.round
    )
    if not created:
        raise ValidationError(_("You have already asked to reopen it."))
    n = ReopenRequest.objects.filter(decision=decision, round=decision.round).count()
    if n >= decision.reopen_threshold:
        decision.round += 1
        decision.status = Status.VOTING
        decision.closed_at = None
        decision.save(update_fields=["round", "status", "closed_at"])
        record(
            "decision.reopened",
            _("“%(title)s” was reopened by %(n)d members' requests.")
            % {"title": decision.title, "n": n},
            actor=None,
            chapter=decision.chapter,
            subject=decision,
        )
    return decision
