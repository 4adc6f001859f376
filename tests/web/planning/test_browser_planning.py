"""In Chromium: a neighbourhood drafts over budget and submits, a bakery sees SB/SC,
the neighbourhood reads the bakery's proposal and objects and finds it in the plan's
council list, the facilitator closes the
round and sees the new prices and the chart, a council accepts its suggestion; two
members editing one draft get the conflict message."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, email: str) -> None:
    # The live server's first page (templates, translations) can be slow on a busy machine.
    page.goto(url + "/accounts/login/", timeout=60_000)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def _fresh(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    p = context.new_page()
    p.set_default_timeout(15_000)
    return p


def test_draft_submit_close_and_accept_the_suggestion(
    live_server: Any, page: Any, browser: Any, coop: Any
) -> None:
    url = live_server.url
    plan = f"{url}/plans/{coop.plan.pk}"
    _login(page, url, coop.north_member.email)
    page.goto(f"{plan}/councils/{coop.north.slug}/")
    # Bread at 2: 80 loaves cost 160 of North's 100 (autosaved as she types).
    page.fill("#q-demand-0", "80")
    page.locator("#draft-status").get_by_text("Over budget").wait_for()
    assert "the requests cost 160.00, the budget is 100.00" in page.inner_text("#draft-status")
    page.fill("#q-demand-0", "30")
    page.locator("#draft-status").get_by_text("Total 60.00").wait_for()
    page.click("button:has-text('Submit the proposal')")
    page.get_by_text("Submitted. You can revise it").wait_for()

    baker = _fresh(browser)
    try:
        _login(baker, url, coop.baker.email)
        baker.goto(f"{plan}/councils/{coop.bakery.slug}/")
        baker.fill("#q-supply-0", "40")
        baker.fill("#q-demand-3", "4")
        # 40 loaves at 2 against 4 hours at 10: SB/SC = 80 / 40.
        baker.locator("#draft-status").get_by_text("SB/SC 2.00").wait_for()
        baker.click("button:has-text('Submit the proposal')")
        baker.get_by_text("Submitted. You can revise it").wait_for()
    finally:
        baker.context.close()

    # North reads the bakery's figures on its proposal's page and objects, with a reason.
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{plan}/")
    page.click("a:has-text('Bakery') >> nth=-1")  # under "Worker councils' proposals"
    page.get_by_role("heading", name="Bakery: submitted proposal, round 1").wait_for()
    assert "Benefit / cost 2.00" in page.inner_text("main")
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    page.fill("input[name=reason]", "More bread, please")
    page.click("button:has-text('Object')")
    page.get_by_text("More bread, please").wait_for()
    page.goto(f"{plan}/")
    page.get_by_text("0 approve · 1 object").wait_for()
    # The plan's council list: workplaces that have submitted, with their reviews.
    page.goto(f"{plan}/councils/")
    page.select_option("#id_kind", "worker")
    page.select_option("#id_round", "submitted")
    page.click("button:has-text('Show')")
    page.get_by_text("1 council matches.").wait_for()
    assert "0 approve · 1 object" in page.inner_text("table")
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()

    fac = _fresh(browser)
    try:
        _login(fac, url, coop.facilitator.email)
        fac.goto(f"{plan}/")
        fac.click("button:has-text('Close round 1')")
        fac.get_by_role("heading", name="Last round's result").wait_for()
        assert fac.get_by_role("columnheader", name="New price").is_visible()
        chart = fac.locator("img.chart")
        chart.wait_for()
        # The chart is a separate request: wait for it to decode, not just for the tag.
        fac.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
    finally:
        fac.context.close()

    # Round 2: North's draft offers a suggestion from the new prices; she accepts it.
    page.goto(f"{plan}/councils/{coop.north.slug}/")
    page.click("button:has-text('Accept the suggestion')")
    page.get_by_text("The suggestion is in the draft").wait_for()
    suggested = coop.plan.rounds.get(number=2).proposals.get(council=coop.north).lines.get()
    assert page.input_value("#q-demand-0") == f"{suggested.quantity:g}"


def test_two_browsers_editing_one_draft_see_the_conflict(
    live_server: Any, page: Any, browser: Any, coop: Any
) -> None:
    url = live_server.url
    draft = f"{url}/plans/{coop.plan.pk}/councils/{coop.north.slug}/"
    nico = _fresh(browser)
    try:
        _login(page, url, coop.north_member.email)
        _login(nico, url, coop.north_member2.email)
        page.goto(draft)
        nico.goto(draft)
        page.fill("#q-demand-0", "10")
        page.locator("#draft-status").get_by_text("Total 20.00").wait_for()
        nico.fill("#q-demand-0", "12")
        alert = nico.locator("#draft-status [role=alert]")
        alert.wait_for()
        assert "Nora changed bread to 10" in alert.inner_text()
        assert "your 12" in alert.inner_text()
        # The other person's figure is now in Nico's field, and a second try saves.
        assert nico.input_value("#q-demand-0") == "10"
        nico.fill("#q-demand-0", "12")
        nico.locator("#draft-status").get_by_text("Total 24.00").wait_for()
    finally:
        nico.context.close()
    line = coop.round.proposals.get(council=coop.north).lines.get()
    assert line.quantity == 12
