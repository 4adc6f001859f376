"""``manage.py start_clock``: queue the periodic tick (``parecon serve`` runs it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue the task that runs digests and reminders every 15 minutes, unless queued."

    def handle(self, *args: Any, **options: Any) -> None:
        from parecon.web.site import clock

        # The first tick one tick from now: a server just started (the demo's, say)
        # does not open its log with a burst of digests.
        queued = clock.start(after=clock.TICK)
        self.stdout.write("the clock is started" if queued else "the clock is already running")
