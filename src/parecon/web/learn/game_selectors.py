"""Reads of the room planning game: what the projector, a player's phone and the API show."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from parecon.engine import GoodCategory
from parecon.web.learn import game_councils
from parecon.web.learn.charts import price_chart_svg
from parecon.web.learn.game_scenarios import economy_of
from parecon.web.learn.game_services import proposed_goods
from parecon.web.learn.models import Game, GameRound, Move, Player, RoundStatus, Seat
from parecon.web.planning.charts import gap_chart_svg

__all__ = ["GoodLine", "player_view", "projector", "rounds_of"]


def rounds_of(game: Game) -> list[GameRound]:
    return list(GameRound.objects.filter(game=game).order_by("number"))


def seconds_left(round_: GameRound | None) -> int | None:
    if round_ is None:
        return None
    return max(0, math.ceil((round_.deadline - timezone.now()).total_seconds()))


def projector(game: Game) -> dict[str, Any]:
    """Everything the facilitator's screen shows: gaps and prices per round, who is over budget."""
    economy = economy_of(game.scenario)
    rounds = rounds_of(game)
    closed = [r for r in rounds if r.status == RoundStatus.CLOSED]
    current = next(
        (r for r in rounds if r.status == RoundStatus.OPEN and game.status == "playing"), None
    )
    seats = {str(s.index): s for s in Seat.objects.filter(game=game)}
    names: dict[int, list[str]] = {}
    for seat_id, name in Player.objects.filter(game=game).values_list("seat_id", "name"):
        names.setdefault(seat_id, []).append(name)
    over: list[dict[str, Any]] = []
    if closed:
        for index, result in closed[-1].results.items():
            if result.get("over_budget"):
                seat = seats[index]
                over.append(
                    {
                        "council": seat.name,
                        "players": ", ".join(names.get(seat.pk, [])),
                        "cost": result["cost"],
                        "budget": result["budget"],
                    }
                )
    history = [r.prices for r in closed] + ([current.prices] if current else [])
    return {
        "game": game,
        "goods": economy.goods.names,
        "closed": closed,
        "current": current,
        "seconds_left": seconds_left(current),
        "n_players": Player.objects.filter(game=game).count(),
        "n_bots": Player.objects.filter(game=game, is_bot=True).count(),
        "n_moves": Move.objects.filter(round=current).count() if current else 0,
        "over_budget": over,
        # Both charts are built on the server with every text escaped (see their modules).
        "gap_svg": mark_safe(
            gap_chart_svg(
                [r.max_gap for r in closed], game.tolerance, title=_("Largest gap per round")
            )
        ),
        "price_svg": mark_safe(
            price_chart_svg(economy.goods.names, history, _("Prices per round, against round 1"))
        ),
        "last": closed[-1] if closed else None,
        "last_rows": _round_rows(economy.goods.names, closed[-1]) if closed else [],
    }


def _round_rows(names: tuple[str, ...], r: GameRound) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "price": r.prices[i],
            "supply": r.supply[i],
            "demand": r.demand[i],
            "gap": r.gaps[i],
            "next_price": r.next_prices[i],
        }
        for i, name in enumerate(names)
    ]


@dataclass(frozen=True)
class GoodLine:
    """One good on a player's form: the side (supply or demand), price, and pre-filled value."""

    index: int
    name: str
    category: str
    side: str
    price: float
    value: float
    #: The council's preference or technology for this good (exponent), hidden from others.
    weight: float


def _weights(one: Any) -> dict[int, float]:
    if hasattr(one, "exponents"):
        ex = one.exponents[0] / one.exponents[0].sum()
        return {int(g): float(w) for g, w in zip(one.goods, ex, strict=True)}
    row = one.inputs.tocsr()
    return {int(g): float(b) for g, b in zip(row.indices, row.data, strict=True)}


def player_view(player: Player) -> dict[str, Any]:
    """A player's phone: their council, this round's prices, their proposal and its score."""
    game = player.game
    seat = player.seat
    economy = economy_of(game.scenario)
    one = game_councils.council(economy, seat.population, seat.row)
    rounds = rounds_of(game)
    current = next(
        (r for r in rounds if r.status == RoundStatus.OPEN and game.status == "playing"), None
    )
    prices = np.asarray(current.prices if current else economy.initial_prices, dtype=np.float64)
    own = (
        Move.objects.filter(round__game=game, seat=seat)
        .select_related("round")
        .order_by("-round__number")
        .first()
    )
    offered, asked = proposed_goods(game, seat)
    if own is not None:
        supply = {int(k): float(v) for k, v in own.supply.items()}
        demand = {int(k): float(v) for k, v in own.demand.items()}
    else:  # last year's plan: the council's own proposal at the opening prices
        supply, demand = game_councils.optimum(one, economy.initial_prices)
    weights = _weights(one)
    lines = [
        GoodLine(
            g,
            economy.goods.names[g],
            GoodCategory(int(economy.goods.categories[g])).name.lower(),
            side,
            float(prices[g]),
            values.get(g, 0.0),
            weights.get(g, 0.0),
        )
        for side, goods, values in (("supply", offered, supply), ("demand", asked, demand))
        for g in goods
    ]
    now = game_councils.score(economy, one, prices, supply, demand)
    closed = [r for r in rounds if r.status == RoundStatus.CLOSED]
    last = closed[-1].results.get(str(seat.index)) if closed else None
    technology = None
    if seat.kind == "worker":
        technology = {
            "a": float(one.a[0]),  # type: ignore[attr-defined]
            "c": float(one.c[0]),  # type: ignore[attr-defined]
            "k": float(one.k[0]),  # type: ignore[attr-defined]
            "s": float(one.s[0]),  # type: ignore[attr-defined]
        }
    return {
        "game": game,
        "player": player,
        "seat": seat,
        "teammates": [p.name for p in Player.objects.filter(seat=seat).exclude(pk=player.pk)],
        "current": current,
        "seconds_left": seconds_left(current),
        "lines": lines,
        "moved_this_round": own is not None and current is not None and own.round_id == current.pk,
        "now": now,
        "last": last,
        "last_round": closed[-1] if closed else None,
        "technology": technology,
    }
