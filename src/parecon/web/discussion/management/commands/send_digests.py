"""``manage.py send_digests``: enqueue the digest task (for cron, or by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Enqueue the task that e-mails every member whose daily or weekly digest is due."

    def handle(self, *args: Any, **options: Any) -> None:
        from parecon.web.discussion.tasks import send_digests

        result = send_digests.enqueue()
        self.stdout.write(f"send_digests enqueued as {result.id} ({result.status})")
