"""``manage.py poll_reminders``: run from cron (hourly) or enqueue for the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parecon.web.polls.tasks import send_poll_reminders


class Command(BaseCommand):
    help = "Remind invitees who have not answered time polls closing within a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_poll_reminders.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        sent = send_poll_reminders.call()
        self.stdout.write(f"{sent} reminders sent")
