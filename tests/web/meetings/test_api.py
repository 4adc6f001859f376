"""``/api/polls`` and ``/api/meetings``: the pages' actions as JSON, errors as 403/422."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.web.meetings.conftest import option_ids

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, payload: dict[str, Any], method: str = "post") -> Any:
    return client.generic(method.upper(), url, json.dumps(payload), content_type="application/json")


def test_poll_round_trip(chapter: Any, facilitator: Any, make_member: Any, login: Any) -> None:
    from parecon.web.members.services import create_token

    api = login(facilitator)
    r = _post(
        api,
        "/api/polls",
        {
            "chapter": chapter.slug,
            "title": "Through the API",
            "zone": "America/New_York",
            "options": [
                {"start": "2027-11-06T19:00:00", "minutes": 60},
                {"start": "2027-11-08T19:00:00", "minutes": 60},
            ],
        },
    )
    assert r.status_code == 201, r.content
    poll = r.json()
    # New York leaves summer time on 7 Nov 2027: 23:00Z, then 00:00Z the next day.
    starts = [s["start"] for d in poll["days"] for s in d["slots"]]
    assert starts == ["2027-11-06T19:00:00-04:00", "2027-11-08T19:00:00-05:00"]
    options = [s["option"] for d in poll["days"] for s in d["slots"]]
    member = make_member("Ana")
    _token, raw = create_token(member, "w", "write")
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    r = _post(
        bearer,
        f"/api/polls/{poll['id']}/answers",
        {"answers": [{"option": options[1], "choice": "yes", "comment": "ok"}]},
    )
    assert r.status_code == 200 and r.json()["best"] == [options[1]]
    r = _post(api, f"/api/polls/{poll['id']}/guests", {"name": "Guest"})
    assert r.status_code == 201 and "/polls/guest/g_" in r.json()["link"]
    r = _post(api, f"/api/polls/{poll['id']}/finalise", {"option": options[1]})
    assert r.status_code == 200 and r.json()["meeting"] is not None
    meeting = api.get(f"/api/meetings/{r.json()['meeting']}").json()
    assert meeting["starts_at"].startswith("2027-11-09T00:00:00")
    assert [m["id"] for m in api.get(f"/api/meetings?chapter={chapter.slug}").json()] == [
        meeting["id"]
    ]


def test_read_only_token_and_bad_payloads(poll: Any, make_member: Any, login: Any) -> None:
    from parecon.web.members.services import create_token

    member = make_member()
    _token, raw = create_token(member, "r", "read")
    ro = Client(headers={"Authorization": f"Bearer {raw}"})
    ids = option_ids(poll)
    r = _post(
        ro, f"/api/polls/{poll.pk}/answers", {"answers": [{"option": ids[0], "choice": "yes"}]}
    )
    assert r.status_code == 403
    client = login(member)
    bad = [
        {"answers": [{"option": ids[0], "choice": "maybe"}]},
        {"answers": [{"option": 999999, "choice": "yes"}]},
        {"answers": []},
        {"answers": [{"option": ids[0], "choice": "yes", "comment": "x" * 301}]},
    ]
    for payload in bad:
        assert _post(client, f"/api/polls/{poll.pk}/answers", payload).status_code == 422, payload
    assert client.get(f"/api/polls/{poll.pk}?tz=Not/AZone").status_code == 422
    assert not poll.options.first().answers.exists()


def test_meeting_api_as_note_taker_and_as_plain_member(
    chapter: Any, facilitator: Any, note_taker: Any, make_member: Any, login: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    from parecon.web.meetings import services

    start = datetime(2027, 4, 1, 17, tzinfo=UTC)
    m = services.schedule_meeting(
        facilitator,
        chapter,
        title="M",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        zone="Europe/Madrid",
    )
    plain = login(make_member("Plain"))
    nora = login(note_taker)
    assert (
        _post(
            plain, f"/api/meetings/{m.pk}/agenda", {"title": "Item", "minutes_boxed": 15}
        ).status_code
        == 201
    )
    assert _post(plain, f"/api/meetings/{m.pk}/minutes", {"minutes": "x"}, "put").status_code == 403
    assert (
        _post(nora, f"/api/meetings/{m.pk}/minutes", {"minutes": "Draft"}, "put").status_code == 200
    )
    assert plain.get(f"/api/meetings/{m.pk}").json()["minutes"] is None  # a draft
    r = _post(
        nora, f"/api/meetings/{m.pk}/decisions", {"text": "Go", "method": "consent", "blocks": 1}
    )
    assert r.status_code == 422 and "block_reason" in r.json()["detail"]
    # The room's counts are counted by the decisions engine: a block blocks consent.
    r = _post(
        nora,
        f"/api/meetings/{m.pk}/decisions",
        {"text": "Go", "in_favour": 4, "blocks": 1, "block_reason": "Too soon"},
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["outcome"] == "blocked" and out["counts"] == {"consent": 4, "block": 1}
    from parecon.web.decisions.models import Decision

    assert Decision.objects.get(pk=out["decision_id"]).result["outcome"] == "blocked"
    assert plain.get(f"/api/meetings/{m.pk}").json()["decisions"] == [out]
    r = _post(
        nora,
        f"/api/meetings/{m.pk}/follow-ups",
        {"title": "T", "due_on": "2027-04-08", "hours": "0.1"},
    )
    assert r.status_code == 422
    assert _post(nora, f"/api/meetings/{m.pk}/publish", {}).status_code == 200
    out = plain.get(f"/api/meetings/{m.pk}").json()
    assert out["minutes"] == "Draft" and out["agenda"][0]["minutes_boxed"] == 15
    assert _post(plain, f"/api/meetings/{m.pk}/agenda", {"title": "Late"}).status_code == 422


def test_schema_names_are_unique_across_routers() -> None:
    """Ninja names components by class: two routers' ``EventOut`` would share one schema."""
    import ast
    from collections import Counter
    from pathlib import Path

    import parecon.web

    names = Counter(
        node.name
        for path in Path(parecon.web.__file__).parent.glob("*/api.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any(getattr(b, "id", "") == "Schema" for b in node.bases)
    )
    assert [n for n, c in names.items() if c > 1] == []
