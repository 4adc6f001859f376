"""API instants with any ISO 8601 offset are stored as UTC on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone as django_timezone

from parecon.web.instants import as_utc


def test_as_utc_converts_offsets_and_leaves_naive_values() -> None:
    far_west = datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=-21)))
    assert as_utc(far_west) == far_west and as_utc(far_west).utcoffset() == timedelta(0)
    naive = datetime(2030, 1, 1)
    assert as_utc(naive) is naive
    with pytest.raises(ValueError, match="out of range once converted to UTC"):
        as_utc(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))))


def _grant(client: Client, raw: str, slug: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/chapters/{slug}/roles",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


@pytest.mark.django_db
def test_a_term_with_offsets_beyond_postgresqls_range_is_granted(
    chapter: Any, make_member: Any
) -> None:
    """``-21:00`` and ``+20:00`` were a server error on PostgreSQL (it stores ±15:59)."""
    from parecon.web.chapters.models import RoleGrant
    from parecon.web.members.services import create_token

    _token, raw = create_token(chapter.founder, "t", "write")
    member = make_member("Offset Person")
    now = django_timezone.now().replace(microsecond=0)
    start = (now - timedelta(hours=1)).astimezone(timezone(timedelta(hours=-21)))
    end = (now + timedelta(days=10)).astimezone(timezone(timedelta(hours=20)))
    body = {"member_id": member.pk, "role": "mediator"}
    res = _grant(
        Client(),
        raw,
        chapter.slug,
        {**body, "starts_at": start.isoformat(), "ends_at": end.isoformat()},
    )
    assert res.status_code < 300, res.content
    grant = RoleGrant.objects.get(member=member, role="mediator")
    assert grant.starts_at == start.astimezone(UTC) and grant.ends_at == end
    # An instant that leaves the calendar in UTC is the caller's error, named.
    res = _grant(Client(), raw, chapter.slug, {**body, "ends_at": "0001-01-01T00:00:00+05:00"})
    assert res.status_code == 422, res.content
    assert "ends_at" in res.content.decode() and "out of range" in res.content.decode()
