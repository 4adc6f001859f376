"""Running, publishing and rebalancing job complexes (services of shared work).

A steward requests a balance; the core's balancer runs as a background task
(``tasks.run_balance``) that reports its stage in ``Balance.progress`` for the page
to poll. The result's rows are written once. Publishing makes it the owner's
assignment, and grants the foundation roles of its role duties for the weeks each
person holds them (``chapters.services.grant_role_by``, source "rotation"). A later
balance of the same owner keeps as much of the published one as it can (the core's
``previous``); each person's ``hours_moved`` says by how much it did not.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.exceptions import ConvergenceWarning, InfeasibleError, InvalidValueError
from parecon.web.chapters.models import GrantSource, Role
from parecon.web.history.i18n import Said
from parecon.web.history.services import record
from parecon.web.jobs.inputs import build_inputs
from parecon.web.jobs.models import Assignment, Balance, BalanceStatus, PersonComplex
from parecon.web.jobs.owners import Owner, owner_of, require_steward
from parecon.work import BalanceSettings, rotation
from parecon.work import balance as core_balance

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member

#: The core's one time budget for a platform balance, in seconds (deterministic work).
TIME_LIMIT = 60.0
BAND_RANGE = (0.1, 10.0)


def latest_published(owner: Owner) -> Balance | None:
    return (
        Balance.objects.filter(owner.q, published_at__isnull=False)
        .order_by("-published_at", "-id")
        .first()
    )


@transaction.atomic
def request_balance(
    actor: Member | AnonymousUser,
    owner: Owner,
    *,
    starts_on: date,
    weeks: object = 4,
    band: object = 2.0,
) -> Balance:
    """A steward asks for balanced complexes for ``weeks`` weeks from ``starts_on``."""
    m = require_steward(actor, owner)
    try:
        n_weeks, width = int(str(weeks)), float(str(band))
    except ValueError:
        raise ValidationError(_("Weeks is a whole number and the band a number.")) from None
    if not 1 <= n_weeks <= 26:
        raise ValidationError({"weeks": _("A period is 1 to 26 weeks.")})
    if not (np.isfinite(width) and BAND_RANGE[0] <= width <= BAND_RANGE[1]):
        raise ValidationError({"band": _("The band is from 0.1 to 10 rating points.")})
    if Balance.objects.filter(
        owner.q, status__in=(BalanceStatus.QUEUED, BalanceStatus.RUNNING)
    ).exists():
        raise ValidationError(_("A balance is already running; wait for it."))
    row = Balance.objects.create(
        **owner.fields(),
        starts_on=starts_on,
        weeks=n_weeks,
        band=width,
        previous=latest_published(owner),
        requested_by=m,
        progress=_("Waiting for the worker"),
    )
    record(
        "jobs.balance_requested",
        Said(
            gettext_noop("%(member)s asked for balanced job complexes of %(owner)s from %(d)s."),
            {"member": m.display_name, "owner": owner.name, "d": starts_on.isoformat()},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=row,
    )
    from parecon.web.jobs.tasks import balance_in_background

    balance_in_background.enqueue(row.pk)
    return row


def _stage(balance: Balance, status: str, progress: str) -> None:
    Balance.objects.filter(pk=balance.pk).update(status=status, progress=progress[:200])


def run_balance(balance_id: int) -> Balance:
    """The background work: build the workplace, call the core, store the complexes.

    Returns the balance with its final status: done, outside the band, infeasible
    (with the core's explanation) or failed (the input's problem, in words).
    """
    balance = Balance.objects.select_related("chapter", "council", "previous").get(pk=balance_id)
    if balance.is_finished:
        return balance
    _stage(balance, BalanceStatus.RUNNING, _("Reading tasks, ratings and hours"))
    try:
        inputs = build_inputs(balance)
    except InvalidValueError as exc:
        return _finish(balance, BalanceStatus.FAILED, str(exc))
    wp = inputs.workplace
    _stage(
        balance,
        BalanceStatus.RUNNING,
        _("Balancing %(p)d people and %(t)d tasks (at most %(s)d s)")
        % {"p": wp.n_people, "t": wp.n_tasks, "s": int(TIME_LIMIT)},
    )
    settings = BalanceSettings(band=balance.band, time_limit=TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = core_balance(wp, settings)
    except InfeasibleError as exc:
        return _finish(balance, BalanceStatus.INFEASIBLE, str(exc))
    if result.shifts is None:
        return _finish(balance, BalanceStatus.FAILED, result.message, result.summary())
    _stage(balance, BalanceStatus.RUNNING, _("Saving the complexes"))
    with transaction.atomic():
        shifts = result.shifts
        Assignment.objects.bulk_create(
            Assignment(
                balance=balance,
                member=inputs.people[i],
                task=inputs.tasks[j],
                shifts=float(shifts[i, j]),
                shift_hours=float(wp.shift_hours[j]),
            )
            for i, j in zip(*np.nonzero(shifts > 0), strict=True)
        )
        prev = wp.previous
        moved = (
            np.abs(shifts - prev) @ wp.shift_hours if prev is not None else np.zeros(wp.n_people)
        )
        emp, des = result.empowerment, result.desirability
        assert emp is not None and des is not None
        PersonComplex.objects.bulk_create(
            PersonComplex(
                balance=balance,
                member=p,
                hours=float(wp.hours_owed[i]),
                empowerment=float(emp[i]),
                desirability=float(des[i]),
                hours_moved=float(moved[i]),
            )
            for i, p in enumerate(inputs.people)
        )
        summary = {
            **result.summary(),
            "unrated_tasks": inputs.unrated,
            # the ratings this balance used, for checking swaps against its band
            "ratings": {
                str(t.pk): [float(wp.empowerment[j]), float(wp.desirability[j])]
                for j, t in enumerate(inputs.tasks)
            },
        }
        status = BalanceStatus.DONE if result.in_band else BalanceStatus.OUTSIDE_BAND
        Balance.objects.filter(pk=balance.pk).update(
            mean_empowerment=wp.mean_empowerment, mean_desirability=wp.mean_desirability
        )
        return _finish(balance, status, result.message, summary)


def _finish(
    balance: Balance, status: str, message: str, summary: dict[str, object] | None = None
) -> Balance:
    Balance.objects.filter(pk=balance.pk).update(
        status=status,
        message=message,
        summary=summary or {},
        progress="",
        finished_at=timezone.now(),
    )
    balance.refresh_from_db()
    record(
        "jobs.balanced",
        Said(
            gettext_noop("Balancing %(owner)s ended: %(status)s."),
            {"owner": balance.owner_name, "status": BalanceStatus(status).label},
        ),
        actor=balance.requested_by,
        chapter=balance.chapter,
        subject=balance,
        data={"status": status, "hours_moved": (summary or {}).get("hours_moved")},
    )
    return balance


def _week_start(day: date, week: int) -> datetime:
    start = datetime.combine(day + timedelta(days=7 * week), datetime.min.time())
    return timezone.make_aware(start)


@transaction.atomic
def publish_balance(actor: Member | AnonymousUser, balance: Balance) -> Balance:
    """A steward publishes a balance in the band; its role duties become role grants."""
    owner = owner_of(balance)
    m = require_steward(actor, owner)
    if balance.status != BalanceStatus.DONE:
        raise ValidationError(_("Only a balance with everyone in the band can be published."))
    if balance.published_at is not None:
        raise ValidationError(_("This balance is already published."))
    newer = Balance.objects.filter(owner.q, published_at__isnull=False, pk__gt=balance.pk)
    if newer.exists():
        raise ValidationError(_("A newer balance is already published."))
    balance.published_at = timezone.now()
    balance.published_by = m
    balance.save(update_fields=["published_at", "published_by"])
    record(
        "jobs.balance_published",
        Said(
            gettext_noop("%(member)s published the job complexes of %(owner)s from %(d)s."),
            {"member": m.display_name, "owner": owner.name, "d": balance.starts_on.isoformat()},
        ),
        actor=m,
        chapter=owner.chapter,
        subject=balance,
    )
    grant_rotation_roles(balance)
    return balance


def grant_rotation_roles(balance: Balance) -> int:
    """Grant each role duty's role for the weeks each holder holds it; returns the grants."""
    from parecon.web.chapters.services import grant_role_by

    rows = list(
        Assignment.objects.filter(balance=balance)
        .exclude(task__role="")
        .select_related("task", "member")
        .order_by("task_id", "member_id")
    )
    made = 0
    for task_id in sorted({r.task_id for r in rows}):
        cells = [r for r in rows if r.task_id == task_id]
        task = cells[0].task
        target = np.array([[r.shifts] for r in cells])
        weeks = rotation(target, np.array([target.sum()]), balance.weeks)
        for k, cell in enumerate(cells):
            held = weeks[:, k, 0] > 0
            w = 0
            while w < balance.weeks:
                if not held[w]:
                    w += 1
                    continue
                end = w
                while end < balance.weeks and held[end]:
                    end += 1
                grant_role_by(
                    GrantSource.ROTATION,
                    f"jobs.balance:{balance.pk}",
                    balance.chapter,
                    cell.member,
                    Role(task.role),
                    starts_at=_week_start(balance.starts_on, w),
                    ends_at=_week_start(balance.starts_on, end),
                    council=balance.council,
                )
                made += 1
                w = end
    return made


def fail_balance(balance_id: int, message: str) -> None:
    """Mark a balance whose run crashed as failed (the worker logs the traceback)."""
    balance = Balance.objects.get(pk=balance_id)
    if not balance.is_finished:
        _finish(balance, BalanceStatus.FAILED, message[:2000])
