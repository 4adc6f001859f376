"""Reading raw documents (JSON, gzip-compressed JSON, TOML) with located errors."""

from __future__ import annotations

import gzip
import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError

__all__ = ["NPZ_ARRAY", "read_document", "write_json"]

NPZ_ARRAY = "$array"
"""Key marking, in an ``.npz`` file's JSON header, a column stored as an array."""


def read_document(path: str | Path) -> Any:
    """Parse a ``.json``, ``.json.gz``, ``.toml`` or ``.npz`` file; errors name file and place."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".npz"):
        return _read_npz(path)
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


def _read_npz(path: Path) -> Any:
    """An ``.npz`` economy: its JSON header with the named columns put back as arrays."""
    try:
        with np.load(path, allow_pickle=False) as data:
            columns = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot read .npz file ({exc})", str(path)) from None
    if "header" not in columns:
        raise InputError("not a parecon .npz file: no 'header'", str(path))
    try:
        header = json.loads(str(columns.pop("header")))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON header: {exc.msg}", str(path)) from None

    def attach(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {NPZ_ARRAY}:
                if not isinstance(node[NPZ_ARRAY], str) or node[NPZ_ARRAY] not in columns:
                    raise InputError(f"header names missing array {node[NPZ_ARRAY]!r}", str(path))
                return columns[node[NPZ_ARRAY]]
            return {k: attach(v) for k, v in node.items()}
        if isinstance(node, list):
            return [attach(v) for v in node]
        return node

    return attach(header)
