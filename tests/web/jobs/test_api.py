"""The JSON API of shared work: the same services, statuses for refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parecon.web.jobs.models import Balance
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_lists_rates_balances_publishes_and_swaps(bakery: Any, login: Any) -> None:
    ada, bo = login(bakery.ada), login(bakery.people[1])
    slug = bakery.council.slug
    made = _post(ada, f"/api/tasks/owners/council/{slug}", {
        "kind": "one_off", "name": "Paint", "hours": "2", "due_on": "2027-03-01",
    })  # fmt: skip
    assert made.status_code == 200 and made.json()["kind"] == "one_off"
    assert (
        _post(bo, f"/api/tasks/owners/council/{slug}", {"kind": "x", "name": "y"}).status_code
        == 422
    )
    refused = _post(bo, f"/api/tasks/owners/council/{slug}", {"kind": "recurring", "name": "y"})
    assert refused.status_code == 403
    mine = _post(bo, f"/api/tasks/{bakery.bake.pk}/rating", {"empowerment": 9, "desirability": 9})
    assert mine.json() == {"task_id": bakery.bake.pk, "empowerment": 9, "desirability": 9}
    run = _post(
        ada, f"/api/complexes/owners/council/{slug}", {"starts_on": START.isoformat(), "band": 3}
    )
    assert run.status_code == 200 and run.json()["status"] == "done", run.json()
    balance_id = run.json()["id"]
    assert _post(bo, f"/api/complexes/{balance_id}/publish", {}).status_code == 403
    assert _post(ada, f"/api/complexes/{balance_id}/publish", {}).json()["published_at"]
    got = bo.get(f"/api/complexes/{balance_id}").json()
    assert len(got["complexes"]) == 4
    assert all(
        abs(c["empowerment"] - got["mean_empowerment"]) <= 3 + 1e-9 for c in got["complexes"]
    )
    own = bo.get(f"/api/complexes/{balance_id}/mine").json()
    assert sum(h["hours"] for h in own["holdings"]) == 8 and own["shifts"]
    balance = Balance.objects.get(pk=balance_id)
    from parecon.web.jobs.complexes import effective

    eff = effective(balance)
    baker = next(p for p in bakery.people if eff.of_member(p.pk) == {bakery.bake.pk: 2.0})
    other = next(p for p in bakery.people if bakery.clean.pk in eff.of_member(p.pk))
    swap = _post(login(baker), "/api/swaps", {
        "balance_id": balance_id, "partner_id": other.pk, "give_task_id": bakery.bake.pk,
        "take_task_id": bakery.clean.pk, "give_shifts": 2, "take_shifts": 2,
    })  # fmt: skip
    assert swap.status_code == 422 and "does not hold" in json.dumps(swap.json())
    swap = _post(login(baker), "/api/swaps", {
        "balance_id": balance_id, "partner_id": other.pk, "give_task_id": bakery.bake.pk,
        "take_task_id": bakery.clean.pk,
    })  # fmt: skip
    assert swap.status_code == 200, swap.json()
    answered = _post(login(other), f"/api/swaps/{swap.json()['id']}/answer", {"accept": True})
    assert answered.json()["status"] == "accepted"
    assert login(bakery.people[2]).get(f"/api/swaps?balance_id={balance_id}").status_code == 200


def test_a_shift_start_with_a_time_zone_is_refused_with_the_field(bakery: Any, login: Any) -> None:
    """Schemathesis found a 500: SQLite cannot store an aware time (PostgreSQL would
    silently drop its zone). A shift starts at the place's wall-clock time."""
    from parecon.web.jobs.models import Task

    before = Task.objects.count()
    made = _post(login(bakery.ada), f"/api/tasks/owners/council/{bakery.council.slug}", {
        "kind": "recurring", "name": "Open", "shift_hours": "2", "shifts_per_week": 5,
        "starts_at": "06:00:00+01:00",
    })  # fmt: skip
    assert made.status_code == 422 and "starts_at" in json.dumps(made.json())
    assert Task.objects.count() == before
