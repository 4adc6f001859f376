"""Closing a round: one transaction that counts every council's proposal and moves the board.

Councils that did not submit have their last counted proposal carried forward.
The submitted proposals become the core's :class:`~parecon.engine.SubmittedProposals`
(one row per council), planned together with the plan's simulated councils; the
board's new prices, each good's supply, demand and gap, and what changed for each
council are published, the board's state is stored and the next round opens. The
round row is locked first (``select_for_update``), so two facilitators closing at
once, or a double click, close it once; any failure rolls everything back and the
round stays open.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.engine import FacilitationBoard, GoodCategory, RoundRecord, SubmittedProposals
from parecon.exceptions import PareconError
from parecon.web.history.services import record
from parecon.web.planning.catalogue import simulated_populations
from parecon.web.planning.counted import counted_rows, submitted_matrices
from parecon.web.planning.facilitation import board_from_json, board_to_json, play_round
from parecon.web.planning.models import (
    Good,
    Participant,
    Plan,
    PlanStatus,
    Proposal,
    ProposalStatus,
    Round,
    RoundStatus,
)
from parecon.web.planning.permissions import require_plan_facilitator
from parecon.web.planning.services import deadline_of, n_sharing
from parecon.web.planning.suggestions import peer_input_shares

__all__ = ["close_round"]

if TYPE_CHECKING:
    from parecon.web.members.models import Member


def _carry_forward(round_: Round) -> int:
    """Count last round's proposal for every council that did not submit in this one.

    Two set-based statements (no row per council in Python): unsubmitted drafts of
    this round point at last round's counted version, and councils without a draft
    get a carried-forward row.
    """
    if round_.number == 1:
        return 0
    previous = Proposal.objects.filter(
        round__plan=round_.plan_id, round__number=round_.number - 1, counted__isnull=False
    )
    drafts = Proposal.objects.filter(round=round_, counted__isnull=True)
    carried_drafts = drafts.filter(council_id__in=previous.values("council_id")).update(
        counted=Subquery(previous.filter(council_id=OuterRef("council_id")).values("counted")[:1]),
        status=ProposalStatus.CARRIED,
    )
    table = Proposal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (round_id, council_id, status, counted_id, updated_at) "
            f"SELECT %s, p.council_id, %s, p.counted_id, %s FROM {table} p "
            f"JOIN {Round._meta.db_table} r ON r.id = p.round_id "
            f"WHERE r.plan_id = %s AND r.number = %s AND p.counted_id IS NOT NULL "
            f"AND p.council_id NOT IN (SELECT council_id FROM {table} WHERE round_id = %s)",
            [
                round_.pk,
                ProposalStatus.CARRIED,
                timezone.now(),
                round_.plan_id,
                round_.number - 1,
                round_.pk,
            ],
        )
        inserted = max(int(cursor.rowcount), 0)
    return int(carried_drafts) + inserted


def submitted_population(
    rows: Sequence[tuple[int, Any]],
    matrices: tuple[sp.csr_array, sp.csr_array],
    goods: Sequence[Good],
    sharing: int,
) -> SubmittedProposals:
    """The councils' counted proposals as the core's population, goods' categories and all.

    The categories let the board's value flows read a consumer council holding
    pollution permits or pledging hours as a fixed supplier and final user, never
    as a producer whose inputs are its consumption.
    """
    supply, demand = matrices
    return SubmittedProposals(
        supply,
        demand,
        np.asarray([g.category == "public" for g in goods]),
        sharing,
        tuple(str(c) for c, _q in rows),
        np.asarray([GoodCategory.parse(g.category) for g in goods], dtype=np.int8),
    )


def _council_results(
    rows: Sequence[tuple[int, Any]],
    supply: sp.csr_array,
    demand: sp.csr_array,
    kinds: dict[int, str],
    budgets: dict[int, float | None],
    public: list[bool],
    prices: list[float],
    plan: Plan,
) -> dict[str, dict[str, Any]]:
    """Each council's last proposal at the new prices: cost (and benefit for workers).

    As :func:`parecon.web.planning.accounting.summarise`, for every council at once:
    consumer councils pay public goods' shared cost, worker councils' inputs at price.
    """
    p = np.asarray(prices, dtype=np.float64)
    shared = np.where(np.asarray(public), p / n_sharing(plan), p)
    worker = np.asarray([kinds.get(c) == "worker" for c, _q in rows], dtype=bool)
    cost = np.where(worker, demand @ p, demand @ shared)
    benefit = supply @ p
    return {
        str(c): {
            "cost": float(cost[i]),
            "benefit": float(benefit[i]),
            "budget": budgets.get(c),
        }
        for i, (c, _q) in enumerate(rows)
    }


def _publish(
    round_: Round,
    plan: Plan,
    board: FacilitationBoard,
    rec: RoundRecord,
    rows: Sequence[tuple[int, dict[str, dict[str, float]]]],
    matrices: tuple[sp.csr_array, sp.csr_array],
    kinds: dict[int, str],
    budgets: dict[int, float | None],
    public: list[bool],
    actor: Member,
    carried: int,
    started: float,
) -> None:
    """Write the round's results, the board and the next round (inside the close's transaction)."""
    next_prices = rec.next_prices.tolist()
    results = _council_results(rows, *matrices, kinds, budgets, public, next_prices, plan)
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = actor
    round_.supply = rec.supply.tolist()
    round_.demand = rec.demand.tolist()
    round_.gaps = [float(g) if np.isfinite(g) else None for g in rec.gaps]
    round_.next_prices = next_prices
    round_.max_gap = float(rec.max_gap) if np.isfinite(rec.max_gap) else None
    round_.board_status = board.status
    round_.n_submitted = len(rows) - carried
    round_.n_carried = carried
    round_.council_results = results
    round_.close_seconds = time.perf_counter() - started
    round_.save()
    plan.board_state = board_to_json(board, finished=board.status != "open")
    # What worker councils' suggestions scale their input shares to (suggestions.py).
    plan.board_state["peer_input_shares"] = peer_input_shares(*matrices, round_.prices)
    fields = ["board_state"]
    if board.status in ("max-rounds", "diverged", "stopped"):
        plan.status = PlanStatus.STOPPED
        fields.append("status")
    plan.save(update_fields=fields)
    if board.status == "open":
        Round.objects.create(
            plan=plan,
            number=round_.number + 1,
            deadline=deadline_of(
                plan, round_.number + 1, after=max(round_.deadline, timezone.now())
            ),
            prices=next_prices,
        )
    record(
        "round.closed",
        _(
            "%(a)s closed round %(n)d of %(p)s: largest gap %(g)s, "
            "%(s)d proposals (%(c)d carried forward)."
        )
        % {
            "a": actor.display_name,
            "n": round_.number,
            "p": plan,
            "g": f"{round_.max_gap:.2%}" if round_.max_gap is not None else "∞",
            "s": len(rows),
            "c": carried,
        },
        actor=actor,
        chapter=plan.chapter,
        subject=round_,
        data={
            "board_status": board.status,
            "max_gap": round_.max_gap,
            "prices": next_prices,
            "plan": plan.pk,
        },
    )


def close_round(actor: Member, round_: Round) -> Round:
    """Close the round once; returns it closed (a second call returns it as it is)."""
    actor = require_plan_facilitator(actor, round_.plan)
    # The simulated councils are loaded (or regenerated after a restart) before the
    # round is locked, so other writers wait only for the tally and the writes.
    plan_goods = list(Good.objects.filter(plan=round_.plan_id).order_by("index"))
    try:
        simulated = simulated_populations(round_.plan.simulation, plan_goods)
    except PareconError as exc:
        raise ValidationError(_("The round cannot be closed: %(e)s") % {"e": exc}) from None
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status == RoundStatus.CLOSED:
            return locked
        started = time.perf_counter()
        plan = Plan.objects.select_for_update().get(pk=locked.plan_id)
        if plan.status != PlanStatus.PLANNING:
            raise ValidationError(_("The plan is no longer planning by rounds."))
        goods = list(Good.objects.filter(plan=plan).order_by("index"))
        participants = list(
            Participant.objects.filter(plan=plan).values_list(
                "council_id", "council__kind", "budget"
            )
        )
        carried = _carry_forward(locked)
        rows = counted_rows(locked)
        kinds = {c: kind for c, kind, _b in participants}
        budgets = {c: b for c, _k, b in participants}
        supply, demand = submitted_matrices(rows, len(goods))
        try:
            submitted = submitted_population(rows, (supply, demand), goods, n_sharing(plan))
            public = submitted.public.tolist()
            populations = [submitted, *simulated]
            board = board_from_json(plan.board_state)
            rec = play_round(board, populations)
        except PareconError as exc:
            raise ValidationError(_("The round cannot be closed: %(e)s") % {"e": exc}) from None
        _publish(
            locked,
            plan,
            board,
            rec,
            rows,
            (supply, demand),
            kinds,
            budgets,
            public,
            actor,
            carried,
            started,
        )
    return locked
