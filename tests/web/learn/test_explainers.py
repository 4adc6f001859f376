"""The three explainers answer with the core's own numbers, and refuse bad input by field."""

from __future__ import annotations

import html
import re
import warnings
from fractions import Fraction

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from parecon.exceptions import ConvergenceWarning
from parecon.selfmanagement import Affected, Ballot, UnitTree, WeightingRule, decide, weigh
from parecon.web.learn import explainers as ex
from parecon.work import (
    BalanceSettings,
    aggregate_effort,
    allowances,
    balance,
    onerousness,
)

pytestmark = pytest.mark.django_db


def _cell(page: str, key: str, who: str, col: str) -> float:
    match = re.search(rf'data-{key}="{who}" data-col="{col}">([^<]+)<', page)
    assert match, (who, col)
    return float(match.group(1))


def test_jobs_shows_the_balancers_complexes() -> None:
    empowerment = [4.0, 15.0, 6.0, 2.0, 18.0]
    desirability = [10.0, 12.0, 11.0, 4.0, 9.0]
    query = {f"e{i}": str(v) for i, v in enumerate(empowerment)}
    query |= {f"d{i}": str(v) for i, v in enumerate(desirability)} | {"band0": "2"}
    response = Client().get(reverse("learn:jobs"), query)
    assert response.status_code == 200
    page = response.content.decode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = balance(
            ex.bakery(empowerment, desirability), BalanceSettings(band=2.0, time_limit=1.0)
        )
    assert result.empowerment is not None and result.desirability is not None
    for i, name in enumerate(ex.BAKERS):
        assert _cell(page, "person", name, "empowerment") == pytest.approx(
            result.empowerment[i], abs=0.005
        )
        assert _cell(page, "person", name, "desirability") == pytest.approx(
            result.desirability[i], abs=0.005
        )
    mean = np.average(empowerment, weights=np.multiply(ex.SHIFT_HOURS, ex.SHIFTS_PER_WEEK))
    assert all(abs(e - mean) <= 2.0 + 1e-9 for e in result.empowerment)
    assert "<svg" in page
    assert re.search(r'data-status="(optimal|feasible)"', page)


def test_jobs_explains_a_band_that_cannot_be_met() -> None:
    query = {"e0": "1", "e1": "1", "e2": "1", "e3": "1", "e4": "20", "band0": "0.1"}
    page = Client().get(reverse("learn:jobs"), query).content.decode()
    assert "No balanced complexes exist" in page
    assert 'data-status="infeasible"' in page


def test_effort_shows_the_cores_allowances_and_resists_a_clique() -> None:
    hours = [30.0, 35.0, 35.0, 40.0, 25.0, 35.0]
    effort = [12.0, 12.0, 14.0, 12.0, 10.0, 12.0]
    desirability = [10.0, 10.0, 10.0, 4.0, 12.0, 10.0]
    query = {f"h{i}": str(v) for i, v in enumerate(hours)}
    query |= {f"e{i}": str(v) for i, v in enumerate(effort)}
    query |= {f"d{i}": str(v) for i, v in enumerate(desirability)} | {"clique": "1"}
    page = Client().get(reverse("learn:effort"), query).content.decode()
    table = ex.ratings_table(effort, clique=True)
    assert table[1, 2] == table[2, 1] == 20.0
    scores = aggregate_effort(table)
    onerous = onerousness(np.asarray(desirability), np.asarray(hours))
    expected = allowances(np.asarray(hours), scores.intensity, 20.0 * sum(hours), onerous=onerous)
    for i, name in enumerate(ex.COWORKERS):
        assert _cell(page, "person", name, "score") == pytest.approx(scores.score[i], abs=0.005)
        assert _cell(page, "person", name, "allowance") == pytest.approx(
            expected.effort_allowance[i], abs=0.005
        )
    # The centred median moves Gil less than the plain mean does.
    mean = aggregate_effort(table, method="mean").score
    assert abs(scores.score[2] - 14.0) < abs(mean[2] - 14.0)
    # The least desirable complex is paid more per hour at equal effort.
    assert expected.effort_allowance[3] / 40 > expected.effort_allowance[0] / 30
    assert "flagged for appeal" in page


@pytest.mark.parametrize(
    ("units", "level", "stake", "weighted", "equal"),
    [
        (["bakery", "oven-street"], "1/4", "1", "rejected", "adopted"),
        (["bakery", "far-street"], "1/4", "0", "adopted", "adopted"),
        (["bakery", "oven-street", "far-street"], "1", "2", "rejected", "adopted"),
    ],
)
def test_affected_weights_and_result_are_the_cores(
    units: list[str], level: str, stake: str, weighted: str, equal: str
) -> None:
    query = {"set": "1", "level": level, "stake": stake} | {f"u-{u}": "1" for u in units}
    page = Client().get(reverse("learn:affected"), query).content.decode()
    rule = WeightingRule(levels=(1, Fraction(level)), stakes={"noise at night": Fraction(stake)})
    oven = ("Dara", "Eli", "Fay", "Gus")
    weights = weigh(
        UnitTree(ex.UNITS),
        Affected(units=tuple(units), stakeholders={"noise at night": oven}),
        rule,
    ).weights
    result = decide(
        "majority",
        [Ballot(voter=m, choice=ex.VOTES[m]) for m in weights],
        options=("yes", "no"),
        electorate=weights,
    )
    assert result.outcome == weighted
    assert f'data-outcome="{weighted}"' in page
    for member in ex.VOTES:
        shown = re.search(rf'data-member="{member}">([^<]*)<', page)
        assert shown and Fraction(shown.group(1)) == weights.get(member, Fraction(0))
    with_one_each = "adopted" if equal == "adopted" else "rejected"
    assert f"one vote across the city, it would be {with_one_each}" in html.unescape(page)


@pytest.mark.parametrize(
    ("route", "query", "message"),
    [
        ("learn:jobs", {"e1": "abc"}, "Empowerment of baking: abc is not a number from 1 to 20."),
        ("learn:jobs", {"band0": "0"}, "Band: 0 is not a number from 0.1 to 10."),
        ("learn:effort", {"h3": "-4"}, "Hours of Hao: -4 is not a number from 1 to 60."),
        ("learn:effort", {"e0": "25"}, "Effort of Eva: 25 is not a number from 1 to 20."),
        ("learn:affected", {"set": "1"}, "Affected units: choose at least one unit"),
    ],
)
def test_explainers_refuse_bad_input_by_field(
    route: str, query: dict[str, str], message: str
) -> None:
    response = Client().get(reverse(route), query)
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert message in page
    assert page.count('role="alert"') == 1
