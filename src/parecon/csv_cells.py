"""CSV cells that no spreadsheet runs as a formula (CSV injection), for every writer.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by spreadsheets; :func:`formula_safe` puts a ``'`` before it. The
scenario files, the treasury's export and the decisions' ballots all use it.
"""

from __future__ import annotations

__all__ = ["FORMULA_START", "formula_safe"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """``text`` for a CSV cell, with a leading ``'`` if a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_START) else text
