"""Entry point: ``parecon`` and its sub-commands."""

from __future__ import annotations

import sys

import click
import typer

from parecon import __version__
from parecon.cli.errors import EXIT_USER_ERROR

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
from parecon.cli import web_commands  # noqa: E402, F401
from parecon.cli import decide_commands  # noqa: E402, F401


def _usage_errors() -> tuple[type[Exception], ...]:
    """Click's usage-error class, and Typer's vendored copy where Typer ships one."""
    vendored = getattr(getattr(typer, "_click", None), "exceptions", None)
    found = {click.exceptions.UsageError, getattr(vendored, "UsageError", click.UsageError)}
    return tuple(found)


def _command_path(args: list[str]) -> str:
    """``parecon`` and the (sub-)commands named in ``args``, for errors raised without a context.

    Typer's option parser raises some usage errors (an option missing its
    value) without the context that knows which command was being parsed.
    """
    commands = getattr(typer.main.get_command(app), "commands", None)
    path = ["parecon"]
    for arg in args:
        if commands is None or arg not in commands:
            if arg.startswith("-"):
                continue
            break
        path.append(arg)
        commands = getattr(commands[arg], "commands", None)
    return " ".join(path)


def main() -> None:
    """Run the CLI; a mistake on the command line is one ``error:`` line and exit 2."""
    try:
        code = app(standalone_mode=False)
    except _usage_errors() as exc:
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else _command_path(sys.argv[1:])
        message = exc.format_message()  # type: ignore[attr-defined]
        typer.echo(f"error: {message} (see '{command} --help')", err=True)
        sys.exit(EXIT_USER_ERROR)
    except (click.exceptions.Abort, typer.Abort):
        typer.echo("aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
