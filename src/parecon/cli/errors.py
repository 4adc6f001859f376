"""How the command line reports errors: one line, no traceback, non-zero exit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from parecon.exceptions import PareconError

__all__ = ["EXIT_USER_ERROR", "reports_errors", "user_errors"]

EXIT_USER_ERROR = 2
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn parecon's own errors (and unreadable files) into ``error: ...`` and exit 2."""
    try:
        yield
    except PareconError as exc:
        _stderr.print(f"[bold red]error:[/] {exc}", markup=True)
        raise typer.Exit(EXIT_USER_ERROR) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        _stderr.print(f"[bold red]error:[/] {exc.strerror}: {exc.filename}", markup=True)
        raise typer.Exit(EXIT_USER_ERROR) from None


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`user_errors` for command functions."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper
