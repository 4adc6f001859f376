"""Closing a large round in the background (django-tasks), so the page does not wait.

A facilitator's close of a plan with many councils (real plus simulated, at least
:data:`BACKGROUND_FROM`) is enqueued: the database backend's worker (started by
``parecon serve``) runs the same one-transaction :func:`~parecon.web.planning.closing.close_round`,
and the plan page shows the task's state (queued, running, failed) until the round
is closed. The tests use the immediate backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django_tasks import TaskResultStatus, task

from parecon.web.planning.closing import close_round
from parecon.web.planning.models import Plan, Round
from parecon.web.planning.page_data import warm
from parecon.web.planning.permissions import require_plan_facilitator

if TYPE_CHECKING:
    from parecon.web.members.models import Member

#: Councils (real and simulated) from which a close runs in the background.
BACKGROUND_FROM = 100_000


def runs_in_background(plan: Plan) -> bool:
    limit = int(getattr(settings, "PARECON_BACKGROUND_CLOSE_FROM", BACKGROUND_FROM))
    councils = plan.participants.count() + int(plan.simulation.get("n_councils", 0))
    return councils >= limit


@task()
def close_in_background(actor_id: int, round_id: int) -> int:
    """Close the round as ``actor`` (who is checked again); returns the round's number."""
    from parecon.web.members.models import Member

    actor = Member.objects.get(pk=actor_id)
    closed = close_round(actor, Round.objects.get(pk=round_id))
    warm(closed.plan)  # no request follows a background close to read the new round
    return closed.number


def closing_state(round_: Round) -> str | None:
    """The background close's state for the page: queued, running or failed (None: none)."""
    if not round_.closing_task or round_.status == "closed":
        return None
    try:
        status = close_in_background.get_result(round_.closing_task).status
    except Exception:
        return None
    return {
        TaskResultStatus.READY: "queued",
        TaskResultStatus.RUNNING: "running",
        TaskResultStatus.FAILED: "failed",
    }.get(status)


def close_or_enqueue(actor: Member, round_: Round) -> Round | None:
    """Close the round now, or (a large plan) enqueue its close; None when enqueued.

    The facilitator is checked before anything is enqueued, and again by the task.
    """
    actor = require_plan_facilitator(actor, round_.plan)
    if not runs_in_background(round_.plan):
        return close_round(actor, round_)
    result = close_in_background.enqueue(actor.pk, round_.pk)
    Round.objects.filter(pk=round_.pk).update(closing_task=str(result.id))
    return None
