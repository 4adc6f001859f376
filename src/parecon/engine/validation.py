"""Checks run once when a population or an economy is built.

Every check names the first offending council and field, so a person can
find the problem in their file: ``worker council 17: field 'a' must be > 0
(got -1.0)``. Checks are vectorized; the message is built only on failure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import InvalidValueError

__all__ = ["as_float_array", "as_index_array", "check_goods_in_use", "check_values"]


def _first_bad_row(bad: NDArray[np.bool_]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(bad)[0])


def as_float_array(
    value: Any, field: str, who: str, shape: tuple[int, ...] | None = None
) -> NDArray[np.float64]:
    """``value`` as a float64 array of ``shape``, or a :class:`InvalidValueError`."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidValueError(f"field {field!r} must be numeric ({exc})", who) from None
    if shape is not None and arr.shape != shape:
        raise InvalidValueError(f"field {field!r} has shape {arr.shape}, expected {shape}", who)
    return arr


def as_index_array(value: Any, field: str, who: str, n: int, upper: int) -> NDArray[np.intp]:
    """Integer indices in ``[0, upper)`` of shape (n,)."""
    arr = np.asarray(value)
    if arr.shape != (n,):
        raise InvalidValueError(f"field {field!r} has shape {arr.shape}, expected ({n},)", who)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise InvalidValueError(f"field {field!r} must hold integer good indices", who)
    out = arr.astype(np.intp, copy=False)
    bad = (out < 0) | (out >= upper)
    if bad.any():
        (i,) = _first_bad_row(bad)
        raise InvalidValueError(
            f"field {field!r} refers to good {out[i]}, outside 0..{upper - 1}", f"{who} {i}"
        )
    return out


def check_values(
    arr: NDArray[np.float64],
    field: str,
    who: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    below: float | None = None,
) -> None:
    """Raise naming the first council whose ``field`` is non-finite or out of range.

    ``who`` is the kind of council ("worker council"); rows are numbered from 0.
    """
    if arr.size == 0:
        return
    # Fast path, two reductions and no temporaries (a few hundred MB at 6M councils):
    # NaN propagates through min and max, infinities show in one of them.
    lo, hi = float(np.min(arr)), float(np.max(arr))
    if (
        np.isfinite(lo)
        and np.isfinite(hi)
        and not (positive and lo <= 0)
        and not (nonnegative and lo < 0)
        and not (below is not None and hi >= below)
    ):
        return
    checks: list[tuple[NDArray[np.bool_], str]] = [(~np.isfinite(arr), "must be finite")]
    if positive:
        checks.append((arr <= 0, "must be > 0"))
    if nonnegative:
        checks.append((arr < 0, "must be >= 0"))
    if below is not None:
        checks.append((arr >= below, f"must be < {below}"))
    for bad, rule in checks:
        if bad.any():
            pos = _first_bad_row(bad)
            col = f"[{pos[1]}]" if len(pos) > 1 else ""
            raise InvalidValueError(
                f"field {field!r}{col} {rule} (got {float(arr[pos])!r})", f"{who} {pos[0]}"
            )


def check_goods_in_use(
    names: Any,
    supply: NDArray[np.float64] | NDArray[np.bool_],
    demand: NDArray[np.float64] | NDArray[np.bool_],
) -> list[str]:
    """Goods whose gap can never close, found from one round's totals (or from masks
    of the goods supplied and used).

    A good supplied that no council uses, or used that no council supplies, is
    an error naming it (every rule would sit at a gap of 2 on it). A good nobody
    supplies or uses has gap 0 and is left out of planning: its names are
    returned for a warning.
    """
    supplied, used = supply > 0, demand > 0
    for mask, problem in (
        (used & ~supplied, "is used but no council supplies it, so its gap can never close"),
        (supplied & ~used, "is supplied but no council uses it, so its gap can never close"),
    ):
        if mask.any():
            bad = np.flatnonzero(mask)
            more = f" (and {bad.size - 1} more goods)" if bad.size > 1 else ""
            raise InvalidValueError(f"{problem}{more}", f"good {names[int(bad[0])]!r}")
    return [names[int(g)] for g in np.flatnonzero(~supplied & ~used)]
