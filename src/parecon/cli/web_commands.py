"""``parecon serve``, ``demo``, ``backup``, ``restore``: the web platform's commands.

The web stack (Django and friends, the ``[web]`` extra) is imported only when one of
these runs, through one lazy import of :mod:`parecon.web.launcher`, so the planning
commands start as fast as before.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode=None)  # its commands, registered by name in parecon.cli.app

DATA_DIR_HELP = "Directory of the instance's database, uploads and secret key."
Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")]
DataDir = Annotated[Path, typer.Option(help=DATA_DIR_HELP)]


def _launcher() -> ModuleType:
    try:
        return importlib.import_module("parecon.web.launcher")
    except ImportError as exc:  # the [web] extra is missing
        typer.echo(
            f"error: the web platform needs the [web] extra ({exc.name} is missing): "
            "pip install 'parecon[web]'",
            err=True,
        )
        raise typer.Exit(2) from exc


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = Path("parecon-data"),
) -> None:
    """Run the platform: migrate the database, start the server and the task worker."""
    raise typer.Exit(_launcher().serve(data_dir, host, port))


@app.command()
def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = Path("parecon-demo"),
) -> None:
    """Load the demo community into a fresh data directory and serve it."""
    raise typer.Exit(_launcher().demo(data_dir, host, port))


def _manage(data_dir: Path, *args: str) -> None:
    env = dict(os.environ, PARECON_DATA_DIR=str(data_dir.resolve()))
    _launcher()
    code = subprocess.run([sys.executable, "-m", "parecon.web.manage", *args], env=env).returncode
    raise typer.Exit(0 if code == 0 else 2)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="Archive to write (.tar.gz); must not exist.")],
    data_dir: DataDir = Path("parecon-data"),
) -> None:
    """Back up the instance's database and uploaded files into one archive."""
    _manage(data_dir, "backup", str(target.resolve()))


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="Archive written by 'parecon backup'.")],
    data_dir: DataDir = Path("parecon-data"),
) -> None:
    """Restore a backup archive over the instance's database and files."""
    _manage(data_dir, "restore", str(source.resolve()))
