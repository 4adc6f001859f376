"""The game's debrief: rounds taken, how far choices were from optimal, plan against equilibrium.

Computed once when the game ends and stored on the game. The equilibrium is the
core's (``solve_equilibrium``) for the scenario with every council proposing its
own optimum; a player's gain compares what their last proposal is worth to their
council with what the council's own optimum at the equilibrium prices is worth.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from statistics import mean
from typing import TYPE_CHECKING, Any

import numpy as np

from parecon.engine.equilibrium import EquilibriumResult, solve_equilibrium
from parecon.web.learn import game_councils
from parecon.web.learn.game_scenarios import economy_of
from parecon.web.learn.models import GameRound, Player, RoundStatus, Seat

if TYPE_CHECKING:
    from parecon.web.learn.models import Game

__all__ = ["compute_debrief", "equilibrium_of"]


@lru_cache(maxsize=8)
def _equilibrium(key: str) -> EquilibriumResult:
    return solve_equilibrium(economy_of(json.loads(key)))


def equilibrium_of(scenario: dict[str, Any]) -> EquilibriumResult:
    return _equilibrium(json.dumps(scenario, sort_keys=True))


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def compute_debrief(game: Game) -> dict[str, Any]:
    """The debrief document (plain JSON) of a game's closed rounds."""
    from parecon.web.learn.game_closing import latest_moves

    rounds = list(GameRound.objects.filter(game=game, status=RoundStatus.CLOSED))
    economy = economy_of(game.scenario)
    per_round = []
    for r in rounds:
        results = list(r.results.values())
        within = [x["share"] for x in results if not x["over_budget"]]
        per_round.append(
            {
                "number": r.number,
                "max_gap": r.max_gap,
                "players": len(results),
                "shortfall": _finite(1.0 - mean(within)) if within else None,
                "over_budget": sum(1 for x in results if x["over_budget"]),
            }
        )
    out: dict[str, Any] = {
        "rounds": len(rounds),
        "status": game.board_state.get("status", ""),
        "converged": game.board_state.get("status") == "converged",
        "per_round": per_round,
        "goods": list(economy.goods.names),
        "players": [],
    }
    if not rounds:
        return out
    last = rounds[-1]
    plan_prices = np.asarray(last.prices, dtype=np.float64)
    eq = equilibrium_of(game.scenario)
    out["equilibrium"] = {
        "converged": bool(eq.converged),
        "prices": eq.prices.tolist(),
        "plan_prices": plan_prices.tolist(),
        "price_error": float(np.max(np.abs(plan_prices / eq.prices - 1.0))),
    }
    seats = {s.pk: s for s in Seat.objects.filter(game=game)}
    names: dict[int, list[str]] = {}
    for seat_id, name in Player.objects.filter(game=game).values_list("seat_id", "name"):
        names.setdefault(seat_id, []).append(name)
    players = []
    for pk, move in latest_moves(game, last.number).items():
        seat = seats[pk]
        one = game_councils.council(economy, seat.population, seat.row)
        supply = {int(k): float(v) for k, v in move["supply"].items()}
        demand = {int(k): float(v) for k, v in move["demand"].items()}
        worth = game_councils.value(economy, one, plan_prices, supply, demand)
        best_supply, best_demand = game_councils.optimum(one, eq.prices)
        at_eq = game_councils.value(economy, one, eq.prices, best_supply, best_demand)
        scored = game_councils.score(economy, one, plan_prices, supply, demand)
        players.append(
            {
                "seat": seat.index,
                "council": seat.name,
                "kind": seat.kind,
                "players": names.get(pk, []),
                "share": _finite(scored.share),
                "over_budget": scored.over_budget,
                "vs_equilibrium": _finite(worth / at_eq) if at_eq > 0 else None,
            }
        )
    out["players"] = sorted(players, key=lambda p: p["seat"])
    return out
