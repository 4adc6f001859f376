"""The discussion in a real Chromium: post and reply, the unread count updating by HTMX
polling under the strict CSP, and axe-core on the discussion's pages at both widths."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(p: Any, base: str, email: str) -> None:
    p.goto(base + "/accounts/login/")
    p.fill("input[name=login]", email)
    p.fill("input[name=password]", "a-long-test-password")
    p.click("button[type=submit]")
    p.wait_for_url(base + "/")


def test_post_reply_and_the_badge_polls(live_server: Any, page: Any, people: Any) -> None:
    from parecon.web.discussion import services
    from parecon.web.discussion.models import Thread

    base = live_server.url
    _log_in(page, base, people.alice.email)
    page.goto(f"{base}/chapters/{people.chapter.slug}/")
    page.click("text=Threads")
    page.fill("#id_title", "Soup on Sunday")
    page.fill("#id_body", "Who brings leeks? @bob-baker")
    page.click("button:has-text('Post')")
    page.wait_for_selector("h1:has-text('Soup on Sunday')")
    assert page.locator("a.mention").inner_text() == "@bob-baker"
    assert page.locator("#unread .badge").count() == 0
    thread = Thread.objects.get(title="Soup on Sunday")
    services.reply(people.bob, thread, body="I do.")  # in the background, no reload
    page.wait_for_selector("#unread .badge", timeout=20_000)
    assert page.locator("#unread .badge").inner_text().startswith("1")


def test_discussion_pages_have_no_serious_accessibility_violation(
    live_server: Any, page: Any, phone: Any, people: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from parecon.web.discussion import services

    thread, _found = services.start_thread(
        people.alice, people.chapter, title="Bread", body="Hello @meda"
    )
    rude, _found = services.reply(people.bob, thread, body="rude")
    services.flag_post(people.alice, rude, reason="rude")
    services.edit_post(people.alice, thread.posts.get(is_opening=True), body="Hello again")
    axe = Axe()
    for p in (page, phone):
        _log_in(p, live_server.url, people.mediator.email)
        for path in (
            f"/threads/in/{people.chapter.slug}/",
            f"/threads/{thread.pk}/",
            f"/threads/in/{people.chapter.slug}/flags/",
            f"/threads/posts/{rude.pk}/flag/",
            f"/threads/posts/{thread.posts.get(is_opening=True).pk}/history/",
            "/threads/notifications/",
        ):
            p.goto(live_server.url + path)
            results = axe.run(p)
            serious = [
                v["id"]
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
            assert serious == [], (path, serious)
            assert len(p.content().encode()) < 100_000, path
