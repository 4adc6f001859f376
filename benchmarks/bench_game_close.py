"""Closing a round of the room planning game with 200 players, each joined and playing by the API.

In a throw-away data directory (SQLite; set ``DATABASE_URL`` for PostgreSQL), a
facilitator starts a game on the "city" scenario (200 consumer and 200 worker
councils, ten goods); ``--players`` bots join through the JSON API (Django's test
client, in process: the same views, services and database as a server) and each
proposes its council's best plan with noise, as ``examples/game_bot.py`` does.
The facilitator's close is timed for ``--rounds`` rounds (the scenario is loaded,
and the engine's kernels warmed, when the game starts). Prints seconds per close and the ratio
to the target (1 s).

    python benchmarks/bench_game_close.py [--players 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--noise", type=float, default=0.2)
    args = parser.parse_args()
    os.environ.setdefault("PARECON_DATA_DIR", tempfile.mkdtemp(prefix="parecon-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parecon.web.settings")
    os.environ.setdefault("PARECON_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from parecon.web import gazetteer
    from parecon.web.chapters.models import Chapter
    from parecon.web.chapters.services import place_member
    from parecon.web.learn.models import GameRound
    from parecon.web.members.models import Member

    spec = importlib.util.spec_from_file_location("game_bot", ROOT / "examples" / "game_bot.py")
    assert spec and spec.loader
    game_bot = importlib.util.module_from_spec(spec)
    sys.modules["game_bot"] = game_bot
    spec.loader.exec_module(game_bot)

    class ClientApi(game_bot.Api):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            super().__init__("")
            self.client = Client()

        def send(self, method, path, body=None, token=None):  # type: ignore[no-untyped-def]
            headers = {"X-Player-Token": token} if token else {}
            payload = json.dumps(body) if body is not None else ""
            r = self.client.generic(
                method, path, payload, content_type="application/json", headers=headers
            )
            return r.status_code, r.json()

    call_command("migrate", verbosity=0)
    fac = Member.objects.create_user("fac@example.org", None, name="Facilitator")
    place = gazetteer.place(3128760)
    assert place is not None
    place_member(fac, place)
    chapter = Chapter.objects.get(geonameid=3128760)
    teacher = Client()
    teacher.force_login(fac)
    started = teacher.post(
        "/api/games",
        json.dumps(
            {"chapter": chapter.slug, "name": "Bench", "scenario": "city", "max_rounds": 50}
        ),
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    code = started.json()["code"]
    api = ClientApi()
    t = time.perf_counter()
    bots = [game_bot.Bot(api, code, f"bot {i}", args.noise, i) for i in range(args.players)]
    joined = time.perf_counter() - t
    assert teacher.post(f"/api/games/{code}/open").status_code == 200
    print(f"{args.players} players joined through the API in {joined:.2f} s")
    closes = []
    for number in range(1, args.rounds + 1):
        t = time.perf_counter()
        for bot in bots:
            bot.step()
        moved = time.perf_counter() - t
        t = time.perf_counter()
        response = teacher.post(f"/api/games/{code}/close")
        wall = time.perf_counter() - t
        assert response.status_code == 200, response.content
        r = GameRound.objects.get(game__code=code, number=number)
        closes.append(wall)
        print(
            f"round {number}: {r.n_moves} proposals by API in {moved:.2f} s; close {wall:.3f} s "
            f"(service {r.close_seconds:.3f} s), largest gap {r.max_gap:.3f}, "
            f"ratio to the 1 s target {wall / 1.0:.2f}"
        )
        if response.json()["status"] == "finished":
            break
    print(
        f"close over {len(closes)} rounds: best {min(closes):.3f} s, worst {max(closes):.3f} s "
        f"(target < 1 s; worst/target {max(closes):.2f})"
    )


if __name__ == "__main__":
    main()
