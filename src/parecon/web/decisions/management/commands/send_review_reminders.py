"""``manage.py send_review_reminders``: enqueue the review reminders (for cron, or by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Enqueue the task that reminds chapters of decisions whose review date has come."

    def handle(self, *args: Any, **options: Any) -> None:
        from parecon.web.decisions.tasks import send_review_reminders

        result = send_review_reminders.enqueue()
        self.stdout.write(f"send_review_reminders enqueued as {result.id} ({result.status})")
