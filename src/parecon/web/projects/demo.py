"""The demo's project: Barcelona's community garden, a newcomer who joined by e-mail
and came back for its planting day."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member

ZONE = "Europe/Madrid"


def demo_projects(people: dict[str, Member]) -> None:
    from parecon.web.polls.arithmetic import option_instant
    from parecon.web.projects import services

    barcelona = Chapter.objects.get(geonameid=3128760)
    hugo, gloria, farid = people["hugo"], people["gloria"], people["farid"]
    garden = services.create_project(
        hugo,
        barcelona,
        title="Community garden on Carrer de la Lluna",
        goal="Forty raised beds planted by the spring, tended by a rota of neighbours",
        description="A finite task anyone can join: build the beds, plant, and set up the rota.",
    )
    services.commit(gloria, garden)
    services.commit(farid, garden)
    day = timezone.now().date()
    services.add_project_task(
        hugo,
        garden,
        title="Collect pallets for the beds",
        assignee=farid,
        due_on=day + timedelta(days=4),
        hours=3,
    )
    services.add_project_task(
        gloria,
        garden,
        title="Wire the water pump",
        assignee=gloria,
        due_on=day + timedelta(days=9),
        hours="4.5",
    )
    local = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=9)
    start = option_instant(datetime.combine(local, time(10)), ZONE, "demo")
    planting = services.create_event(
        hugo,
        barcelona,
        title="Planting day",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        zone=ZONE,
        place="Carrer de la Lluna 7",
        capacity=12,
        project=garden,
        description="Bring gloves. Lunch is shared.",
    )
    services.rsvp(gloria, planting)
    services.rsvp(farid, planting)
    for target in (garden, planting):
        services.confirm(services.join_by_email(target, "Nadia Benali", "nadia@example.org"))
    services.confirm(services.join_by_email(planting, "Tomás Vidal", "tomas@example.org"))


def register_demo() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if not any(name == "projects" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("projects", demo_projects))
