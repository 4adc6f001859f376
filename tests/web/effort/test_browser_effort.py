"""In Chromium: rate coworkers' effort, see one's allowance and the household budget it
feeds in the open plan; axe-core on the pages, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.browser import see
from tests.web.effort.conftest import SCORES, Bakery, log_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_rate_effort_and_see_the_allowance_and_household_budget(
    live_server: Any, page: Any, phone: Any, bakery: Bakery
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from parecon.web.councils import services as councils
    from parecon.web.effort import services
    from parecon.web.effort.models import EffortRating

    url = live_server.url
    ana = bakery.workers[0]
    period_url = f"{url}/effort/periods/{bakery.period.pk}/"
    _login(phone, url, ana.email)
    phone.goto(f"{url}/effort/workplaces/{bakery.bakery.slug}/")
    phone.click("text=Spring")
    for ratee, score in SCORES[0].items():
        phone.fill(f"#rating-{bakery.workers[ratee].pk}", str(score))
    phone.click("button:has-text('Save ratings')")
    see(phone, "shown to no one")
    assert EffortRating.objects.filter(rater=ana).count() == 4
    assert "19.7" not in phone.content()  # not even the rater sees it again
    for rater in range(1, 5):
        row = {bakery.workers[k].pk: v for k, v in SCORES[rater].items()}
        services.rate_effort(bakery.workers[rater], bakery.period, row)
    log_all(bakery)
    city = councils.create_council(bakery.facilitator, bakery.chapter, name="City", level="city")
    services.set_pool_by_federation(bakery.facilitator, bakery.period, city, 1000.0)
    _login(page, url, bakery.facilitator.email)
    page.goto(period_url)
    page.click("button:has-text('Compute the allowances')")
    see(page, "Allowances computed")
    page.goto(f"{url}/effort/plans/{bakery.plan.pk}/budgets/")
    page.click("button:has-text('Take households')")
    see(page, "now come from their members' allowances")
    phone.goto(period_url)
    mine = float(phone.text_content("#my-allowance") or "nan")
    assert mine > 0
    phone.click("#mine >> text=Home 0")
    budget = float(phone.text_content("#household-budgets .budget") or "nan")
    assert budget == pytest.approx(mine, abs=0.01)  # Ana is Home 0's only worker
    axe = Axe()
    for p in (page, phone):
        for path in (period_url, f"{url}/effort/households/{bakery.homes[0].slug}/"):
            if p is page and "households" in path:
                continue  # the facilitator is not of the household: refused
            p.goto(path)
            result = axe.run(p)
            assert result.violations_count == 0, result.generate_report()
