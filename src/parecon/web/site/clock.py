"""The platform's clock: periodic work runs from the task worker, with no cron.

E-mail digests, time-poll reminders and decision-review reminders are each safe to
run at any time (each records what it has sent), so one ``tick`` task runs them all
and queues the next tick ``TICK`` later. :func:`start` (``manage.py start_clock``,
run by ``parecon serve`` and ``parecon demo``) queues a first tick unless one is
waiting, so a restart never starts a second clock. Backends that cannot defer a task (the
immediate backend of the tests) have no clock.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, default_task_backend, task

logger = logging.getLogger(__name__)

TICK = timedelta(minutes=15)
JOBS = (
    "parecon.web.discussion.tasks.send_digests",
    "parecon.web.polls.tasks.send_poll_reminders",
    "parecon.web.decisions.tasks.send_review_reminders",
)


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    # A tick still waiting (even one overdue while the server was down) will run as
    # soon as a worker is up: queueing another would start a second clock.
    return DBTaskResult.objects.filter(
        task_path=tick.module_path, status=TaskResultStatus.READY
    ).exists()


def start(after: timedelta = timedelta(0)) -> bool:
    """Queue a tick ``after`` from now unless one is waiting; True if one was queued."""
    if not default_task_backend.supports_defer or _waiting():
        return False
    tick.using(run_after=timezone.now() + after).enqueue()
    return True


@task()
def tick() -> dict[str, int]:
    """Run every periodic job once (one failing does not stop the others), then queue
    the next tick."""
    done: dict[str, int] = {}
    try:
        for path in JOBS:
            try:
                done[path.rsplit(".", 1)[1]] = int(import_string(path).call())
            except Exception:  # a job's bug must not stop the clock
                logger.exception("periodic job %s failed", path)
    finally:
        start(after=TICK)
    return done
