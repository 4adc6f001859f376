"""Real objects for schemathesis' calls to the shared-work API, so generated calls succeed.

The owner is the chapter (the token's admin is its steward); each call that changes a
task, a balance or a swap gets a fresh one (a retired task cannot be retired twice, a
published balance not published again, a swap answered once).
"""

from __future__ import annotations

from datetime import date
from typing import Any

PREFIXES = ("/api/tasks", "/api/complexes", "/api/swaps")


def prepare(real: dict[str, Any], admin: Any, plain: Any, chapter: Any) -> None:
    from parecon.web.jobs import services
    from parecon.web.jobs.owners import Owner

    owner = Owner(chapter)
    sweep, cook = (
        services.create_task(
            admin, owner, kind="recurring", name=n, shift_hours=2, shifts_per_week=2
        )
        for n in ("Schema sweep", "Schema cook")
    )
    real["jobs"] = {"admin": admin, "plain": plain, "chapter": chapter, "sweep": sweep,
                    "cook": cook}  # fmt: skip


def _balance(c: dict[str, Any], published: bool) -> int:
    from django.utils import timezone

    from parecon.web.jobs.models import Assignment, Balance, PersonComplex

    b = Balance.objects.create(
        chapter=c["chapter"], starts_on=date(2027, 1, 4), band=2, status="done",
        mean_empowerment=10.5, mean_desirability=10.5, requested_by=c["admin"],
        published_at=timezone.now() if published else None,
    )  # fmt: skip
    for who, task in ((c["plain"], c["sweep"]), (c["admin"], c["cook"])):
        Assignment.objects.create(balance=b, member=who, task=task, shifts=2, shift_hours=2)
        PersonComplex.objects.create(
            balance=b, member=who, hours=4, empowerment=10.5, desirability=10.5
        )
    return b.pk


def map_case(case: Any, real: dict[str, Any]) -> None:
    path = case.operation.path
    if "jobs" not in real or not path.startswith(PREFIXES):
        return
    from parecon.web.jobs import services
    from parecon.web.jobs.models import Swap
    from parecon.web.jobs.owners import Owner

    c = real["jobs"]
    params = case.path_parameters or {}
    if "kind" in params:
        params.update(kind="chapter", slug=c["chapter"].slug)
    if "task_id" in params:
        params["task_id"] = (
            services.create_task(
                c["admin"],
                Owner(c["chapter"]),
                kind="recurring",
                name="Schema task",
                shift_hours=1,
                shifts_per_week=1,
            ).pk
            if path.endswith("/retire")
            else c["sweep"].pk
        )
    if "balance_id" in params:
        params["balance_id"] = _balance(c, published=not path.endswith("/publish"))
    if isinstance(case.query, dict) and "balance_id" in case.query:
        case.query["balance_id"] = _balance(c, published=True)
    if "swap_id" in params:
        b = _balance(c, published=True)
        params["swap_id"] = Swap.objects.create(
            balance_id=b, requester=c["plain"], partner=c["admin"], give_task=c["sweep"],
            give_shifts=1, take_task=c["cook"], take_shifts=1,
        ).pk  # fmt: skip
    if not isinstance(case.body, dict):
        return
    if path == "/api/tasks/owners/{kind}/{slug}":
        case.body.update(
            kind="recurring", name="Schema duty", shift_hours="2", shifts_per_week=1, role="",
            qualification_ids=[], hours=None, due_on=None,
        )  # fmt: skip
    if path.endswith("/hours"):
        case.body.update(member_id=c["plain"].pk, hours="6")
    if path == "/api/swaps":
        case.body.update(
            balance_id=_balance(c, published=True), partner_id=c["plain"].pk,
            give_task_id=c["cook"].pk, take_task_id=c["sweep"].pk, give_shifts=1, take_shifts=1,
        )  # fmt: skip
