"""``python -m parecon.cli``."""

from parecon.cli.app import main

main()
