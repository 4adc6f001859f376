"""In Chromium: rate a task, run the balancer and publish, see one's complex, download
the ICS, offer a swap; axe-core on the shared-work pages at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser import see
from tests.web.jobs.conftest import START

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_rate_balance_publish_see_complex_download_ics_and_swap(
    live_server: Any, page: Any, phone: Any, bakery: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from parecon.web.jobs.complexes import effective
    from parecon.web.jobs.models import Balance, Swap, TaskRating

    url = live_server.url
    slug = bakery.council.slug
    bo = bakery.people[1]
    _login(phone, url, bo.email)
    phone.goto(f"{url}/work/")
    phone.click(f"text={bakery.council.name}")
    phone.fill(f"#e-{bakery.bake.pk}", "11")
    phone.fill(f"#d-{bakery.bake.pk}", "9")
    phone.locator(f"#task-{bakery.bake.pk} button:has-text('Re-rate')").click()
    see(phone, "Your rating of “Bake” is saved.")
    assert TaskRating.objects.filter(member=bo, task=bakery.bake).count() == 2
    _login(page, url, bakery.ada.email)
    page.goto(f"{url}/work/council/{slug}/balances/")
    page.fill("#starts_on", START.isoformat())
    page.fill("#band", "3")
    page.click("button:has-text('Run the balancer')")
    # The click starts the balancer and lands on its page: wait for the chart there.
    expect(page.locator("svg.complexes circle")).to_have_count(4)
    page.click("button:has-text('Publish these complexes')")
    see(page, "Published")
    balance = Balance.objects.get()
    eff = effective(balance)
    baker = next(p for p in bakery.people if eff.of_member(p.pk) == {bakery.bake.pk: 2.0})
    other = next(p for p in bakery.people if bakery.clean.pk in eff.of_member(p.pk))
    phone.context.clear_cookies()
    _login(phone, url, baker.email)
    phone.goto(f"{url}/work/balances/{balance.pk}/mine/")
    assert "Bake" in phone.text_content("main table")
    with phone.expect_download() as download:
        phone.click("text=Download as a calendar (ICS)")
    with open(download.value.path(), encoding="utf-8") as f:
        ics = f.read()
    assert ics.count("BEGIN:VEVENT") == 8 and "Shift: Bake" in ics  # 2 a week for 4 weeks
    for shifts in ("2", "1"):
        phone.select_option("#give_task", str(bakery.bake.pk))
        phone.select_option("#partner", str(other.pk))
        phone.select_option("#take_task", str(bakery.clean.pk))
        phone.fill("#give_shifts", shifts)
        phone.fill("#take_shifts", shifts)
        phone.click("button:has-text('Offer the swap')")
        if shifts == "2":  # they hold only one shift of cleaning
            see(phone, "Swap refused", "does not hold")
    see(phone, "Swap offered")
    assert Swap.objects.get().partner == other
    axe = Axe()
    for p, path in (
        (page, f"/work/council/{slug}/"),
        (page, f"/work/balances/{balance.pk}/"),
        (phone, f"/work/balances/{balance.pk}/mine/"),
    ):
        p.goto(url + path)
        result = axe.run(p)
        assert result.violations_count == 0, (path, result.generate_report())
