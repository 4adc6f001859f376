"""Real objects for schemathesis' calls to the effort and allowances API.

The run's admin (a facilitator of the chapter) works in a workplace with three
coworkers; each call that changes a log, a needs request, an appeal or a period's
state gets a fresh one, so that generated calls can succeed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

PREFIXES = ("/api/effort", "/api/allowances")


def prepare(real: dict[str, Any], admin: Any, chapter: Any) -> None:
    from parecon.web.chapters.services import join
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import CouncilMembership
    from parecon.web.members.models import Member
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv

    # One worker council a member: the admin's, if another world already made one.
    mine = CouncilMembership.objects.active().filter(member=admin, kind="worker").first()
    works = (
        mine.council
        if mine is not None
        else councils.create_council(admin, chapter, name="Schema works", level="workplace")
    )
    hood = councils.create_council(admin, chapter, name="Schema hood", level="neighbourhood")
    city = councils.create_council(admin, chapter, name="Schema city", level="city")
    team = [admin]
    for i in range(3):
        m = Member.objects.create_user(f"schema-cw{i}@example.org", None, name=f"Coworker {i}")
        join(m, chapter)
        team.append(m)
    homes = []
    for i, m in enumerate(team):
        if m != admin or mine is None:
            councils.join_council(m, works)
        if i < 2:
            homes.append(
                councils.create_council(
                    admin, chapter, name=f"Schema home {i}", level="household", parent=hood
                )
            )
        councils.join_council(m, homes[min(i, 1)])
    plan = planning.open_plan(
        admin,
        chapter,
        planning.PlanSettings(
            name="Schema effort plan",
            period="2029",
            goods=goods_from_csv("name,unit,category,price\nbread,loaf,private,2\n"),
            councils=[(homes[0], 10.0)],
            deadlines=[timezone.now() + timedelta(days=2)],
        ),
    )
    real["effort"] = {"team": team, "works": works, "city": city, "homes": homes, "plan": plan}
    real["effort"]["open"] = _period(real["effort"], compute=False).pk
    real["effort"]["done"] = _period(real["effort"], compute=True).pk


def _period(e: dict[str, Any], *, compute: bool) -> Any:
    from parecon.web.effort import services

    team = e["team"]
    admin = team[0]
    today = timezone.localdate()
    p = services.open_period(
        admin,
        e["works"],
        name="Schema period",
        plan_period="2029",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=3),
    )
    for i, rater in enumerate(team):
        services.rate_effort(rater, p, {o.pk: 10 + i for o in team if o != rater})
        log = services.log_hours(rater, p, worked_on=today, hours=4 + i)
        services.confirm_log(team[(i + 1) % len(team)], log)
    services.set_pool_by_federation(admin, p, e["city"], 400.0)
    if compute:
        services.compute_allowances(admin, p)
    return p


def map_case(case: Any, real: dict[str, Any]) -> None:
    from parecon.web.effort import services
    from parecon.web.effort.models import EffortPeriod

    path = case.operation.path
    if "effort" not in real or not path.startswith(PREFIXES):
        return
    e = real["effort"]
    team = e["team"]
    other = team[2]  # in the second household; the admin (team[0]) is the caller
    today = timezone.localdate()
    params = case.path_parameters or {}
    if isinstance(case.query, dict) and "council" in case.query:
        case.query["council"] = e["works"].slug
    if "period_id" in params:
        fresh = path.endswith(("/compute", "/appeals"))
        params["period_id"] = (
            _period(e, compute=path.endswith("/appeals")).pk
            if fresh
            else e["done"]
            if path.endswith("/mine")
            else e["open"]
        )
    if "plan_id" in params:
        params["plan_id"] = e["plan"].pk
    if "log_id" in params:
        period = EffortPeriod.objects.get(pk=e["open"])
        params["log_id"] = services.log_hours(other, period, worked_on=today, hours=1).pk
    if "needs_id" in params:
        period = EffortPeriod.objects.get(pk=e["done"])
        params["needs_id"] = services.request_needs(other, period, None, 3.0, "shoes").pk
    if "appeal_id" in params:
        period = _period(e, compute=True)
        params["appeal_id"] = services.appeal(other, period, "too low").pk
    body = case.body
    if not isinstance(body, dict):
        return
    if path == "/api/effort/periods":
        body.update(council=e["works"].slug, name="API", plan_period="2029")
        body.update(starts_on=today.isoformat(), ends_on=today.isoformat())
    if path.endswith("/ratings"):
        body["ratings"] = [{"member_id": other.pk, "score": 12}]
    if path.endswith("/hours"):
        body.update(worked_on=today.isoformat(), hours=2, intensity=100, onerousness=10)
        body.pop("task_id", None)  # the workplace's tasks have ids of their own
    if path.endswith("/pool"):
        body.update(source="federation", federation=e["city"].slug, amount=500)
    if path == "/api/allowances/household":
        body["household"] = e["homes"][0].slug
    if path.endswith("/needs"):
        body.update(amount=5, reason="a coat")
    if path.endswith("/resolve"):
        body.update(uphold=True, resolution="checked", intensity=1.1)
