"""Every write of a plan: opening it, drafting and submitting proposals, reviews, ratifying.

One function per action; authorisation and validation inside; one transaction;
a history event for each change a person makes (drafts are kept as immutable
:class:`ProposalVersion` rows instead, one per save). Closing a round is in
:mod:`parecon.web.planning.closing`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.engine import available_rules
from parecon.exceptions import PareconError
from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import require_role
from parecon.web.councils.models import Council, CouncilKind
from parecon.web.councils.permissions import require_council_member, require_facilitator
from parecon.web.history.services import record
from parecon.web.planning import accounting, counted
from parecon.web.planning.catalogue import GoodSpec, engine_goods, simulated_populations
from parecon.web.planning.facilitation import board_to_json, carry_state, new_board
from parecon.web.planning.models import (
    CONSUMED,
    PRODUCED,
    USED,
    Consent,
    Good,
    Participant,
    Plan,
    PlanStatus,
    Proposal,
    ProposalLine,
    ProposalStatus,
    ProposalVersion,
    Ratification,
    Review,
    Round,
    RoundStatus,
    Verdict,
    VersionKind,
)
from parecon.web.planning.permissions import require_plan_facilitator

if TYPE_CHECKING:
    from parecon.web.members.models import Member

Key = tuple[str, int]  # (side, good index)

#: ``hook(actor, plan)`` runs at the end of :func:`open_plan`, inside its transaction
#: (the effort app sets households' budgets from their members' allowances).
PLAN_OPENED_HOOKS: list[Callable[[Member, Plan], None]] = []


# ---------------------------------------------------------------- opening a plan


@dataclass(frozen=True)
class PlanSettings:
    name: str
    period: str
    goods: Sequence[GoodSpec]
    councils: Sequence[tuple[Council, float | None]]
    rule: str = "informed"
    tolerance: float = 0.03
    max_rounds: int = 20
    round_days: int = 7
    deadlines: Sequence[datetime] = ()
    default_budget: float | None = None
    simulation: Mapping[str, Any] = field(default_factory=dict)
    federation: Council | None = None
    previous: Plan | None = None
    revision_limit: float | None = None
    revision_from: int = 3


def _check_settings(chapter: Chapter, s: PlanSettings) -> None:
    if not s.name.strip():
        raise ValidationError({"name": _("Give the plan a name.")})
    if not s.period.strip():
        raise ValidationError({"period": _("Say which period the plan is for (say 2027).")})
    if s.rule not in available_rules():
        raise ValidationError(
            {
                "rule": _("Unknown price rule %(r)r; one of %(all)s.")
                % {"r": s.rule, "all": ", ".join(available_rules())}
            }
        )
    if not (math.isfinite(s.tolerance) and 0 < s.tolerance < 1):
        raise ValidationError({"tolerance": _("The tolerance is a fraction between 0 and 1.")})
    if not 1 <= s.max_rounds <= 1000:
        raise ValidationError({"max_rounds": _("The round limit is between 1 and 1000.")})
    if not 1 <= s.round_days <= 365:
        raise ValidationError({"round_days": _("A round lasts between 1 and 365 days.")})
    if s.revision_limit is not None and not (
        math.isfinite(s.revision_limit) and 0 < s.revision_limit <= 10
    ):
        raise ValidationError(
            {"revision_limit": _("The revision limit is a share above 0 (0.5: ±50%), at most 10.")}
        )
    if not 2 <= s.revision_from <= 1000:
        raise ValidationError(
            {"revision_from": _("Revision limits start in round 2 or later (at most 1000).")}
        )
    if not s.goods:
        raise ValidationError({"goods": _("A plan needs goods.")})
    now = timezone.now()
    for i, d in enumerate(s.deadlines):
        if d <= now or (i and d <= s.deadlines[i - 1]):
            raise ValidationError(
                {
                    "deadlines": _("Deadline %(n)d must be in the future and after the one before.")
                    % {"n": i + 1}
                }
            )
    if not s.councils:
        raise ValidationError({"councils": _("Choose the councils taking part.")})
    seen: set[int] = set()
    for council, budget in s.councils:
        if council.pk in seen:
            raise ValidationError({"councils": _("%(c)s is listed twice.") % {"c": council}})
        seen.add(council.pk)
        if council.chapter_id != chapter.pk and chapter not in council.chapter.ancestors():
            raise ValidationError(
                {"councils": _("%(c)s is not a council of %(ch)s.") % {"c": council, "ch": chapter}}
            )
        b = budget if budget is not None else s.default_budget
        if council.kind == CouncilKind.CONSUMER and not (
            b is not None and math.isfinite(b) and b > 0
        ):
            raise ValidationError(
                {"councils": _("Consumer council %(c)s needs a positive budget.") % {"c": council}}
            )


def _simulated_consumers(populations: Sequence[Any]) -> int:
    from parecon.engine import CESConsumers, CobbDouglasConsumers

    return sum(
        p.n_councils for p in populations if isinstance(p, CobbDouglasConsumers | CESConsumers)
    )


@transaction.atomic
def open_plan(actor: Member, chapter: Chapter, settings: PlanSettings) -> Plan:
    """A facilitator of the federation (or chapter) opens a plan and its first round."""
    if settings.federation is not None:
        actor = require_facilitator(actor, settings.federation)
        if settings.federation.chapter_id != chapter.pk:
            raise ValidationError({"federation": _("The federation belongs to another chapter.")})
    else:
        actor = require_role(actor, chapter, Role.FACILITATOR)
    _check_settings(chapter, settings)
    try:
        goods_table = engine_goods(settings.goods)
    except PareconError as exc:
        raise ValidationError({"goods": str(exc)}) from None
    prices = [g.price for g in settings.goods]
    rule_state = None
    previous = settings.previous
    if previous is not None:
        if previous.chapter_id != chapter.pk or previous.status != PlanStatus.RATIFIED:
            raise ValidationError(
                {"previous": _("Carry over only a ratified plan of this chapter.")}
            )
        last_prices = dict(
            zip(
                previous.goods.values_list("name", flat=True),
                previous.board_state.get("prices", []),
                strict=False,
            )
        )
        prices = [last_prices.get(g.name, g.price) for g in settings.goods]
        if previous.rule == settings.rule and [g.name for g in settings.goods] == list(last_prices):
            rule_state = carry_state(previous.board_state)
    simulation = dict(settings.simulation)
    if simulation:
        populations = simulated_populations(simulation, settings.goods)
        simulation["n_consumers"] = _simulated_consumers(populations)
        simulation["n_councils"] = sum(p.n_councils for p in populations)
    try:
        board = new_board(
            settings.rule,
            prices,
            goods_table,
            tolerance=settings.tolerance,
            max_rounds=settings.max_rounds,
            rule_state=rule_state,
        )
    except PareconError as exc:
        raise ValidationError(str(exc)) from None
    plan = Plan.objects.create(
        chapter=chapter,
        federation=settings.federation,
        name=settings.name.strip()[:200],
        period=settings.period.strip()[:40],
        rule=settings.rule,
        tolerance=settings.tolerance,
        max_rounds=settings.max_rounds,
        round_days=settings.round_days,
        revision_limit=settings.revision_limit,
        revision_from=settings.revision_from,
        schedule=[d.isoformat() for d in settings.deadlines],
        board_state=board_to_json(board),
        simulation=simulation,
        previous=previous,
        created_by=actor,
    )
    Good.objects.bulk_create(
        Good(plan=plan, index=i, name=g.name, unit=g.unit, category=g.category, initial_price=p)
        for i, (g, p) in enumerate(zip(settings.goods, prices, strict=True))
    )
    Participant.objects.bulk_create(
        Participant(
            plan=plan,
            council=c,
            budget=(b if b is not None else settings.default_budget)
            if c.kind == CouncilKind.CONSUMER
            else None,
        )
        for c, b in settings.councils
    )
    Round.objects.create(plan=plan, number=1, deadline=deadline_of(plan, 1), prices=prices)
    for hook in PLAN_OPENED_HOOKS:
        hook(actor, plan)
    record(
        "plan.opened",
        _("%(actor)s opened the plan %(plan)s with %(goods)d goods and %(councils)d councils.")
        % {
            "actor": actor.display_name,
            "plan": plan,
            "goods": len(settings.goods),
            "councils": len(settings.councils),
        },
        actor=actor,
        chapter=chapter,
        subject=plan,
        data={"rule": plan.rule, "tolerance": plan.tolerance, "simulation": simulation},
    )
    return plan


def deadline_of(plan: Plan, number: int, after: datetime | None = None) -> datetime:
    """Round ``number``'s deadline: from the schedule, else ``round_days`` after the last."""
    if number <= len(plan.schedule):
        return datetime.fromisoformat(plan.schedule[number - 1])
    start = after or timezone.now()
    return start + timedelta(days=plan.round_days)


# ---------------------------------------------------------------- drafting


def allowed_keys(council: Council, goods: Sequence[Good]) -> list[Key]:
    """The (side, good) lines a council proposes: requests, or outputs and inputs."""
    if council.kind == CouncilKind.CONSUMER:
        return [("demand", g.index) for g in goods if g.category in CONSUMED]
    outputs = [("supply", g.index) for g in goods if g.category in PRODUCED]
    return outputs + [("demand", g.index) for g in goods if g.category in USED]


def quantities_of(
    lines: Sequence[ProposalLine] | Mapping[Key, float],
) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {"supply": {}, "demand": {}}
    items = (
        lines.items()
        if isinstance(lines, Mapping)
        else (((ln.side, ln.good.index), ln.quantity) for ln in lines)
    )
    for (side, index), q in items:
        if q > 0:
            result[side][str(index)] = float(q)
    return result


def participant(plan: Plan, council: Council) -> Participant:
    found = Participant.objects.filter(plan=plan, council=council).first()
    if found is None:
        raise PermissionDenied(_("%(c)s does not take part in %(p)s.") % {"c": council, "p": plan})
    return found


def _locked(proposal: Proposal, *related: str) -> Proposal:
    """The proposal re-read under row locks, its open round's row first, in one order for
    every writer of a round (the close locks the round, then the plan, then proposals):
    PostgreSQL would abort one of two transactions that took the same rows in opposite
    orders. ``select_for_update`` needs a transaction (PostgreSQL refuses it outside
    one); ``of`` locks these rows only, not the plan's, chapter's or council's joined.
    """
    round_ = (
        Round.objects.select_for_update(of=("self",))
        .select_related("plan__chapter")
        .get(pk=proposal.round_id)
    )
    _open_round(round_)
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("council", *related)
        .get(pk=proposal.pk)
    )
    locked.round = round_
    return locked


def _open_round(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("Round %(n)d is closed.") % {"n": round_.number})


def counted_before(plan: Plan, council: Council, number: int) -> ProposalVersion | None:
    """The council's proposal the board counted in the last round before ``number``."""
    earlier = (
        Proposal.objects.filter(round__plan=plan, council=council, round__number__lt=number)
        .exclude(counted=None)
        .select_related("counted")
        .order_by("-round__number")
        .first()
    )
    return earlier.counted if earlier is not None else None


def draft_for(member: Member, round_: Round, council: Council) -> Proposal:
    """The council's draft in this round, made on first use and pre-filled from its last one.

    Reading an existing draft takes no transaction: on SQLite every transaction takes
    the write lock, and the draft page and API read drafts far more often than they
    make one.
    """
    require_council_member(member, council)
    participant(round_.plan, council)
    existing = Proposal.objects.filter(round=round_, council=council).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        return _make_draft(round_, council)


def _make_draft(round_: Round, council: Council) -> Proposal:
    _open_round(round_)
    proposal, created = Proposal.objects.get_or_create(round=round_, council=council)
    if created:
        last = counted_before(round_.plan, council, round_.number)
        if last is not None:
            goods = {g.index: g for g in round_.plan.goods.all()}
            ProposalLine.objects.bulk_create(
                ProposalLine(proposal=proposal, good=goods[int(i)], side=side, quantity=q)
                for side, values in last.quantities.items()
                for i, q in values.items()
                if int(i) in goods
            )
    return proposal


@dataclass(frozen=True)
class Conflict:
    side: str
    good: int
    name: str
    yours: float
    theirs: float
    by: str


@dataclass(frozen=True)
class SaveResult:
    saved: int
    conflicts: tuple[Conflict, ...]
    errors: dict[Key, str]
    version: ProposalVersion | None


def _parse_error(raw: str, exc: ValueError) -> str:
    if "negative" in str(exc):
        return _("%(v)r is negative; quantities are 0 or more.") % {"v": raw}
    return _("%(v)r is not a number.") % {"v": raw}


@transaction.atomic
def save_draft(
    member: Member, proposal: Proposal, edits: Mapping[Key, tuple[str, int]]
) -> SaveResult:
    """Merge a member's changed lines into the draft, good by good.

    ``edits`` maps (side, good index) to (typed value, the line's version when the
    member loaded it). A line whose version moved on meanwhile was changed by
    someone else: if their figure differs from this member's, theirs stays and a
    :class:`Conflict` shows it; lines the member did not change are not touched.
    """
    member = require_council_member(member, proposal.council)
    proposal = _locked(proposal)
    goods = {g.index: g for g in proposal.round.plan.goods.all()}
    allowed = set(allowed_keys(proposal.council, list(goods.values())))
    lines = {(ln.side, ln.good_id): ln for ln in proposal.lines.select_related("updated_by")}
    errors: dict[Key, str] = {}
    conflicts: list[Conflict] = []
    saved = 0
    for key, (raw, base_version) in edits.items():
        side, index = key
        if key not in allowed:
            errors[key] = _("This council does not propose that line.")
            continue
        try:
            value = accounting.parse_quantity(raw)
        except ValueError as exc:
            errors[key] = _parse_error(raw, exc)
            continue
        good = goods[index]
        line = lines.get((side, good.pk))
        current_version = line.version if line is not None else 0
        current = line.quantity if line is not None else 0.0
        if current_version != base_version:
            if not math.isclose(current, value, rel_tol=1e-12, abs_tol=1e-12):
                who = line.updated_by.display_name if line is not None and line.updated_by else "?"
                conflicts.append(Conflict(side, index, good.name, value, current, who))
            continue
        if math.isclose(current, value, rel_tol=1e-12, abs_tol=1e-12):
            continue
        if line is None:
            line = ProposalLine.objects.create(
                proposal=proposal,
                good=good,
                side=side,
                quantity=value,
                version=1,
                updated_by=member,
            )
            lines[(side, good.pk)] = line
        else:
            line.quantity = value
            line.version += 1
            line.updated_by = member
            line.save(update_fields=["quantity", "version", "updated_by"])
        saved += 1
    version = None
    if saved:
        if proposal.status == ProposalStatus.SUBMITTED:
            proposal.status = ProposalStatus.DRAFT  # changed since submitted: submit again
        proposal.save(update_fields=["status", "updated_at"])
        version = _version(proposal, member, VersionKind.DRAFT)
    return SaveResult(saved, tuple(conflicts), errors, version)


def _version(
    proposal: Proposal,
    member: Member | None,
    kind: str,
    quantities: dict[str, dict[str, float]] | None = None,
) -> ProposalVersion:
    """A new immutable version of the proposal's lines (``quantities`` if already read)."""
    if quantities is None:
        quantities = quantities_of(list(proposal.lines.select_related("good")))
    return ProposalVersion.objects.create(
        proposal=proposal,
        council=proposal.council,
        round_number=proposal.round.number,
        kind=kind,
        quantities=quantities,
        author=member,
    )


def n_sharing(plan: Plan) -> int:
    """Consumer councils sharing public goods' cost: real and simulated."""
    real = plan.participants.filter(council__kind=CouncilKind.CONSUMER).count()
    return max(1, real + int(plan.simulation.get("n_consumers", 0)))


@dataclass(frozen=True)
class CouncilFacts:
    """What a council's accounts read about the plan: its goods, the council's budget
    and how many consumer councils share public goods (read once per request)."""

    goods: list[Good]
    budget: float | None
    n_sharing: int

    @property
    def public(self) -> list[bool]:
        return [g.category == "public" for g in self.goods]


def council_facts(plan: Plan, council: Council, taking: Participant | None = None) -> CouncilFacts:
    """The council's facts (``taking``: its participation, where the caller has read it)."""
    return CouncilFacts(
        goods=list(plan.goods.order_by("index")),
        budget=(taking or participant(plan, council)).budget,
        n_sharing=n_sharing(plan),
    )


def summary_of(
    proposal: Proposal,
    quantities: Mapping[str, Mapping[str, float]],
    prices: Sequence[float] | None = None,
    facts: CouncilFacts | None = None,
) -> accounting.Summary:
    facts = facts or council_facts(proposal.round.plan, proposal.council)
    return accounting.summarise(
        proposal.council.kind,
        quantities,
        prices if prices is not None else proposal.round.prices,
        facts.public,
        budget=facts.budget,
        n_sharing=facts.n_sharing,
    )


@transaction.atomic
def previous_counted(round_: Round, council: Council) -> dict[str, dict[str, float]] | None:
    """The council's counted proposal of the round before (None in round 1 or without one)."""
    found = (
        Proposal.objects.filter(
            round__plan=round_.plan_id, round__number=round_.number - 1, council=council
        )
        .exclude(counted=None)
        .values_list("counted__quantities", flat=True)
        .first()
    )
    return found if isinstance(found, dict) else None


def revision_limits(round_: Round, council: Council) -> tuple[dict[str, Any], float] | None:
    """(last counted proposal, limit) where the plan's revision limits bind this round."""
    plan = round_.plan
    if plan.revision_limit is None or round_.number < max(plan.revision_from, 2):
        return None
    previous = previous_counted(round_, council)
    return (previous, plan.revision_limit) if previous else None


def revision_problems_of(
    proposal: Proposal, quantities: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """The revision-limit messages for the draft's figures (empty where none bind)."""
    limits = revision_limits(proposal.round, proposal.council)
    if limits is None:
        return []
    names = dict(proposal.round.plan.goods.values_list("index", "name"))
    return accounting.revision_problems(quantities, limits[0], limits[1], names)


@transaction.atomic
def submit(member: Member, proposal: Proposal) -> ProposalVersion:
    """Submit the draft as the council's proposal for this round, after the checks.

    One transaction, with the round's row and then the proposal's locked
    (:func:`_locked`): a submission either lands before a close reads the round or
    finds it closed, and the round's running totals are updated by one submission at
    a time.
    """
    member = require_council_member(member, proposal.council)
    proposal = _locked(proposal, "counted")
    round_ = proposal.round
    quantities = quantities_of(list(proposal.lines.select_related("good")))
    problems = accounting.submission_problems(
        summary_of(proposal, quantities), quantities, revision_problems_of(proposal, quantities)
    )
    if problems:
        raise ValidationError(problems)
    before = counted.kept_or_summed(round_, round_.running)
    old = proposal.counted.quantities if proposal.counted is not None else None
    round_.running = counted.totals_after(before, old, quantities, len(round_.prices))
    round_.save(update_fields=["running"])
    version = _version(proposal, member, VersionKind.SUBMITTED, quantities)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.counted = version
    proposal.save(update_fields=["status", "counted", "updated_at"])
    record(
        "proposal.submitted",
        _("%(m)s submitted the proposal of %(c)s for round %(n)d of %(p)s.")
        % {
            "m": member.display_name,
            "c": proposal.council,
            "n": proposal.round.number,
            "p": proposal.round.plan,
        },
        actor=member,
        chapter=proposal.round.plan.chapter,
        subject=version,
        data={"quantities": quantities, "round": proposal.round.number, "plan": round_.plan_id},
    )
    return version


@transaction.atomic
def accept_suggestion(
    member: Member, proposal: Proposal, suggestion: Mapping[str, Mapping[str, float]]
) -> ProposalVersion:
    """Replace the draft's figures with the suggested revision (every line the suggestion names)."""
    member = require_council_member(member, proposal.council)
    proposal = _locked(proposal)
    goods = {g.index: g for g in proposal.round.plan.goods.all()}
    allowed = set(allowed_keys(proposal.council, list(goods.values())))
    lines = {(ln.side, ln.good_id): ln for ln in proposal.lines.all()}
    for side, values in suggestion.items():
        for index_text, q in values.items():
            key = (side, int(index_text))
            if key not in allowed or not (math.isfinite(q) and q >= 0):
                raise ValidationError(_("The suggestion names a line this council cannot propose."))
            good = goods[int(index_text)]
            line = lines.get((side, good.pk))
            if line is None:
                ProposalLine.objects.create(
                    proposal=proposal,
                    good=good,
                    side=side,
                    quantity=q,
                    version=1,
                    updated_by=member,
                )
            elif line.quantity != q:
                line.quantity = q
                line.version += 1
                line.updated_by = member
                line.save(update_fields=["quantity", "version", "updated_by"])
    if proposal.status == ProposalStatus.SUBMITTED:
        proposal.status = ProposalStatus.DRAFT
        proposal.save(update_fields=["status", "updated_at"])
    return _version(proposal, member, VersionKind.SUGGESTION)


# ---------------------------------------------------------------- reviews


def submitted_version(round_: Round, council: Council) -> ProposalVersion:
    """The council's latest submitted version in the round: what other councils review."""
    version = (
        ProposalVersion.objects.filter(
            proposal__round=round_, council=council, kind=VersionKind.SUBMITTED
        )
        .order_by("-pk")
        .first()
    )
    if version is None:
        raise ValidationError(
            _("%(c)s has not submitted a proposal in round %(n)d.")
            % {"c": council, "n": round_.number}
        )
    return version


@transaction.atomic
def review(
    member: Member, council: Council, version: ProposalVersion, verdict: str, reason: str
) -> Review:
    """A council (through a member) approves of or objects to a worker council's proposal."""
    member = require_council_member(member, council)
    plan = version.proposal.round.plan
    participant(plan, council)
    if version.council.kind != CouncilKind.WORKER or version.kind != VersionKind.SUBMITTED:
        raise ValidationError(_("Councils review worker councils' submitted proposals."))
    if version.council_id == council.pk:
        raise ValidationError(_("A council does not review its own proposal."))
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Approve or object.")})
    reason = reason.strip()[:1000]
    if verdict == Verdict.OBJECT and not reason:
        raise ValidationError({"reason": _("Say why you object; the council will see it.")})
    row = Review.objects.create(
        version=version, council=council, member=member, verdict=verdict, reason=reason
    )
    record(
        f"proposal.{verdict}",
        _("%(c)s %(v)s the proposal of %(w)s: %(r)s")
        % {"c": council, "v": Verdict(verdict).label, "w": version.council, "r": reason or "—"},
        actor=member,
        chapter=plan.chapter,
        subject=row,
        data={"plan": plan.pk},
    )
    return row


# ---------------------------------------------------------------- ratifying


@transaction.atomic
def propose_plan(actor: Member, plan: Plan) -> Plan:
    """The facilitator puts a feasible plan (every gap within tolerance) to the councils."""
    actor = require_plan_facilitator(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PLANNING or plan.board_state.get("status") != "converged":
        raise ValidationError(_("Only a plan whose gaps are all within tolerance is proposed."))
    plan.status = PlanStatus.PROPOSED
    plan.save(update_fields=["status"])
    record(
        "plan.proposed",
        _("%(a)s proposed the plan %(p)s for ratification.") % {"a": actor.display_name, "p": plan},
        actor=actor,
        chapter=plan.chapter,
        subject=plan,
    )
    return plan


def consent_tally(plan: Plan, councils: list[Council] | None = None) -> dict[int, Ratification]:
    """Each council's latest answer (the simple consent this app uses until decisions
    land); only ``councils``' if given."""
    latest: dict[int, Ratification] = {}
    answers = plan.ratifications.select_related("member")
    if councils is not None:
        answers = answers.filter(council__in=councils)
    for r in answers:
        latest[r.council_id] = r
    return latest


@transaction.atomic
def ratify(member: Member, plan: Plan, council: Council, answer: str, reason: str = "") -> Plan:
    """A council consents to or objects to the proposed plan; all consent → ratified.

    A simple consent: the plan is ratified when every participating council's latest
    answer is consent. It is the one place to replace with ``parecon.selfmanagement``'s
    consent method once the decisions app lands.
    """
    member = require_council_member(member, council)
    participant(plan, council)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PROPOSED:
        raise ValidationError(_("The plan is not up for ratification."))
    if answer not in Consent.values:
        raise ValidationError({"answer": _("Consent or object.")})
    reason = reason.strip()[:1000]
    if answer == Consent.OBJECT and not reason:
        raise ValidationError({"reason": _("Say why you object.")})
    Ratification.objects.create(
        plan=plan, council=council, member=member, answer=answer, reason=reason
    )
    record(
        f"plan.{answer}",
        _("%(c)s: %(a)s to the plan %(p)s. %(r)s")
        % {"c": council, "a": Consent(answer).label, "p": plan, "r": reason},
        actor=member,
        chapter=plan.chapter,
        subject=plan,
    )
    latest = consent_tally(plan)
    councils = set(plan.participants.values_list("council_id", flat=True))
    if all(c in latest and latest[c].answer == Consent.CONSENT for c in councils):
        plan.status = PlanStatus.RATIFIED
        plan.save(update_fields=["status"])
        record(
            "plan.ratified",
            _("Every council consented: the plan %(p)s is ratified.") % {"p": plan},
            actor=None,
            chapter=plan.chapter,
            subject=plan,
        )
    return plan
