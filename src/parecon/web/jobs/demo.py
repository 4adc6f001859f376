"""The demo's shared work: the bakery's members rate tasks and publish their complexes,
and Barcelona's chapter roles rotate from the same balancer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.utils import timezone

from parecon.web.chapters.models import Role
from parecon.web.jobs.owners import Owner
from parecon.web.members.models import Member

#: The bakery's duties: (name, hours a shift, shifts a week, its members' ratings).
BAKERY = (
    ("Baking bread", 4, 6, (12, 9), "Mix, shape and bake the day's loaves."),
    ("Keeping the books", 4, 2, (17, 12), "Accounts, orders and the council's plan."),
    ("Cleaning the ovens", 4, 2, (4, 3), "Scrape, wash and check the ovens."),
    ("Serving at the counter", 4, 6, (8, 13), "Sell, talk, take orders."),
)
#: The chapter's foundation roles as duties of an hour a week: (role, ratings).
ROLES = (
    ("facilitator", (14, 9)),
    ("note_taker", (11, 8)),
    ("treasurer", (13, 7)),
    ("mediator", (13, 9)),
    ("admin", (12, 7)),
)
#: Chapter chores of an hour that balance the roles' empowerment: (name, ratings); the
#: first takes what makes two hours a week for every member.
CHORES = (("Setting up the room", (8, 9)), ("Answering the mailbox", (9, 10)))
MAILBOX_SHIFTS = 3


def demo_jobs(people: Mapping[str, Member]) -> None:
    from parecon.web.chapters.models import Chapter
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import Council, CouncilMembership
    from parecon.web.jobs import balancing, services

    barcelona = Chapter.objects.get(geonameid=3128760)
    ada = people["ada"]
    bakery = Council.objects.filter(chapter=barcelona, name="Forn Ada bakery").first()
    if bakery is None:
        bakery = councils.create_council(ada, barcelona, name="Forn Ada bakery", level="workplace")
    for name in ("ada", "hugo", "elena", "gloria"):
        if not CouncilMembership.objects.active().filter(member=people[name], kind="worker"):
            councils.join_council(people[name], bakery)
    workplace = Owner(barcelona, bakery)
    start = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    _tasks_and_ratings(ada, workplace, workplace.people())
    run = balancing.request_balance(ada, workplace, starts_on=start, weeks=4, band=2.5)
    run.refresh_from_db()
    if run.status == "done":
        balancing.publish_balance(ada, run)
    chapter = Owner(barcelona)
    ratings: dict[str, tuple[int, int]] = {}
    for role, rating in ROLES:
        name = str(Role(role).label).capitalize()
        services.create_task(
            ada, chapter, kind="recurring", name=name, shift_hours=1, shifts_per_week=1, role=role
        )
        ratings[name] = rating
    room = 2 * len(chapter.people()) - len(ROLES) - MAILBOX_SHIFTS
    for (name, rating), shifts in zip(CHORES, (room, MAILBOX_SHIFTS), strict=True):
        services.create_task(
            ada, chapter, kind="recurring", name=name, shift_hours=1, shifts_per_week=shifts
        )
        ratings[name] = rating
    _rate_all(chapter, ratings)
    roles = balancing.request_balance(
        ada, chapter, starts_on=start + timedelta(days=28), weeks=13, band=2.0
    )
    roles.refresh_from_db()
    if roles.status == "done":
        balancing.publish_balance(ada, roles)


def _tasks_and_ratings(ada: Member, owner: Owner, people: list[Member]) -> None:
    from parecon.web.jobs import services

    for name, hours, n, _rating, text in BAKERY:
        services.create_task(
            ada, owner, kind="recurring", name=name, description=text, shift_hours=hours,
            shifts_per_week=n,
        )  # fmt: skip
    _rate_all(owner, {name: rating for name, _h, _n, rating, _t in BAKERY})


def _rate_all(owner: Owner, ratings: dict[str, tuple[int, int]]) -> None:
    """Each member rates each task near the demo's figures (a point either way)."""
    from parecon.web.jobs import services
    from parecon.web.jobs.models import Task

    for k, member in enumerate(owner.people()):
        wobble = (k % 3) - 1
        for task in Task.objects.filter(owner.q, name__in=list(ratings)):
            e, d = ratings[task.name]
            services.rate_task(
                member,
                task,
                empowerment=min(20, max(1, e + wobble)),
                desirability=min(20, max(1, d - wobble)),
            )


def register_demo() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if not any(name == "jobs" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("jobs", demo_jobs))
