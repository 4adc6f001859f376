"""Backups of an instance: its database and uploaded files in one archive.

SQLite is copied with its online backup API (consistent while the server runs);
PostgreSQL with ``pg_dump --format=custom`` and restored with ``pg_restore``. The
archive (``.tar.gz``) holds ``manifest.json``, the database and ``media/``.
Restoring refuses an archive made from another kind of database.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "parecon-backup/1"


class BackupError(Exception):
    """A backup or restore that could not be made, with the reason."""


def _database() -> dict[str, Any]:
    from django.db import connection

    return dict(connection.settings_dict)


def _sqlite() -> sqlite3.Connection:
    """The live SQLite connection (works for a file and for the tests' in-memory one)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = ["--dbname", str(db["NAME"])]
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host")
    if host:  # a socket directory may come as the URL's ?host= option
        args += ["--host", str(host)]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def create_backup(target: Path) -> Path:
    """Write a backup archive to ``target`` (a ``.tar.gz`` file that must not exist)."""
    from django.conf import settings

    if target.exists():
        raise BackupError(f"{target}: already exists; choose a new file name")
    db = _database()
    vendor = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            dump = work / "database.sqlite3"
            copy = sqlite3.connect(str(dump))
            with copy:
                _sqlite().backup(copy)
            copy.close()
        else:
            dump = work / "database.pgdump"
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *_pg_args(db)],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created": datetime.now(UTC).isoformat(),
            "database": dump.name,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.rename(target)
    return target


def restore_backup(source: Path) -> dict[str, Any]:
    """Replace this instance's database and files with those in a backup archive."""
    from django.conf import settings
    from django.db import connections

    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    db = _database()
    vendor = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{source}: not a parecon backup archive ({exc})") from exc
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise BackupError(f"{source}: manifest.json missing or unreadable") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source}: format {manifest.get('format')!r}, expected {FORMAT!r}")
        if manifest.get("vendor") != vendor:
            raise BackupError(
                f"{source}: made from {manifest.get('vendor')}, this instance uses {vendor}"
            )
        dump = work / str(manifest["database"])
        if vendor == "sqlite":
            src = sqlite3.connect(str(dump))
            src.backup(_sqlite())
            src.close()
        else:
            connections.close_all()
            result = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", *_pg_args(db), str(dump)],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    # Cached pages are versioned by the log they were read at; the restored log starts
    # again from an earlier position, so nothing cached before may be served after.
    from django.core.cache import cache

    cache.clear()
    return dict(manifest)
