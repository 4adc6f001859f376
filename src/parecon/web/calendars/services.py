"""Issuing, using and revoking a member's personal feed token."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.calendars.models import FeedToken
from parecon.web.chapters.permissions import require_login
from parecon.web.history.services import record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_feed_token(member: Member | AnonymousUser) -> str:
    """A new feed URL token (returned once); the member's previous one stops working."""
    m = require_login(member)
    FeedToken.objects.filter(member=m, revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw = "cal_" + secrets.token_urlsafe(32)
    token = FeedToken.objects.create(member=m, digest=_digest(raw))
    record(
        "calendar.feed_issued",
        _("A new personal calendar link was made."),
        actor=m,
        subject=token,
        public=False,
    )
    return raw


@transaction.atomic
def revoke_feed_token(member: Member | AnonymousUser) -> int:
    """Stop the member's feed URL; returns how many tokens were revoked (0 or 1)."""
    m = require_login(member)
    n = FeedToken.objects.filter(member=m, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if n:
        record(
            "calendar.feed_revoked",
            _("The personal calendar link was revoked."),
            actor=m,
            public=False,
        )
    return n


def member_for_feed(raw: str) -> Member | None:
    """The active member whose live feed token is ``raw``, if any."""
    if not raw.startswith("cal_") or len(raw) > 100:
        return None
    token = (
        FeedToken.objects.select_related("member")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.member.is_active:
        return None
    return token.member
