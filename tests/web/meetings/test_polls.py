"""Time polls through the pages: creating, answering in three zones across a DST change,
the grid by day, best options, guests, deadlines, reminders, finalising."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.web.meetings.conftest import SAN_DIEGO, option_ids

pytestmark = pytest.mark.django_db


def _answer(client: Any, poll: Any, choices: list[str], comment: str = "") -> Any:
    data = {}
    for pk, c in zip(option_ids(poll), choices, strict=True):
        data[f"answer-{pk}"] = c
        data[f"comment-{pk}"] = comment
    return client.post(f"/polls/{poll.pk}/answer/", data)


def test_create_poll_through_the_page(chapter: Any, make_member: Any, login: Any) -> None:
    from parecon.web.polls.models import TimePoll

    member = make_member("Plain")
    r = login(member).post(
        f"/polls/new/{chapter.slug}/",
        {
            "title": "When?",
            "zone": "Europe/Madrid",
            "date": ["2027-10-30", "2027-11-01", ""],
            "time": ["19:00", "19:00", ""],
            "minutes": ["90", "60", "90"],
            "invitees": "chapter",
        },
    )
    poll = TimePoll.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/polls/{poll.pk}/"
    starts = [o.starts_at for o in poll.options.order_by("starts_at")]
    # 19:00 in summer time is 17:00 UTC; after the change, 18:00 UTC.
    assert starts == [
        datetime(2027, 10, 30, 17, 0, tzinfo=UTC),
        datetime(2027, 11, 1, 18, 0, tzinfo=UTC),
    ]


def test_a_skipped_local_time_is_refused_with_its_row(
    chapter: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.polls.models import TimePoll

    client = login(make_member())
    r = client.post(
        f"/polls/new/{chapter.slug}/",
        {
            "title": "Spring",
            "zone": "Europe/Madrid",
            "date": ["2027-03-27", "2027-03-28"],
            "time": ["10:00", "02:30"],
            "minutes": ["60", "60"],
        },
        follow=True,
    )
    assert not TimePoll.objects.exists()
    text = r.content.decode()
    assert "option 2" in text and "does not exist in Europe/Madrid" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": ["tomorrow"], "time": ["19:00"]}, "option 1"),
        ({"date": ["2027-01-01"], "time": ["25:99"]}, "option 1"),
        ({"date": ["2027-01-01"], "time": ["19:00"], "minutes": ["5"]}, "15 minutes"),
        ({"date": ["2027-01-01"], "time": ["19:00"], "zone": "Mars/Olympus"}, "unknown time zone"),
        ({"date": [""], "time": [""]}, "at least one time"),
        ({"date": ["2027-01-01"], "time": ["19:00"], "title": ""}, "title"),
        ({"date": ["2027-01-01"], "time": ["19:00"], "video_link": "javascript:alert(1)"}, "https"),
    ],
)
def test_hostile_poll_input_is_refused_in_one_line(
    chapter: Any, make_member: Any, login: Any, fields: dict[str, Any], message: str
) -> None:
    from parecon.web.polls.models import TimePoll

    data = {"title": "T", "zone": "Europe/Madrid", "minutes": ["60"], **fields}
    r = login(make_member()).post(f"/polls/new/{chapter.slug}/", data, follow=True)
    assert r.status_code == 200
    assert not TimePoll.objects.exists()
    errors = re.findall(r'<li class="error">(.*?)</li>', r.content.decode(), re.S)
    assert len(errors) == 1 and message in errors[0], errors


def test_three_zones_and_a_dst_change(
    poll: Any, chapter: Any, make_member: Any, login: Any
) -> None:
    """Barcelona, San Diego and Tokyo see the same instants on their own days."""
    from parecon.web.chapters.services import join

    barcelona = make_member("Bea")
    san_diego = make_member("Sam", city=SAN_DIEGO)
    join(san_diego, chapter)
    # Madrid: 30 Oct 19:00 CEST (17:00Z), 1 Nov 19:00 CET (18:00Z), 2 Nov 09:30 (08:30Z).
    bcn = login(barcelona).get(f"/api/polls/{poll.pk}").json()
    assert bcn["viewer_zone"] == "Europe/Madrid"
    assert [d["date"] for d in bcn["days"]] == ["2027-10-30", "2027-11-01", "2027-11-02"]
    assert [s["start"][11:16] for d in bcn["days"] for s in d["slots"]] == [
        "19:00",
        "19:00",
        "09:30",
    ]
    # San Diego's summer time ends a week later (7 Nov): 10:00 PDT, then 11:00 PDT,
    # and 01:30 PDT on 2 Nov.
    sd = login(san_diego).get(f"/api/polls/{poll.pk}").json()
    assert sd["viewer_zone"] == "America/Los_Angeles"
    assert [(d["date"], [s["start"][11:16] for s in d["slots"]]) for d in sd["days"]] == [
        ("2027-10-30", ["10:00"]),
        ("2027-11-01", ["11:00"]),
        ("2027-11-02", ["01:30"]),
    ]
    # Tokyo has no DST: 02:00 on the 31st, 03:00 and 17:30 on the 2nd (same day).
    tokyo = login(barcelona).get(f"/api/polls/{poll.pk}?tz=Asia/Tokyo").json()
    assert [(d["date"], [s["start"][11:16] for s in d["slots"]]) for d in tokyo["days"]] == [
        ("2027-10-31", ["02:00"]),
        ("2027-11-02", ["03:00", "17:30"]),
    ]
    # The page groups by the viewer's days too.
    page = login(barcelona).get(f"/polls/{poll.pk}/?tz=Asia/Tokyo").content.decode()
    assert page.count('class="day"') == 2 and "Sun 31 Oct 2027" in page
    page = login(san_diego).get(f"/polls/{poll.pk}/").content.decode()
    assert page.count('class="day"') == 3 and "10:00–11:30" in page


def test_answers_best_options_and_the_notice(
    poll: Any, chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.chapters.models import Membership

    a, b = make_member("Ana"), make_member("Ben")
    everyone = Membership.objects.active().filter(chapter=chapter).count()
    assert everyone == 4  # founder, facilitator, Ana, Ben
    assert _answer(login(a), poll, ["yes", "yes", "no"], "bring cake").status_code == 302
    _answer(login(b), poll, ["if_need_be", "yes", "no"])
    data = login(a).get(f"/api/polls/{poll.pk}").json()
    slots = [s for d in data["days"] for s in d["slots"]]
    assert [s["score"] for s in slots] == [2, 2, 0]
    # Ties on score are broken by more yeses: the second option is best.
    assert data["best"] == [slots[1]["option"]] and [s["best"] for s in slots] == [
        False,
        True,
        False,
    ]
    assert sorted(data["missing"]) == ["Founder", "Fran Facilitator"]
    page = login(a).get(f"/polls/{poll.pk}/").content.decode()
    assert page.count('class="best"') >= 2 and "bring cake" in page
    assert not mail.outbox
    _answer(login(facilitator), poll, ["no", "yes", "no"])
    _answer(login(chapter.founder), poll, ["no", "yes", "yes"])
    poll.refresh_from_db()
    assert poll.everyone_answered_at is not None
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    # Changing an answer keeps one answer per option.
    _answer(login(a), poll, ["no", "no", "no"])
    assert poll.options.first().answers.count() == 4


def test_wrong_users_cannot_answer(
    poll: Any, make_member: Any, login: Any, other_chapter: Any
) -> None:
    from django.test import Client

    from parecon.web.polls.models import PollAnswer

    outsider = make_member("Out", city=3117735)
    assert _answer(Client(), poll, ["yes", "yes", "yes"]).status_code == 302
    assert _answer(login(outsider), poll, ["yes", "yes", "yes"]).status_code == 403
    assert login(outsider).get(f"/polls/{poll.pk}/").status_code == 403
    assert login(outsider).get(f"/api/polls/{poll.pk}").status_code == 403
    assert not PollAnswer.objects.exists()


def test_a_list_poll_refuses_members_not_on_the_list(
    chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.polls import services
    from parecon.web.polls.models import PollAnswer

    listed, unlisted = make_member("Listed"), make_member("Unlisted")
    poll = services.create_poll(
        facilitator,
        chapter,
        title="Working group",
        zone="Europe/Madrid",
        options=[(datetime(2027, 5, 3, 18, 0), 60)],
        invitees="list",
        invited=[listed, facilitator],
    )
    assert _answer(login(unlisted), poll, ["yes"]).status_code == 403
    assert _answer(login(listed), poll, ["yes"]).status_code == 302
    assert PollAnswer.objects.count() == 1
    assert login(listed).get(f"/api/polls/{poll.pk}").json()["missing"] == ["Fran Facilitator"]


def test_guest_link_opens_only_its_poll_and_can_be_revoked(
    poll: Any, chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    from django.test import Client

    from parecon.web.polls import services
    from parecon.web.polls.models import PollAnswer, PollGuest

    other_poll = services.create_poll(
        facilitator, chapter, title="Other", zone="UTC", options=[(datetime(2027, 1, 1), 60)]
    )
    organiser = login(facilitator)
    r = organiser.post(f"/polls/{poll.pk}/guests/", {"name": "Marta"})
    assert r.status_code == 302
    page = organiser.get(f"/polls/{poll.pk}/").content.decode()
    link = re.search(
        r'id="guest-link" readonly value="http://testserver(/polls/guest/[^"]+/)"', page
    )
    assert link is not None
    url = link.group(1)
    raw = url.split("/")[3]
    guest = PollGuest.objects.get()
    assert raw not in guest.digest and len(guest.digest) == 64  # only a hash is stored
    visitor = Client()
    assert visitor.get(url).status_code == 200
    ids = option_ids(poll)
    visitor.post(url, {f"answer-{ids[0]}": "yes", f"comment-{ids[0]}": "hi"})
    assert PollAnswer.objects.get().guest == guest
    # The guest's session gives nothing else: not the other poll, not the member pages.
    assert visitor.get(f"/polls/{other_poll.pk}/").status_code == 302
    assert visitor.get(f"/api/polls/{other_poll.pk}").status_code in (401, 403)
    other_ids = option_ids(other_poll)
    visitor.post(url, {f"answer-{other_ids[0]}": "yes"})
    assert not PollAnswer.objects.filter(option__poll=other_poll).exists()
    # Another member's guest management is refused.
    plain = make_member("Plain")
    r = login(plain).post(f"/polls/{poll.pk}/guests/{guest.pk}/revoke/")
    assert r.status_code == 403
    login(facilitator).post(f"/polls/{poll.pk}/guests/{guest.pk}/revoke/")
    assert visitor.get(url).status_code == 404
    assert visitor.post(url, {f"answer-{ids[1]}": "yes"}).status_code == 404
    # A revoked guest's answers no longer count.
    data = login(facilitator).get(f"/api/polls/{poll.pk}").json()
    assert data["days"][0]["slots"][0]["yes"] == []
    assert visitor.get("/polls/guest/g_not-a-token/").status_code == 404


def test_deadline_closes_the_poll_and_the_reminder_goes_once(
    chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    from django.core.management import call_command

    from parecon.web.polls import services
    from parecon.web.polls.models import PollAnswer

    a = make_member("Ana")
    poll = services.create_poll(
        facilitator,
        chapter,
        title="Soon",
        zone="UTC",
        options=[(datetime(2027, 1, 1, 18), 60)],
        closes_at=timezone.now() + timedelta(hours=5),
    )
    _answer(login(a), poll, ["yes"])
    call_command("poll_reminders")
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == sorted([facilitator.email, chapter.founder.email])
    call_command("poll_reminders")
    assert len(mail.outbox) == 2
    poll.closes_at = timezone.now() - timedelta(minutes=1)
    poll.save()
    r = _answer(login(a), poll, ["no"])
    assert r.status_code == 302
    assert PollAnswer.objects.get().choice == "yes"


def test_finalise_makes_a_meeting_and_mails_the_invite(
    poll: Any, chapter: Any, facilitator: Any, make_member: Any, login: Any
) -> None:
    import icalendar

    from parecon.web.meetings.models import Meeting

    a = make_member("Ana")
    ids = option_ids(poll)
    plain_client = login(a)
    assert plain_client.post(f"/polls/{poll.pk}/finalise/", {"option": ids[1]}).status_code == 403
    assert not Meeting.objects.exists()
    r = login(facilitator).post(f"/polls/{poll.pk}/finalise/", {"option": ids[1]})
    meeting = Meeting.objects.get()
    assert r["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.starts_at == datetime(2027, 11, 1, 18, 0, tzinfo=UTC)
    assert meeting.facilitator == facilitator
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [a.email, facilitator.email, chapter.founder.email]
    )
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    assert cal["method"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2027, 11, 1, 18, 0, tzinfo=UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert str(event["uid"]) == meeting.uid
    # A finalised poll takes no more answers and cannot be finalised twice.
    assert _answer(plain_client, poll, ["yes", "yes", "yes"]).status_code == 302
    assert not poll.options.first().answers.exists()
    login(facilitator).post(f"/polls/{poll.pk}/finalise/", {"option": ids[0]})
    assert Meeting.objects.count() == 1
