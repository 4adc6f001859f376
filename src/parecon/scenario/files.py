"""Reading raw documents (JSON, gzip-compressed JSON, TOML) with located errors."""

from __future__ import annotations

import gzip
import json
import struct
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError

__all__ = ["NPZ_ARRAY", "parse_json", "read_document", "write_json"]

NPZ_ARRAY = "$array"
"""Key marking, in an ``.npz`` file's JSON header, a column stored as an array."""


def read_document(path: str | Path) -> Any:
    """Parse a ``.json``, ``.json.gz``, ``.toml`` or ``.npz`` file; errors name file and place."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".npz"):
        return _read_npz(path)
    try:
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if name.endswith(".gz") else raw
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an economy file", str(path)) from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read file ({exc})", str(path)) from None
    if name.endswith(".toml"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"invalid TOML: {exc}", str(path)) from None
        except RecursionError:
            raise InputError("invalid TOML: nested too deeply", str(path)) from None
    return parse_json(raw, str(path))


def parse_json(raw: bytes, source: str) -> Any:
    """JSON from bytes: orjson when installed (several times faster), else the standard library.

    Both give the same document; anything orjson refuses (NaN, huge integers, deep
    nesting) is parsed again by the standard library, whose error names line and column.
    """
    try:
        import orjson
    except ImportError:  # pragma: no cover - the cli extra installs it
        pass
    else:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", source) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", f"{source}, line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError("invalid JSON: arrays or objects nested too deeply", source) from None


def write_json(document: Any, path: str | Path) -> None:
    """Write ``document`` as JSON (gzip-compressed when the name ends in .gz)."""
    path = Path(path)
    data = json.dumps(document, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(data, compresslevel=6) if path.name.endswith(".gz") else data)
    tmp.replace(path)


def _npz_columns(path: Path) -> dict[str, np.ndarray]:
    """Every array of an ``.npz``: stored (uncompressed) ones memory-mapped, others read.

    A stored member is an ``.npy`` file at a known offset of the archive, so it is
    mapped copy-on-write where it lies: no copy, no checksum pass, and pages are read
    only when the engine's checks first touch them.
    """
    columns: dict[str, np.ndarray] = {}
    with path.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if info.compress_type != zipfile.ZIP_STORED or name == "header":
                with archive.open(info) as member:
                    columns[name] = np.lib.format.read_array(member, allow_pickle=False)
                continue
            fh.seek(info.header_offset)
            local = fh.read(30)
            if local[:4] != b"PK\x03\x04":
                raise ValueError(f"member {info.filename!r} has no local header")
            name_len, extra_len = struct.unpack("<HH", local[26:30])
            start = info.header_offset + 30 + name_len + extra_len
            fh.seek(start)
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            if dtype.hasobject:
                raise ValueError(f"member {info.filename!r} holds Python objects")
            offset = fh.tell()
            if offset - start + dtype.itemsize * int(np.prod(shape)) > info.file_size:
                raise ValueError(f"member {info.filename!r} is shorter than its header says")
            if int(np.prod(shape)) == 0:
                columns[name] = np.empty(shape, dtype)
                continue
            mapped = np.memmap(
                path,
                dtype=dtype,
                mode="c",
                offset=offset,
                shape=shape,
                order="F" if fortran else "C",
            )
            columns[name] = mapped.view(np.ndarray)
    return columns


def _read_npz(path: Path) -> Any:
    """An ``.npz`` economy: its JSON header with the named columns put back as arrays."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an economy file", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", str(path)) from None
    if not magic:
        raise InputError("cannot read .npz file (it is empty: 0 bytes)", str(path))
    if magic != b"PK\x03\x04":
        looks = magic.lstrip()[:1]
        hint = (
            "; it looks like JSON: name it .json"
            if looks in (b"{", b"[")
            else "; it looks like gzip: name it .json.gz"
            if magic[:2] == b"\x1f\x8b"
            else ""
        )
        raise InputError(
            f"cannot read .npz file (not a zip archive of NumPy arrays){hint}", str(path)
        )
    try:
        columns = _npz_columns(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, struct.error) as exc:
        raise InputError(f"cannot read .npz file ({exc})", str(path)) from None
    if "header" not in columns:
        raise InputError("not a parecon .npz file: no 'header'", str(path))
    header_array = columns.pop("header")
    if header_array.dtype.kind != "U" or header_array.ndim != 0:
        raise InputError("not a parecon .npz file: 'header' is not one JSON text", str(path))
    header = parse_json(str(header_array).encode("utf-8"), f"{path}: header")

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

    try:
        return attach(header)
    except RecursionError:
        raise InputError("header nested too deeply", str(path)) from None
