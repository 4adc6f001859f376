"""The JSON API and the example council client playing through it with a token."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from parecon.web.members.services import create_token

pytestmark = pytest.mark.django_db

CLIENT = Path(__file__).parents[3] / "examples" / "platform" / "council_client.py"


def _bearer(member: Any, scope: str = "write") -> Client:
    _token, raw = create_token(member, "test", scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_plan_round_and_proposal_through_the_api(coop: Any, db_state: Any) -> None:
    api = _bearer(coop.north_member)
    plan = api.get(f"/api/plans/{coop.plan.pk}").json()
    assert [g["name"] for g in plan["goods"]] == ["bread", "park", "flour", "labour"]
    rid = plan["open_round"]
    assert api.get(f"/api/rounds/{rid}").json()["prices"] == [2.0, 50.0, 1.0, 10.0]
    put = api.put(
        f"/api/proposals/{rid}/{coop.north.slug}",
        json.dumps({"lines": [{"side": "demand", "good": 0, "quantity": "20", "version": 0}]}),
        content_type="application/json",
    ).json()
    assert put["cost"] == 40.0 and put["budget"] == 100.0
    bad = api.put(
        f"/api/proposals/{rid}/{coop.north.slug}",
        json.dumps({"lines": [{"side": "demand", "good": 1, "quantity": "x", "version": 0}]}),
        content_type="application/json",
    ).json()
    assert bad["errors"] == {"demand-1": "'x' is not a number."}
    assert (
        api.post(f"/api/proposals/{rid}/{coop.north.slug}/submit").json()["status"] == "submitted"
    )
    # Wrong users: a member of another council, and a read-only token, change nothing.
    before = db_state()
    other = _bearer(coop.south_member)
    assert other.get(f"/api/proposals/{rid}/{coop.north.slug}").status_code == 403
    assert other.post(f"/api/rounds/{rid}/close").status_code == 403
    reader = _bearer(coop.north_member, "read")
    assert reader.post(f"/api/proposals/{rid}/{coop.north.slug}/submit").status_code == 403
    assert Client().post(f"/api/rounds/{rid}/close").status_code == 401
    assert db_state() == before
    closed = _bearer(coop.facilitator).post(f"/api/rounds/{rid}/close").json()
    assert closed["status"] == "closed" and len(closed["next_prices"]) == 4


def test_councils_api(coop: Any) -> None:
    listed = Client().get(f"/api/councils?chapter={coop.chapter.slug}").json()
    assert {c["slug"] for c in listed} >= {coop.north.slug, coop.bakery.slug}
    api = _bearer(coop.outsider)
    assert api.post(f"/api/councils/{coop.south.slug}/join").status_code == 200
    again = api.post(f"/api/councils/{coop.bakery.slug}/join")
    assert again.status_code == 200
    third = api.post(f"/api/councils/{coop.mill.slug}/join")
    assert third.status_code == 422 and "leave it first" in json.dumps(third.json())
    made = api.post(
        "/api/councils",
        json.dumps({"chapter": coop.chapter.slug, "name": "X", "level": "workplace"}),
        content_type="application/json",
    )
    assert made.status_code == 403


def _django_transport(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    """The client's HTTP calls, served by Django's test client (same request handling)."""
    path = url.removeprefix("http://testserver")
    response = Client().generic(
        method,
        path,
        body or b"",
        content_type=headers["Content-Type"],
        HTTP_AUTHORIZATION=headers["Authorization"],
    )
    return response.status_code, response.content.decode()


def test_example_client_plays_a_council(coop: Any, capsys: Any) -> None:
    spec = importlib.util.spec_from_file_location("council_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _token, raw = create_token(coop.baker, "client", "write")
    code = module.main(
        [
            "http://testserver",
            "--token",
            raw,
            "--plan",
            str(coop.plan.pk),
            "--council",
            coop.bakery.slug,
            "+bread=30",
            "flour=10",
            "labour=2",
            "--submit",
        ],
        _django_transport,
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "submitted: cost 30.00, benefit 60.00" in out
    assert coop.round.proposals.get(council=coop.bakery).status == "submitted"
    refused = module.main(
        [
            "http://testserver",
            "--token",
            raw,
            "--plan",
            str(coop.plan.pk),
            "--council",
            coop.bakery.slug,
            "labour=100",
            "--submit",
        ],
        _django_transport,
    )
    assert refused == 1


def test_reviews_through_the_api(coop: Any) -> None:
    from parecon.web.planning import services

    rid = coop.round.pk
    api = _bearer(coop.north_member)
    path = f"/api/proposals/{rid}/{coop.bakery.slug}/reviews"
    early = api.post(
        path, json.dumps({"reviewer": coop.north.slug, "verdict": "approve"}), "application/json"
    )
    assert early.status_code == 422 and "has not submitted" in early.content.decode()
    draft = services.draft_for(coop.baker, coop.round, coop.bakery)
    services.save_draft(coop.baker, draft, {("supply", 0): ("30", 0), ("demand", 3): ("2", 0)})
    services.submit(coop.baker, draft)
    ok = api.post(
        path,
        json.dumps({"reviewer": coop.north.slug, "verdict": "object", "reason": "More bread"}),
        "application/json",
    )
    assert ok.status_code == 200 and ok.json()["verdict"] == "object"
    listed = Client().get(path).json()
    assert [(r["reviewer"], r["verdict"], r["reason"]) for r in listed] == [
        ("north", "object", "More bread")
    ]
    read_only = _bearer(coop.north_member, "read")
    refused = read_only.post(
        path, json.dumps({"reviewer": coop.north.slug, "verdict": "approve"}), "application/json"
    )
    assert refused.status_code == 403
