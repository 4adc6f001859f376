"""The platform's clock: ``start_clock`` queues one tick, the worker runs the periodic
jobs from it, and each tick queues the next, never a second clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from parecon.web.site import clock

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ready() -> list[Any]:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path=clock.tick.module_path, status=TaskResultStatus.READY)
    )


@override_settings(TASKS=DB_TASKS)
def test_start_queues_one_tick_and_a_restart_does_not_queue_another() -> None:
    before = timezone.now()
    call_command("start_clock")
    (first,) = _ready()
    assert first.run_after >= before + clock.TICK - timedelta(seconds=1)
    call_command("start_clock")  # a restart
    assert clock.start() is False
    assert len(_ready()) == 1


@override_settings(TASKS=DB_TASKS)
def test_the_worker_runs_the_jobs_and_each_tick_queues_the_next(make_member: Any) -> None:
    from parecon.web.chapters.models import Chapter
    from parecon.web.decisions import services
    from parecon.web.decisions.models import Decision

    people = [make_member(f"P{i}") for i in range(2)]
    chapter = Chapter.objects.get(geonameid=3128760)
    d = services.open_voting(
        people[0], services.propose(people[0], chapter, services.Proposal(title="Night baking"))
    )
    services.cast(people[0], d, {"choice": "consent"})
    services.write_outcome(
        people[0], services.close(people[0], d), "We bake at night.", timezone.localdate()
    )
    assert clock.start()
    before = timezone.now()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert Decision.objects.get(pk=d.pk).reminded_at is not None  # the tick ran the job
    (following,) = _ready()
    assert following.run_after >= before + clock.TICK - timedelta(seconds=1)


def test_backends_that_cannot_defer_have_no_clock() -> None:
    # The tests' immediate backend would run a tick that queues a tick that runs ...
    assert clock.start() is False
