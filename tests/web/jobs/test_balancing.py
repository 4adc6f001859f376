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
