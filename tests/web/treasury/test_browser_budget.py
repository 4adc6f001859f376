"""In Chromium: the treasurer opens a chapter budget, a member proposes, a round closes
over the income and the price of money rises, the member trims, the next round fits
and a decision ratifies it; axe-core on the budget pages and the chapter report, at
desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.browser import see

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_a_budget_round_until_it_fits_then_ratified(
    live_server: Any, page: Any, phone: Any, make_member: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from django.utils import timezone

    from parecon.web.chapters.models import Chapter
    from parecon.web.chapters.services import grant_role
    from parecon.web.decisions import services as decisions
    from parecon.web.treasury.models import Account, BudgetPlan

    founder = make_member("Founder")
    chapter = Chapter.objects.get(geonameid=3128760)
    carla, ana = make_member("Carla Treasurer"), make_member("Ana Proposes")
    now = timezone.now()
    grant_role(
        founder,
        chapter,
        carla,
        "treasurer",
        starts_at=now,
        ends_at=now + timezone.timedelta(days=9),
    )
    d = decisions.propose(ana, chapter, decisions.Proposal(title="Adopt the spring budget"))
    decisions.open_voting(ana, d)
    decisions.cast(ana, d, {"choice": "consent"})
    decisions.close(ana, d)
    url = live_server.url
    today = timezone.localdate()
    _login(page, url, carla.email)
    page.goto(f"{url}/treasury/{chapter.slug}/")
    page.click("text=Budgets")
    page.fill("#b-name", "Spring")
    page.fill("#b-starts", today.isoformat())
    page.fill("#b-ends", (today + timezone.timedelta(days=90)).isoformat())
    page.fill("#b-income", "100")
    page.fill("#l0-name", "Food for meetings")
    page.fill("#l0-cost", "5")
    page.select_option(
        "#l0-account", str(Account.objects.get(chapter=chapter, name="Food for meetings").pk)
    )
    page.click("button:has-text('Open the first round')")
    see(page, "The budget is open for proposals.")
    plan = BudgetPlan.objects.get()
    budget_url = f"{url}/treasury/{chapter.slug}/budgets/{plan.pk}/"
    _login(phone, url, ana.email)
    phone.goto(budget_url)
    phone.fill("#p-name", "Meetings group")
    phone.click("button:has-text('Add')")
    phone.fill("input[name=q-0]", "30")  # 150.00 of an income of 100
    phone.click("button:has-text('Propose')")
    assert "150.00" in phone.text_content("#budget-totals")
    page.goto(budget_url)
    page.click("button:has-text('Close the round')")
    see(page, "Round 2 is open")
    first, second = plan.rounds.order_by("number")
    assert second.prices[0] > first.prices[0]  # money became dearer: ask for less
    phone.goto(budget_url)
    phone.fill("input[name=q-0]", "19")
    phone.click("button:has-text('Propose')")
    page.goto(budget_url)
    page.click("button:has-text('Close the round')")
    see(page, "The requests fit.")
    page.select_option("#adopt-decision", str(d.pk))
    page.click("button:has-text('Adopt the budget')")
    see(page, "Spending against the budget")
    plan.refresh_from_db()
    assert plan.status == "adopted" and plan.lines.get().amount == 95
    axe = Axe()
    for p in (page, phone):
        for path in (
            f"/treasury/{chapter.slug}/budgets/",
            f"/treasury/{chapter.slug}/budgets/{plan.pk}/",
            f"/treasury/{chapter.slug}/chapter-report/",
        ):
            p.goto(url + path)
            serious = [
                v["id"]
                for v in axe.run(p).response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
            assert serious == [], (path, serious)
            width = p.evaluate("() => document.documentElement.scrollWidth")
            assert width <= p.viewport_size["width"], (path, width)
