"""A newcomer's first visit in a real Chromium: join, verify, land in the city's chapter,
edit the profile, see the admin grant a role in the public log, switch to Spanish;
and an accessibility check of the main pages with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.web.browser import see

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _verification_path() -> str:
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body)
    assert link is not None, body
    return link.group(1)


def test_newcomer_joins_and_finds_their_chapter(
    live_server: Any, page: Any, make_member: Any
) -> None:
    url = live_server.url
    page.goto(url + "/accounts/signup/")
    page.fill("#id_name", "Nadia Browser")
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_password1", "correct horse battery staple")
    page.fill("#id_password2", "correct horse battery staple")
    page.fill("#id_city", "Barcelona")
    page.click("button:has-text('Join')")
    # Two Barcelonas: the form asks which one.
    page.select_option("#id_city_id", label="Barcelona, Catalonia, Spain")
    page.fill("#id_password1", "correct horse battery staple")
    page.fill("#id_password2", "correct horse battery staple")
    page.click("button:has-text('Join')")
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/.*"))
    page.goto(url + _verification_path())
    page.click("button:has-text('Confirm')")
    page.wait_for_url(url + "/")
    see(page, "Hello, Nadia Browser")
    page.click("text=Barcelona, Catalonia, Spain")
    expect(page.locator("body")).to_contain_text(re.compile("founded", re.IGNORECASE))
    assert page.locator("text=admin").first.is_visible()

    # Edit the profile.
    page.goto(url + "/members/me/")
    page.fill("#id_bio", "I bake bread <b>and</b> brew.")
    page.check("#id_near_me")
    page.click("button:has-text('Save')")
    see(page, "I bake bread <b>and</b> brew.")  # shown as text: the markup is escaped
    assert "I bake bread &lt;b&gt;and&lt;/b&gt; brew." in page.content()

    # As the chapter's founding admin, grant a role and read it in the public log.
    make_member("Second Member")
    page.goto(url + "/chapters/")
    page.click("text=Barcelona, Catalonia, Spain")
    page.click("text=Roles")
    page.select_option("#id_member", label="Second Member")
    page.select_option("#id_role", "facilitator")
    page.click("button:has-text('Grant')")
    see(page, "Role granted")
    page.goto(page.url.replace("/roles/", "/log/"))
    assert page.locator("text=Second Member is facilitator").count() == 1

    # Switch to Spanish in the header.
    page.select_option("#language", "es")
    page.click("header form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_main_pages_have_no_serious_accessibility_violation(
    live_server: Any,
    page: Any,
    phone: Any,
    make_member: Any,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    member = make_member("Axe Reader")
    from parecon.web.chapters.models import Chapter

    chapter = Chapter.objects.get(geonameid=3128760)
    axe = Axe()
    for p in (page, phone):
        p.goto(live_server.url + "/accounts/login/")
        p.fill("input[name=login]", member.email)
        p.fill("input[name=password]", "a-long-test-password")
        p.click("button[type=submit]")
        p.wait_for_url(live_server.url + "/")
        for path in (
            "/",
            "/chapters/",
            f"/chapters/{chapter.slug}/",
            f"/chapters/{chapter.slug}/roles/",
            f"/chapters/{chapter.slug}/log/",
            "/members/me/",
            f"/members/{member.pk}/",
            "/members/near/",
        ):
            p.goto(live_server.url + path)
            results = axe.run(p)
            serious = [
                v["id"]
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
            assert serious == [], (path, serious)


def test_main_pages_are_light_and_load_on_a_slow_connection(
    live_server: Any, page: Any, make_member: Any
) -> None:
    """Every main page weighs under 100 KB before images, and loads on a slow 3G link."""
    member = make_member("Slow Reader")
    from parecon.web.chapters.models import Chapter

    chapter = Chapter.objects.get(geonameid=3128760)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 50_000,
            "uploadThroughput": 20_000,
        },
    )
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}

    def count(response: Any) -> None:
        if response.request.resource_type != "image":
            sizes[response.url] = len(response.body())

    page.on("response", count)
    threads = (f"/threads/in/{chapter.slug}/", "/threads/notifications/")
    for path in ("/", "/chapters/", f"/chapters/{chapter.slug}/", "/members/me/", *threads):
        sizes.clear()
        page.goto(live_server.url + path, wait_until="load", timeout=30_000)
        total = sum(sizes.values())
        assert total < 100_000, (path, total, sizes)
