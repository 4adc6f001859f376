"""The demo's bakery rated effort; its allowances are households' budgets in the open plan."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_allowances_become_household_budgets_in_the_open_plan() -> None:
    from parecon.web.effort.models import EffortPeriod, EffortRating
    from parecon.web.effort.selectors import latest_run
    from parecon.web.planning.models import Plan
    from parecon.web.site.demo import load_demo

    load_demo()
    period = EffortPeriod.objects.get()
    assert EffortRating.objects.filter(period=period).count() == 20
    run = latest_run(period)
    assert run is not None and run.number == 2 and run.needs == 40.0  # needs approved
    assert sum(a.total for a in run.allowances.all()) == pytest.approx(run.pool)
    plan = Plan.objects.get(status="planning")
    budgets = {p.council.name: p.budget for p in plan.participants.select_related("council")}
    levi_soler = sum(a.total for a in run.allowances.filter(household__name="Levi-Soler household"))
    assert budgets["Levi-Soler household"] == pytest.approx(levi_soler)
    assert budgets["Gràcia neighbourhood"] == 3000.0  # a collective budget of its own
    assert period.pool_source in ("plan", "federation")
