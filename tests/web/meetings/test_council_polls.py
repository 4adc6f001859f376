"""Polls that invite a council or a federation: its members (every council below it,
in chapters below too) answer, get the invite and see the meeting in their feed; a
member of the chapter outside the council is not invited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def bakeries(chapter: Any, make_member: Any) -> dict[str, Any]:
    """An industry federation in the region's chapter above Barcelona, with a workplace
    in Barcelona and one in the region's chapter itself."""
    from parecon.web.chapters.models import Membership
    from parecon.web.councils import services
    from parecon.web.councils.models import Council

    region = chapter.parent
    federation = Council.objects.create(
        chapter=region, name="Bakeries", slug="bakeries", kind="worker", level="industry"
    )
    forn = services.create_council(
        chapter.founder, chapter, name="Forn del Barri", level="workplace", parent=federation
    )
    mill = Council.objects.create(
        chapter=region,
        name="Mill",
        slug="mill",
        kind="worker",
        level="workplace",
        parent=federation,
    )
    baker, miller, neighbour = make_member("Baker"), make_member("Miller"), make_member("Neighbour")
    services.join_council(baker, forn)
    Membership.objects.create(chapter=region, member=miller)
    services.join_council(miller, mill)
    return {
        "region": region,
        "federation": federation,
        "baker": baker,
        "miller": miller,
        "neighbour": neighbour,
    }


def test_a_federation_poll_reaches_the_councils_below(bakeries: dict[str, Any], login: Any) -> None:
    from parecon.web.calendars.feeds import render_ics
    from parecon.web.meetings.selectors import member_feed
    from parecon.web.polls import services
    from parecon.web.polls.selectors import invitee_members

    miller, baker, neighbour = bakeries["miller"], bakeries["baker"], bakeries["neighbour"]
    poll = services.create_poll(
        miller,
        bakeries["region"],
        title="Bakers' assembly",
        zone="Europe/Madrid",
        options=[(datetime(2027, 6, 1, 19), 90)],
        invitees="council",
        council=bakeries["federation"],
    )
    assert set(invitee_members(poll)) == {miller, baker}
    option = poll.options.get()
    # The Barcelona baker is not a member of the region's chapter, yet invited.
    page = login(baker).get(f"/polls/{poll.pk}/")
    assert page.status_code == 200 and "Bakers&#x27; assembly" in page.content.decode()
    assert "Bakeries" in page.content.decode()
    r = login(baker).post(f"/polls/{poll.pk}/answer/", {f"answer-{option.pk}": "yes"})
    assert r.status_code == 302 and poll.options.get().answers.count() == 1
    # A member of Barcelona outside the federation is not.
    assert login(neighbour).get(f"/polls/{poll.pk}/").status_code == 403
    r = login(neighbour).post(f"/polls/{poll.pk}/answer/", {f"answer-{option.pk}": "yes"})
    assert r.status_code == 403 and option.answers.count() == 1

    mail.outbox.clear()
    meeting = services.finalise(miller, poll, option)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([miller.email, baker.email])
    # The meeting is in the baker's personal feed and its page opens for them.
    assert b"Bakers' assembly" in render_ics(list(member_feed(baker)), "mine")
    assert b"Bakers' assembly" not in render_ics(list(member_feed(neighbour)), "mine")
    assert login(baker).get(f"/meetings/{meeting.pk}/").status_code == 200
    assert login(neighbour).get(f"/meetings/{meeting.pk}/").status_code == 403


def test_only_the_chapters_councils_and_their_members_or_facilitators(
    chapter: Any, bakeries: dict[str, Any], make_member: Any, login: Any
) -> None:
    from parecon.web.councils import services as councils
    from parecon.web.polls.models import TimePoll

    households = councils.create_council(
        chapter.founder, chapter, name="Carrer Verdi", level="household"
    )
    data = {
        "title": "When?",
        "zone": "Europe/Madrid",
        "date": ["2027-10-30"],
        "time": ["19:00"],
        "minutes": ["90"],
        "invitees": "council",
        "council": households.slug,
    }
    # A member of the chapter outside the council may not poll it.
    r = login(bakeries["baker"]).post(f"/polls/new/{chapter.slug}/", data)
    assert r.status_code == 403
    # The region's federation is not one of Barcelona's councils.
    data["council"] = "bakeries"
    r = login(chapter.founder).post(f"/polls/new/{chapter.slug}/", data)
    assert "one of the chapter&#x27;s councils" in r.content.decode()
    assert not TimePoll.objects.exists()
    # The chapter's admin polls the household (no member yet: nobody to wait for).
    data["council"] = households.slug
    r = login(chapter.founder).post(f"/polls/new/{chapter.slug}/", data)
    poll = TimePoll.objects.get()
    assert r.status_code == 302 and poll.council == households


def test_the_api_invites_a_council_and_counts_an_agenda_proposal(
    chapter: Any, bakeries: dict[str, Any], facilitator: Any, login: Any
) -> None:
    import json

    from parecon.web.decisions import services as decisions
    from parecon.web.meetings import services as meetings

    def post(client: Any, url: str, payload: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(payload), content_type="application/json")

    miller = login(bakeries["miller"])
    body = {
        "chapter": bakeries["region"].slug,
        "title": "Assembly",
        "zone": "Europe/Madrid",
        "options": [{"start": "2027-06-01T19:00:00", "minutes": 60}],
        "invitees": "council",
        "council": "bakeries",
    }
    r = post(miller, "/api/polls", body)
    assert r.status_code == 201, r.content
    assert login(bakeries["baker"]).get(f"/api/polls/{r.json()['id']}").status_code == 200
    assert login(bakeries["neighbour"]).get(f"/api/polls/{r.json()['id']}").status_code == 403
    r = post(miller, "/api/polls", {**body, "council": "no-such-council"})
    assert r.status_code == 422 and "council" in r.json()["detail"]

    # An agenda item's proposal, counted through the API by the decisions engine.
    proposal = decisions.propose(facilitator, chapter, decisions.Proposal(title="New oven"))
    meeting = meetings.create_meeting(
        facilitator,
        chapter,
        title="M",
        starts_at=datetime(2027, 6, 1, 17, tzinfo=UTC),
        ends_at=datetime(2027, 6, 1, 18, tzinfo=UTC),
        zone="UTC",
    )
    item = meetings.add_agenda_item(facilitator, meeting, "", 10, decision=proposal)
    url = f"/api/meetings/{meeting.pk}/decisions"
    r = post(login(facilitator), url, {"agenda_item_id": item.pk, "in_favour": 2, "against": 3})
    assert r.status_code == 201, r.content
    assert r.json()["decision_id"] == proposal.pk and r.json()["outcome"] == "rejected"
    assert r.json()["counts"] == {"consent": 2, "object": 3}
