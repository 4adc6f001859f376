from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo community into an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        from parecon.web.site.demo import load_demo

        try:
            people = load_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"demo community loaded: {len(people)} members")
