"""Weights and shares as exact fractions, so that ties stay ties.

A weight of 0.25 and four of them must add up to exactly one; a tie between two
options must not turn into a win by a rounding error, nor change when every
weight is multiplied by three. Every weight and share is therefore turned into
a :class:`fractions.Fraction` once, at the door: a float by its shortest
decimal spelling (``0.1`` is one tenth), a string as a decimal or ``"2/3"``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TypeAlias

__all__ = ["Weight", "exact", "plain"]

Weight: TypeAlias = int | float | Fraction | str
"""A weight or a share as a caller may spell it."""


def exact(value: Weight, what: str = "value") -> Fraction:
    """``value`` as an exact fraction; a ValueError names ``what`` when it is no finite number."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"{what} must be a number, not {value!r}")
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise ValueError(f"{what} must be a finite number, not {value!r}") from None


def plain(value: Fraction) -> int | float:
    """An exact value for JSON: an int when whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)
