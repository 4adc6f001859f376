"""Write cases of time polls, meetings and calendars for the authorisation sweep.

The sweep's "plain" member is the chapter's note-taker, so it may run meetings; the
meetings tests check a member without any role separately. A guest's link is its
own credential (whoever holds it answers as that guest): its case has no wrong user
here, and tests/web/meetings/test_polls.py checks that the link opens only its poll
and nothing once revoked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.urls import reverse

from tests.web.authorization import api_write, page_reads, page_write

MEMBERS = ("anonymous", "outsider")

page_reads(
    "polls:detail",
    "polls:guest_invite",
    "meetings:chapter",
    "meetings:detail",
    "meetings:invite",
    "meetings:report",
    "calendars:mine",
    "calendars:feed",
    "calendars:chapter",
)


def _poll(w: Any) -> Any:
    if not hasattr(w, "time_poll"):
        from parecon.web.polls import services

        w.time_poll = services.create_poll(
            w.users["admin"],
            w.chapter,
            title="Sweep poll",
            zone="Europe/Madrid",
            options=[(datetime(2027, 6, 1, 19), 90), (datetime(2027, 6, 2, 19), 90)],
        )
    return w.time_poll


def _option(w: Any) -> int:
    return int(_poll(w).options.order_by("starts_at").values_list("pk", flat=True)[0])


def _guest(w: Any) -> tuple[Any, str]:
    if not hasattr(w, "poll_guest"):
        from parecon.web.polls import services

        w.poll_guest = services.invite_guest(w.users["admin"], _poll(w), "Guest")
    return w.poll_guest  # type: ignore[no-any-return]


def _meeting(w: Any) -> Any:
    if not hasattr(w, "meeting"):
        from parecon.web.meetings import services

        start = datetime(2027, 6, 1, 17, tzinfo=UTC)
        w.meeting = services.schedule_meeting(
            w.users["admin"],
            w.chapter,
            title="Sweep meeting",
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            zone="Europe/Madrid",
        )
    return w.meeting


# --- time polls ---------------------------------------------------------------------
@page_write("polls:new", right="plain", wrong=MEMBERS)
def _new(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("polls:new", args=[w.chapter.slug]), {
        "title": "Sweep",
        "zone": "UTC",
        "date": ["2027-01-01"],
        "time": ["18:00"],
        "minutes": ["60"],
    }


@page_write("polls:answer", right="plain", wrong=MEMBERS)
def _answer(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("polls:answer", args=[_poll(w).pk]), {f"answer-{_option(w)}": "yes"}


@page_write("polls:options", right="admin")
def _options(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("polls:options", args=[_poll(w).pk]), {
        "zone": "UTC",
        "date": ["2027-07-01"],
        "time": ["18:00"],
        "minutes": ["60"],
    }


@page_write("polls:guests", right="admin")
def _guests(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("polls:guests", args=[_poll(w).pk]), {"name": "Marta"}


@page_write("polls:revoke_guest", right="admin")
def _revoke_guest(w: Any) -> tuple[str, dict[str, Any]]:
    guest, _raw = _guest(w)
    return reverse("polls:revoke_guest", args=[_poll(w).pk, guest.pk]), {}


@page_write("polls:finalise", right="admin")
def _finalise(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("polls:finalise", args=[_poll(w).pk]), {"option": _option(w)}


@page_write("polls:guest", right="anonymous", wrong=())
def _guest_answer(w: Any) -> tuple[str, dict[str, Any]]:
    _guest_row, raw = _guest(w)
    return reverse("polls:guest", args=[raw]), {f"answer-{_option(w)}": "no"}


@api_write("POST", "/api/polls", right="plain", wrong=MEMBERS)
def _api_poll(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/polls", {
        "chapter": w.chapter.slug,
        "title": "Sweep",
        "zone": "UTC",
        "options": [{"start": "2027-01-01T18:00:00", "minutes": 60}],
    }


@api_write("POST", "/api/polls/{poll_id}/answers", right="plain", wrong=MEMBERS)
def _api_answer(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/polls/{_poll(w).pk}/answers", {
        "answers": [{"option": _option(w), "choice": "if_need_be"}]
    }


@api_write("POST", "/api/polls/{poll_id}/guests", right="admin")
def _api_guests(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/polls/{_poll(w).pk}/guests", {"name": "Marta"}


@api_write("POST", "/api/polls/{poll_id}/guests/{guest_id}/revoke", right="admin")
def _api_revoke_guest(w: Any) -> tuple[str, dict[str, Any]]:
    guest, _raw = _guest(w)
    return f"/api/polls/{_poll(w).pk}/guests/{guest.pk}/revoke", {}


@api_write("POST", "/api/polls/{poll_id}/finalise", right="admin")
def _api_finalise(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/polls/{_poll(w).pk}/finalise", {"option": _option(w)}


# --- meetings -----------------------------------------------------------------------
@page_write("meetings:schedule", right="admin")
def _schedule(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:schedule", args=[w.chapter.slug]), {
        "title": "Direct",
        "starts_at": "2027-06-01T19:00",
        "zone": "Europe/Madrid",
        "minutes": "90",
    }


@page_write("meetings:roles", right="admin")
def _roles(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:roles", args=[_meeting(w).pk]), {"note_taker": w.users["plain"].pk}


@page_write("meetings:agenda_add", right="plain", wrong=MEMBERS)
def _agenda_add(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:agenda_add", args=[_meeting(w).pk]), {
        "title": "An item",
        "minutes_boxed": "10",
    }


@page_write("meetings:agenda_remove", right="plain", wrong=MEMBERS)
def _agenda_remove(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.meetings import services

    item = services.add_agenda_item(w.users["admin"], _meeting(w), "Admin's item", 5)
    return reverse("meetings:agenda_remove", args=[_meeting(w).pk, item.pk]), {}


@page_write("meetings:attendance", right="plain", wrong=MEMBERS)
def _attendance(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:attendance", args=[_meeting(w).pk]), {"present": [w.users["admin"].pk]}


@page_write("meetings:minutes", right="plain", wrong=MEMBERS)
def _minutes(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:minutes", args=[_meeting(w).pk]), {"minutes": "We met."}


@page_write("meetings:decision", right="plain", wrong=MEMBERS)
def _decision(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:decision", args=[_meeting(w).pk]), {
        "text": "Adopt",
        "method": "consent",
        "in_favour": "4",
    }


@page_write("meetings:follow_up", right="plain", wrong=MEMBERS)
def _follow_up(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:follow_up", args=[_meeting(w).pk]), {
        "title": "Book the hall",
        "due_on": "2027-06-08",
        "hours": "1",
    }


@page_write("meetings:follow_up_done", right="plain", wrong=MEMBERS)
def _follow_up_done(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.meetings import services

    task = services.add_follow_up(
        w.users["admin"],
        _meeting(w),
        title="T",
        assignee=w.users["admin"],
        due_on=datetime(2027, 6, 8).date(),
    )
    return reverse("meetings:follow_up_done", args=[_meeting(w).pk, task.pk]), {}


@page_write("meetings:publish", right="plain", wrong=MEMBERS)
def _publish(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.meetings import services

    services.save_minutes(w.users["admin"], _meeting(w), "We met.")
    return reverse("meetings:publish", args=[_meeting(w).pk]), {}


@api_write("POST", "/api/meetings/{meeting_id}/agenda", right="plain", wrong=MEMBERS)
def _api_agenda(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{_meeting(w).pk}/agenda", {"title": "Item", "minutes_boxed": 5}


@api_write("PUT", "/api/meetings/{meeting_id}/minutes", right="plain", wrong=MEMBERS)
def _api_minutes(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{_meeting(w).pk}/minutes", {"minutes": "We met."}


@api_write("POST", "/api/meetings/{meeting_id}/attendance", right="plain", wrong=MEMBERS)
def _api_attendance(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{_meeting(w).pk}/attendance", {"present": [w.users["plain"].pk]}


@api_write("POST", "/api/meetings/{meeting_id}/decisions", right="plain", wrong=MEMBERS)
def _api_decision(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{_meeting(w).pk}/decisions", {
        "text": "Adopt",
        "method": "majority",
        "in_favour": 3,
    }


@api_write("POST", "/api/meetings/{meeting_id}/follow-ups", right="plain", wrong=MEMBERS)
def _api_follow_up(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/meetings/{_meeting(w).pk}/follow-ups", {
        "title": "Book",
        "due_on": "2027-06-08",
        "hours": "2",
    }


@api_write("POST", "/api/meetings/{meeting_id}/publish", right="plain", wrong=MEMBERS)
def _api_publish(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.meetings import services

    services.save_minutes(w.users["admin"], _meeting(w), "We met.")
    return f"/api/meetings/{_meeting(w).pk}/publish", {}


# --- calendars ----------------------------------------------------------------------
@page_write("calendars:issue", right="plain", wrong=("anonymous",))
def _issue(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("calendars:issue"), {}


@page_write("calendars:revoke", right="plain", wrong=("anonymous",))
def _revoke(w: Any) -> tuple[str, dict[str, Any]]:
    from parecon.web.calendars.services import issue_feed_token

    issue_feed_token(w.users["plain"])
    return reverse("calendars:revoke"), {}
