"""One sheet of an IBGE supply-use workbook, found by its structure.

IBGE's sheets differ by level and reference year: a product code column or
none (51 activities), letter or numeric codes (20 and 68), a blank row before
the ``Total`` row or none (2000–2009), exports and imports in one column or
split (goods, services, CIF/FOB adjustment). So nothing here counts rows or
columns: the data block starts at the first row with a number after a label,
its columns are headed by the nearest text above them, and it ends at the
``Total`` row, a blank row or the end of the sheet. Callers then pick columns
by the words of their headings and rows by their labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError
from parecon.scenario.io_tables.table import FloatArray

__all__ = ["Sheet", "normalise", "read_sheet"]

_NUMBER = 2  # xlrd.XL_CELL_NUMBER
_CODE = re.compile(r"^([0-9]{1,5}|[A-Z])\s+(\S.*)$", re.S)


def normalise(text: object) -> str:
    """Lower case, no accents, single spaces: how headings and labels are compared."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


@dataclass(frozen=True)
class Sheet:
    """The data block of one sheet.

    Attributes
    ----------
    codes : tuple of str
        Row codes (product codes), empty strings where the sheet has none.
    labels : tuple of str
        Row labels as written (VA rows keep their indentation).
    headings : tuple of str
        Column headings, one per data column, newlines as spaces.
    values : ndarray of shape (rows, columns)
    unit : str
        Monetary unit named in the sheet's headings ("" when none is named).
    """

    name: str
    path: Path
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    headings: tuple[str, ...]
    values: FloatArray
    unit: str

    @property
    def where(self) -> str:
        return f"{self.path}: sheet {self.name}"

    @property
    def keys(self) -> tuple[str, ...]:
        """What identifies a row across sheets: its code, else its label."""
        return tuple(
            (c.lstrip("0") or c if c.isdigit() else c)
            or re.sub(r"[^a-z0-9]+", " ", normalise(lab)).strip()
            for c, lab in zip(self.codes, self.labels, strict=True)
        )

    def shown(self, i: int) -> str:
        """Row ``i`` as a person finds it in the sheet: its code, else its label."""
        return self.codes[i] or self.labels[i].strip()

    def columns(self, *words: str) -> list[int]:
        """Data columns whose heading contains every one of ``words`` (normalised)."""
        return [i for i, h in enumerate(self.headings) if all(w in normalise(h) for w in words)]

    def column(self, *words: str, required: bool = True) -> FloatArray:
        """The sum of the columns headed by ``words`` (zeros when optional and absent)."""
        cols = self.columns(*words)
        if not cols:
            if required:
                raise InputError(
                    f"no column headed {' '.join(words)!r} (headings: "
                    + "; ".join(repr(h) for h in self.headings)
                    + ")",
                    self.where,
                )
            return np.zeros(len(self.labels))
        total: FloatArray = self.values[:, cols].sum(axis=1)
        return total

    def body(self) -> tuple[tuple[str, ...], FloatArray]:
        """Headings and values of the columns before the ``Total`` column (activities)."""
        stop = next(
            (i for i, h in enumerate(self.headings) if normalise(h).startswith("total")),
            len(self.headings),
        )
        return self.headings[:stop], self.values[:, :stop]

    def row(self, *starts: str, required: bool = True) -> FloatArray | None:
        """The top-level (unindented) row whose label starts with one of ``starts``."""
        for label, values in zip(self.labels, self.values, strict=True):
            if label[:1].isspace():
                continue
            key = normalise(label)
            if any(key.startswith(s) for s in starts):
                found: FloatArray = values
                return found
        if required:
            raise InputError(f"no row labelled {' or '.join(map(repr, starts))}", self.where)
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip() if isinstance(value, str) else ""


def _code(value: Any) -> str:
    """A row code as text: IBGE stores some as numbers (``1.0`` for ``01``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def read_sheet(book: Any, name: str, path: Path) -> Sheet:
    """The data block of sheet ``name`` of an open xlrd workbook."""
    try:
        sh = book.sheet_by_name(name)
    except Exception:
        raise InputError(
            f"no sheet {name!r} (sheets: {', '.join(book.sheet_names())})", str(path)
        ) from None
    where = f"{path}: sheet {name}"
    first_row, first_col = -1, -1
    for r in range(sh.nrows):
        types = sh.row_types(r)
        cells = sh.row_values(r)
        first_text = next((c for c, v in enumerate(cells) if _text(v)), -1)
        num = next((c for c, t in enumerate(types) if t == _NUMBER and c > first_text), -1)
        if first_text >= 0 and num > 0:
            first_row, first_col = r, num
            break
    if first_row < 0:
        raise InputError("no data: no row with a label and numbers", where)
    label_col = first_col - 1
    first_cells = sh.row_values(first_row)
    code_col = label_col - 1 if label_col >= 1 and _code(first_cells[label_col - 1]) else None
    headings: list[str] = []
    for c in range(first_col, sh.ncols):
        heading = ""
        for r in range(first_row - 1, -1, -1):
            heading = " ".join(str(sh.cell_value(r, c)).split()) if c < len(sh.row(r)) else ""
            if heading:
                break
        headings.append(heading)
    codes: list[str] = []
    labels: list[str] = []
    rows: list[list[float]] = []
    for r in range(first_row, sh.nrows):
        cells = sh.row_values(r)
        types = sh.row_types(r)
        code = _code(cells[code_col]) if code_col is not None else ""
        label = str(cells[label_col]).rstrip() if isinstance(cells[label_col], str) else ""
        key = normalise(code or label)
        if not key or key.startswith("total") or key.startswith("fonte"):
            break
        shown = code or label.strip()
        values: list[float] = []
        for c, heading in enumerate(headings):
            col = first_col + c
            if col >= len(cells) or types[col] != _NUMBER:
                text = _text(cells[col]) if col < len(cells) else ""
                if text and text not in ("-", "..."):
                    raise InputError(
                        f"not a number: {text!r}",
                        f"{where}, row {shown!r}, column {heading or c + first_col + 1!r}",
                    )
                values.append(0.0)
            else:
                values.append(float(cells[col]))
        codes.append(code)
        labels.append(label)
        rows.append(values)
    keep = [c for c, h in enumerate(headings) if h or any(row[c] for row in rows)]
    unheaded = next((c for c in keep if not headings[c]), None)
    if unheaded is not None:
        raise InputError(f"column {unheaded + first_col + 1} has numbers but no heading", where)
    array = np.asarray(rows, dtype=float).reshape(len(rows), len(headings))[:, keep]
    return Sheet(
        name,
        path,
        tuple(codes),
        tuple(labels),
        tuple(headings[c] for c in keep),
        array,
        _unit(sh, first_row),
    )


def _unit(sh: Any, first_row: int) -> str:
    """``R$ million`` or ``R$ thousand`` when a heading above the data names it."""
    for r in range(first_row):
        for value in sh.row_values(r):
            text = normalise(value).replace("\u00a0", " ")
            if "1 000 000" in text or "milhoes" in text:
                return "R$ million"
            if "1 000" in text or "mil reais" in text:
                return "R$ thousand"
    return ""
