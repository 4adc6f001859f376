"""Balancing a workplace on the platform: run, publish, rebalance, roles, infeasibility."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parecon.web.history.models import Event
from parecon.web.jobs import balancing, services
from parecon.web.jobs.models import Balance, PersonComplex
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db


def test_a_steward_balances_and_publishes(bakery: Any) -> None:
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=4, band=3)
    run.refresh_from_db()
    assert run.status == "done", run.message
    rows = {c.member_id: c for c in PersonComplex.objects.filter(balance=run)}
    assert len(rows) == 4 and all(r.hours == 8 for r in rows.values())
    assert all(abs(r.empowerment - run.mean_empowerment) <= 3 + 1e-9 for r in rows.values())
    balancing.publish_balance(bakery.ada, run)
    assert Event.objects.filter(verb="jobs.balance_published").count() == 1


def test_pages_show_the_result_chart_and_own_complex(bakery: Any, login: Any) -> None:
    from django.urls import reverse

    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, weeks=4, band=3)
    balancing.publish_balance(bakery.ada, Balance.objects.get(pk=run.pk))
    client = login(bakery.people[1])
    page = client.get(reverse("jobs:tasks", args=["council", bakery.council.slug]))
    assert page.status_code == 200 and "Bake" in page.content.decode()
    page = client.get(reverse("jobs:balance", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "style=" not in html
    page = client.get(reverse("jobs:mine", args=[run.pk]))
    assert page.status_code == 200
    ics = client.get(reverse("jobs:mine_ics", args=[run.pk]))
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content
