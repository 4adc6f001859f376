"""Write cases of the effort and allowances routes for the foundation's sweep.

The world gains a workplace with three coworkers (``cw1``–``cw3``), each in a
household, a facilitator (``efac``, the chapter's), an open period with ratings,
confirmed hours and a pool (``effort_open``), a computed period with a needs
request and an appeal (``effort_done``) and a plan whose households' budgets can
be taken from the allowances.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

page_reads("effort:workplace", "effort:period", "effort:coworkers", "effort:household_page")


def _effort_world(w: Any) -> None:
    from parecon.web.chapters import services as chapters
    from parecon.web.councils import services as councils
    from parecon.web.effort import services
    from parecon.web.members.models import Member
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv

    now = timezone.now()
    for key in ("efac", "cw1", "cw2", "cw3"):
        m = Member.objects.create_user(f"{key}@example.org", "a-long-test-password", name=key)
        chapters.join(m, w.chapter)
        w.users[key] = m
        client = Client()
        client.force_login(m)
        w.clients[key] = client
    fac = w.users["efac"]
    chapters.grant_role(
        w.users["admin"],
        w.chapter,
        fac,
        "facilitator",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
    )
    w.works = councils.create_council(fac, w.chapter, name="Effort works", level="workplace")
    w.hood = councils.create_council(fac, w.chapter, name="Effort hood", level="neighbourhood")
    w.city = councils.create_council(fac, w.chapter, name="Effort city", level="city")
    w.homes = []
    team = [w.users[k] for k in ("cw1", "cw2", "cw3")]
    for i, m in enumerate(team):
        councils.join_council(m, w.works)
        home = councils.create_council(
            fac, w.chapter, name=f"Effort home {i}", level="household", parent=w.hood
        )
        councils.join_council(m, home)
        w.homes.append(home)
    w.effort_plan = planning.open_plan(
        fac,
        w.chapter,
        planning.PlanSettings(
            name="Effort plan",
            period="2031",
            goods=goods_from_csv("name,unit,category,price\nbread,loaf,private,2\n"),
            councils=[(w.hood, 100.0), (w.homes[0], 10.0)],
            deadlines=[now + timedelta(days=2)],
        ),
    )
    today = timezone.localdate()

    def period(name: str) -> Any:
        p = services.open_period(
            fac,
            w.works,
            name=name,
            plan_period="2031",
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=5),
        )
        for i, rater in enumerate(team):
            services.rate_effort(
                rater, p, {o.pk: 10 + i + j for j, o in enumerate(team) if o != rater}
            )
            log = services.log_hours(rater, p, worked_on=today, hours=6 + i)
            services.confirm_log(team[(i + 1) % 3], log)
        services.set_pool_by_federation(fac, p, w.city, 900.0)
        return p

    w.effort_open = period("Open period")
    w.pending_log = services.log_hours(team[0], w.effort_open, worked_on=today, hours=3)
    w.effort_done = period("Computed period")
    services.compute_allowances(fac, w.effort_done)
    w.needs = services.request_needs(team[0], w.effort_done, w.homes[0], 20.0, "glasses")
    w.appeal = services.appeal(team[0], w.effort_done, "my hours are missing")


WORLD_HOOKS.append(_effort_world)


# --- pages ------------------------------------------------------------------------
@page_write("effort:new_period", right="efac")
def _new_period(w: Any) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate().isoformat()
    return reverse("effort:new_period", args=[w.works.slug]), {
        "name": "Summer",
        "plan_period": "2031",
        "starts_on": today,
        "ends_on": today,
    }


@page_write("effort:rate", right="cw1")
def _rate(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:rate", args=[w.effort_open.pk]), {f"rating-{w.users['cw2'].pk}": "15"}


@page_write("effort:log", right="cw1")
def _log(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:log", args=[w.effort_open.pk]), {
        "worked_on": timezone.localdate().isoformat(),
        "hours": "4",
        "intensity": "100",
        "onerousness": "10",
    }


@page_write("effort:confirm", right="cw2")
def _confirm(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:confirm", args=[w.pending_log.pk, "confirm"]), {}


@page_write("effort:pool", right="efac")
def _pool(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:pool", args=[w.effort_open.pk]), {
        "source": "federation",
        "federation": w.city.pk,
        "amount": "1200",
    }


@page_write("effort:compute", right="efac")
def _compute(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:compute", args=[w.effort_open.pk]), {}


@page_write("effort:needs", right="cw1")
def _needs(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:needs", args=[w.effort_open.pk]), {"amount": "15", "reason": "a bike"}


@page_write("effort:appeal", right="cw2")
def _appeal(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:appeal", args=[w.effort_done.pk]), {"reason": "too low"}


@page_write("effort:decide_needs", right="efac")
def _decide(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:decide_needs", args=[w.needs.pk, "approve"]), {"note": "ok"}


@page_write("effort:resolve", right="efac")
def _resolve(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:resolve", args=[w.appeal.pk]), {
        "verdict": "uphold",
        "resolution": "hours found",
        "intensity": "1.2",
    }


@page_write("effort:household", right="cw1")
def _household(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:household"), {"household": w.homes[0].pk}


@page_write("effort:plan_budgets", right="efac")
def _budgets(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("effort:plan_budgets", args=[w.effort_plan.pk]), {}


# --- API --------------------------------------------------------------------------
@api_write("POST", "/api/effort/periods", right="efac")
def _api_period(w: Any) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate().isoformat()
    return "/api/effort/periods", {
        "council": w.works.slug,
        "name": "API period",
        "plan_period": "2031",
        "starts_on": today,
        "ends_on": today,
    }


@api_write("POST", "/api/effort/periods/{period_id}/ratings", right="cw1")
def _api_rate(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/effort/periods/{w.effort_open.pk}/ratings", {
        "ratings": [{"member_id": w.users["cw3"].pk, "score": 9}]
    }


@api_write("POST", "/api/effort/periods/{period_id}/hours", right="cw1")
def _api_hours(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/effort/periods/{w.effort_open.pk}/hours", {
        "worked_on": timezone.localdate().isoformat(),
        "hours": 2,
    }


@api_write("POST", "/api/effort/hours/{log_id}/confirm", right="cw2")
def _api_confirm(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/effort/hours/{w.pending_log.pk}/confirm", {}


@api_write("POST", "/api/effort/hours/{log_id}/dispute", right="cw3")
def _api_dispute(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/effort/hours/{w.pending_log.pk}/dispute", {}


@api_write("POST", "/api/effort/periods/{period_id}/pool", right="efac")
def _api_pool(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/effort/periods/{w.effort_open.pk}/pool", {
        "source": "federation",
        "federation": w.city.slug,
        "amount": 1500,
    }


@api_write("POST", "/api/allowances/periods/{period_id}/compute", right="efac")
def _api_compute(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/periods/{w.effort_open.pk}/compute", {}


@api_write("POST", "/api/allowances/household", right="cw2")
def _api_household(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/allowances/household", {"household": w.homes[1].slug}


@api_write("POST", "/api/allowances/periods/{period_id}/needs", right="cw1")
def _api_needs(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/periods/{w.effort_open.pk}/needs", {"amount": 5, "reason": "shoes"}


@api_write("POST", "/api/allowances/needs/{needs_id}/approve", right="efac")
def _api_approve(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/needs/{w.needs.pk}/approve", {"note": ""}


@api_write("POST", "/api/allowances/needs/{needs_id}/decline", right="efac")
def _api_decline(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/needs/{w.needs.pk}/decline", {"note": "not now"}


@api_write("POST", "/api/allowances/periods/{period_id}/appeals", right="cw2")
def _api_appeal(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/periods/{w.effort_done.pk}/appeals", {"reason": "too low"}


@api_write("POST", "/api/allowances/appeals/{appeal_id}/resolve", right="efac")
def _api_resolve(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/appeals/{w.appeal.pk}/resolve", {
        "uphold": False,
        "resolution": "the hours were never logged",
    }


@api_write("POST", "/api/allowances/plans/{plan_id}/budgets", right="efac")
def _api_budgets(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/allowances/plans/{w.effort_plan.pk}/budgets", {}
