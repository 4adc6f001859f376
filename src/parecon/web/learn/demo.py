"""The demo's planning games: one waiting in the lobby for a room, one played and debriefed.

Ada (the Barcelona chapter's facilitator) has a game open for players to join by
its code, and last week's teach-in: twelve players (simulated here, proposing
their councils' best plans off by up to a third, as people do) played five rounds
under Pequod's rule, so the projector shows the gaps falling and the debrief.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member

PLAYERS = (
    "Marta", "Jordi", "Laia", "Pau", "Núria", "Oriol",
    "Aina", "Biel", "Clara", "Dídac", "Emma", "Ferran",
)  # fmt: skip


def learn_demo(people: Mapping[str, Member]) -> None:
    from parecon.web.learn import game_councils, game_services
    from parecon.web.learn.game_closing import close_round, finish_game
    from parecon.web.learn.game_scenarios import economy_of

    ada = people["ada"]
    barcelona = Chapter.objects.get(geonameid=3128760)
    game_services.start_game(
        ada, barcelona, name="Teach-in at the Ateneu", scenario={"source": "town", "seed": 1}
    )
    played = game_services.start_game(
        ada,
        barcelona,
        name="Last week's teach-in",
        scenario={"source": "town", "seed": 2},
        rule="pequod",
        max_rounds=20,
    )
    economy = economy_of(played.scenario)
    players = [game_services.join_game(played.code, name)[0] for name in PLAYERS]
    rng = random.Random(7)
    game_services.open_round(ada, played)
    for _round in range(5):
        round_ = game_services.open_round_of(played)
        prices = round_.prices
        for player in players:
            one = game_councils.council(economy, player.seat.population, player.seat.row)
            supply, demand = game_councils.optimum(one, prices)

            def off(q: float) -> float:
                return q * math.exp(rng.uniform(-0.3, 0.3))

            game_services.submit_move(
                player,
                {str(g): off(q) for g, q in supply.items()},
                {str(g): off(q) for g, q in demand.items()},
            )
        close_round(ada, played)
    finish_game(ada, played)


def register() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if all(name != "learn" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("learn", learn_demo))
