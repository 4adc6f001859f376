"""The demo's meetings: Barcelona schedules its next meeting by poll, and a past one
has its agenda, minutes, decisions and follow-ups published."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member

ZONE = "Europe/Madrid"


def _next_weekday(start: datetime, weekday: int, weeks: int = 0) -> datetime:
    days = (weekday - start.weekday()) % 7 or 7
    return start + timedelta(days=days + 7 * weeks)


def demo_meetings(people: dict[str, Member]) -> None:
    from parecon.web.meetings import room_decisions
    from parecon.web.meetings import services as meetings
    from parecon.web.polls import services as polls

    barcelona = Chapter.objects.get(geonameid=3128760)
    ada, bruno, carla = people["ada"], people["bruno"], people["carla"]
    dan, elena, farid = people["dan"], people["elena"], people["farid"]
    today = timezone.now().astimezone(ZoneInfo(ZONE)).replace(tzinfo=None)

    def at(day: datetime, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day.date(), time(hour, minute))

    thursday = _next_weekday(today, 3)
    options = [
        (at(thursday, 19), 90),
        (at(thursday + timedelta(days=1), 18, 30), 90),
        (at(thursday + timedelta(days=2), 11), 120),
        (at(thursday + timedelta(days=5), 19), 90),
    ]
    poll = polls.create_poll(
        ada,
        barcelona,
        title="Chapter meeting: the winter plan",
        description="Our fortnightly meeting at the Ateneu. Pick every time you can make.",
        zone=ZONE,
        options=options,
        closes_at=timezone.now() + timedelta(days=3),
        place="Ateneu Popular, Carrer de Sant Pere 12",
        video_link="https://meet.jit.si/parecon-barcelona",
    )
    ids = list(poll.options.values_list("pk", flat=True))
    grid = {
        bruno: ("yes", "if_need_be", "no", "yes"),
        carla: ("yes", "yes", "if_need_be", "no"),
        dan: ("if_need_be", "yes", "yes", "yes"),
        elena: ("yes", "no", "yes", "if_need_be"),
    }
    for member, row in grid.items():
        polls.answer_as_member(member, poll, {pk: (c, "") for pk, c in zip(ids, row, strict=True)})
    polls.answer_as_member(
        farid, poll, {ids[0]: ("if_need_be", "I can come by bike after 19:15"), ids[1]: ("yes", "")}
    )
    guest, _raw = polls.invite_guest(ada, poll, "Marta (neighbour, Ateneu)")
    polls.answer_as_guest(guest, {ids[0]: ("yes", "First time!"), ids[2]: ("no", "")})

    _federation_poll(ada, barcelona, people, [at(thursday + timedelta(days=d), 18) for d in (6, 7)])

    from parecon.web.polls.arithmetic import option_instant

    past_start = option_instant(at(today - timedelta(days=14), 19), ZONE, "demo")
    past = meetings.schedule_meeting(
        ada,
        barcelona,
        title="Chapter meeting: bread and beer",
        starts_at=past_start,
        ends_at=past_start + timedelta(minutes=90),
        zone=ZONE,
        place="Ateneu Popular, Carrer de Sant Pere 12",
    )
    for title, minutes in (
        ("Round of news from the workplaces", 15),
        ("The bakery's proposal for next year", 30),
        ("Rotation of the cleaning duties", 20),
        ("Welcome evening for newcomers", 15),
    ):
        meetings.add_agenda_item(ada, past, title, minutes)
    meetings.add_agenda_item(carla, past, "Treasurer's report", 10)
    meetings.set_attendance(elena, past, [m.pk for m in (ada, bruno, carla, dan, elena, farid)])
    meetings.save_minutes(
        elena,
        past,
        "Ada facilitated, Elena took notes. Six present.\n\n"
        "1. News: the brewery proposes 8% more beer; the bakery keeps its hours.\n"
        "2. The bakery's proposal was discussed; one concern about flour prices.\n"
        "3. Cleaning duties move to the balanced rotation from next month.\n"
        "4. A welcome evening for newcomers on the first Friday.\n"
        "5. Carla: the chapter's account holds 312 euros.",
    )
    room_decisions.record_decision(
        ada,
        past,
        text="Adopt the bakery's proposal for next year",
        method="consent",
        in_favour=5,
        against=1,
    )
    room_decisions.record_decision(
        ada,
        past,
        text="Hold a welcome evening on the first Friday",
        method="majority",
        in_favour=6,
    )
    day = timezone.now().date()
    meetings.add_follow_up(
        ada,
        past,
        title="Book the Ateneu's hall for the welcome evening",
        assignee=farid,
        due_on=day + timedelta(days=5),
        hours=1,
    )
    meetings.add_follow_up(
        ada,
        past,
        title="Write to the flour co-op about next year's prices",
        assignee=bruno,
        due_on=day + timedelta(days=10),
        hours="2.5",
    )
    done = meetings.add_follow_up(
        ada,
        past,
        title="Send the minutes to the neighbourhood councils",
        assignee=elena,
        due_on=day - timedelta(days=7),
        hours="0.5",
    )
    meetings.complete_follow_up(elena, done)
    meetings.publish_minutes(elena, past)


def _federation_poll(
    ada: Member, barcelona: Chapter, people: dict[str, Member], starts: list[datetime]
) -> None:
    """A poll inviting the food federation's workplaces (the planning demo's councils)."""
    from parecon.web.councils.models import Council
    from parecon.web.polls import services as polls

    food = Council.objects.filter(chapter=barcelona, name="Food and drink federation").first()
    if food is None:
        return
    poll = polls.create_poll(
        ada,
        barcelona,
        title="Food federation: next season's plan",
        description="The bakery, the brewery and the pizzeria meet on their proposals.",
        zone=ZONE,
        options=[(s, 120) for s in starts],
        invitees="council",
        council=food,
        closes_at=timezone.now() + timedelta(days=4),
        place="Forn Ada bakery, back room",
    )
    ids = list(poll.options.values_list("pk", flat=True))
    for name, row in (("bruno", ("yes", "no")), ("carla", ("if_need_be", "yes"))):
        answers = {pk: (c, "") for pk, c in zip(ids, row, strict=True)}
        polls.answer_as_member(people[name], poll, answers)


def register_demo() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if not any(name == "meetings" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("meetings", demo_meetings))
