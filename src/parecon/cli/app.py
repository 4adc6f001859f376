"""Entry point: ``parecon`` and its sub-commands."""

from __future__ import annotations

import typer

from parecon import __version__

app = typer.Typer(
    name="parecon",
    help="Participatory economics: plan an economy by rounds of council proposals, "
    "balance job complexes, share out allowances for effort and sacrifice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"parecon {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Participatory economics from the command line."""


# Sub-commands register themselves on import; one line each.
from parecon.cli import planning_commands  # noqa: E402, F401
from parecon.cli import io_commands  # noqa: E402, F401
from parecon.cli import work_commands  # noqa: E402, F401


def main() -> None:
    app()
