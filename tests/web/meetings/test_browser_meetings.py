"""In Chromium: answer a time poll as a member and as a guest (through the private
link, on a phone), finalise it into a meeting and fetch its invite; then run the
meeting: an agenda item, minutes autosaved as typed, a decision counted by the
decisions engine, a follow-up task, the minutes published."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
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


def test_create_a_poll_answer_as_members_and_guest_then_finalise_and_fetch_the_invite(
    live_server: Any, page: Any, phone: Any, chapter: Any, facilitator: Any, make_member: Any
) -> None:
    import icalendar
    from django.core import mail

    from parecon.web.polls import services
    from parecon.web.polls.models import PollAnswer, TimePoll

    url = live_server.url
    year = datetime.now(UTC).year + 1
    # The facilitator creates the poll on a phone and makes a guest's private link.
    _login(phone, url, facilitator.email)
    phone.goto(f"{url}/polls/new/{chapter.slug}/")
    phone.fill("#id_title", "Spring meeting")
    phone.select_option("#id_zone", "Europe/Madrid")
    for i, day in enumerate((f"{year}-03-02", f"{year}-03-03")):
        phone.locator("input[name=date]").nth(i).fill(day)
        phone.locator("input[name=time]").nth(i).fill("19:00")
    phone.click("button:has-text('Create the poll')")
    phone.wait_for_url(re.compile(r".*/polls/\d+/$"))
    poll = TimePoll.objects.get()
    first, second = poll.options.order_by("starts_at")
    phone.fill("#guest-name", "Marta")
    phone.click("button:has-text('Make a private link')")
    link = phone.locator("#guest-link").input_value()
    assert "/polls/guest/g_" in link

    # Another member has answered already (by the API, say).
    services.answer_as_member(make_member("Early Bird"), poll, {first.pk: ("yes", "")})

    # A member answers on the poll's page.
    member = make_member("Plain Member")
    _login(page, url, member.email)
    page.goto(f"{url}/polls/{poll.pk}/")
    page.check(f"input[name=answer-{first.pk}][value=yes]")
    page.check(f"input[name=answer-{second.pk}][value=no]")
    page.fill(f"#comment-{second.pk}", "away that week")
    page.click("button:has-text('Save my answers')")
    see(page, "Your answers are saved.")

    # The guest answers through the private link on a phone, without an account.
    phone.goto(link)
    see(phone, "Hello Marta")
    phone.check(f"input[name=answer-{first.pk}][value=if_need_be]")
    # Nothing spills beyond the phone's width (the grid scrolls inside its box).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("button:has-text('Save my answers')")
    see(phone, "Thank you, your answers are saved.")
    assert PollAnswer.objects.filter(guest__isnull=False, choice="if_need_be").count() == 1

    # The facilitator (still logged in on the phone) finalises the best time.
    phone.goto(f"{url}/polls/{poll.pk}/")
    assert phone.locator("#final-option").input_value() == str(first.pk)
    phone.click("button:has-text('Finalise and send invitations')")
    phone.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    see(phone, "The meeting is set and the invitations are sent.")
    invited = {m.to[0] for m in mail.outbox if m.subject == "Invitation: Spring meeting"}
    members = chapter.memberships.filter(left_at__isnull=True).select_related("member")
    assert invited == {ms.member.email for ms in members} and len(invited) == 4

    # The invite, fetched with the browser's session, parses back to the chosen time.
    href = phone.get_attribute("a:has-text('Add to my calendar (ICS)')", "href")
    response = phone.request.get(url + href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    event = next(iter(icalendar.Calendar.from_ical(response.body()).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Spring meeting"
    assert event.decoded("DTSTART") == first.starts_at


def test_run_a_meeting(
    live_server: Any, page: Any, chapter: Any, facilitator: Any, note_taker: Any, make_member: Any
) -> None:
    from parecon.web.meetings import services

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    meeting = services.schedule_meeting(
        facilitator,
        chapter,
        title="Chapter meeting",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        zone="Europe/Madrid",
    )
    assignee = make_member("Farid Tasks")
    url = live_server.url
    _login(page, url, note_taker.email)
    page.goto(f"{url}/meetings/{meeting.pk}/")

    page.fill("#a-title", "The bakery's proposal")
    page.fill("#a-min", "20")
    page.click("button:has-text('Add to the agenda')")
    see(page, "Added to the agenda.", "20 minutes")

    # The minutes save themselves as they are typed (HTMX), then again by the button.
    page.fill("#minutes", "Six present. The bakery keeps its hours.")
    page.wait_for_selector("#minutes-saved:has-text('Saved at')")
    meeting.refresh_from_db()
    assert meeting.minutes == "Six present. The bakery keeps its hours."

    # A decision counted in the room: the decisions engine gives the outcome.
    page.fill("#d-text", "Adopt the bakery's proposal")
    page.fill("input[name=in_favour]", "5")
    page.fill("input[name=against]", "1")
    page.click("button:has-text('Count the decision')")
    see(page, "Decision counted.")
    row = page.locator("table tr", has_text="Adopt the bakery's proposal")
    assert "adopted" in row.inner_text() and "consent 5" in row.inner_text()
    taken = meeting.decisions.get().decision
    assert taken.status == "closed" and taken.result["outcome"] == "adopted"

    follow_up = page.locator("form[action$='/follow-ups/']")
    follow_up.locator("input[name=title]").fill("Book the hall")
    follow_up.locator("select[name=assignee]").select_option(label="Farid Tasks")
    follow_up.locator("input[name=hours]").fill("1.5")
    follow_up.locator("button").click()
    see(page, "Follow-up task added.")
    task = meeting.follow_ups.get()
    assert task.assignee == assignee and str(task.hours) == "1.50"

    page.click("button:has-text('Publish the minutes and decisions to the chapter')")
    see(page, "The minutes are published to the chapter.")
    page.click("text=Printable report")
    see(page, "Book the hall", "Six present.")


def test_a_newcomer_joins_a_project_by_email(
    live_server: Any, phone: Any, chapter: Any, make_member: Any
) -> None:
    """Without an account: the project's public page, the form, the e-mailed link, the
    confirming POST (which the CSRF check must accept from the page itself)."""
    from django.core import mail

    from parecon.web.projects import services

    project = services.create_project(
        make_member("Gardener"), chapter, title="Community garden", goal="Twelve beds"
    )
    url = live_server.url
    phone.goto(f"{url}/projects/{project.pk}/")
    phone.fill("#j-name", "Nadia Newcomer")
    phone.fill("#j-email", "nadia@example.org")
    phone.click("button:has-text('Send me the link')")
    see(phone, "Check your e-mail")
    link = re.search(r"https?://[^/\s]+(/projects/confirm/\S+/)", mail.outbox[-1].body)
    assert link is not None
    phone.goto(url + link.group(1))
    phone.click("button:has-text('Confirm')")
    see(phone, "Confirmed")
    assert project.participants.filter(newcomer__name="Nadia Newcomer").count() == 1


def test_evaluate_an_institution_and_open_its_pdf(
    live_server: Any, page: Any, chapter: Any, make_member: Any
) -> None:
    member = make_member("Rater")
    url = live_server.url
    _login(page, url, member.email)
    page.goto(f"{url}/evaluations/")
    page.fill("#ev-name", "Forn Cooperatiu")
    page.select_option("#ev-kind", "coop")
    page.click("button:has-text('Start the evaluation')")
    page.wait_for_url(re.compile(r".*/evaluations/\d+/$"))
    page.select_option("#score-self_management", "8")
    page.fill("#evidence-self_management", "The assembly decides the hours.")
    page.select_option("#score-equity", "6")
    page.click("button:has-text('Save my ratings')")
    assert page.locator("#score-self_management").input_value() == "8"
    href = page.get_attribute("a:has-text('PDF')", "href")
    response = page.request.get(url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
