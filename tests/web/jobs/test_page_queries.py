"""The shared-work pages' database queries do not grow with the workplace.

Each page is loaded in the bakery of four, then again after thirty more coworkers
(with complexes, shifts of the same tasks, effort ratings and hours waiting) and ten
more tasks have joined; the page sizes are shrunk so that both sizes span pages. A
page whose count grew would be reading row by row (an N+1) or everything at once.
The bounds are the counts measured here; benchmarks/bench_platform_balance.py and
bench_effort_pages.py print the same counts at 1,000 members.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parecon.web.effort import selectors as effort_selectors
from parecon.web.jobs import views
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Assignment, Balance, PersonComplex, Task, TaskRating
from tests.web.jobs.test_effort_links import _period, _published

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}

#: Most queries each page may make, at any size (the bakery's count, measured).
BOUNDS = {
    "result (member)": 13,
    "result (steward)": 12,
    "result, page 2": 13,
    "tasks (member)": 16,
    "tasks (steward)": 18,
    "tasks, page 2": 16,
    "own complex": 16,
    "own complex, a swap chosen": 25,
    "swap partners (HTMX)": 15,
    "own complex ICS": 7,
    "effort period (member)": 27,
    "effort period (facilitator)": 33,
    "effort period, a search, page 2": 27,
    "coworker search (HTMX)": 8,
}


def _queries(client: Client, url: str, headers: dict[str, str]) -> int:
    """Queries of the second load (the first fills the per-process caches)."""
    assert client.get(url, headers=headers).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200, url
    return len(captured)


def _grow(bakery: Any, run: Balance, period: Any, baker: Any, people: int, tasks: int) -> None:
    """``people`` more coworkers holding shifts of the tasks the baker holds (rows
    written directly: the pages read them, the balancer is not under test here), who
    rate each other's effort and wait for hours to be confirmed, and ``tasks`` more
    rated tasks."""
    from parecon.web.councils.models import CouncilMembership
    from parecon.web.effort.models import EffortRating, HoursLog
    from parecon.web.members.models import Member

    more = Member.objects.bulk_create(
        Member(email=f"grown{k}@example.org", name=f"Member grown {k:02d}") for k in range(people)
    )
    CouncilMembership.objects.bulk_create(
        CouncilMembership(council=bakery.council, member=m, kind="worker") for m in more
    )
    cells = Assignment.objects.filter(balance=run, member=baker)
    Assignment.objects.bulk_create(
        Assignment(balance=run, member=m, task_id=c.task_id, shifts=c.shifts,
                   shift_hours=c.shift_hours)
        for m in more for c in cells
    )  # fmt: skip
    mine = PersonComplex.objects.get(balance=run, member=baker)
    PersonComplex.objects.bulk_create(
        PersonComplex(balance=run, member=m, hours=mine.hours, empowerment=mine.empowerment,
                      desirability=mine.desirability)
        for m in more
    )  # fmt: skip
    EffortRating.objects.bulk_create(
        EffortRating(period=period, rater=m, ratee=more[(k + 1) % people], score=12.0)
        for k, m in enumerate(more)
    )
    HoursLog.objects.bulk_create(
        HoursLog(period=period, member=m, worked_on=timezone.localdate(), hours=4.0,
                 task=bakery.bake)
        for m in more
    )  # fmt: skip
    added = Task.objects.bulk_create(
        Task(chapter=bakery.chapter, council=bakery.council, kind="recurring",
             name=f"Extra {k}", shift_hours=2, shifts_per_week=1, created_by=bakery.ada)
        for k in range(tasks)
    )  # fmt: skip
    TaskRating.objects.bulk_create(
        TaskRating(task=t, member=m, empowerment=10, desirability=10) for t in added for m in more
    )


def test_no_shared_work_page_makes_more_queries_in_a_bigger_workplace(
    bakery: Any, login: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "RESULT_PAGE", 2)
    monkeypatch.setattr(views, "TASKS_PAGE", 2)
    monkeypatch.setattr(effort_selectors, "PICKER_PAGE", 2)
    period = _period(bakery)
    run = _published(bakery)
    eff = effective(run)
    baker = next(p for p in bakery.people if eff.of_member(p.pk) == {bakery.bake.pk: 2.0})
    member, steward = login(baker), login(bakery.ada)
    result = reverse("jobs:balance", args=[run.pk])
    tasks = reverse("jobs:tasks", args=["council", bakery.council.slug])
    mine = reverse("jobs:mine", args=[run.pk])
    swap = f"?give_task={bakery.bake.pk}&take_task={bakery.clean.pk}"
    at = reverse("effort:period", args=[period.pk])
    pages: dict[str, tuple[Client, str, dict[str, str]]] = {
        "result (member)": (member, result, {}),
        "result (steward)": (steward, result, {}),
        "result, page 2": (member, f"{result}?page=2", {}),
        "tasks (member)": (member, tasks, {}),
        "tasks (steward)": (steward, tasks, {}),
        "tasks, page 2": (member, f"{tasks}?page=2", {}),
        "own complex": (member, mine, {}),
        "own complex, a swap chosen": (member, mine + swap, {}),
        "swap partners (HTMX)": (member, reverse("jobs:partners", args=[run.pk]) + swap, HX),
        "own complex ICS": (member, reverse("jobs:mine_ics", args=[run.pk]), {}),
        "effort period (member)": (member, at, {}),
        "effort period (facilitator)": (steward, at, {}),
        "effort period, a search, page 2": (member, f"{at}?q=o&page=2", {}),
        "coworker search (HTMX)": (member, f"{at}coworkers/?q=o", HX),
    }  # fmt: skip
    small = {name: _queries(*page) for name, page in pages.items()}
    _grow(bakery, run, period, baker, people=30, tasks=10)
    big = {name: _queries(*page) for name, page in pages.items()}
    assert big == small  # the same queries at 4 and 34 people, 3 and 13 tasks
    over = {name: n for name, n in big.items() if n > BOUNDS[name]}
    assert not over, (over, BOUNDS)
