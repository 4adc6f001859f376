"""In Chromium: propose a decision that affects some members more, see the weights,
vote by consent and by ranked choice, read weighted and unweighted results, write
the outcome."""

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


def test_decide_by_consent_and_ranked_choice(live_server: Any, page: Any, make_member: Any) -> None:
    from parecon.web.chapters.models import Chapter
    from parecon.web.decisions import services

    ana = make_member("Ana Proposer")
    ben = make_member("Ben Neighbour")
    make_member("Cleo Further")
    chapter = Chapter.objects.get(geonameid=3128760)
    url = live_server.url
    _login(page, url, ana.email)
    page.goto(f"{url}/decisions/chapter/{chapter.slug}/propose/")
    page.fill("#id_title", "Paint the hall")
    page.select_option("#id_method", "consent")
    page.fill("#id_levels", "1")
    page.click("button:has-text('Propose')")
    # Wait for the proposal's own page (under load the click returns before it is there).
    expect(page.locator("summary", has_text="Every member")).to_have_count(1)
    page.click("button:has-text('Open voting')")
    page.check("input[value=consent]")
    page.click("button:has-text('Vote')")
    see(page, "Your vote is counted")
    see(page, "Weighted", "Unweighted")
    page.click("button:has-text('Close and count')")
    see(page, "adopted")
    page.fill("#id_statement", "We paint the hall on Saturday.")
    page.click("button:has-text('Record the outcome')")
    see(page, "We paint the hall on Saturday.")

    ranked = services.propose(
        ana, chapter, services.Proposal(title="Teach-in", method="ranked", options=("plan", "jobs"))
    )
    services.open_voting(ana, ranked)
    page.goto(f"{url}/decisions/{ranked.pk}/")
    page.fill("#rank_0", "2")
    page.fill("#rank_1", "1")
    page.click("button:has-text('Vote')")
    see(page, "Your vote is counted")
    services.cast(ben, ranked, {"ranking": [["jobs"], ["plan"]]})
    page.click("button:has-text('Close and count')")
    see(page, "chosen", "jobs")


def test_amend_a_clause_and_read_its_versions(
    live_server: Any, page: Any, make_member: Any
) -> None:
    """A member proposes a new text for a clause (the preview shows it side by side as
    she types, through HTMX under the strict CSP), the chapter consents, and the history
    shows version 2 with the words that changed."""
    from parecon.web.chapters.models import Chapter
    from parecon.web.decisions import amendments

    founder = make_member("Ana Founder")
    ben = make_member("Ben Member")
    chapter = Chapter.objects.get(geonameid=3128760)
    vision = amendments.create_document(
        founder,
        chapter,
        title="Vision statement",
        type="vision",
        clauses=[("Who we are", "We are neighbours of Barcelona.")],
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = live_server.url
    _login(page, url, ben.email)
    page.goto(f"{url}/decisions/documents/{vision.pk}/")
    page.click("summary:has-text('Propose an amendment to this clause')")
    page.fill("#id_c1_text", "We are neighbours and workers of Barcelona.")
    page.locator("#preview-c1 ins.new").wait_for()
    assert "and workers" in page.inner_text("#preview-c1 ins.new")
    page.click("button:has-text('Propose the amendment')")
    see(page, "Your amendment is a decision of the chapter now")
    assert page.inner_text("ins.new").strip() == "and workers"
    page.click("button:has-text('Open voting')")
    page.check("input[value=consent]")
    page.click("button:has-text('Vote')")
    page.click("button:has-text('Close and count')")
    see(page, "adopted")
    page.click("a:has-text('the whole document')")
    see(page, "We are neighbours and workers of Barcelona.")
    page.click("a:has-text('Every version, and what changed')")
    see(page, "Version 2", "Version 1")
    assert page.inner_text("section[aria-labelledby=v-2] ins.new").strip() == "and workers"
    assert not [e for e in errors if "Content Security Policy" in e], errors
