"""``/api/games``: the room planning game for bots and scripts, with the pages' services.

A facilitator (a member, by session or API token) starts a game and drives its
rounds. A player joins with the code and no account and gets a token; it sends
it as ``X-Player-Token`` to read its council's view and propose. A bot is a
player that says so when joining (``examples/game_bot.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from parecon.web.chapters.models import Chapter
from parecon.web.learn import game_closing, game_councils, game_selectors, game_services
from parecon.web.learn.game_scenarios import economy_of
from parecon.web.learn.models import Game, GameStatus, Player, RoundStatus
from parecon.web.site.api_auth import writer

router = Router(tags=["learn"])


class PlayerToken(APIKeyHeader):
    """``X-Player-Token``: the token a player got when joining."""

    param_name = "X-Player-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Player | None:
        return game_services.player_for_token(key)


PLAYER = PlayerToken()


class GameIn(Schema):
    chapter: str = Field(description="the chapter's slug")
    name: str
    scenario: str = "town"
    seed: int = 1
    round_seconds: int = 120
    max_rounds: int = 10
    team_size: int = 1
    rule: str = "informed"


class GameOut(Schema):
    code: str
    name: str
    status: str
    round: int | None
    seconds_left: int | None
    goods: list[str]
    players: int
    max_gaps: list[float | None]


class GameJoinIn(Schema):
    name: str
    bot: bool = False


class GameJoinOut(Schema):
    token: str
    seat: int
    kind: str
    council: str


class GameMoveIn(Schema):
    supply: dict[str, float] = Field(default_factory=dict)
    demand: dict[str, float] = Field(default_factory=dict)


class GameGoodOut(Schema):
    index: int
    name: str
    side: str
    price: float
    cost_share: float = Field(description="the price this council pays per unit (public: p/N)")
    weight: float
    value: float


class GameCouncilOut(Schema):
    game: str
    status: str
    round: int | None
    seconds_left: int | None
    kind: str
    council: str
    budget: float | None
    technology: dict[str, float] | None
    goods: list[GameGoodOut]
    share: float
    over_budget: bool
    moved: bool
    last: dict[str, Any] | None


def _summary(game: Game) -> dict[str, Any]:
    rounds = game_selectors.rounds_of(game)
    current = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    if game.status != GameStatus.PLAYING:
        current = None
    return {
        "code": game.code,
        "name": game.name,
        "status": game.status,
        "round": current.number if current else None,
        "seconds_left": game_selectors.seconds_left(current),
        "goods": list(economy_of(game.scenario).goods.names),
        "players": game.players.count(),
        "max_gaps": [r.max_gap for r in rounds if r.status == RoundStatus.CLOSED],
    }


def _game(code: str) -> Game:
    return get_object_or_404(Game, code=code.upper())


@router.post("", response={201: GameOut})
def start(request: HttpRequest, body: GameIn) -> Status[dict[str, Any]]:
    chapter = get_object_or_404(Chapter, slug=body.chapter)
    game = game_services.start_game(
        writer(request),
        chapter,
        name=body.name,
        scenario={"source": body.scenario, "seed": body.seed},
        round_seconds=body.round_seconds,
        max_rounds=body.max_rounds,
        team_size=body.team_size,
        rule=body.rule,
    )
    return Status(201, _summary(game))


@router.get("/{code}", response=GameOut, auth=None)
def game_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _summary(_game(code))


@router.post("/{code}/players", response={201: GameJoinOut}, auth=None)
def join(request: HttpRequest, code: str, body: GameJoinIn) -> Status[dict[str, Any]]:
    player, raw = game_services.join_game(code, body.name, is_bot=body.bot)
    seat = player.seat
    return Status(201, {"token": raw, "seat": seat.index, "kind": seat.kind, "council": seat.name})


def _player(request: HttpRequest, code: str) -> Player:
    player: Player = request.auth  # type: ignore[attr-defined]
    if player.game.code != code.upper():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("this token is for another game")
    return player


@router.get("/{code}/me", response=GameCouncilOut, auth=PLAYER)
def me(request: HttpRequest, code: str) -> dict[str, Any]:
    player = _player(request, code)
    view = game_selectors.player_view(player)
    economy = economy_of(player.game.scenario)
    n = game_councils.n_sharing(economy)
    public = game_councils.public_goods(economy)
    now = view["now"]
    return {
        "game": player.game.code,
        "status": player.game.status,
        "round": view["current"].number if view["current"] else None,
        "seconds_left": view["seconds_left"],
        "kind": player.seat.kind,
        "council": player.seat.name,
        "budget": now.budget,
        "technology": view["technology"],
        "goods": [
            {
                "index": line.index,
                "name": line.name,
                "side": line.side,
                "price": line.price,
                "cost_share": line.price / n
                if public[line.index] and player.seat.kind == "consumer"
                else line.price,
                "weight": line.weight,
                "value": line.value,
            }
            for line in view["lines"]
        ],
        "share": now.share,
        "over_budget": now.over_budget,
        "moved": view["moved_this_round"],
        "last": view["last"],
    }


@router.post("/{code}/moves", response={201: dict[str, Any]}, auth=PLAYER)
def move(request: HttpRequest, code: str, body: GameMoveIn) -> Status[dict[str, Any]]:
    player = _player(request, code)
    saved = game_services.submit_move(player, body.supply, body.demand)
    return Status(
        201, {"round": saved.round.number, "supply": saved.supply, "demand": saved.demand}
    )


@router.post("/{code}/open", response=GameOut)
def open_first(request: HttpRequest, code: str) -> dict[str, Any]:
    game = _game(code)
    game_services.open_round(writer(request), game)
    return _summary(game)


@router.post("/{code}/close", response=GameOut)
def close(request: HttpRequest, code: str) -> dict[str, Any]:
    game = _game(code)
    game_closing.close_round(writer(request), game)
    game.refresh_from_db()
    return _summary(game)


@router.post("/{code}/finish", response=GameOut)
def finish(request: HttpRequest, code: str) -> dict[str, Any]:
    game = _game(code)
    game = game_closing.finish_game(writer(request), game)
    return _summary(game)
