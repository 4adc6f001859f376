"""The personal feed (revocable token, sources registry) and the chapter feed, parsed
back with icalendar."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(chapter: Any, facilitator: Any) -> Any:
    from parecon.web.meetings import services

    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    return services.schedule_meeting(
        facilitator,
        chapter,
        title="Soon, with a comma; and a semicolon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        zone="Europe/Madrid",
        place="Ateneu",
        video_link="https://meet.example.org/secret-room",
    )


def _feed_url(client: Client) -> str:
    client.post("/calendar/issue/")
    page = client.get("/calendar/").content.decode()
    found = re.search(r'value="http://testserver(/calendar/feed/[^"]+\.ics)"', page)
    assert found is not None
    return found.group(1)


def test_personal_feed_lists_the_members_meetings(
    meeting: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.calendars.models import FeedToken

    member = make_member("Ana")
    url = _feed_url(login(member))
    assert url.split("/")[3][:-4] not in FeedToken.objects.get().digest
    r = Client().get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "Soon, with a comma; and a semicolon"
    assert event.decoded("dtstart") == meeting.starts_at
    assert "secret-room" in str(event["location"])
    assert str(event["uid"]) == meeting.uid


def test_a_new_link_revokes_the_old_and_revoking_ends_it(make_member: Any, login: Any) -> None:
    client = login(make_member())
    first = _feed_url(client)
    second = _feed_url(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post("/calendar/revoke/")
    assert Client().get(second).status_code == 404
    assert Client().get("/calendar/feed/cal_guess.ics").status_code == 404


def test_feed_sources_are_a_registry(make_member: Any, login: Any) -> None:
    """Another app (the shared work's shifts) adds entries by registering a source."""
    from parecon.web.calendars import feeds

    member = make_member()
    start = datetime(2027, 5, 1, 8, tzinfo=UTC)
    shift = feeds.CalendarEntry(
        "shift-1@parecon", "Bakery shift", start, start + timedelta(hours=4)
    )
    feeds.register_personal_source("test-shifts", lambda m: [shift] if m == member else [])
    try:
        cal = icalendar.Calendar.from_ical(Client().get(_feed_url(login(member))).content)
        assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Bakery shift"]
    finally:
        del feeds.PERSONAL_SOURCES["test-shifts"]


def test_chapter_feed_is_public_without_the_video_link(meeting: Any, chapter: Any) -> None:
    r = Client().get(f"/calendar/chapter/{chapter.slug}.ics")
    cal = icalendar.Calendar.from_ical(r.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["location"]) == "Ateneu"
    assert b"secret-room" not in r.content
    assert Client().get("/calendar/chapter/nowhere.ics").status_code == 404


def test_a_member_downloads_the_invite_an_outsider_cannot(
    meeting: Any, make_member: Any, login: Any
) -> None:
    r = login(make_member()).get(f"/meetings/{meeting.pk}/invite.ics")
    (event,) = icalendar.Calendar.from_ical(r.content).walk("VEVENT")
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert (
        login(make_member(city=3117735)).get(f"/meetings/{meeting.pk}/invite.ics").status_code
        == 403
    )
