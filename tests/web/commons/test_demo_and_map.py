"""The commons' demo step and the SVG map's projection."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from parecon.web.commons import svgmap
from parecon.web.commons.models import FollowUp, Match, Organisation


@pytest.mark.django_db
def test_the_demo_meets_a_need_and_maps_two_allies() -> None:
    from parecon.web.site.demo import load_demo

    load_demo()
    childcare = Match.objects.get(category="childcare")
    assert childcare.giver != childcare.receiver
    assert Match.objects.filter(return_by__isnull=False, returned_on__isnull=True).count() == 1
    mapped = Organisation.objects.filter(latitude__isnull=False)
    assert mapped.count() == 2
    assert FollowUp.objects.filter(organisation__in=mapped, done=False).count() == 1
    # Next quarter's budget: planned in rounds until it fit, ratified, its lines the budget.
    from parecon.web.treasury.models import BudgetPlan, Proposer

    budget = BudgetPlan.objects.get()
    assert budget.status == "adopted" and budget.decision is not None
    last = budget.rounds.order_by("number").last()
    assert budget.rounds.count() > 1 and last.fits
    # What the lines get fits the income and the contributions offered (the supply).
    assert last.supply[0] > budget.expected_income
    assert (
        0 < sum(line.amount for line in budget.lines.all()) <= Decimal(last.supply[0]) * 103 / 100
    )
    assert set(Proposer.objects.values_list("kind", flat=True)) >= {"group", "need"}


def test_points_are_placed_north_up_and_inside_the_box() -> None:
    svg = svgmap.render(
        [svgmap.Point("north", 41.5, 2.0), svgmap.Point("south", 41.3, 2.2, href="/x?a=1&b=2")],
        width=200,
        height=100,
        title="T & co",
    )
    assert 'role="group"' in svg  # it holds a link, so it is no mere image
    assert "<title>T &amp; co</title>" in svg and 'href="/x?a=1&amp;b=2"' in svg
    ys = [float(y) for y in re.findall(r'cy="([-\d.]+)"', svg)]
    assert ys[0] < ys[1]  # the northern point is higher up
    assert all(0 <= y <= 100 for y in ys)


def test_an_empty_map_is_still_a_document() -> None:
    svg = svgmap.render([], title="none")
    assert 'role="img"' in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<circle" not in svg
