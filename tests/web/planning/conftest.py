"""A small co-op plan: two neighbourhoods, a bakery and a mill, four goods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

GOODS_CSV = """name,unit,category,price
bread,loaf,private,2
park,hectare,public,50
flour,kg,intermediate,1
labour,hour,labour,10
"""


@dataclass
class Coop:
    chapter: Any
    facilitator: Any
    admin: Any
    baker: Any
    miller: Any
    north_member: Any
    north_member2: Any
    south_member: Any
    outsider: Any  # member of the chapter, in no council, no role
    stranger: Any  # member of another chapter
    north: Any
    south: Any
    bakery: Any
    mill: Any
    plan: Any

    @property
    def round(self) -> Any:
        return self.plan.rounds.get(status="open")


@pytest.fixture
def coop(
    make_member: Callable[..., Any], chapter: Any, other_chapter: Any, term: dict[str, Any]
) -> Coop:
    from parecon.web.chapters.services import grant_role
    from parecon.web.councils import services as councils
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv

    admin = chapter.founder
    facilitator = make_member("Fran Facilitator")
    grant_role(admin, chapter, facilitator, "facilitator", **term)
    city = councils.create_council(facilitator, chapter, name="Barcelona consumers", level="city")
    north = councils.create_council(
        facilitator, chapter, name="North", level="neighbourhood", parent=city
    )
    south = councils.create_council(
        facilitator, chapter, name="South", level="neighbourhood", parent=city
    )
    bakery = councils.create_council(facilitator, chapter, name="Bakery", level="workplace")
    mill = councils.create_council(facilitator, chapter, name="Mill", level="workplace")
    people = {n: make_member(n) for n in ("Baker", "Miller", "Nora", "Nico", "Sara", "Otto")}
    councils.join_council(people["Baker"], bakery)
    councils.join_council(people["Miller"], mill)
    councils.join_council(people["Nora"], north)
    councils.join_council(people["Nico"], north)
    councils.join_council(people["Sara"], south)
    stranger = other_chapter.memberships.first().member
    plan = planning.open_plan(
        facilitator,
        chapter,
        planning.PlanSettings(
            name="Bread and parks",
            period="2027",
            goods=goods_from_csv(GOODS_CSV),
            councils=[(north, 100.0), (south, 120.0), (bakery, None), (mill, None)],
            deadlines=[timezone.now() + timedelta(days=3)],
        ),
    )
    return Coop(
        chapter,
        facilitator,
        admin,
        people["Baker"],
        people["Miller"],
        people["Nora"],
        people["Nico"],
        people["Sara"],
        people["Otto"],
        stranger,
        north,
        south,
        bakery,
        mill,
        plan,
    )


@pytest.fixture
def db_state() -> Callable[[], tuple[int, ...]]:
    """Row counts of every table this app and the history write (to show nothing changed)."""
    from parecon.web.councils.models import Council, CouncilMembership
    from parecon.web.history.models import Event
    from parecon.web.planning import models as m

    def counts() -> tuple[int, ...]:
        return (
            Event.objects.count(),
            Council.objects.count(),
            CouncilMembership.objects.count(),
            m.Plan.objects.count(),
            m.Round.objects.count(),
            m.Proposal.objects.count(),
            m.ProposalLine.objects.count(),
            m.ProposalVersion.objects.count(),
            m.Review.objects.count(),
            m.Ratification.objects.count(),
            m.Round.objects.filter(status="closed").count(),
        )

    return counts
