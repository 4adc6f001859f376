"""In Chromium: a facilitator starts a game, two players join by code on phones, play one
round, and the projector (polled by HTMX under the strict CSP) shows their proposals,
the closed round's gaps and the next round; axe-core on the player's and projector's pages."""

from __future__ import annotations

import re
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


def _join(phone: Any, url: str, code: str, name: str) -> None:
    phone.goto(url + "/learn/play/")
    phone.fill("#code", code)
    phone.fill("#player-name", name)
    phone.click("button:has-text('Join')")
    phone.wait_for_url(re.compile(rf".*/learn/play/{code}/$"))


def test_two_players_and_a_facilitator_play_a_round(
    live_server: Any, page: Any, phone: Any, browser: Any, make_member: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from parecon.web.chapters.models import Chapter
    from parecon.web.learn.models import GameRound, Move

    teacher = make_member("Teacher")
    chapter = Chapter.objects.get(geonameid=3128760)
    url = live_server.url
    _login(page, url, teacher.email)
    page.goto(f"{url}/learn/")
    page.click(f"a[href='/learn/games/new/{chapter.slug}/']")
    page.fill("#name", "Browser teach-in")
    page.check("input[name=scenario][value=barcelona]")
    page.click("button:has-text('Start the game')")
    code = page.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    other = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    second = other.new_page()
    second.set_default_timeout(15_000)
    _join(phone, url, code, "Marta")
    _join(second, url, code, "Jordi")
    see(phone, "you are the consumer council eixample-households")
    see(second, "you are the worker council mill")
    page.wait_for_selector("text=2 players have joined.")  # the lobby is polled

    page.click("button:has-text('Open round 1')")
    phone.reload()
    phone.fill("#demand-0", "800")
    phone.click("button:has-text('Send my proposal')")
    see(phone, "Your proposal is in.")
    second.reload()
    second.click("button:has-text('Send my proposal')")
    page.wait_for_selector("text=2 proposals from 2 players")  # the projector is polled
    assert Move.objects.count() == 2

    page.click("button:has-text('Close the round now')")
    page.wait_for_selector("caption:has-text('Round 1')")
    assert page.locator("svg.chart").count() == 2
    first = GameRound.objects.get(number=1)
    assert first.status == "closed" and set(first.results) == {"0", "1"}
    bread = page.locator("td[data-gap=bread]").inner_text()
    assert float(bread) == pytest.approx(first.gaps[0], abs=0.0005)
    phone.wait_for_selector("text=A new round has opened")  # the player's status is polled
    phone.click("text=A new round has opened: see the new prices")
    see(phone, "Round 1", "of your best")

    axe = Axe()
    for p in (phone, page):
        serious = [
            v["id"]
            for v in axe.run(p).response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == [], (p.url, serious)
    other.close()
