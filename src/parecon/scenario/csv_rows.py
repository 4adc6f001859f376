"""Rows of a small CSV table, each with its line, and the errors every reader shares.

One header row; cells and names are stripped; blank lines are skipped but counted,
so errors name the line a spreadsheet shows. A row with more cells than the header
has columns is an error (``ana,ben,1,5`` is a decimal comma, not a rating of 1),
and so is a column named twice (which one would count?).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from parecon.exceptions import InputError
from parecon.text_files import read_text

__all__ = ["Row", "read_rows"]

Row = tuple[int, dict[str, str]]


def read_rows(path: Path, required: Sequence[str], label: str) -> list[Row]:
    """The rows of ``path`` with a cell in them, each with its line; ``label`` names the
    file in errors (missing ``required`` columns, a column named twice, a row with more
    cells than columns, no rows)."""
    text = read_text(path)
    # Lines as the file has them (a quoted cell may span lines; U+2028 in a name is no
    # line break), numbered by the reader, so a blank line does not shift later ones.
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[Row] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        for i, h in enumerate(header):
            if h and h in header[:i]:
                raise InputError(f"column {h!r} appears twice", f"{label}, line 1")
        for col in required:
            if col not in header:
                raise InputError(
                    f"missing column {col!r} (found: {', '.join(header) or 'none'})",
                    f"{label}, line 1",
                )
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                # Not dropped: "ana,ben,1,5" is a decimal comma, not a rating of 1.
                raise InputError(
                    f"{len(cells)} cells but {len(header)} columns (a decimal comma? "
                    "write 1.5, or quote the cell)",
                    f"{label}, line {reader.line_num}",
                )
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(f"not valid CSV ({exc})", f"{label}, line {reader.line_num}") from None
    if not out:
        raise InputError("no rows", label)
    return out
