"""The demo's plan: two rounds closed with a simulated rest of the economy, the third open."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_has_a_plan_with_two_closed_rounds_and_a_third_open() -> None:
    from parecon.web.planning.models import Plan
    from parecon.web.site.demo import load_demo

    load_demo()
    plan = Plan.objects.get()
    assert [r.status for r in plan.rounds.order_by("number")] == ["closed", "closed", "open"]
    councils = plan.participants.exclude(council__level="household")  # effort adds households
    assert councils.count() == 6 and plan.simulation["n_councils"] > 3
    second = plan.rounds.get(number=2)
    assert second.n_carried >= 1 and second.max_gap is not None
    assert plan.rounds.get(number=3).prices == second.next_prices
