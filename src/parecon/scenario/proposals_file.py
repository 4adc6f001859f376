"""Every council's final proposal as CSV: what ``parecon plan --proposals`` writes.

Two tables in a folder, gzip-compressed when the council count is large:

* ``quantities.csv``: ``population, kind, council, good, supply, demand`` — one row per
  council and good it proposes to supply or use (zeros left out);
* ``councils.csv``: ``population, kind, council`` and the kind's own values, such as a
  worker council's ``effort``, ``social_benefit`` and ``social_cost`` or a consumer
  council's ``income``.

Councils are numbered from 0 within their population, in file order.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import numpy as np

from parecon.engine import Economy
from parecon.engine.populations import Proposals

__all__ = ["write_proposals"]

_COMPRESS_FROM = 100_000  # rows; above this the tables are written as .csv.gz


def _open(path: Path, compress: bool) -> IO[str]:
    """Open ``path`` (or ``path.gz``) for writing, removing the other form's stale copy."""
    stale = path if compress else path.with_name(path.name + ".gz")
    stale.unlink(missing_ok=True)
    if compress:
        return gzip.open(path.with_name(path.name + ".gz"), "wt", newline="", encoding="utf-8")
    return path.open("w", newline="", encoding="utf-8")


def _quantity_rows(
    proposals: Sequence[Proposals], names: Sequence[str]
) -> Iterator[tuple[object, ...]]:
    for p, prop in enumerate(proposals):
        both = (prop.supply + prop.demand).tocsr()  # the union of non-zero cells
        both.sum_duplicates()
        rows = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
        supply = np.asarray(prop.supply[rows, both.indices]).ravel()
        demand = np.asarray(prop.demand[rows, both.indices]).ravel()
        for r, g, s, d in zip(rows, both.indices, supply, demand, strict=True):
            yield (p, prop.kind, int(r), names[g], repr(float(s)), repr(float(d)))


def write_proposals(
    proposals: Sequence[Proposals], economy: Economy, folder: str | Path
) -> list[Path]:
    """Write ``quantities.csv`` and ``councils.csv`` into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    compress = sum(p.n_councils for p in proposals) * 4 > _COMPRESS_FROM
    names = economy.goods.names
    written = []
    path = folder / "quantities.csv"
    with _open(path, compress) as fh:
        writer = csv.writer(fh)
        writer.writerow(("population", "kind", "council", "good", "supply", "demand"))
        writer.writerows(_quantity_rows(proposals, names))
    written.append(path)
    extras = sorted({key for p in proposals for key in p.extras})
    path = folder / "councils.csv"
    with _open(path, compress) as fh:
        writer = csv.writer(fh)
        writer.writerow(("population", "kind", "council", *extras))
        for p, prop in enumerate(proposals):
            columns = [prop.extras.get(key) for key in extras]
            for c in range(prop.n_councils):
                values = ["" if col is None else repr(float(col[c])) for col in columns]
                writer.writerow((p, prop.kind, c, *values))
    written.append(path)
    return [w.with_name(w.name + ".gz") if compress else w for w in written]
