"""The demo's plan: three workplaces and three neighbourhoods of Barcelona plan with the rest.

A simulated rest of the city's economy (``examples/economies/barcelona-rest.toml``,
shipped as a string here so the demo needs no checkout) plans alongside; two
rounds are already closed and the third is open, with one draft begun.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member

ECONOMY = """format = "parecon-economy"
version = 1
name = "barcelona-rest"
prices = 1.0
goods = [
  { name = "bread", category = "private", unit = "loaves" },
  { name = "beer", category = "private", unit = "litres" },
  { name = "pizza", category = "private", unit = "pizzas" },
  { name = "park", category = "public", unit = "garden hours" },
  { name = "flour", category = "intermediate", unit = "kg" },
  { name = "hops", category = "intermediate", unit = "kg" },
  { name = "land", category = "resource", unit = "hectare-years" },
  { name = "work", category = "labour", unit = "hours" },
]
[supplies]
land = 400
work = 9000
[[consumers]]
name = "eixample-households"
income = 3000
exponents = { bread = 0.3, beer = 0.2, pizza = 0.3, park = 0.2 }
[[consumers]]
name = "poblenou-households"
income = 2800
exponents = { bread = 0.35, beer = 0.15, pizza = 0.3, park = 0.2 }
[[consumers]]
name = "horta-households"
income = 2600
exponents = { bread = 0.4, beer = 0.2, pizza = 0.2, park = 0.2 }
[[workers]]
name = "mill"
output = "flour"
a = 5.0
c = 0.06
k = 3.5
inputs = { land = 0.3, work = 0.4 }
[[workers]]
name = "hop-farm"
output = "hops"
a = 4.0
c = 0.06
k = 3.5
inputs = { land = 0.4, work = 0.3 }
[[workers]]
name = "forn-del-barri"
output = "bread"
a = 4.0
c = 0.08
k = 3.0
inputs = { flour = 0.4, work = 0.3 }
[[workers]]
name = "cerveseria"
output = "beer"
a = 3.5
c = 0.07
k = 3.0
inputs = { hops = 0.3, work = 0.4 }
[[workers]]
name = "pizzeria-del-port"
output = "pizza"
a = 3.0
c = 0.07
k = 3.0
inputs = { flour = 0.3, work = 0.4 }
[[workers]]
name = "park-collective"
output = "park"
a = 3.0
c = 0.05
k = 3.0
inputs = { work = 0.7 }
"""

GOOD = {"bread": 0, "beer": 1, "pizza": 2, "park": 3, "flour": 4, "hops": 5, "land": 6, "work": 7}

#: Round 1's figures: (council, member, {(side, good): quantity}).
FIRST = (
    (
        "bakery",
        "ada",
        {("supply", "bread"): 300, ("demand", "flour"): 120, ("demand", "work"): 150},
    ),
    (
        "brewery",
        "bruno",
        {("supply", "beer"): 250, ("demand", "hops"): 60, ("demand", "work"): 120},
    ),
    (
        "pizzeria",
        "carla",
        {("supply", "pizza"): 280, ("demand", "flour"): 90, ("demand", "work"): 140},
    ),
    (
        "gracia",
        "dan",
        {
            ("demand", "bread"): 250,
            ("demand", "beer"): 150,
            ("demand", "pizza"): 200,
            ("demand", "park"): 300,
        },
    ),
    (
        "raval",
        "farid",
        {
            ("demand", "bread"): 200,
            ("demand", "beer"): 180,
            ("demand", "pizza"): 220,
            ("demand", "park"): 200,
        },
    ),
    (
        "sants",
        "gloria",
        {
            ("demand", "bread"): 260,
            ("demand", "beer"): 100,
            ("demand", "pizza"): 180,
            ("demand", "park"): 250,
        },
    ),
)


def _figures(values: Mapping[tuple[str, str], float]) -> dict[tuple[str, int], tuple[str, int]]:
    return {(side, GOOD[good]): (str(q), 0) for (side, good), q in values.items()}


def planning_demo(people: dict[str, Member]) -> None:
    from parecon.web.councils import services as councils
    from parecon.web.planning import services
    from parecon.web.planning.catalogue import (
        goods_from_economy,
        load_simulation,
        store_economy_file,
    )
    from parecon.web.planning.closing import close_round
    from parecon.web.planning.selectors import suggestion_for

    barcelona = Chapter.objects.get(geonameid=3128760)
    ada = people["ada"]
    city = councils.create_council(
        ada,
        barcelona,
        name="Barcelona consumers' federation",
        level="city",
        acts_for_chapter=True,
        description="The chapter acting as the city's consumer federation.",
    )
    food = councils.create_council(
        ada, barcelona, name="Food and drink federation", level="industry"
    )
    made = {
        "bakery": councils.create_council(
            ada, barcelona, name="Forn Ada bakery", level="workplace", parent=food
        ),
        "brewery": councils.create_council(
            ada, barcelona, name="Cervesa Bruno brewery", level="workplace", parent=food
        ),
        "pizzeria": councils.create_council(
            ada, barcelona, name="Pizzeria Carla", level="workplace", parent=food
        ),
        "gracia": councils.create_council(
            ada, barcelona, name="Gràcia neighbourhood", level="neighbourhood", parent=city
        ),
        "raval": councils.create_council(
            ada, barcelona, name="Raval neighbourhood", level="neighbourhood", parent=city
        ),
        "sants": councils.create_council(
            ada, barcelona, name="Sants neighbourhood", level="neighbourhood", parent=city
        ),
    }
    for council, names in {
        "bakery": ("ada", "hugo"),
        "brewery": ("bruno",),
        "pizzeria": ("carla", "farid"),
        "gracia": ("dan", "elena"),
        "raval": ("farid", "hugo"),
        "sants": ("gloria", "ada"),
    }.items():
        for name in names:
            councils.join_council(people[name], made[council])
    stored = store_economy_file("barcelona-rest.toml", ECONOMY.encode())
    simulation = {"source": "file", "file": stored, "name": "barcelona-rest.toml"}
    goods = goods_from_economy(load_simulation(simulation))
    units = {
        "bread": "loaf",
        "beer": "litre",
        "pizza": "pizza",
        "park": "garden hour",
        "flour": "kg",
        "hops": "kg",
        "land": "hectare-year",
        "work": "hour",
    }
    goods = [type(g)(g.name, units[g.name], g.category, g.price) for g in goods]
    now = timezone.now()
    plan = services.open_plan(
        ada,
        barcelona,
        services.PlanSettings(
            name="Barcelona bread, beer and pizza",
            period="2027",
            goods=goods,
            councils=[
                (made[k], 3000.0 if k in ("gracia", "raval", "sants") else None) for k in made
            ],
            deadlines=[now + timedelta(hours=1), now + timedelta(hours=2), now + timedelta(days=5)],
            simulation=simulation,
            federation=city,
        ),
    )
    first = plan.rounds.get(number=1)
    for council, member, values in FIRST:
        proposal = services.draft_for(people[member], first, made[council])
        services.save_draft(people[member], proposal, _figures(values))
        services.submit(people[member], proposal)
    close_round(ada, first)
    second = plan.rounds.get(number=2)
    for council, member, _values in FIRST:
        c = made[council]
        proposal = services.draft_for(people[member], second, c)
        suggestion = suggestion_for(plan, c, second)
        if suggestion and council != "raval":  # Raval keeps its figures (carried forward)
            services.accept_suggestion(people[member], proposal, suggestion)
            try:
                services.submit(people[member], proposal)
            except ValidationError:  # a suggestion a check refuses stays a draft
                continue
    close_round(ada, second)
    third = plan.rounds.get(number=3)
    services.draft_for(people["elena"], third, made["gracia"])


def register() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if all(name != "planning" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("planning", planning_demo))
