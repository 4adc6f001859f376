"""A bakery of five coworkers, their households under a neighbourhood, and a plan."""

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
labour,hour,labour,10
"""

#: rater → ratee → score; the values with a decimal are each given once only.
SCORES = {
    0: {1: 12.3, 2: 11.6, 3: 13.1, 4: 19.7},
    1: {0: 12.8, 2: 10.9, 3: 12.2, 4: 13.4},
    2: {0: 13.3, 1: 11.1, 3: 12.7, 4: 14.2},
    3: {0: 12.1, 1: 10.4, 2: 11.8, 4: 13.9},
    4: {0: 2.3, 1: 11.3, 2: 10.6, 3: 12.6},
}


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are matched in English, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclass
class Bakery:
    chapter: Any
    facilitator: Any  # the chapter's facilitator (so the workplace's and the plan's)
    admin: Any
    workers: list[Any]
    bakery: Any
    north: Any
    homes: list[Any]
    outsider: Any  # a chapter member in no council
    stranger: Any  # a member of another chapter
    plan: Any
    period: Any


@pytest.fixture
def bakery(
    make_member: Callable[..., Any], chapter: Any, other_chapter: Any, term: dict[str, Any]
) -> Bakery:
    from parecon.web.chapters.services import grant_role
    from parecon.web.councils import services as councils
    from parecon.web.effort import services
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv

    admin = chapter.founder
    fac = make_member("Fran Facilitator")
    grant_role(admin, chapter, fac, "facilitator", **term)
    north = councils.create_council(fac, chapter, name="North", level="neighbourhood")
    work = councils.create_council(fac, chapter, name="Bakery", level="workplace")
    workers = [make_member(n) for n in ("Ana", "Ben", "Cai", "Dee", "Eli")]
    homes = [
        councils.create_council(fac, chapter, name=f"Home {i}", level="household", parent=north)
        for i in range(3)
    ]
    for i, w in enumerate(workers):
        councils.join_council(w, work)
        councils.join_council(w, homes[min(i, 2)])
    plan = planning.open_plan(
        fac,
        chapter,
        planning.PlanSettings(
            name="Bread",
            period="2027",
            goods=goods_from_csv(GOODS_CSV),
            councils=[(north, 500.0), (homes[0], 100.0), (work, None)],
            deadlines=[timezone.now() + timedelta(days=3)],
        ),
    )
    today = timezone.localdate()
    period = services.open_period(
        fac,
        work,
        name="Spring",
        plan_period="2027",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
    )
    stranger = other_chapter.memberships.first().member
    return Bakery(
        chapter,
        fac,
        admin,
        workers,
        work,
        north,
        homes,
        make_member("Otto"),
        stranger,
        plan,
        period,
    )


def rate_all(b: Bakery) -> None:
    from parecon.web.effort import services

    for rater, row in SCORES.items():
        services.rate_effort(
            b.workers[rater], b.period, {b.workers[k].pk: v for k, v in row.items()}
        )


def log_all(b: Bakery, hours: tuple[float, ...] = (8, 8, 6, 4, 8)) -> None:
    from parecon.web.effort import services

    day = timezone.localdate()
    for i, h in enumerate(hours):
        log = services.log_hours(b.workers[i], b.period, worked_on=day, hours=h, task="baking")
        services.confirm_log(b.workers[(i + 1) % 5], log)


def computed(b: Bakery, pool: float = 1000.0) -> Any:
    from parecon.web.councils import services as councils
    from parecon.web.effort import services

    rate_all(b)
    log_all(b)
    city = councils.create_council(b.facilitator, b.chapter, name="City", level="city")
    services.set_pool_by_federation(b.facilitator, b.period, city, pool)
    return services.compute_allowances(b.facilitator, b.period)
