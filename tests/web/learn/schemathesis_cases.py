"""Real games for schemathesis' calls to the planning game's API, so generated calls succeed.

Each call that drives a game gets a fresh one (a game opens once and finishes once); the
player's calls carry a token of a player who joined it.
"""

from __future__ import annotations

from typing import Any

PREFIX = "/api/games"


def prepare(real: dict[str, Any], admin: Any, chapter: Any) -> None:
    real["games"] = {"admin": admin, "chapter": chapter}


def _game(c: dict[str, Any], *, opened: bool) -> Any:
    from parecon.web.learn import game_services

    game = game_services.start_game(
        c["admin"], c["chapter"], name="Schema game", scenario={"source": "town", "seed": 1}
    )
    if opened:
        game_services.open_round(c["admin"], game)
    return game


def map_case(case: Any, real: dict[str, Any]) -> None:
    path = case.operation.path
    if "games" not in real or not path.startswith(PREFIX):
        return
    from parecon.web.learn import game_services

    c = real["games"]
    if path == PREFIX and isinstance(case.body, dict):
        case.body.update(
            chapter=c["chapter"].slug, scenario="town", seed=1, round_seconds=120,
            max_rounds=10, team_size=1, rule="informed",
        )  # fmt: skip
        case.body["name"] = (str(case.body.get("name") or "") + "x").strip()[:60] or "x"
    params = case.path_parameters or {}
    if "code" not in params:
        return
    game = _game(c, opened=not path.endswith("/open"))
    params["code"] = game.code
    if path.endswith("/players") and isinstance(case.body, dict):
        case.body["name"] = "Schema player"
    if path.endswith(("/me", "/moves")):
        _player, raw = game_services.join_game(game.code, "Schema player")
        case.headers = {**(case.headers or {}), "X-Player-Token": raw}
        if path.endswith("/moves"):
            case.body = {}
