"""How the command line reports errors: one line, no traceback, non-zero exit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from parecon.exceptions import PareconError

__all__ = ["EXIT_USER_ERROR", "reports_errors", "user_errors"]

EXIT_USER_ERROR = 2
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn parecon's own errors (and unreadable files) into ``error: ...`` and exit 2."""
    try:
        yield
    except PareconError as exc:
        _print_error(str(exc))
        raise typer.Exit(EXIT_USER_ERROR) from None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        _print_error(f"{exc.strerror}: {exc.filename}")
        raise typer.Exit(EXIT_USER_ERROR) from None


def _print_error(message: str) -> None:
    """``error: message`` on standard error, on one line, the message shown literally."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]error:[/] {escape(message)}", markup=True)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`user_errors` for command functions."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper
