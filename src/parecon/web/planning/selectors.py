"""Reading plans: running totals of an open round, a council's past proposals, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from parecon.web.councils.models import Council
from parecon.web.planning.counted import kept_or_summed
from parecon.web.planning.facilitation import effort_share
from parecon.web.planning.models import (
    Participant,
    Plan,
    Proposal,
    ProposalVersion,
    Review,
    Round,
    RoundStatus,
)
from parecon.web.planning.suggestions import Observation, suggest
from parecon.web.site.search import name_contains

if TYPE_CHECKING:
    from parecon.web.planning.services import CouncilFacts


def councils_listed(
    plan: Plan, round_: Round | None, query: str = "", kind: str = "", submitted: bool | None = None
) -> QuerySet[Participant]:
    """The councils taking part whose name holds ``query``, of ``kind`` if given, by kind
    and name; with the open ``round_``, each marked ``submitted`` (a counted proposal),
    and only those that have (or have not) if ``submitted`` is given."""
    rows = plan.participants.select_related("council")
    if query:
        rows = rows.filter(name_contains("council__name", query))
    if kind:
        rows = rows.filter(council__kind=kind)
    if round_ is not None:
        counted = Proposal.objects.filter(round=round_, council=OuterRef("council_id"))
        rows = rows.annotate(submitted=Exists(counted.exclude(counted=None)))
        if submitted is not None:
            rows = rows.filter(submitted=submitted)
    return rows.order_by("council__kind", "council__name", "council_id")


def open_round(plan: Plan) -> Round | None:
    return plan.rounds.filter(status=RoundStatus.OPEN).first()


def running_totals(round_: Round, councils: int | None = None) -> dict[str, Any]:
    """Councils submitted so far, and their proposals' totals per good (no simulated councils).

    ``councils`` is the number taking part, where the caller has already counted them.
    The totals are the ones the submissions keep on the round's row, read afresh (the
    caller's ``round_`` may come from a cache); summed from the proposals where none
    are kept yet.
    """
    kept = Round.objects.filter(pk=round_.pk).values_list("running", flat=True).first()
    totals = kept_or_summed(round_, kept)
    return {
        "submitted": totals["submitted"],
        "councils": round_.plan.participants.count() if councils is None else councils,
        "supply": totals["supply"],
        "demand": totals["demand"],
    }


def observations(plan: Plan, council: Council, before: int) -> list[Observation]:
    """What the council proposed in each closed round before ``before``, at that round's prices."""
    rows = (
        Proposal.objects.filter(
            round__plan=plan, council=council, round__number__lt=before, round__status="closed"
        )
        .exclude(counted=None)
        .select_related("round", "counted")
        .order_by("round__number")
    )
    return [
        Observation(
            p.round.prices,
            p.counted.quantities.get("supply", {}),
            p.counted.quantities.get("demand", {}),
        )
        for p in rows
        if p.counted is not None
    ]


def peer_input_share(plan: Plan, history: list[Observation]) -> float | None:
    """The median input share of the producers of the council's good in the last closed round.

    Stored by the close (``closing``); None for a council producing several goods,
    with fewer than ``MIN_PEERS`` peers, or in plans closed before it was stored.
    """
    if not history or len(history[-1].supply) != 1:
        return None
    shares = plan.board_state.get("peer_input_shares", {})
    found = shares.get(next(iter(history[-1].supply)))
    return float(found) if found is not None else None


def suggestion_for(
    plan: Plan, council: Council, round_: Round, facts: CouncilFacts | None = None
) -> dict[str, Any] | None:
    """The revision suggested to the council for the round (None before its first proposal)."""
    from parecon.web.planning import services

    facts = facts or services.council_facts(plan, council)
    history = observations(plan, council, round_.number)
    worker = council.kind == "worker"
    suggestion = suggest(
        council.kind,
        history,
        round_.prices,
        budget=facts.budget,
        public=facts.public,
        n_sharing=facts.n_sharing,
        effort_share=effort_share(plan.board_state, prior=True),
        input_share_prior=peer_input_share(plan, history) if worker else None,
    )
    limits = services.revision_limits(round_, council)
    if suggestion is None or limits is None:
        return suggestion
    previous, limit = limits
    # A suggestion the plan's revision limits would refuse is cut to them.
    for side, values in suggestion.items():
        for good, q in values.items():
            before = previous.get(side, {}).get(good, 0.0)
            if before > 0:
                values[good] = round(min(max(q, before * (1 - limit)), before * (1 + limit)), 6)
    return suggestion


def review_tallies(round_: Round, councils: list[int] | None = None) -> dict[int, dict[str, int]]:
    """How many reviews of each verdict each worker council's proposals had in the round
    (only ``councils``' if given)."""
    tallies: dict[int, dict[str, int]] = {}
    reviews = Review.objects.filter(version__proposal__round=round_)
    if councils is not None:
        reviews = reviews.filter(version__council__in=councils)
    rows = reviews.values_list("version__council_id", "verdict").annotate(n=Count("pk")).order_by()
    for council, verdict, n in rows:
        tallies.setdefault(council, {})[verdict] = n
    return tallies


def reviews_of(round_: Round, council: Council) -> list[Review]:
    """Reviews of one worker council's proposals in the round, oldest first."""
    return list(
        Review.objects.filter(version__proposal__round=round_, version__council=council)
        .select_related("council", "member", "version__council")
        .order_by("created_at", "pk")
    )


def council_plan_history(council: Council) -> list[ProposalVersion]:
    """Every proposal the council submitted, newest first."""
    return list(
        ProposalVersion.objects.filter(council=council, kind="submitted")
        .select_related("proposal__round__plan", "author")
        .order_by("-created_at")[:200]
    )


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as ``parecon plan --json`` writes it (the fields a plan file carries)."""
    goods = list(plan.goods.all())
    rounds = list(plan.rounds.filter(status="closed").order_by("number"))
    last = rounds[-1] if rounds else None
    board = plan.board_state.get("board", {})
    state = plan.board_state.get("carry_state", board.get("rule_state"))
    return {
        "economy": plan.name,
        "period": plan.period,
        "rule": plan.rule,
        "converged": plan.board_state.get("status") == "converged",
        "status": plan.board_state.get("status"),
        "message": f"plan status {plan.status}",
        "rounds": len(rounds),
        "tolerance": plan.tolerance,
        "max_gap": last.max_gap if last else None,
        "goods": [g.name for g in goods],
        "units": [g.unit for g in goods],
        "categories": [g.category for g in goods],
        "prices": last.prices if last else [g.initial_price for g in goods],
        "supply": last.supply if last else [],
        "demand": last.demand if last else [],
        "gaps": last.gaps if last else [],
        "next_prices": last.next_prices if last else [],
        "rule_state": state,
        "history": [
            {"round": r.number, "max_gap": r.max_gap, "seconds": r.close_seconds} for r in rounds
        ],
    }
