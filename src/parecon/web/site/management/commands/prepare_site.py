"""``manage.py prepare_site``: everything a server needs before it starts, in one process.

``parecon serve`` and ``parecon demo`` used to start Django once per step (migrate,
collectstatic, the demo, the clock); each start costs a second or two."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate, collect static files, optionally load the demo, and start the clock."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--load-demo", action="store_true", help="load the demo community after migrating"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["load_demo"]:
            call_command("load_demo")
        call_command("start_clock", stdout=self.stdout)
