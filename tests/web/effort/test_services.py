"""Effort periods through their services: the core's allowances, pools, budgets, needs, appeals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from parecon.web.effort import budgets, selectors, services
from parecon.web.effort.models import Allowance, EffortRating, PeriodStatus
from parecon.web.history.models import AppendOnlyError, Event
from parecon.work.allowances import allowances
from parecon.work.effort import aggregate_effort
from tests.web.effort.conftest import SCORES, Bakery, computed, log_all, rate_all


def test_allowances_are_the_cores_share_of_the_pool(bakery: Bakery) -> None:
    run = computed(bakery, pool=1000.0)
    rows = {a.member_id: a for a in run.allowances.all()}
    ids = [w.pk for w in bakery.workers]
    assert sorted(rows) == sorted(ids)
    # The same figures straight from the core, people in id order.
    order = sorted(range(5), key=lambda i: ids[i])
    matrix = np.full((5, 5), np.nan)
    for rater, row in SCORES.items():
        for ratee, score in row.items():
            matrix[order.index(rater), order.index(ratee)] = score
    intensity = aggregate_effort(matrix).intensity
    hours = np.array([(8, 8, 6, 4, 8)[i] for i in order], dtype=float)
    expected = allowances(hours, intensity, 1000.0).effort_allowance
    got = np.array([rows[ids[i]].effort for i in order])
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert sum(a.total for a in rows.values()) == pytest.approx(1000.0)
    assert bakery.period.__class__.objects.get(pk=bakery.period.pk).status == PeriodStatus.COMPUTED
    # The lenient outlier's 19.7 moves no one far: the robust score stays in the pack.
    eli = selectors.own_score(bakery.period, bakery.workers[4])
    assert eli is not None and eli.score < 15


def test_ratings_refuse_self_strangers_and_bad_scores(bakery: Bakery) -> None:
    ana, ben = bakery.workers[:2]
    with pytest.raises(ValidationError, match="not yourself"):
        services.rate_effort(ana, bakery.period, {ana.pk: 10})
    with pytest.raises(ValidationError, match="current coworkers"):
        services.rate_effort(ana, bakery.period, {bakery.outsider.pk: 10})
    with pytest.raises(ValidationError, match="1 to 20"):
        services.rate_effort(ana, bakery.period, {ben.pk: 21})
    with pytest.raises(ValidationError, match="not a number"):
        services.rate_effort(ana, bakery.period, {ben.pk: "lots"})
    for who in (bakery.outsider, bakery.stranger, bakery.facilitator):
        with pytest.raises(PermissionDenied):
            services.rate_effort(who, bakery.period, {ben.pk: 10})
    assert EffortRating.objects.count() == 0
    services.rate_effort(ana, bakery.period, {ben.pk: 10})
    services.rate_effort(ana, bakery.period, {ben.pk: 14})
    assert selectors.latest_ratings(bakery.period) == {(ana.pk, ben.pk): 14.0}


def test_hours_are_confirmed_by_a_coworker_only(bakery: Bakery) -> None:
    ana, ben = bakery.workers[:2]
    day = timezone.localdate()
    log = services.log_hours(
        ana, bakery.period, worked_on=day, hours=6, intensity=125, onerousness=15
    )
    with pytest.raises(PermissionDenied):
        services.confirm_log(ana, log)
    with pytest.raises(PermissionDenied):
        services.confirm_log(bakery.outsider, log)
    with pytest.raises(ValidationError, match="outside the period"):
        services.log_hours(ana, bakery.period, worked_on=day + timedelta(days=90), hours=6)
    with pytest.raises(ValidationError, match="at most 24"):
        services.log_hours(ana, bakery.period, worked_on=day, hours=25)
    with pytest.raises(ValidationError, match="light, normal"):
        services.log_hours(ana, bakery.period, worked_on=day, hours=2, intensity=300)
    assert selectors.confirmed_hours(bakery.period) == {}
    services.confirm_log(ben, log)
    with pytest.raises(ValidationError, match="already answered"):
        services.confirm_log(ben, log)
    found = selectors.confirmed_hours(bakery.period)[ana.pk]
    assert (found.hours, found.pace, found.onerousness) == (6.0, 1.25, 15.0)


def test_onerous_and_intense_hours_earn_more(bakery: Bakery) -> None:
    rate_all(bakery)
    day = timezone.localdate()
    for i, w in enumerate(bakery.workers):
        heavy = i == 0
        log = services.log_hours(
            w,
            bakery.period,
            worked_on=day,
            hours=8,
            intensity=150 if heavy else 100,
            onerousness=18 if heavy else 10,
        )
        services.confirm_log(bakery.workers[(i + 1) % 5], log)
    from parecon.web.councils import services as councils

    city = councils.create_council(bakery.facilitator, bakery.chapter, name="City", level="city")
    services.set_pool_by_federation(bakery.facilitator, bakery.period, city, 500.0)
    run = services.compute_allowances(bakery.facilitator, bakery.period)
    ana = run.allowances.get(member=bakery.workers[0])
    assert ana.onerousness > 1.4 and ana.intensity > 1.2
    assert ana.effort == max(a.effort for a in run.allowances.all())


def test_compute_needs_a_pool_ratings_and_hours(bakery: Bakery) -> None:
    fac = bakery.facilitator
    with pytest.raises(ValidationError, match="pool"):
        services.compute_allowances(fac, bakery.period)
    from parecon.web.councils import services as councils

    city = councils.create_council(fac, bakery.chapter, name="City", level="city")
    with pytest.raises(ValidationError, match="positive"):
        services.set_pool_by_federation(fac, bakery.period, city, -5)
    with pytest.raises(PermissionDenied):
        services.set_pool_by_federation(bakery.workers[0], bakery.period, city, 100)
    services.set_pool_by_federation(fac, bakery.period, city, 100)
    with pytest.raises(ValidationError, match="confirmed hours"):
        services.compute_allowances(fac, bakery.period)
    log_all(bakery)
    with pytest.raises(ValidationError, match="Nobody has rated"):
        services.compute_allowances(fac, bakery.period)
    with pytest.raises(PermissionDenied):
        services.compute_allowances(bakery.workers[0], bakery.period)


def _plan_with_closed_round(b: Bakery) -> Any:
    from parecon.web.planning import services as planning
    from parecon.web.planning.closing import close_round

    first = b.plan.rounds.get(number=1)
    ana = b.workers[0]
    draft = planning.draft_for(ana, first, b.bakery)
    planning.save_draft(ana, draft, {("supply", 0): ("100", 0), ("demand", 2): ("15", 0)})
    planning.submit(ana, draft)
    home = planning.draft_for(ana, first, b.homes[0])
    planning.save_draft(ana, home, {("demand", 0): ("30", 0)})
    planning.submit(ana, home)
    close_round(b.facilitator, first)
    return first


def test_pool_from_a_plan_is_the_workplaces_part_of_consumer_goods(bakery: Bakery) -> None:
    first = _plan_with_closed_round(bakery)
    first.refresh_from_db()
    period = services.set_pool_from_plan(bakery.facilitator, bakery.period, bakery.plan)
    consumer_value = first.prices[0] * first.demand[0] + first.prices[1] * first.demand[1]
    share = first.prices[2] * 15 / (first.prices[2] * first.demand[2])
    assert share == pytest.approx(1.0)  # the bakery is the only worker council
    assert period.pool == pytest.approx(consumer_value * share)
    assert period.pool_source == "plan" and period.pool_plan == bakery.plan
    with pytest.raises(PermissionDenied):
        services.set_pool_from_plan(bakery.workers[1], bakery.period, bakery.plan)


def test_pool_from_a_plan_without_closed_rounds_is_refused(bakery: Bakery) -> None:
    with pytest.raises(ValidationError, match="no closed round"):
        services.set_pool_from_plan(bakery.facilitator, bakery.period, bakery.plan)


def test_households_budgets_are_their_members_allowances(bakery: Bakery) -> None:
    run = computed(bakery)
    by_home: dict[int, float] = {}
    for a in run.allowances.all():
        by_home[a.household_id] = by_home.get(a.household_id, 0.0) + a.total
    changed = budgets.take_budgets_from_allowances(bakery.facilitator, bakery.plan)
    assert {c.pk: v for c, v in changed.items()} == pytest.approx(by_home)
    part = {p.council_id: p.budget for p in bakery.plan.participants.all()}
    for home in bakery.homes:  # homes 1 and 2 joined the plan with their budgets
        assert part[home.pk] == pytest.approx(by_home[home.pk])
    assert part[bakery.north.pk] == 500.0  # the neighbourhood keeps its own budget
    assert Event.objects.filter(verb="plan.budgets_from_allowances").count() == 1
    with pytest.raises(ValidationError, match="No household"):
        budgets.take_budgets_from_allowances(bakery.facilitator, bakery.plan)
    with pytest.raises(PermissionDenied):
        budgets.take_budgets_from_allowances(bakery.workers[0], bakery.plan)


def test_opening_a_plan_takes_households_budgets_from_allowances(bakery: Bakery) -> None:
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv
    from tests.web.effort.conftest import GOODS_CSV

    run = computed(bakery)
    home = bakery.homes[2]
    expected = sum(a.total for a in run.allowances.filter(household=home))
    plan = planning.open_plan(
        bakery.facilitator,
        bakery.chapter,
        planning.PlanSettings(
            name="Next",
            period="2027",
            goods=goods_from_csv(GOODS_CSV),
            councils=[(bakery.north, 700.0), (home, None)],
            default_budget=1.0,
            deadlines=[timezone.now() + timedelta(days=3)],
        ),
    )
    part = {p.council_id: p.budget for p in plan.participants.all()}
    assert part[home.pk] == pytest.approx(expected)
    assert part[bakery.north.pk] == 700.0


def test_needs_are_approved_by_the_household_and_come_off_the_top(bakery: Bakery) -> None:
    from parecon.web.chapters.services import grant_council_role

    computed(bakery, pool=1000.0)
    cai, dee = bakery.workers[2], bakery.workers[3]  # both in homes[2]
    home = bakery.homes[2]
    req = services.request_needs(cai, bakery.period, home, 50.0, "a wheelchair ramp")
    with pytest.raises(ValidationError, match="household your allowances go to"):
        services.request_needs(cai, bakery.period, bakery.homes[0], 5.0, "x")
    with pytest.raises(PermissionDenied):
        services.decide_needs(dee, req, True)  # no role in the household
    grant_council_role(bakery.admin, home, cai, "facilitator")
    with pytest.raises(PermissionDenied):
        services.decide_needs(cai, req, True)  # never one's own request
    grant_council_role(bakery.admin, home, dee, "facilitator")
    services.decide_needs(dee, req, True, "yes")
    run = selectors.latest_run(bakery.period)
    assert run is not None and run.number == 2 and run.needs == 50.0
    assert sum(a.total for a in run.allowances.all()) == pytest.approx(1000.0)
    assert run.allowances.get(member=cai).needs == 50.0
    with pytest.raises(ValidationError, match="already decided"):
        services.decide_needs(dee, req, False)


def test_appeals_are_reviewed_resolved_and_logged(bakery: Bakery) -> None:
    computed(bakery)
    ben = bakery.workers[1]
    before = selectors.own_allowance(bakery.period, ben)
    assert before is not None
    with pytest.raises(ValidationError, match="Say why"):
        services.appeal(ben, bakery.period, " ")
    row = services.appeal(ben, bakery.period, "My ratings came from a clique")
    with pytest.raises(ValidationError, match="already under review"):
        services.appeal(ben, bakery.period, "again")
    with pytest.raises(PermissionDenied):
        services.resolve_appeal(bakery.workers[0], row, True, "ok", 1.5)
    with pytest.raises(ValidationError, match="at most 5"):
        services.resolve_appeal(bakery.facilitator, row, True, "ok", 50)
    services.resolve_appeal(bakery.facilitator, row, True, "Checked: intensity 1.3", 1.3)
    after = selectors.own_allowance(bakery.period, ben)
    assert after is not None and after.intensity == 1.3 and after.effort > before.effort
    assert Event.objects.filter(verb="effort.appeal_upheld").exists()
    with pytest.raises(ValidationError, match="already resolved"):
        services.resolve_appeal(bakery.facilitator, row, False, "no")


def test_ratings_and_allowances_are_append_only(bakery: Bakery) -> None:
    computed(bakery)
    rating = EffortRating.objects.first()
    allowance = Allowance.objects.first()
    assert rating is not None and allowance is not None
    with pytest.raises(AppendOnlyError):
        rating.save()
    with pytest.raises(AppendOnlyError):
        allowance.delete()
    with pytest.raises(AppendOnlyError):
        EffortRating.objects.all().update(score=1)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE effort_allowance SET effort = 0")


def test_history_never_holds_a_rating(bakery: Bakery) -> None:
    rate_all(bakery)
    events = Event.objects.filter(verb="effort.rated")
    assert events.count() == 5 and not any(e.public for e in events)
    for e in events:
        text = f"{e.summary} {e.data}"
        assert "19.7" not in text and "2.3" not in text
        assert str(bakery.workers[4].pk) != e.subject_id


def test_a_period_needs_three_coworkers(bakery: Bakery, make_member: Any) -> None:
    from parecon.web.councils import services as councils

    small = councils.create_council(
        bakery.facilitator, bakery.chapter, name="Duo", level="workplace"
    )
    councils.join_council(make_member("Solo"), small)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="at least 3"):
        services.open_period(
            bakery.facilitator, small, name="x", plan_period="2027", starts_on=today, ends_on=today
        )
    with pytest.raises(PermissionDenied):
        services.open_period(
            bakery.workers[0],
            bakery.bakery,
            name="x",
            plan_period="2027",
            starts_on=today,
            ends_on=today,
        )
