"""Closing a game's round: the players' latest proposals and the simulated rest, through the board.

Every seat that has proposed in this round or an earlier one is played: its latest
move counts (carried forward if the player did not move this round), as one row of
the core's ``SubmittedProposals`` (built by the planning app's
``submitted_matrices``). Every other council of the scenario is simulated: it
proposes its own optimum, as in a simulation. The board is the planning app's
(``planning.facilitation``), so a game round is a planning round in miniature.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.engine import SubmittedProposals
from parecon.exceptions import PareconError
from parecon.web.history.services import record
from parecon.web.learn import game_councils
from parecon.web.learn.game_debrief import compute_debrief
from parecon.web.learn.game_scenarios import economy_of
from parecon.web.learn.game_services import open_round_of, require_facilitator
from parecon.web.learn.models import Game, GameRound, GameStatus, Move, RoundStatus, Seat
from parecon.web.planning.counted import submitted_matrices
from parecon.web.planning.facilitation import board_from_json, board_to_json, play_round

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member

__all__ = ["close_round", "finish_game", "latest_moves", "tick"]


def latest_moves(game: Game, up_to: int) -> dict[int, dict[str, dict[str, float]]]:
    """Each played seat's latest move up to round ``up_to``: {seat id: {"supply", "demand"}}."""
    out: dict[int, dict[str, dict[str, float]]] = {}
    rows = (
        Move.objects.filter(round__game=game, round__number__lte=up_to)
        .order_by("seat_id", "-round__number")
        .values_list("seat_id", "supply", "demand")
    )
    for seat_id, supply, demand in rows:
        if seat_id not in out:
            out[seat_id] = {"supply": supply, "demand": demand}
    return out


def _as_ints(quantities: dict[str, float]) -> dict[int, float]:
    return {int(k): float(v) for k, v in quantities.items()}


def close_round(actor: Member | AnonymousUser | None, game: Game) -> GameRound:
    """Close the open round once: tally, publish, open the next round or finish the game."""
    member = require_facilitator(actor, game)
    with transaction.atomic():
        round_ = open_round_of(game, lock=True)
        started = time.perf_counter()
        game = Game.objects.select_for_update().get(pk=game.pk)
        economy = economy_of(game.scenario)
        seats = {s.pk: s for s in Seat.objects.filter(game=game)}
        moves = latest_moves(game, round_.number)
        ordered = sorted(moves, key=lambda pk: seats[pk].index)
        rows = [(seats[pk].index, moves[pk]) for pk in ordered]
        supply, demand = submitted_matrices(rows, economy.n_goods)
        played: dict[int, list[int]] = {}
        for pk in ordered:
            played.setdefault(seats[pk].population, []).append(seats[pk].row)
        public = game_councils.public_goods(economy)
        try:
            populations = [
                SubmittedProposals(
                    supply,
                    demand,
                    public,
                    game_councils.n_sharing(economy),
                    tuple(str(i) for i, _m in rows),
                    economy.goods.categories,
                ),
                *game_councils.simulated_rest(economy, played),
            ]
            board = board_from_json(game.board_state)
            rec = play_round(board, populations)
        except PareconError as exc:
            raise ValidationError(_("The round cannot be closed: %(e)s") % {"e": exc}) from None
        prices = np.asarray(round_.prices, dtype=np.float64)
        results: dict[str, Any] = {}
        for pk in ordered:
            seat = seats[pk]
            one = game_councils.council(economy, seat.population, seat.row)
            found = game_councils.score(
                economy, one, prices, _as_ints(moves[pk]["supply"]), _as_ints(moves[pk]["demand"])
            )
            results[str(seat.index)] = found.as_dict()
        round_.status = RoundStatus.CLOSED
        round_.closed_at = timezone.now()
        round_.supply = rec.supply.tolist()
        round_.demand = rec.demand.tolist()
        round_.gaps = [float(g) if np.isfinite(g) else None for g in rec.gaps]
        round_.max_gap = float(rec.max_gap) if np.isfinite(rec.max_gap) else None
        round_.next_prices = rec.next_prices.tolist()
        round_.results = results
        round_.n_moves = Move.objects.filter(round=round_).count()
        game.board_state = board_to_json(board, finished=board.status != "open")
        game.save(update_fields=["board_state"])
        if board.status == "open":
            GameRound.objects.create(
                game=game,
                number=round_.number + 1,
                deadline=timezone.now() + timedelta(seconds=game.round_seconds),
                prices=round_.next_prices,
            )
        round_.close_seconds = time.perf_counter() - started
        round_.save()
        record(
            "game.round_closed",
            _("%(a)s closed round %(n)d of the planning game %(g)s: largest gap %(gap)s.")
            % {
                "a": member.display_name,
                "n": round_.number,
                "g": game.name,
                "gap": f"{round_.max_gap:.2%}" if round_.max_gap is not None else "∞",
            },
            actor=member,
            chapter=game.chapter,
            subject=round_,
            data={"board_status": board.status, "max_gap": round_.max_gap},
        )
        if board.status != "open":
            _finish(game, member)
    return round_


def tick(actor: Member | AnonymousUser | None, game: Game) -> GameRound | None:
    """The projector's timer: close the open round if its deadline has passed."""
    require_facilitator(actor, game)
    round_ = GameRound.objects.filter(game=game, status=RoundStatus.OPEN).first()
    if round_ is None or round_.deadline > timezone.now():
        return None
    return close_round(actor, game)


def _finish(game: Game, member: Member) -> None:
    game.status = GameStatus.FINISHED
    game.finished_at = timezone.now()
    game.debrief = compute_debrief(game)
    game.save(update_fields=["status", "finished_at", "debrief"])
    record(
        "game.finished",
        _("%(a)s ended the planning game %(g)s after %(n)d rounds.")
        % {
            "a": member.display_name,
            "g": game.name,
            "n": game.debrief.get("rounds", 0),
        },
        actor=member,
        chapter=game.chapter,
        subject=game,
    )


def finish_game(actor: Member | AnonymousUser | None, game: Game) -> Game:
    """End the game now (an open round stays unplayed) and compute the debrief."""
    member = require_facilitator(actor, game)
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        if game.status == GameStatus.FINISHED:
            raise ValidationError(_("This game has finished."))
        _finish(game, member)
    return game
