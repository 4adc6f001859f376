"""Pages and the API: what each member sees, and that no response leaks a rating."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parecon.web.effort.models import EffortRating, HoursLog
from tests.web.effort.conftest import Bakery, computed

#: The two outlying ratings (given once each); no page or answer may show them.
LEAKS = re.compile(r"(?<![\d.,])(19[.,]7|2[.,]3)0*(?!\d)")


def _everything(b: Bakery, client: Client) -> list[str]:
    from parecon.web.effort.selectors import latest_run

    run = latest_run(b.period)
    assert run is not None
    urls = [
        reverse("effort:workplace", args=[b.bakery.slug]),
        reverse("effort:period", args=[b.period.pk]),
        reverse("effort:plan_budgets", args=[b.plan.pk]),
        f"/api/effort/periods?council={b.bakery.slug}",
        f"/api/effort/periods/{b.period.pk}",
        f"/api/effort/periods/{b.period.pk}/hours",
        f"/api/allowances/periods/{b.period.pk}/mine",
        f"/api/allowances/plans/{b.plan.pk}/budgets",
        *(reverse("effort:household_page", args=[h.slug]) for h in b.homes),
    ]
    return [client.get(u).content.decode() for u in urls]


def test_no_page_or_api_answer_shows_an_individual_rating(bakery: Bakery, login: Any) -> None:
    computed(bakery)
    assert EffortRating.objects.filter(score__in=(19.7, 2.3)).count() == 2
    for who in [*bakery.workers, bakery.facilitator]:
        for text in _everything(bakery, login(who)):
            assert not LEAKS.search(text), (who, LEAKS.search(text))
    # The schema itself has no field for who rated whom.
    components = login(bakery.workers[0]).get("/api/openapi.json").json()["components"]
    ours = {
        k: v
        for k, v in components["schemas"].items()
        if k.startswith(("Effort", "Allow")) and k.endswith("Out")
    }
    assert len(ours) > 8
    names = {p for v in ours.values() for p in v.get("properties", {})}
    assert not names & {"rater", "ratee", "rater_id", "ratee_id", "ratings", "min", "max"}


def test_a_member_sees_their_allowance_and_household(bakery: Bakery, login: Any) -> None:
    run = computed(bakery)
    ana = bakery.workers[0]
    mine = run.allowances.get(member=ana)
    page = login(ana).get(reverse("effort:period", args=[bakery.period.pk])).content.decode()
    assert f"{mine.total:.2f}" in page and "Home 0" in page
    api = login(ana).get(f"/api/allowances/periods/{bakery.period.pk}/mine").json()
    assert api["total"] == mine.total and api["household"] == bakery.homes[0].slug
    detail = login(ana).get(f"/api/effort/periods/{bakery.period.pk}").json()
    assert detail["my_score"]["raters"] == 4
    assert len(detail["rated"]) == 4 and detail["distribution"]["n_ratings"] == 20
    # Others' allowances are not on one's page.
    ben = run.allowances.get(member=bakery.workers[1])
    assert f"{ben.total:.2f}" not in page


def test_outsiders_see_no_period(bakery: Bakery, login: Any) -> None:
    for who in (bakery.outsider, bakery.stranger):
        c = login(who)
        assert c.get(reverse("effort:period", args=[bakery.period.pk])).status_code == 403
        assert c.get(f"/api/effort/periods/{bakery.period.pk}").status_code == 403
        assert c.get(f"/api/allowances/periods/{bakery.period.pk}/mine").status_code == 403
    assert Client().get(reverse("effort:period", args=[bakery.period.pk])).status_code == 302


def test_rate_log_confirm_and_compute_through_pages(bakery: Bakery, login: Any) -> None:
    from parecon.web.councils import services as councils

    ana, ben = bakery.workers[:2]
    url = reverse("effort:rate", args=[bakery.period.pk])
    r = login(ana).post(url, {f"rating-{ben.pk}": "13,5", f"rating-{ana.pk}": ""})
    assert r.status_code == 302
    assert EffortRating.objects.get(rater=ana).score == 13.5
    page = login(ana).post(url, {f"rating-{ben.pk}": "33"}, follow=True).content.decode()
    assert "1 to 20" in page
    day = timezone.localdate().isoformat()
    login(ana).post(
        reverse("effort:log", args=[bakery.period.pk]),
        {
            "worked_on": day,
            "hours": "7.5",
            "task": "ovens",
            "intensity": "125",
            "onerousness": "14",
        },
    )
    log = HoursLog.objects.get(member=ana)
    assert (log.hours, log.intensity, log.onerousness) == (7.5, 125, 14)
    login(ben).post(reverse("effort:confirm", args=[log.pk, "confirm"]))
    log.refresh_from_db()
    assert log.status == "confirmed" and log.confirmed_by == ben
    city = councils.create_council(bakery.facilitator, bakery.chapter, name="City", level="city")
    fac = login(bakery.facilitator)
    fac.post(
        reverse("effort:pool", args=[bakery.period.pk]),
        {"source": "federation", "federation": city.pk, "amount": "800"},
    )
    bakery.period.refresh_from_db()
    assert bakery.period.pool == 800.0
    page = fac.post(reverse("effort:compute", args=[bakery.period.pk]), follow=True)
    assert "Nobody has rated" in page.content.decode()


def test_api_flow(bakery: Bakery, login: Any) -> None:
    from parecon.web.councils import services as councils

    ana, ben = bakery.workers[:2]
    base = f"/api/effort/periods/{bakery.period.pk}"
    r = login(ana).post(
        f"{base}/ratings",
        json.dumps({"ratings": [{"member_id": ben.pk, "score": 12}]}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json() == {"saved": 1}
    bad = login(ana).post(
        f"{base}/ratings",
        json.dumps({"ratings": [{"member_id": ana.pk, "score": 12}]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    r = login(ana).post(
        f"{base}/hours",
        json.dumps({"worked_on": timezone.localdate().isoformat(), "hours": 5}),
        content_type="application/json",
    )
    assert r.status_code == 201
    log_id = r.json()["id"]
    assert login(ben).get(f"{base}/hours").json()["to_confirm"][0]["id"] == log_id
    assert login(ben).post(f"/api/effort/hours/{log_id}/confirm").json()["status"] == "confirmed"
    city = councils.create_council(bakery.facilitator, bakery.chapter, name="City", level="city")
    r = login(bakery.facilitator).post(
        f"{base}/pool",
        json.dumps({"source": "federation", "federation": city.slug, "amount": 300}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["pool"] == 300


def test_bad_input_is_one_message_never_a_server_error(bakery: Bakery, login: Any) -> None:
    ana = bakery.workers[0]
    c = login(ana)
    page = c.post(
        reverse("effort:log", args=[bakery.period.pk]),
        {"worked_on": "yesterday", "hours": "lots"},
        follow=True,
    )
    assert "&#x27;yesterday&#x27; is not a date" in page.content.decode()
    page = c.post(
        reverse("effort:log", args=[bakery.period.pk]),
        {"worked_on": timezone.localdate().isoformat(), "hours": "lots"},
        follow=True,
    )
    assert "&#x27;lots&#x27; is not a number" in page.content.decode()
    assert c.post(reverse("effort:household"), {"household": "x"}).status_code == 404
    fac = login(bakery.facilitator)
    r = fac.post(reverse("effort:pool", args=[bakery.period.pk]), {"source": "plan", "plan": "?"})
    assert r.status_code == 404
    api = c.post(
        f"/api/effort/periods/{bakery.period.pk}/hours",
        json.dumps({"worked_on": "2026-13-01", "hours": 2}),
        content_type="application/json",
    )
    assert api.status_code == 422 and "worked_on" in api.content.decode()
    assert HoursLog.objects.count() == 0
