"""The one personal calendar feed per member: a revocable random-token URL.

A member's feed shows everything the platform schedules for them — meetings now,
shifts of the balanced rotation later — from the sources registered in
:mod:`parecon.web.calendars.feeds`. The token is 32 random bytes, shown once, and
stored only as a SHA-256 digest; issuing a new one revokes the old.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FeedToken(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("member",), condition=Q(revoked_at__isnull=True), name="one_live_feed"
            ),
        )

    def __str__(self) -> str:
        return f"feed of {self.member}"
