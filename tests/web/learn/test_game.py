"""The room planning game: played end to end by bots through the API, checked against the core."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parecon.engine import PlanningProcedure
from parecon.engine.equilibrium import solve_equilibrium
from parecon.exceptions import ConvergenceWarning
from parecon.web.history.models import Event
from parecon.web.learn import game_councils, game_services
from parecon.web.learn.game_closing import close_round, tick
from parecon.web.learn.game_scenarios import economy_of
from parecon.web.learn.models import Game, GameRound, Move, Player

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _bot_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("game_bot", ROOT / "examples" / "game_bot.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["game_bot"] = module
    spec.loader.exec_module(module)
    return module


game_bot = _bot_module()


class ClientApi(game_bot.Api):  # type: ignore[misc, name-defined]
    """The bot's API calls through Django's test client instead of a socket."""

    def __init__(self) -> None:
        super().__init__("")
        self.client = Client()

    def send(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        headers = {"X-Player-Token": token} if token else {}
        response = self.client.generic(
            method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )
        return response.status_code, response.json()


@pytest.fixture
def facilitator(make_member: Any) -> Any:
    return make_member("Teacher")


@pytest.fixture
def game(facilitator: Any, chapter: Any) -> Game:
    return game_services.start_game(
        facilitator, chapter, name="Teach-in", scenario={"source": "town", "seed": 1}
    )


def test_bots_play_five_rounds_through_the_api_and_the_gaps_fall(
    facilitator: Any, chapter: Any, login: Any
) -> None:
    teacher = login(facilitator)
    started = teacher.post(
        "/api/games",
        json.dumps(
            {
                "chapter": chapter.slug,
                "name": "Bots",
                "scenario": "town",
                "max_rounds": 8,
                "rule": "pequod",
            }
        ),
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    code = started.json()["code"]
    api = ClientApi()
    bots = [game_bot.Bot(api, code, f"bot {i}", 0.0, i) for i in range(6)]
    assert [b.kind for b in bots] == ["consumer", "worker"] * 3
    assert teacher.post(f"/api/games/{code}/open").status_code == 200
    economy = economy_of({"source": "town", "seed": 1})
    for number in range(1, 6):
        assert {bot.step() for bot in bots} == {"playing"}
        assert Move.objects.filter(round__game__code=code, round__number=number).count() == 6
        closed = teacher.post(f"/api/games/{code}/close")
        assert closed.status_code == 200, closed.content
    rounds = list(GameRound.objects.filter(game__code=code, status="closed"))
    assert len(rounds) == 5
    # Bots proposing their councils' best plans: the board sees the core's own totals.
    first = economy.respond(economy.initial_prices)
    np.testing.assert_allclose(rounds[0].supply, first.supply, rtol=1e-9)
    np.testing.assert_allclose(rounds[0].demand, first.demand, rtol=1e-9)
    for r in rounds:
        assert all(x["share"] == pytest.approx(1.0, abs=1e-6) for x in r.results.values())
    gaps = [r.max_gap for r in rounds]
    with pytest.warns(ConvergenceWarning):
        procedure = PlanningProcedure("pequod", tolerance=0.03, max_rounds=5).run(economy)
    np.testing.assert_allclose(gaps, [h.max_gap for h in procedure.history][:5], rtol=1e-6)
    assert gaps[-1] < gaps[0] / 2, gaps
    finished = teacher.post(f"/api/games/{code}/finish")
    assert finished.json()["status"] == "finished"
    debrief = Game.objects.get(code=code).debrief
    assert debrief["rounds"] == 5
    assert len(debrief["players"]) == 6
    clearing = solve_equilibrium(economy).prices
    expected = np.max(np.abs(np.asarray(rounds[-1].prices) / clearing - 1))
    assert debrief["equilibrium"]["price_error"] == pytest.approx(expected)
    assert 0 < expected < 1
    page = teacher.get(reverse("learn:game_debrief", args=[code])).content.decode()
    assert "Who gained what" in page and "The plan against the equilibrium" in page
    assert Event.objects.filter(verb="game.round_closed").count() == 5


def test_the_bots_best_plan_is_the_cores_optimum(game: Game) -> None:
    api = ClientApi()
    economy = economy_of(game.scenario)
    game_services.open_round(game.facilitator, game)
    for i in range(4):
        bot = game_bot.Bot(api, game.code, f"b{i}", 0.0, i)
        status, view = api.send("GET", f"/api/games/{game.code}/me", token=bot.token)
        assert status == 200
        supply, demand = game_bot.best_plan(view)
        seat = Player.objects.get(token_hash=game_services.hash_token(bot.token)).seat
        one = game_councils.council(economy, seat.population, seat.row)
        core_supply, core_demand = game_councils.optimum(one, economy.initial_prices)
        assert {int(k): v for k, v in supply.items()} == pytest.approx(core_supply, rel=1e-9)
        assert {int(k): v for k, v in demand.items()} == pytest.approx(core_demand, rel=1e-9)
        assert view["share"] == pytest.approx(1.0)


def test_a_worse_proposal_scores_less_and_over_budget_is_flagged(game: Game) -> None:
    economy = economy_of(game.scenario)
    p = economy.initial_prices
    consumer = game_councils.council(economy, 0, 0)
    _s, best = game_councils.optimum(consumer, p)
    tilted = {g: q * (1.2 if i == 0 else 0.75) for i, (g, q) in enumerate(best.items())}
    score = game_councils.score(economy, consumer, p, {}, tilted)
    assert 0 < score.share < 1 and not score.over_budget
    more = game_councils.score(economy, consumer, p, {}, {g: q * 1.2 for g, q in best.items()})
    assert more.over_budget and more.cost == pytest.approx(1.2 * more.budget)
    worker = game_councils.council(economy, 1, 0)
    supply, demand = game_councils.optimum(worker, p)
    assert game_councils.score(economy, worker, p, supply, demand).share == pytest.approx(1.0)
    half = game_councils.score(economy, worker, p, {g: q / 2 for g, q in supply.items()}, demand)
    assert half.share < 1


def test_the_simulated_rest_and_the_played_rows_add_up_to_the_economy(game: Game) -> None:
    economy = economy_of(game.scenario)
    p = economy.initial_prices * np.linspace(0.8, 1.2, economy.n_goods)
    played = {0: [0, 5, 6, 59], 1: [3]}
    rest = game_councils.simulated_rest(economy, played)
    total_supply = sum(pop.respond(p).supply for pop in rest)
    total_demand = sum(pop.respond(p).demand for pop in rest)
    for population, rows in played.items():
        for row in rows:
            answer = game_councils.council(economy, population, row).respond(p)
            total_supply = total_supply + answer.supply
            total_demand = total_demand + answer.demand
    whole = economy.respond(p)
    np.testing.assert_allclose(total_supply, whole.supply, rtol=1e-12)
    np.testing.assert_allclose(total_demand, whole.demand, rtol=1e-12)
    assert sum(pop.n_councils for pop in rest) == economy.n_councils - 5


def test_a_seat_that_does_not_move_is_carried_forward(game: Game) -> None:
    player, _raw = game_services.join_game(game.code, "Ana")
    game_services.open_round(game.facilitator, game)
    economy = economy_of(game.scenario)
    one = game_councils.council(economy, player.seat.population, player.seat.row)
    _s, best = game_councils.optimum(one, economy.initial_prices)
    game_services.submit_move(player, {}, {str(g): q / 2 for g, q in best.items()})
    close_round(game.facilitator, game)
    second = close_round(game.facilitator, game)
    assert second.number == 2 and "0" in second.results
    assert second.n_moves == 0  # nobody moved in round 2; round 1's move still counted


def test_teams_share_a_council(facilitator: Any, chapter: Any) -> None:
    game = game_services.start_game(
        facilitator, chapter, name="Teams", scenario={"source": "barcelona"}, team_size=2
    )
    a, _ = game_services.join_game(game.code, "A")
    b, _ = game_services.join_game(game.code, "B")
    c, _ = game_services.join_game(game.code, "C")
    assert a.seat == b.seat != c.seat
    assert a.seat.name == "eixample-households"


def test_bad_moves_are_refused_with_a_located_message(game: Game) -> None:
    api = ClientApi()
    bot = game_bot.Bot(api, game.code, "b", 0.0, 1)
    game_services.open_round(game.facilitator, game)
    for body, message in [
        ({"demand": {"0": -1}}, "demand of private-1: -1.0 is not a quantity"),
        ({"demand": {"2": 1}}, "demand: good 2 is not one this council proposes"),
        ({"supply": {"0": 1}}, "supply: good 0 is not one this council proposes"),
        ({"demand": {"x": 1}}, "demand: good x is not one this council proposes"),
    ]:
        status, answer = api.send("POST", f"/api/games/{game.code}/moves", body, token=bot.token)
        assert status == 422, answer
        assert message in json.dumps(answer), answer
    status, _answer = api.send("POST", f"/api/games/{game.code}/moves", {}, token="wrong")
    assert status == 401
    assert Move.objects.count() == 0


def test_only_the_facilitator_drives_the_game(
    game: Game, make_member: Any, login: Any, other_chapter: Any
) -> None:
    member = make_member("Another member")
    for client in (Client(), login(member)):
        before = GameRound.objects.count()
        assert client.post(reverse("learn:game_open", args=[game.code])).status_code in (302, 403)
        assert client.post(f"/api/games/{game.code}/open").status_code in (401, 403)
        assert client.get(reverse("learn:projector", args=[game.code])).status_code == 403
        assert GameRound.objects.count() == before
    other = game_services.start_game(
        make_member("Madrid teacher", city=3117735),
        other_chapter,
        name="Madrid",
        scenario={"source": "town"},
    )
    _p, raw = game_services.join_game(other.code, "Intruder")
    game_services.open_round(game.facilitator, game)
    answer = ClientApi().send("POST", f"/api/games/{game.code}/moves", {}, token=raw)
    assert answer[0] == 403


def test_the_timer_closes_a_round_once_its_time_is_up(game: Game) -> None:
    game_services.open_round(game.facilitator, game)
    assert tick(game.facilitator, game) is None
    GameRound.objects.filter(game=game).update(deadline=timezone.now() - timedelta(seconds=1))
    closed = tick(game.facilitator, game)
    assert closed is not None and closed.number == 1 and closed.status == "closed"
    assert GameRound.objects.get(game=game, number=2).status == "open"


def test_a_person_joins_and_plays_on_the_page(game: Game, login: Any) -> None:
    phone = Client()
    assert phone.get(reverse("learn:play", args=[game.code])).status_code == 302
    joined = phone.post(reverse("learn:join"), {"code": game.code.lower(), "name": "Ana"})
    assert joined.status_code == 302
    page = phone.get(reverse("learn:play", args=[game.code])).content.decode()
    assert "Proposals open with the next round." in page
    game_services.open_round(game.facilitator, game)
    page = phone.get(reverse("learn:play", args=[game.code])).content.decode()
    assert 'name="demand-0"' in page and 'name="demand-4"' in page
    sent = phone.post(reverse("learn:play", args=[game.code]), {"demand-0": "3", "demand-4": "200"})
    assert sent.status_code == 302
    move = Move.objects.get()
    assert move.demand == {"0": 3.0, "4": 200.0}
    bad = phone.post(reverse("learn:play", args=[game.code]), {"demand-0": "lots"})
    assert bad.status_code == 422
    assert "demand of private-1: lots is not a quantity" in bad.content.decode()
    teacher = login(game.facilitator)
    live = teacher.get(reverse("learn:projector_live", args=[game.code])).content.decode()
    assert "1 proposals from 1 players" in live
    teacher.post(reverse("learn:game_close", args=[game.code]))
    projector = teacher.get(reverse("learn:projector", args=[game.code])).content.decode()
    assert "<svg" in projector and game.code in projector
    assert "Over budget last round" not in projector
    status = phone.get(reverse("learn:play_status", args=[game.code]), {"round": "1"})
    assert "A new round has opened" in status.content.decode()


def test_bots_with_noise_still_play_and_the_debrief_counts_their_shortfall(
    game: Game,
) -> None:
    api = ClientApi()
    bots = [game_bot.Bot(api, game.code, f"n{i}", 0.3, i) for i in range(4)]
    game_services.open_round(game.facilitator, game)
    for _ in range(3):
        for bot in bots:
            bot.step()
        close_round(game.facilitator, game)
    from parecon.web.learn.game_closing import finish_game

    finished = finish_game(game.facilitator, game)
    shortfalls = [r["shortfall"] for r in finished.debrief["per_round"] if r["shortfall"]]
    assert shortfalls and all(0 < s < 1 for s in shortfalls)


def test_the_learn_page_links_the_explainers_and_a_members_chapters_games(
    facilitator: Any, chapter: Any, login: Any
) -> None:
    page = login(facilitator).get(reverse("learn:index")).content.decode()
    for name in ("learn:jobs", "learn:effort", "learn:affected", "learn:join"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("learn:game_new", args=[chapter.slug])}"' in page
    assert "learn/games/new" not in Client().get(reverse("learn:index")).content.decode()


def test_a_worker_sees_the_cores_benefit_cost_and_effort(game: Game) -> None:
    phone = Client()
    game_services.join_game(game.code, "Consumer")
    phone.post(reverse("learn:join"), {"code": game.code, "name": "Worker"})
    player = Player.objects.get(name="Worker")
    assert player.seat.kind == "worker"
    game_services.open_round(game.facilitator, game)
    page = phone.get(reverse("learn:play", args=[game.code])).content.decode()
    economy = economy_of(game.scenario)
    one = game_councils.council(economy, player.seat.population, player.seat.row)
    extras = one.proposals(economy.initial_prices).extras
    ratio = float(extras["social_benefit"][0] / extras["social_cost"][0])
    shown = re.search(r'data-score="ratio">Social benefit over social cost: ([0-9.]+)\.', page)
    assert shown and float(shown.group(1)) == pytest.approx(ratio, abs=0.0005)
    effort = re.search(r"effort ([0-9.]+)\.</p>", page)
    assert effort and float(effort.group(1)) == pytest.approx(extras["effort"][0], abs=0.0005)
    assert "Surplus: 1.000 of the best" in page


def test_a_game_from_real_data_uploaded_as_an_economy_file(
    facilitator: Any, chapter: Any, login: Any, tmp_path: Path, settings: Any
) -> None:
    """Brazil's 2019 input-output table, calibrated into councils, played from an upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parecon.scenario.economy_writer import save_economy
    from parecon.scenario.io_tables.calibrate import economy_from_table
    from parecon.scenario.io_tables.pymrio_format import read_pymrio

    settings.MEDIA_ROOT = str(tmp_path / "media")
    economy = economy_from_table(read_pymrio(ROOT / "examples" / "io" / "brazil-2019", None))
    save_economy(economy, tmp_path / "brazil.json")
    upload = SimpleUploadedFile("brazil.json", (tmp_path / "brazil.json").read_bytes())
    teacher = login(facilitator)
    response = teacher.post(
        reverse("learn:game_new", args=[chapter.slug]),
        {"name": "Brazil 2019", "scenario": "file", "economy": upload},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    game = Game.objects.get(name="Brazil 2019")
    assert game.scenario["source"] == "file" and game.seats.count() > 100
    player, _raw = game_services.join_game(game.code, "Ana")
    game_services.open_round(facilitator, game)
    played = economy_of(game.scenario)
    one = game_councils.council(played, player.seat.population, player.seat.row)
    _supply, demand = game_councils.optimum(one, played.initial_prices)
    game_services.submit_move(player, {}, {str(g): q for g, q in demand.items()})
    closed = close_round(facilitator, game)
    assert closed.results["0"]["share"] == pytest.approx(1.0)
    # The table is the calibration's own first round: the gaps are tiny at its prices.
    assert closed.max_gap is not None and closed.max_gap < 1e-6
    bad = teacher.post(
        reverse("learn:game_new", args=[chapter.slug]),
        {"name": "Bad", "scenario": "file", "economy": SimpleUploadedFile("x.csv", b"a,b")},
    )
    assert bad.status_code == 422
    assert "x.csv: an economy file ends in .json" in bad.content.decode()
