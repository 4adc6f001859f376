"""In Chromium: post a need and an offer and match them, read one's history, add an
organisation on the map with a follow-up and a note; axe-core on every commons page,
at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser import see

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_a_need_met_by_an_offer_and_an_ally_followed_up(
    live_server: Any, page: Any, phone: Any, make_member: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from parecon.web.chapters.models import Chapter
    from parecon.web.commons.models import FollowUp, Match

    ana = make_member("Ana Needs")
    ben = make_member("Ben Gives")
    chapter = Chapter.objects.get(geonameid=3128760)
    url = live_server.url
    _login(phone, url, ben.email)
    phone.goto(f"{url}/chapters/{chapter.slug}/")
    phone.click("text=Needs, offers and allies")
    phone.select_option("#n-kind", "offer")
    phone.fill("#n-title", "Childcare at Thursday's meeting")
    phone.select_option("#n-category", "childcare")
    phone.check("#n-city")
    phone.click("button:has-text('Post')")
    see(phone, "Posted.")
    _login(page, url, ana.email)
    page.goto(f"{url}/commons/{chapter.slug}/")
    page.fill("#n-title", "Someone to mind my kids on Thursday")
    page.select_option("#n-category", "childcare")
    page.select_option("#n-urgency", "3")
    page.check("#n-city")
    page.click("button:has-text('Post')")
    page.click("text=Someone to mind my kids on Thursday")
    see(page, "0 km")  # both at their city: no distance between them
    page.click("button:has-text('Accept this offer')")
    see(page, "Matched")
    match = Match.objects.get()
    assert (match.giver, match.receiver) == (ben, ana)
    phone.goto(f"{url}/commons/{chapter.slug}/mine/")
    assert "Childcare at Thursday" in phone.text_content("main")
    page.goto(f"{url}/commons/{chapter.slug}/organisations/")
    page.fill("#o-name", "Tenants <United>")
    page.select_option("#o-kind", "tenants")
    page.fill("#o-lat", "41.40")
    page.fill("#o-lon", "2.17")
    page.click("button:has-text('Add')")
    expect(page.locator("svg.map circle")).to_have_count(1)
    assert page.locator("svg.map text").text_content() == "Tenants <United>"
    page.locator("svg.map a").click()
    page.fill("#f-what", "Invite them to the teach-in")
    page.select_option("#f-who", str(ben.pk))
    page.click("button:has-text('Add a follow-up')")
    page.fill("#n-body", "They meet on the first Monday.")
    page.click("button:has-text('Add the note')")
    see(page, "They meet on the first Monday.")
    assert FollowUp.objects.get().assignee == ben
    org_path = page.url.removeprefix(url)
    axe = Axe()
    for p in (page, phone):
        for path in (
            f"/commons/{chapter.slug}/",
            f"/commons/{chapter.slug}/posts/{match.need_id}/",
            f"/commons/{chapter.slug}/mine/",
            f"/commons/{chapter.slug}/organisations/",
            org_path,
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
