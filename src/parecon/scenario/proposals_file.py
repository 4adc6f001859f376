"""Every council's final proposal as CSV: what ``parecon plan --proposals`` writes.

Two tables in a folder, gzip-compressed when the council count is large:

* ``quantities.csv``: ``population, kind, council, name, good, supply, demand`` — one
  row per council and good it proposes to supply or use (zeros left out);
* ``councils.csv``: ``population, kind, council, name`` and the kind's own values, such
  as a worker council's ``effort``, ``social_benefit`` and ``social_cost`` or a consumer
  council's ``income``.

Councils are numbered from 0 within their population, in file order; ``name`` is the
council's name in the economy file (empty where it has none). Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) are written with a leading ``'``.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import numpy as np

from parecon.csv_cells import formula_safe
from parecon.engine import Economy
from parecon.engine.populations import Proposals
from parecon.exceptions import InputError

__all__ = ["csv_text", "write_proposals"]

csv_text = formula_safe  # the name this module has always exported


_COMPRESS_FROM = 100_000  # rows; above this the tables are written as .csv.gz


def _open(path: Path, compress: bool) -> IO[str]:
    """Open ``path`` (or ``path.gz``) for writing, removing the other form's stale copy."""
    stale = path if compress else path.with_name(path.name + ".gz")
    stale.unlink(missing_ok=True)
    if compress:
        return gzip.open(path.with_name(path.name + ".gz"), "wt", newline="", encoding="utf-8")
    return path.open("w", newline="", encoding="utf-8")


def _quantity_rows(
    proposals: Sequence[Proposals],
    names: Sequence[str],
    councils: Sequence[Sequence[str] | None],
) -> Iterator[tuple[object, ...]]:
    goods = [csv_text(n) for n in names]
    for p, prop in enumerate(proposals):
        named = councils[p]
        both = (prop.supply + prop.demand).tocsr()  # the union of non-zero cells
        both.sum_duplicates()
        rows = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
        supply = np.asarray(prop.supply[rows, both.indices]).ravel()
        demand = np.asarray(prop.demand[rows, both.indices]).ravel()
        for r, g, s, d in zip(rows, both.indices, supply, demand, strict=True):
            who = "" if named is None else named[r]
            yield (p, prop.kind, int(r), who, goods[g], repr(float(s)), repr(float(d)))


def write_proposals(
    proposals: Sequence[Proposals],
    economy: Economy,
    folder: str | Path,
    council_names: Sequence[Sequence[str] | None] | None = None,
) -> list[Path]:
    """Write ``quantities.csv`` and ``councils.csv`` into ``folder``; return their paths.

    ``council_names`` gives, per population, its councils' names (or None).
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file; proposals are written into a folder", str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create folder ({exc.strerror})", str(folder)) from None
    named: list[list[str] | None] = [None] * len(proposals)
    for p, names_p in enumerate(council_names or ()):
        if p < len(proposals) and names_p is not None:
            named[p] = [csv_text(n) for n in names_p]
    compress = sum(p.n_councils for p in proposals) * 4 > _COMPRESS_FROM
    names = economy.goods.names
    written = []
    path = folder / "quantities.csv"
    with _open(path, compress) as fh:
        writer = csv.writer(fh)
        writer.writerow(("population", "kind", "council", "name", "good", "supply", "demand"))
        writer.writerows(_quantity_rows(proposals, names, named))
    written.append(path)
    extras = sorted({key for p in proposals for key in p.extras})
    path = folder / "councils.csv"
    with _open(path, compress) as fh:
        writer = csv.writer(fh)
        writer.writerow(("population", "kind", "council", "name", *extras))
        for p, prop in enumerate(proposals):
            columns = [prop.extras.get(key) for key in extras]
            who = named[p]
            for c in range(prop.n_councils):
                values = ["" if col is None else repr(float(col[c])) for col in columns]
                writer.writerow((p, prop.kind, c, "" if who is None else who[c], *values))
    written.append(path)
    return [w.with_name(w.name + ".gz") if compress else w for w in written]
