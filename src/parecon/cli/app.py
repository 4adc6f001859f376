"""Entry point: ``parecon`` and its sub-commands, registered by name and imported lazily.

Each command module holds its own ``app = typer.Typer()`` and imports nothing from
here; :data:`COMMANDS` below names the module of every command with its one-line
summary, so ``parecon --help`` lists commands without importing any of them and
``parecon plan ...`` imports only the module that holds ``plan``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

from parecon import __version__
from parecon.cli import lean_params
from parecon.cli.errors import EXIT_USER_ERROR

__all__ = ["COMMANDS", "CommandEntry", "app", "main", "register"]


@dataclass(frozen=True)
class CommandEntry:
    """Where a command lives and what ``parecon --help`` says about it."""

    module: str
    summary: str


lean_params.install()  # plain values converted without importing Pydantic

COMMANDS: dict[str, CommandEntry] = {}
"""Every registered command (or command group) by name, in ``--help`` order."""


def register(module: str, summaries: Mapping[str, str]) -> None:
    """Register the commands of ``module`` (its ``app``), each with its one-line summary."""
    for name, summary in summaries.items():
        if name in COMMANDS:
            raise ValueError(f"command {name!r} is registered twice")
        COMMANDS[name] = CommandEntry(module, summary)


# One line per command module; the summary is the command's own first docstring line
# (tests/cli/test_app.py checks that they agree).
register(
    "parecon.cli.planning_commands",
    {
        "plan": "Plan ECONOMY by rounds of proposals and indicative prices.",
        "generate": "Write a random economy drawn as in Democratic Economic Planning.",
        "augment": "Draw next year's economy as DEP does: small changes to every council.",
        "equilibrium": "Print the exact clearing prices of ECONOMY (the reference equilibrium).",
        "rules": "List the price rules the facilitation board can use.",
    },
)
register(
    "parecon.cli.io_commands",
    {
        "import-io": "Build an economy of councils that reproduces TABLE at its opening prices.",
        "plan-io": "Plan TABLE's economy and compare the plan with the table and the LP optimum.",
    },
)
register(
    "parecon.cli.work_commands",
    {"jobs": "Balanced job complexes.", "effort": "Effort and sacrifice ratings → allowances."},
)
register(
    "parecon.cli.decide_commands",
    {"decide": "Count paper ballots by any method; print the weighted and unweighted result."},
)
register(
    "parecon.cli.web_commands",
    {
        "serve": "Run the platform: migrate the database, start the server and the task worker.",
        "demo": "Load the demo community into a fresh data directory and serve it.",
        "backup": "Back up the instance's database and uploaded files into one archive.",
        "restore": "Restore a backup archive over the instance's database and files.",
    },
)


def load_command(name: str) -> _click.Command:
    """Import the module registered for ``name`` and return its click command."""
    entry = COMMANDS[name]
    module = importlib.import_module(entry.module)
    group = typer.main.get_group(module.app)
    command = group.commands.get(name)
    if command is None:
        raise LookupError(f"{entry.module} registers no command {name!r}")
    return command


class _CommandTable(MutableMapping[str, _click.Command]):
    """The root group's commands: registered names, each module imported on first use.

    While help is being written (``listing``) a command not yet imported is
    stood in for by its summary, so listing commands imports none of them.
    """

    def __init__(self, eager: MutableMapping[str, _click.Command]) -> None:
        self.loaded = dict(eager)
        self.listing = False

    def __getitem__(self, name: str) -> _click.Command:
        if name in self.loaded:
            return self.loaded[name]
        if name not in COMMANDS:
            raise KeyError(name)
        if self.listing:
            summary = COMMANDS[name].summary
            return TyperCommand(name, help=summary, short_help=summary)
        command = self.loaded[name] = load_command(name)
        return command

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        yield from self.loaded
        yield from (name for name in COMMANDS if name not in self.loaded)

    def __len__(self) -> int:
        return len(set(self.loaded) | set(COMMANDS))


class LazyGroup(TyperGroup):
    """Typer's group over :data:`COMMANDS`, importing a command's module when it runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _CommandTable(self.commands)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        table = self.commands
        assert isinstance(table, _CommandTable)
        table.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            table.listing = False


app = typer.Typer(
    name="parecon",
    cls=LazyGroup,
    rich_markup_mode=None,  # plain help: Rich's help renderer alone costs more than NumPy's import
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


def _usage_errors() -> tuple[type[Exception], ...]:
    """Typer's vendored usage-error class, and Click's where something imported Click."""
    found: set[type[Exception]] = {_click.exceptions.UsageError}
    click = sys.modules.get("click")
    if click is not None:
        found.add(click.exceptions.UsageError)
    return tuple(found)


def _aborts() -> tuple[type[BaseException], ...]:
    found: set[type[BaseException]] = {typer.Abort}
    click = sys.modules.get("click")
    if click is not None:
        found.add(click.exceptions.Abort)
    return tuple(found)


def _command_path(args: list[str]) -> str:
    """``parecon`` and the (sub-)commands named in ``args``, for errors raised without a context.

    Typer's option parser raises some usage errors (an option missing its
    value) without the context that knows which command was being parsed.
    """
    path = ["parecon"]
    commands: Mapping[str, Any] | None = COMMANDS
    for arg in args:
        if commands is None or arg not in commands:
            if arg.startswith("-"):
                continue
            break
        path.append(arg)
        command = load_command(arg) if commands is COMMANDS else commands[arg]
        commands = getattr(command, "commands", None)
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
    except _aborts():
        typer.echo("aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def run() -> None:
    """The ``parecon`` command (and ``python -m parecon.cli``): :func:`main`, leaving
    without the interpreter's teardown where the command declared it unneeded
    (:mod:`parecon.cli.teardown`). :func:`main` itself always raises ``SystemExit``,
    for callers that catch it."""
    from parecon.cli.teardown import leave

    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            leave(exc.code or 0)
        raise
