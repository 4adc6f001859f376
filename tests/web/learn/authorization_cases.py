"""The Learn pages are public reads; the planning game's writes are listed with who may make them.

Joining a game needs no account (the code is the invitation): its cases have no
wrong user. A player is known by the session (pages) or the ``X-Player-Token``
header (API) it got when joining: the sweep's ``player`` client holds both.
The game's rounds are driven by its facilitator only (the ``admin`` who starts it
here): other members of the chapter are refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import api_write, page_reads, page_write

MEMBERS = ("anonymous", "outsider")

page_reads(
    "learn:index",
    "learn:summary",
    "learn:summary_pdf",
    "learn:guide",
    "learn:guide_pdf",
    "learn:planning",
    "learn:jobs",
    "learn:effort",
    "learn:affected",
    "learn:play_status",
    "learn:projector",
    "learn:projector_live",
    "learn:game_debrief",
)


def _game(w: Any) -> Any:
    if not hasattr(w, "game"):
        from parecon.web.learn import game_services

        w.game = game_services.start_game(
            w.users["admin"], w.chapter, name="Sweep game", scenario={"source": "barcelona"}
        )
    return w.game


def _playing(w: Any) -> Any:
    from parecon.web.learn import game_services
    from parecon.web.learn.models import GameRound

    game = _game(w)
    if not GameRound.objects.filter(game=game).exists():
        game_services.open_round(w.users["admin"], game)
    return game


def _player(w: Any) -> Any:
    """The ``player`` client: joined the sweep's game, by session and by token."""
    if "player" not in w.clients:
        from parecon.web.learn import game_services
        from parecon.web.learn.game_views import SESSION_KEY

        game = _game(w)
        player, raw = game_services.join_game(game.code, "Sweep player")
        client = Client(headers={"X-Player-Token": raw})
        session = client.session
        session[SESSION_KEY] = {game.code: player.pk}
        session.save()
        w.clients["player"] = client
        w.player = player
    return w.player


def _a_move(w: Any) -> dict[str, float]:
    """A proposal for the sweep player's council: its own plan at the opening prices."""
    from parecon.web.learn import game_councils
    from parecon.web.learn.game_scenarios import economy_of

    player = _player(w)
    economy = economy_of(player.game.scenario)
    one = game_councils.council(economy, player.seat.population, player.seat.row)
    _supply, demand = game_councils.optimum(one, economy.initial_prices)
    return {str(g): round(q, 3) for g, q in demand.items()}


@page_write("learn:game_new", right="plain", wrong=MEMBERS)
def _new(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:game_new", args=[w.chapter.slug]), {
        "name": "Teach-in",
        "scenario": "barcelona",
        "round_seconds": "60",
    }


@page_write("learn:join", right="anonymous", wrong=())
def _join(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:join"), {"code": _game(w).code, "name": "Ana"}


@page_write("learn:play", right="player")
def _play(w: Any) -> tuple[str, dict[str, Any]]:
    _player(w)
    game = _playing(w)
    return reverse("learn:play", args=[game.code]), {
        f"demand-{g}": str(q) for g, q in _a_move(w).items()
    }


@page_write("learn:game_open", right="admin")
def _open(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:game_open", args=[_game(w).code]), {}


@page_write("learn:game_close", right="admin")
def _close(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:game_close", args=[_playing(w).code]), {}


@page_write("learn:game_tick", right="admin")
def _tick(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.learn.models import GameRound

    game = _playing(w)
    GameRound.objects.filter(game=game).update(deadline=timezone.now() - timedelta(seconds=1))
    return reverse("learn:game_tick", args=[game.code]), {}


@page_write("learn:game_extend", right="admin")
def _extend(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:game_extend", args=[_playing(w).code]), {"seconds": "30"}


@page_write("learn:game_finish", right="admin")
def _finish(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("learn:game_finish", args=[_playing(w).code]), {}


@api_write("POST", "/api/games", right="plain", wrong=MEMBERS)
def _api_start(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/games", {"chapter": w.chapter.slug, "name": "API game", "scenario": "barcelona"}


@api_write("POST", "/api/games/{code}/players", right="anonymous", wrong=())
def _api_join(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/games/{_game(w).code}/players", {"name": "Bot", "bot": True}


@api_write("POST", "/api/games/{code}/moves", right="player")
def _api_move(w: Any) -> tuple[str, dict[str, Any]]:
    _player(w)
    game = _playing(w)
    return f"/api/games/{game.code}/moves", {"demand": _a_move(w)}


@api_write("POST", "/api/games/{code}/open", right="admin")
def _api_open(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/games/{_game(w).code}/open", {}


@api_write("POST", "/api/games/{code}/close", right="admin")
def _api_close(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/games/{_playing(w).code}/close", {}


@api_write("POST", "/api/games/{code}/finish", right="admin")
def _api_finish(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/games/{_playing(w).code}/finish", {}
