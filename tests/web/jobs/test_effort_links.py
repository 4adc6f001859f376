"""Effort in a workplace with shared work: hours name its tasks, and the rating form
lists the coworkers one works with (same tasks), paged, with a search for others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parecon.web.effort import selectors, services
from parecon.web.effort.models import EffortPeriod, EffortRating
from parecon.web.jobs import balancing
from parecon.web.jobs import services as jobs
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Balance
from parecon.web.jobs.owners import Owner
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _period(bakery: Any) -> EffortPeriod:
    from parecon.web.councils.services import grant_council_role

    today = timezone.localdate()
    grant_council_role(bakery.ada, bakery.council, bakery.ada, "facilitator")
    return services.open_period(
        bakery.ada,
        bakery.council,
        name="Spring",
        plan_period="2027",
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
    )


def _published(bakery: Any) -> Balance:
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=3)
    run = Balance.objects.get(pk=run.pk)
    assert run.status == "done", run.message
    return balancing.publish_balance(bakery.ada, run)


def test_hours_name_the_workplaces_task_or_keep_the_words(bakery: Any, make_member: Any) -> None:
    period = _period(bakery)
    day = timezone.localdate()
    bo = bakery.people[1]
    linked = services.log_hours(bo, period, worked_on=day, hours=3, task="  bake ")
    assert linked.task == bakery.bake and linked.task_text == "" and linked.task_name == "Bake"
    chosen = services.log_hours(bo, period, worked_on=day, hours=2, task=bakery.clean)
    assert chosen.task == bakery.clean
    words = services.log_hours(bo, period, worked_on=day, hours=1, task="fixing the door")
    assert words.task is None and words.task_text == "fixing the door"
    jobs.retire_task(bakery.ada, bakery.books)
    retired = services.log_hours(bo, period, worked_on=day, hours=1, task="Books")
    assert retired.task is None and retired.task_text == "Books"  # retired: not linked
    with pytest.raises(ValidationError, match="retired"):
        services.log_hours(bo, period, worked_on=day, hours=1, task=bakery.books)
    other = jobs.create_task(
        bakery.ada, Owner(bakery.chapter), kind="recurring", name="Elsewhere",
        shift_hours=1, shifts_per_week=1,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="this workplace's tasks"):
        services.log_hours(bo, period, worked_on=day, hours=1, task=other)


def test_the_hours_form_and_api_take_a_task(bakery: Any, login: Any) -> None:
    period = _period(bakery)
    run = _published(bakery)
    bo = bakery.people[1]
    client = login(bo)
    page = client.get(reverse("effort:period", args=[period.pk])).content.decode()
    held = effective(run).of_member(bo.pk)
    mine = page.split('label="Your tasks"')[1].split("</optgroup>")[0]
    assert all(f'value="{t}"' in mine for t in held)
    day = timezone.localdate().isoformat()
    client.post(
        reverse("effort:log", args=[period.pk]),
        {"worked_on": day, "hours": "2", "task_id": str(bakery.clean.pk)},
    )
    assert period.logs.get().task == bakery.clean
    answer = client.post(
        f"/api/effort/periods/{period.pk}/hours",
        {"worked_on": day, "hours": 1, "task_id": bakery.bake.pk},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["task"] == "Bake" and answer.json()["task_id"] == bakery.bake.pk
    wrong = client.post(
        f"/api/effort/periods/{period.pk}/hours",
        {"worked_on": day, "hours": 1, "task_id": 999_999},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and period.logs.count() == 2


def test_the_rating_form_lists_those_one_works_with_and_searches_the_rest(
    bakery: Any, login: Any, make_member: Any, monkeypatch: Any
) -> None:
    from parecon.web.councils import services as councils

    period = _period(bakery)
    run = _published(bakery)
    eff = effective(run)
    me = bakery.people[0]
    mine = set(eff.of_member(me.pk))
    near = {m for (m, t), s in eff.shifts.items() if t in mine and s and m != me.pk}
    assert near and len(near) < len(bakery.people) - 1  # someone works apart from Ada
    picker = selectors.coworker_picker(period, me)
    assert picker.close and {p.pk for p in picker.people} == near
    late, *more = (make_member(n) for n in ("Zed Newcomer", "Zed Two", "Zed Three"))
    for m in (late, *more):
        councils.join_council(m, bakery.council)
    found = selectors.coworker_picker(period, me, "newcomer")
    assert [p.pk for p in found.people] == [late.pk] and not found.close
    monkeypatch.setattr(selectors, "PICKER_PAGE", 2)
    zeds = selectors.coworker_picker(period, me, "zed")
    assert zeds.total == 3 and zeds.pages == 2 and len(zeds.people) == 2
    last = selectors.coworker_picker(period, me, "zed", page=99)
    assert last.page.number == 2 and len(last.people) == 1
    monkeypatch.setattr(selectors, "PICKER_PAGE", 25)
    client = login(me)
    url = reverse("effort:period", args=[period.pk])
    page = client.get(url).content.decode()
    assert "you work with" in page
    assert all(f'id="rating-{p}"' in page for p in near)
    assert f'id="rating-{late.pk}"' not in page
    search = client.get(url, {"q": "Newcomer"}).content.decode()  # works without JS
    assert f'id="rating-{late.pk}"' in search and 'value="Newcomer"' in search
    fragment = client.get(
        reverse("effort:coworkers", args=[period.pk]), {"q": "Newcomer"}, headers=HX
    )
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert f'id="rating-{late.pk}"' in fragment.content.decode()
    rated = client.post(
        reverse("effort:rate", args=[period.pk]),
        {f"rating-{late.pk}": "12", "q": "Newcomer", "page": "1"},
    )
    assert rated["Location"] == f"{url}?q=Newcomer&page=1#rate"
    assert EffortRating.objects.get(period=period).ratee == late
    outsider = login(make_member("Outside"))
    assert (
        outsider.get(reverse("effort:coworkers", args=[period.pk]), headers=HX).status_code == 403
    )
