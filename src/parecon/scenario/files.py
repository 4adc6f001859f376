"""Reading raw documents (JSON, gzip-compressed JSON, TOML) with located errors."""

from __future__ import annotations

import gzip
import json
import tomllib
from pathlib import Path
from typing import Any

from parecon.exceptions import InputError

__all__ = ["read_document", "write_json"]


def read_document(path: str | Path) -> Any:
    """Parse a ``.json``, ``.json.gz`` or ``.toml`` file; errors name file and line."""
    path = Path(path)
    name = path.name.lower()
    try:
        raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read file ({exc})", str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
    if name.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"invalid TOML: {exc}", str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", f"{path}, line {exc.lineno}, column {exc.colno}"
        ) from None


def write_json(document: Any, path: str | Path) -> None:
    """Write ``document`` as JSON (gzip-compressed when the name ends in .gz)."""
    path = Path(path)
    data = json.dumps(document, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(data, compresslevel=6) if path.name.endswith(".gz") else data)
    tmp.replace(path)
