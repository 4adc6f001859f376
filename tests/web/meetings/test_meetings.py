"""Running a meeting through its pages: agenda, roles, attendance, minutes (HTMX
autosave), decisions, follow-ups, publishing, the printable report — and the wrong users."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(chapter: Any, facilitator: Any, note_taker: Any) -> Any:
    from parecon.web.meetings import services

    start = datetime(2027, 2, 4, 18, 0, tzinfo=UTC)
    return services.schedule_meeting(
        facilitator,
        chapter,
        title="February meeting",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        zone="Europe/Madrid",
        place="Ateneu",
    )


def test_roles_come_from_the_chapters_current_grants(
    meeting: Any, facilitator: Any, note_taker: Any, make_member: Any, login: Any
) -> None:
    assert meeting.facilitator == facilitator and meeting.note_taker == note_taker
    plain = make_member("Plain")
    r = login(facilitator).post(
        f"/meetings/{meeting.pk}/roles/", {"facilitator": plain.pk, "note_taker": note_taker.pk}
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.facilitator == facilitator  # Plain holds no facilitator grant
    assert login(plain).post(f"/meetings/{meeting.pk}/roles/", {}).status_code == 403


def test_a_whole_meeting(
    meeting: Any, chapter: Any, facilitator: Any, note_taker: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.history.models import Event

    plain = make_member("Plain")
    member = login(plain)
    nora = login(note_taker)
    r = member.post(f"/meetings/{meeting.pk}/agenda/", {"title": "Bakery", "minutes_boxed": "25"})
    assert r.status_code == 302
    member.post(f"/meetings/{meeting.pk}/agenda/", {"title": "<b>Beer</b>", "minutes_boxed": "5"})
    page = member.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "30 minutes" in page and "&lt;b&gt;Beer&lt;/b&gt;" in page and "<b>Beer" not in page
    # 19:00 in Madrid for a Barcelona member.
    assert "19:00–20:30" in page
    # A plain member cannot run the meeting.
    assert member.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": "x"}).status_code == 403
    assert (
        member.post(f"/meetings/{meeting.pk}/attendance/", {"present": [plain.pk]}).status_code
        == 403
    )
    # The note-taker records attendance and autosaves the minutes (HTMX).
    nora.post(f"/meetings/{meeting.pk}/attendance/", {"present": [plain.pk, note_taker.pk]})
    assert meeting.attendance.count() == 2
    for text in ("We met.", "We met. Six present."):
        r = nora.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": text}, HTTP_HX_REQUEST="true")
        assert r.status_code == 200 and "Saved at" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "We met. Six present."
    assert Event.objects.filter(verb="meeting.minutes_saved").count() == 1  # one per window
    # Before publishing, members do not see the draft minutes.
    assert "Six present" not in member.get(f"/meetings/{meeting.pk}/").content.decode()
    assert member.get(f"/meetings/{meeting.pk}/report/").status_code == 403
    r = nora.post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "text": "Adopt the plan",
            "method": "consent",
            "in_favour": "5",
            "against": "1",
        },
    )
    # Counted by the decisions engine: a closed decision of the chapter with room ballots.
    taken = meeting.decisions.get().decision
    assert r.status_code == 302 and taken.status == "closed"
    assert taken.result["outcome"] == "adopted" and taken.chapter == chapter
    assert sorted(taken.ballots.values_list("choice", "count", "source")) == [
        ("consent", 5, "room"),
        ("object", 1, "room"),
    ]
    r = nora.post(
        f"/meetings/{meeting.pk}/follow-ups/",
        {"title": "Book the hall", "assignee": plain.pk, "due_on": "2027-02-10", "hours": "1.5"},
    )
    task = meeting.follow_ups.get()
    assert task.assignee == plain and task.due_on == date(2027, 2, 10) and str(task.hours) == "1.50"
    nora.post(f"/meetings/{meeting.pk}/publish/")
    meeting.refresh_from_db()
    assert meeting.published_at is not None
    page = member.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Six present" in page and "Adopt the plan" in page
    report = member.get(f"/meetings/{meeting.pk}/report/").content.decode()
    assert "Book the hall" in report and "@media print" not in report  # print CSS is a file
    assert "meetings.css" in report
    # The assignee marks their task done; the record is closed to new minutes.
    member.post(f"/meetings/{meeting.pk}/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_at is not None
    nora.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": "rewritten"})
    meeting.refresh_from_db()
    assert meeting.minutes == "We met. Six present."
    assert Event.objects.filter(verb="meeting.published", chapter=chapter).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "method": "consent", "in_favour": "3"}, "required"),
        ({"text": "x", "method": "dictator", "in_favour": "3"}, "consent or a majority"),
        ({"text": "x", "method": "consent", "blocks": "1"}, "must give its reason"),
        ({"text": "x", "method": "majority", "in_favour": "3", "blocks": "1"}, "Only consent"),
        ({"text": "x", "method": "majority", "in_favour": "-3"}, "0 to"),
        ({"text": "x", "method": "majority", "against": "lots"}, "whole"),
        ({"text": "x", "method": "consent"}, "counts of the room"),
    ],
)
def test_bad_decisions_are_refused(
    meeting: Any, note_taker: Any, login: Any, data: dict[str, str], message: str
) -> None:
    from parecon.web.decisions.models import Decision

    r = login(note_taker).post(f"/meetings/{meeting.pk}/decisions/", data, follow=True)
    assert message in r.content.decode()
    assert not meeting.decisions.exists() and not Decision.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x", "due_on": "soon"}, "due date"),
        ({"title": "x", "due_on": "2027-01-01", "hours": "0"}, "0.25"),
        ({"title": "x", "due_on": "2027-01-01", "hours": "NaN"}, "0.25"),
        ({"title": "x", "due_on": "2027-01-01", "hours": "1e9"}, "0.25"),
        ({"title": "", "due_on": "2027-01-01"}, "required"),
    ],
)
def test_bad_follow_ups_are_refused(
    meeting: Any, note_taker: Any, login: Any, data: dict[str, str], message: str
) -> None:
    r = login(note_taker).post(f"/meetings/{meeting.pk}/follow-ups/", data, follow=True)
    assert message in r.content.decode()
    assert not meeting.follow_ups.exists()


def test_follow_ups_go_to_members_of_the_chapter_only(
    meeting: Any, note_taker: Any, make_member: Any, login: Any
) -> None:
    outsider = make_member("Out", city=3117735)
    r = login(note_taker).post(
        f"/meetings/{meeting.pk}/follow-ups/",
        {"title": "x", "due_on": "2027-01-01", "assignee": outsider.pk},
        follow=True,
    )
    assert "member of the chapter" in r.content.decode()
    assert not meeting.follow_ups.exists()


def test_agenda_time_box_and_outsiders(
    meeting: Any, make_member: Any, login: Any, other_chapter: Any
) -> None:
    from django.test import Client

    plain = login(make_member())
    r = plain.post(
        f"/meetings/{meeting.pk}/agenda/", {"title": "x", "minutes_boxed": "999"}, follow=True
    )
    assert "1 to 240" in r.content.decode()
    plain.post(f"/meetings/{meeting.pk}/agenda/", {"title": "x", "minutes_boxed": "ten"})
    outsider = login(make_member(city=3117735))
    assert outsider.post(f"/meetings/{meeting.pk}/agenda/", {"title": "x"}).status_code == 403
    assert outsider.get(f"/meetings/{meeting.pk}/").status_code == 403
    assert Client().post(f"/meetings/{meeting.pk}/agenda/", {"title": "x"}).status_code == 302
    assert not meeting.agenda.exists()


def test_only_facilitators_schedule_directly(
    chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.meetings.models import Meeting

    data = {"title": "Direct", "starts_at": "2027-03-28T02:30", "zone": "Europe/Madrid"}
    r = login(facilitator).post(f"/meetings/chapter/{chapter.slug}/schedule/", data, follow=True)
    assert "does not exist" in r.content.decode()  # the hour clocks skip
    assert (
        login(make_member()).post(f"/meetings/chapter/{chapter.slug}/schedule/", data).status_code
        == 403
    )
    data["starts_at"] = "2027-03-28T19:00"
    r = login(facilitator).post(f"/meetings/chapter/{chapter.slug}/schedule/", data)
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2027, 3, 28, 17, 0, tzinfo=UTC)
    assert r["Location"] == f"/meetings/{meeting.pk}/"


def test_open_proposals_go_on_the_agenda(
    meeting: Any, chapter: Any, make_member: Any, login: Any, other_chapter: Any
) -> None:
    from parecon.web.decisions import services as decisions

    proposal = decisions.propose(chapter.founder, chapter, decisions.Proposal(title="New oven"))
    elsewhere = decisions.propose(
        other_chapter.memberships.get().member,
        other_chapter,
        decisions.Proposal(title="Madrid bikes"),
    )
    client = login(make_member())
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "New oven" in page and "Madrid bikes" not in page
    client.post(f"/meetings/{meeting.pk}/agenda/", {"decision": proposal.pk, "minutes_boxed": "15"})
    item = meeting.agenda.get()
    assert item.decision == proposal and item.title == "New oven"
    r = client.post(f"/meetings/{meeting.pk}/agenda/", {"decision": proposal.pk}, follow=True)
    assert "already" in r.content.decode()
    r = client.post(f"/meetings/{meeting.pk}/agenda/", {"decision": elsewhere.pk}, follow=True)
    assert "open proposals" in r.content.decode()
    assert meeting.agenda.count() == 1


def test_an_agenda_proposal_is_counted_with_its_online_ballots(
    meeting: Any, chapter: Any, facilitator: Any, note_taker: Any, make_member: Any, login: Any
) -> None:
    """The room's hands join the proposal's online ballots in one count by the engine."""
    from parecon.web.decisions import services as decisions

    voter = make_member("Online voter")
    proposal = decisions.propose(voter, chapter, decisions.Proposal(title="New oven"))
    decisions.open_voting(voter, proposal)
    decisions.cast(voter, proposal, {"choice": "object"})
    other = decisions.propose(voter, chapter, decisions.Proposal(title="Paint the door"))
    decisions.open_voting(voter, other)
    ranked = decisions.propose(
        voter, chapter, decisions.Proposal(title="Colour", method="ranked", options=("red", "blue"))
    )
    items = {
        d.pk: login(facilitator).post(
            f"/meetings/{meeting.pk}/agenda/", {"decision": d.pk, "minutes_boxed": "10"}
        )
        for d in (proposal, other, ranked)
    }
    assert all(r.status_code == 302 for r in items.values())
    item = {i.decision_id: i for i in meeting.agenda.all()}

    # The note-taker enters the room's count of someone else's proposal: counted, but
    # only its proposer or a facilitator closes it.
    r = login(note_taker).post(
        f"/meetings/{meeting.pk}/decisions/",
        {"agenda_item": item[other.pk].pk, "in_favour": "4"},
        follow=True,
    )
    assert "still open" in r.content.decode()
    other.refresh_from_db()
    assert other.status == "voting" and other.ballots.get().count == 4

    # The facilitator counts the room for the first: 3 consent join 1 online objection.
    r = login(facilitator).post(
        f"/meetings/{meeting.pk}/decisions/",
        {"agenda_item": item[proposal.pk].pk, "in_favour": "3", "text": "ignored"},
    )
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.result["outcome"] == "adopted"
    totals = {t["option"]: t["unweighted"] for t in proposal.result["totals"]}
    assert totals["consent"] == "3" and totals["object"] == "1"
    page = login(make_member()).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "New oven" in page and "adopted" in page

    # A ranked choice is not a show of hands: it is counted on its own page.
    r = login(facilitator).post(
        f"/meetings/{meeting.pk}/decisions/",
        {"agenda_item": item[ranked.pk].pk, "in_favour": "3"},
        follow=True,
    )
    assert "its own page" in r.content.decode()
    assert not ranked.ballots.exists() and meeting.decisions.count() == 2


def test_a_room_count_needs_a_facilitator_or_note_taker_and_changes_nothing_else(
    meeting: Any, chapter: Any, login: Any
) -> None:
    """The chapter's admin runs the meeting but the engine's room entry is for a
    facilitator or note-taker: refused, and the proposal it would have made is undone."""
    from parecon.web.decisions.models import Decision
    from parecon.web.history.models import Event

    before = Event.objects.count()
    r = login(chapter.founder).post(
        f"/meetings/{meeting.pk}/decisions/", {"text": "x", "in_favour": "3"}, follow=True
    )
    assert r.status_code == 403, r.content.decode()
    assert not Decision.objects.exists() and not meeting.decisions.exists()
    assert Event.objects.count() == before


def test_minutes_of_a_meeting_and_minutes_of_time_differ_in_spanish(
    meeting: Any, chapter: Any, note_taker: Any, login: Any
) -> None:
    note_taker.language = "es"
    note_taker.save(update_fields=["language"])
    client = login(note_taker)
    assert "<h2>Acta</h2>" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    new_poll = client.get(f"/polls/new/{chapter.slug}/").content.decode()
    assert "<label>Minutos<select" in new_poll
