"""The demo's effort period: the bakery's five coworkers rate each other and log hours.

Runs after the planning step: the pool comes from the open plan's prices (or, if
the bakery has no counted proposal there, from the city federation), the
allowances are computed, a needs-based addition is approved by a household, and
the households' budgets in the open plan are taken from their members' allowances.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from parecon.web.members.models import Member

#: Who rates whom how (rater → {ratee: score}): Hugo is rated a little higher.
RATINGS = {
    "ada": {"hugo": 14, "dan": 12, "elena": 11, "gloria": 12},
    "hugo": {"ada": 13, "dan": 11, "elena": 12, "gloria": 11},
    "dan": {"ada": 12, "hugo": 15, "elena": 11, "gloria": 13},
    "elena": {"ada": 13, "hugo": 14, "dan": 12, "gloria": 12},
    "gloria": {"ada": 12, "hugo": 14, "dan": 11, "elena": 12},
}
#: (who, days ago, hours, what: the bakery's duties link to its tasks, the rest stay words,
#: intensity, onerousness, confirmed by).
HOURS = (
    ("ada", 20, 8, "Baking bread", 100, 12, "hugo"),
    ("ada", 13, 6, "Keeping the books", 100, 8, "dan"),
    ("hugo", 20, 8, "kneading", 125, 14, "ada"),
    ("hugo", 12, 8, "deliveries", 100, 11, "elena"),
    ("dan", 19, 6, "Cleaning the ovens", 125, 15, "gloria"),
    ("dan", 11, 4, "cleaning", 100, 16, "ada"),
    ("elena", 18, 7, "Serving at the counter", 100, 8, "hugo"),
    ("gloria", 17, 5, "repairs", 100, 13, "dan"),
    ("gloria", 10, 5, "Baking bread", 100, 12, "elena"),
)
HOUSEHOLDS = {
    "Okafor household": ("sants", ("ada",)),
    "Costa household": ("raval", ("hugo",)),
    "Levi-Soler household": ("gracia", ("dan", "elena")),
    "Martín household": ("sants", ("gloria",)),
}
NEIGHBOURHOODS = {
    "sants": "Sants neighbourhood",
    "raval": "Raval neighbourhood",
    "gracia": "Gràcia neighbourhood",
}


def effort_demo(people: dict[str, Member]) -> None:
    from parecon.web.chapters import services as chapters
    from parecon.web.chapters.models import Chapter
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import Council, CouncilMembership
    from parecon.web.effort import budgets, services
    from parecon.web.planning.models import Plan

    barcelona = Chapter.objects.get(geonameid=3128760)
    bakery = Council.objects.filter(chapter=barcelona, name="Forn Ada bakery").first()
    plan = Plan.objects.filter(chapter=barcelona, status="planning").first()
    if bakery is None or plan is None:  # the planning step did not run
        return
    ada = people["ada"]
    for name in ("dan", "elena", "gloria"):
        # The shared-work step may have brought some of them in already.
        if not CouncilMembership.objects.active().filter(member=people[name], kind="worker"):
            councils.join_council(people[name], bakery)
    made: dict[str, Council] = {}
    for name, (hood, members) in HOUSEHOLDS.items():
        parent = Council.objects.get(chapter=barcelona, name=NEIGHBOURHOODS[hood])
        made[name] = councils.create_council(
            ada, barcelona, name=name, level="household", parent=parent
        )
        for m in members:
            councils.join_council(people[m], made[name])
    today = timezone.localdate()
    period = services.open_period(
        ada,
        bakery,
        name="Autumn 2026",
        plan_period=plan.period,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    for rater, scores in RATINGS.items():
        services.rate_effort(people[rater], period, {people[k].pk: v for k, v in scores.items()})
    for who, days, hours, task, intensity, onerous, confirmer in HOURS:
        log = services.log_hours(
            people[who],
            period,
            worked_on=today - timedelta(days=days),
            hours=hours,
            task=task,
            intensity=intensity,
            onerousness=onerous,
        )
        services.confirm_log(people[confirmer], log)
    try:
        services.set_pool_from_plan(ada, period, plan)
    except ValidationError:
        city = Council.objects.get(chapter=barcelona, acts_for_chapter=True)
        services.set_pool_by_federation(ada, period, city, 2400.0)
    services.compute_allowances(ada, period)
    levi_soler = made["Levi-Soler household"]
    chapters.grant_council_role(people["bruno"], levi_soler, people["dan"], "facilitator")
    request = services.request_needs(
        people["elena"], period, levi_soler, 40.0, "New glasses for close work at the counter."
    )
    services.decide_needs(people["dan"], request, True, "Agreed at the household meeting.")
    budgets.take_budgets_from_allowances(ada, plan)


def register_demo() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if all(name != "effort" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("effort", effort_demo))
