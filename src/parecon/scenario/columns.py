"""Columns of an economy file (JSON lists or ``.npz`` arrays) checked as whole arrays.

A column is converted with one NumPy call after one pass over the item types in C
(``set(map(type, ...))``); only when that finds something wrong does a Python loop
look for the first bad item, so errors still name the field and the index:
``worker_blocks[0].a[17]: must be a number (got "x")``. Lengths are checked against
the column that fixes the block's council count, and the message names both.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

from parecon.exceptions import InvalidValueError

__all__ = ["float_column", "float_matrix", "index_column"]

_NUMBER: set[type] = {int, float}
_INTEGER: set[type] = {int}


def _first_bad(items: list[Any], allowed: set[type]) -> int:
    return next(i for i, v in enumerate(items) if type(v) not in allowed)


def _check_length(arr: np.ndarray, where: str, length: int | None, length_of: str) -> None:
    if length is not None and arr.shape[0] != length:
        raise InvalidValueError(
            f"has {arr.shape[0]} values for {length} councils (the length of {length_of!r})",
            where,
        )


def _as_array(value: Any, where: str, allowed: set[type], kinds: str, what: str) -> np.ndarray:
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in kinds:
            raise InvalidValueError(f"must hold {what} (got an array of {value.dtype})", where)
        if value.ndim != 1:
            raise InvalidValueError(f"must be a list of {what} (got shape {value.shape})", where)
        return value
    if not isinstance(value, list):
        raise InvalidValueError(f"must be a list of {what} (got {type(value).__name__})", where)
    if not set(map(type, value)) <= allowed:
        i = _first_bad(value, allowed)
        raise InvalidValueError(f"must be {what} (got {value[i]!r})", f"{where}[{i}]")
    return np.array(value, dtype=np.float64 if allowed is _NUMBER else np.int64)


def float_column(
    value: Any, where: str, length: int | None = None, length_of: str = ""
) -> np.ndarray:
    """A 1-D float64 column; ``length`` councils if given."""
    arr = _as_array(value, where, _NUMBER, "fiu", "numbers").astype(np.float64, copy=False)
    _check_length(arr, where, length, length_of)
    return arr


def index_column(
    value: Any, where: str, length: int | None = None, length_of: str = ""
) -> np.ndarray:
    """A 1-D column of non-negative integers (good indices, CSR pointers)."""
    arr = _as_array(value, where, _INTEGER, "iu", "integers")
    _check_length(arr, where, length, length_of)
    if arr.size and arr.min() < 0:
        i = int(np.argmax(arr < 0))
        raise InvalidValueError(f"must be >= 0 (got {int(arr[i])})", f"{where}[{i}]")
    return arr  # its own integer type: the engine keeps CSR indices as int32, copying is waste


def float_matrix(value: Any, where: str, shape: tuple[int, int], rows_of: str) -> np.ndarray:
    """A (councils × columns) float matrix: a 2-D array or a list of equal-length lists."""
    n, m = shape
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "fiu":
            raise InvalidValueError(f"must hold numbers (got an array of {value.dtype})", where)
        arr = value.astype(np.float64, copy=False)
    else:
        if not isinstance(value, list) or not set(map(type, value)) <= {list}:
            raise InvalidValueError("must be a list of lists of numbers, one per council", where)
        if not set(map(type, chain.from_iterable(value))) <= _NUMBER:
            r = next(i for i, row in enumerate(value) if not set(map(type, row)) <= _NUMBER)
            c = _first_bad(value[r], _NUMBER)
            raise InvalidValueError(f"must be a number (got {value[r][c]!r})", f"{where}[{r}][{c}]")
        if any(len(row) != m for row in value):
            r = next(i for i, row in enumerate(value) if len(row) != m)
            raise InvalidValueError(
                f"has {len(value[r])} values; every row needs {m}, one per good", f"{where}[{r}]"
            )
        arr = np.array(value, dtype=np.float64).reshape(len(value), -1 if value else m)
    if arr.ndim != 2 or arr.shape[0] != n:
        raise InvalidValueError(
            f"has {arr.shape[0] if arr.ndim else 0} rows for {n} councils "
            f"(the length of {rows_of!r})",
            where,
        )
    if arr.shape[1] != m:
        raise InvalidValueError(f"has {arr.shape[1]} columns for {m} goods", where)
    return arr
