"""Write cases of shared work for the authorisation sweep.

The chapter itself is the owner: its admin is a steward (lists tasks, sets hours and
qualifications, runs and publishes balances); the plain member (a note-taker, not a
steward) rates tasks and swaps shifts in a published balance made here row by row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

page_reads(
    "jobs:home",
    "jobs:tasks",
    "jobs:balances",
    "jobs:balance",
    "jobs:progress",
    "jobs:mine",
    "jobs:mine_ics",
    "jobs:partners",
)

MEMBERS = ("anonymous", "outsider")
START = date(2027, 1, 4)


def _jobs(w: Any) -> None:
    from django.utils import timezone

    from parecon.web.jobs import services
    from parecon.web.jobs.models import Assignment, Balance, PersonComplex, Swap
    from parecon.web.jobs.owners import Owner

    admin, plain = w.users["admin"], w.users["plain"]
    owner = Owner(w.chapter)
    w.sweep, w.cook = (
        services.create_task(
            admin, owner, kind="recurring", name=n, shift_hours=2, shifts_per_week=2
        )
        for n in ("Sweep", "Cook")
    )
    for who in (admin, plain):
        for t in (w.sweep, w.cook):
            services.rate_task(who, t, empowerment=10, desirability=10)
    w.qualification = services.add_qualification(admin, owner, "First aid")

    def balance(published: bool) -> Balance:
        b = Balance.objects.create(
            chapter=w.chapter, starts_on=START, weeks=4, band=2, status="done",
            mean_empowerment=10, mean_desirability=10, requested_by=admin,
            published_at=timezone.now() if published else None,
        )  # fmt: skip
        for who, task in ((plain, w.sweep), (admin, w.cook)):
            Assignment.objects.create(balance=b, member=who, task=task, shifts=2, shift_hours=2)
            PersonComplex.objects.create(
                balance=b, member=who, hours=4, empowerment=10, desirability=10
            )
        return b

    w.published = balance(True)
    w.swap = Swap.objects.create(
        balance=w.published, requester=admin, partner=plain, give_task=w.cook, give_shifts=1,
        take_task=w.sweep, take_shifts=1,
    )  # fmt: skip
    w.unpublished = balance(False)


WORLD_HOOKS.append(_jobs)

TASK = {"kind": "recurring", "name": "Dishes", "shift_hours": "2", "shifts_per_week": "1"}


@page_write("jobs:new_task", right="admin")
def _new_task(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:new_task", args=["chapter", w.chapter.slug]), TASK


@page_write("jobs:rate", right="plain", wrong=MEMBERS)
def _rate(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:rate", args=[w.sweep.pk]), {"empowerment": "12", "desirability": "8"}


@page_write("jobs:retire", right="admin")
def _retire(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:retire", args=[w.sweep.pk]), {}


@page_write("jobs:set_hours", right="admin")
def _hours(w: Any) -> tuple[str, dict[str, Any]]:
    url = reverse("jobs:set_hours", args=["chapter", w.chapter.slug])
    return url, {"member": str(w.users["plain"].pk), "hours": "6"}


@page_write("jobs:add_qualification", right="admin")
def _qualification(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:add_qualification", args=["chapter", w.chapter.slug]), {"name": "Keys"}


@page_write("jobs:grant_qualification", right="admin")
def _grant(w: Any) -> tuple[str, dict[str, Any]]:
    url = reverse("jobs:grant_qualification", args=["chapter", w.chapter.slug])
    return url, {"member": str(w.users["plain"].pk), "qualification": str(w.qualification.pk)}


@page_write("jobs:request_balance", right="admin")
def _request(w: Any) -> tuple[str, dict[str, Any]]:
    url = reverse("jobs:request_balance", args=["chapter", w.chapter.slug])
    return url, {"starts_on": "2027-02-01", "weeks": "4", "band": "2"}


@page_write("jobs:publish", right="admin")
def _publish(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:publish", args=[w.unpublished.pk]), {}


@page_write("jobs:new_swap", right="plain", wrong=MEMBERS)
def _swap(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:new_swap", args=[w.published.pk]), {
        "partner": str(w.users["admin"].pk),
        "give_task": str(w.sweep.pk),
        "give_shifts": "1",
        "take_task": str(w.cook.pk),
        "take_shifts": "1",
    }


@page_write("jobs:answer_swap", right="plain", wrong=MEMBERS)
def _answer(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("jobs:answer_swap", args=[w.swap.pk]), {"accept": "yes"}


@api_write("post", "/api/tasks/owners/{kind}/{slug}", right="admin")
def _api_task(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/tasks/owners/chapter/{w.chapter.slug}", {**TASK, "shifts_per_week": 1}


@api_write("post", "/api/tasks/owners/{kind}/{slug}/hours", right="admin")
def _api_hours(w: Any) -> tuple[str, dict[str, Any]]:
    url = f"/api/tasks/owners/chapter/{w.chapter.slug}/hours"
    return url, {"member_id": w.users["plain"].pk, "hours": "6"}


@api_write("post", "/api/tasks/{task_id}/rating", right="plain", wrong=MEMBERS)
def _api_rate(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/tasks/{w.sweep.pk}/rating", {"empowerment": 12, "desirability": 8}


@api_write("post", "/api/tasks/{task_id}/retire", right="admin")
def _api_retire(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/tasks/{w.sweep.pk}/retire", {}


@api_write("post", "/api/complexes/owners/{kind}/{slug}", right="admin")
def _api_balance(w: Any) -> tuple[str, dict[str, Any]]:
    url = f"/api/complexes/owners/chapter/{w.chapter.slug}"
    return url, {"starts_on": "2027-02-01", "weeks": 4, "band": 2}


@api_write("post", "/api/complexes/{balance_id}/publish", right="admin")
def _api_publish(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/complexes/{w.unpublished.pk}/publish", {}


@api_write("post", "/api/swaps", right="plain", wrong=MEMBERS)
def _api_swap(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/swaps", {
        "balance_id": w.published.pk,
        "partner_id": w.users["admin"].pk,
        "give_task_id": w.sweep.pk,
        "give_shifts": 1,
        "take_task_id": w.cook.pk,
        "take_shifts": 1,
    }


@api_write("post", "/api/swaps/{swap_id}/answer", right="plain", wrong=MEMBERS)
def _api_answer(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/swaps/{w.swap.pk}/answer", {"accept": True}
