"""Pages that stay usable at a thousand members: own part first, pages, searches.

Small fixtures with the page sizes shrunk (monkeypatched) stand in for big ones; the
timings themselves are benchmarks/bench_platform_balance.py's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parecon.web.jobs import balancing, charts, views
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Balance
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _published(bakery: Any, band: float = 3) -> Balance:
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=band)
    run = Balance.objects.get(pk=run.pk)
    assert run.status == "done", run.message
    return balancing.publish_balance(bakery.ada, run)


def _baker_and_other(bakery: Any, run: Balance) -> tuple[Any, Any]:
    eff = effective(run)
    baker = next(p for p in bakery.people if eff.of_member(p.pk) == {bakery.bake.pk: 2.0})
    other = next(p for p in bakery.people if bakery.clean.pk in eff.of_member(p.pk))
    return baker, other


def test_the_balance_stores_the_ratings_it_used(bakery: Any) -> None:
    run = _published(bakery)
    stored = run.summary["ratings"]
    assert set(stored) == {str(t.pk) for t in (bakery.bake, bakery.books, bakery.clean)}
    assert all(len(v) == 2 and 1 <= v[0] <= 20 for v in stored.values())


def test_the_swap_form_lists_the_holders_of_the_chosen_task_within_the_band_first(
    bakery: Any, login: Any
) -> None:
    run = _published(bakery, 3)
    baker, other = _baker_and_other(bakery, run)
    client = login(baker)
    url = reverse("jobs:partners", args=[run.pk])
    query = {"give_task": bakery.bake.pk, "take_task": bakery.clean.pk}
    html = client.get(url, query, headers=HX).content.decode()
    holders = {m for (m, t), s in effective(run).shifts.items() if t == bakery.clean.pk and s}
    assert other.pk in holders
    assert f'<option value="{other.pk}">{other.display_name}</option>' in html
    assert "Within the band, qualified" in html and "Would be refused" not in html
    for p in bakery.people:  # only holders of the task taken are listed, never oneself
        listed = f'value="{p.pk}"' in html.split('id="partner"')[1]
        assert listed == (p.pk in holders and p != baker)
    # two shifts they do not hold: listed apart, with the reason
    html = client.get(url, {**query, "take_shifts": 2, "give_shifts": 2}, headers=HX)
    text = html.content.decode()
    assert "Would be refused" in text and "does not hold 2 shifts" in text
    # without JavaScript the same choice is the page's own query
    assert client.get(url, query).status_code == 302
    page = client.get(reverse("jobs:mine", args=[run.pk]), query).content.decode()
    assert 'id="partner"' in page and "Offer the swap" in page
    plain = client.get(reverse("jobs:mine", args=[run.pk])).content.decode()
    assert 'id="partner"' not in plain and "Choose what you give" in plain


def test_the_swap_partners_of_a_band_too_narrow_say_why(bakery: Any, login: Any) -> None:
    run = _published(bakery, 3)
    baker, _other = _baker_and_other(bakery, run)
    Balance.objects.filter(pk=run.pk).update(band=0.1)
    html = (
        login(baker)
        .get(
            reverse("jobs:partners", args=[run.pk]),
            {"give_task": bakery.bake.pk, "take_task": bakery.clean.pk},
            headers=HX,
        )
        .content.decode()
    )
    assert "Within the band, qualified" not in html
    assert "would be outside the band" in html


def test_the_result_page_shows_ones_own_complex_first_and_pages_the_rest(
    bakery: Any, login: Any, monkeypatch: Any
) -> None:
    run = _published(bakery)
    monkeypatch.setattr(views, "RESULT_PAGE", 3)
    me = bakery.people[3]
    client = login(me)
    first = client.get(reverse("jobs:balance", args=[run.pk])).content.decode()
    assert 'id="own-complex"' in first and "page 1 of 2" in first and "?page=2" in first
    second = client.get(reverse("jobs:balance", args=[run.pk]), {"page": 2}).content.decode()
    assert "page 2 of 2" in second and "?page=1" in second
    table = lambda html: html.split("<tbody>")[1].split("</tbody>")[0]  # noqa: E731
    names = sorted(p.display_name for p in bakery.people)
    assert all(n in table(first) for n in names[:3]) and names[3] not in table(first)
    assert names[3] in table(second)
    # a page past the end shows the last one
    assert (
        "page 2 of 2"
        in client.get(reverse("jobs:balance", args=[run.pk]), {"page": 9}).content.decode()
    )


def test_the_chart_groups_overlapping_people_above_its_limit(bakery: Any, monkeypatch: Any) -> None:
    run = _published(bakery)
    points = [charts.Point(f"P{k}", 10.0 + (k % 2) * 0.001, 10.0) for k in range(6)]
    assert len(charts.complexes_chart(run, points).dots) == 6  # type: ignore[union-attr]
    monkeypatch.setattr(charts, "MAX_DOTS", 4)
    grouped = charts.complexes_chart(run, points)
    assert grouped is not None and len(grouped.dots) == 1
    assert grouped.dots[0].label.startswith("6 people")
    far = [*points, charts.Point("Far", 18.0, 2.0)]
    split = charts.complexes_chart(run, far)
    assert split is not None and len(split.dots) == 2
    assert [d.inside for d in split.dots].count(False) == 1


def test_the_task_list_pages_ones_own_tasks_first(
    bakery: Any, login: Any, monkeypatch: Any
) -> None:
    run = _published(bakery)
    baker, _other = _baker_and_other(bakery, run)
    monkeypatch.setattr(views, "TASKS_PAGE", 1)
    client = login(baker)
    url = reverse("jobs:tasks", args=["council", bakery.council.slug])
    first = client.get(url).content.decode()
    assert f'id="task-{bakery.bake.pk}"' in first and "yours" in first
    assert f'id="task-{bakery.books.pk}"' not in first and "page 1 of 3" in first
    later = client.get(url, {"page": 3}).content.decode()
    assert f'id="task-{bakery.bake.pk}"' not in later
    # rating from a later page comes back to that page and row
    rated = client.post(
        reverse("jobs:rate", args=[bakery.clean.pk]),
        {"empowerment": 5, "desirability": 5, "page": 3},
    )
    assert rated["Location"] == f"{url}?page=3#task-{bakery.clean.pk}"


def test_stewards_name_a_member_by_email_in_a_big_workplace(
    bakery: Any, login: Any, monkeypatch: Any
) -> None:
    from parecon.web.jobs.inputs import weekly_hours

    monkeypatch.setattr(views, "PEOPLE_LISTED", 2)
    client = login(bakery.ada)
    url = reverse("jobs:tasks", args=["council", bakery.council.slug])
    html = client.get(url).content.decode()
    assert 'id="hours-member" name="member" type="email"' in html
    assert f'<option value="{bakery.people[1].pk}">' not in html
    target = bakery.people[2]
    client.post(
        reverse("jobs:set_hours", args=["council", bakery.council.slug]),
        {"member": target.email.upper(), "hours": "6"},
    )
    assert float(weekly_hours(bakery.owner)[target.pk]) == 6
    refused = client.post(
        reverse("jobs:set_hours", args=["council", bakery.council.slug]),
        {"member": "nobody@example.org", "hours": "6"},
        follow=True,
    ).content.decode()
    assert "Choose a member of" in refused


def test_the_chart_is_computed_once_per_balance_and_names_people_as_they_are_now(
    bakery: Any, login: Any, monkeypatch: Any
) -> None:
    from django.utils import timezone

    run = _published(bakery)
    computed: list[int] = []
    real = charts.complexes_chart
    monkeypatch.setattr(
        charts, "complexes_chart", lambda b, rows: computed.append(b.pk) or real(b, rows)
    )
    client = login(bakery.people[1])
    url = reverse("jobs:balance", args=[run.pk])
    bo, di = bakery.people[1], bakery.people[3]
    assert f"<title>{bo.display_name}: " in client.get(url).content.decode()
    type(bo).objects.filter(pk=bo.pk).update(name="Bo Renamed")
    type(di).objects.filter(pk=di.pk).update(erased_at=timezone.now())
    html = client.get(url).content.decode()
    assert computed == [run.pk]  # the second view reused the geometry
    assert "<title>Bo Renamed: " in html and f"<title>{di.display_name}: " not in html
