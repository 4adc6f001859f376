"""``python -m parecon.cli``."""

from parecon.cli.app import run

run()
