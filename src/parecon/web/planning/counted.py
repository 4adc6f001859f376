"""The counted proposals of a round: read in one query, summed and laid out as matrices.

Shared by the close (which plans on them), the round page's running totals and the
planning game. A round's running totals are kept incrementally by each submission
(:func:`totals_after`, O(goods)) and summed from the proposals only where none are kept
(:func:`totals_of`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.db.models import TextField
from django.db.models.functions import Cast
from numpy.typing import NDArray

from parecon.web.planning.models import Proposal, Round

__all__ = [
    "Rows",
    "counted_rows",
    "kept_or_summed",
    "side_totals",
    "submitted_matrices",
    "totals_after",
    "totals_of",
]


def _loads(text: str) -> Any:
    """JSON by orjson where installed (the CLI extra), else the standard library."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is installed with the CLI extra
        return json.loads(text)
    return orjson.loads(text)


class _GoodIndex(dict[str, int]):
    """Good keys to indices; a key outside the table is read as a number."""

    def __missing__(self, key: str) -> int:
        return int(key)


Rows = Sequence[tuple[int, dict[str, dict[str, float]]]]


def _side_entries(
    rows: Rows, side: str, n_goods: int
) -> tuple[NDArray[np.int64], NDArray[np.intp], NDArray[np.float64]]:
    """One side of the (council, quantities) rows as flat arrays: each row's count of
    entries, every entry's good and its quantity, in row order.

    Keys and values are gathered a whole side of a row at a time and converted by
    NumPy at once: no Python work per quantity.
    """
    # A table lookup per key: NumPy's str-to-int conversion costs four times as much.
    index = _GoodIndex({str(i): i for i in range(n_goods)})
    keys: list[str] = []
    values: list[float] = []
    counts = np.zeros(len(rows), dtype=np.int64)
    for row, (_council, quantities) in enumerate(rows):
        part = quantities.get(side)
        if part:
            keys.extend(part)
            values.extend(part.values())
            counts[row] = len(part)
    columns = np.fromiter(map(index.__getitem__, keys), dtype=np.intp, count=len(keys))
    return counts, columns, np.asarray(values, dtype=np.float64)


def submitted_matrices(rows: Rows, n_goods: int) -> tuple[sp.csr_array, sp.csr_array]:
    """(supply, demand) of shape (n_councils, n_goods) from (council, quantities) rows."""

    def matrix(side: str) -> sp.csr_array:
        counts, columns, data = _side_entries(rows, side, n_goods)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        # Rows may list a good twice only through a corrupt document; sum_duplicates keeps
        # the matrix canonical either way.
        out = sp.csr_array((data, columns, indptr), shape=(len(rows), n_goods))
        out.sum_duplicates()
        return out

    return matrix("supply"), matrix("demand")


def side_totals(rows: Rows, side: str, n_goods: int) -> NDArray[np.float64]:
    """Each good's total on one ``side`` of the (council, quantities) rows: the sums of
    :func:`submitted_matrices`' columns without building the matrix."""
    _counts, columns, data = _side_entries(rows, side, n_goods)
    totals = np.bincount(columns, weights=data, minlength=n_goods).astype(np.float64)
    return totals[:n_goods]


def totals_of(rows: Rows, n_goods: int) -> dict[str, Any]:
    """The round's running totals as :attr:`Round.running` holds them, summed from rows."""
    return {
        "submitted": len(rows),
        "supply": side_totals(rows, "supply", n_goods).tolist(),
        "demand": side_totals(rows, "demand", n_goods).tolist(),
    }


def kept_or_summed(round_: Round, kept: dict[str, Any] | None) -> dict[str, Any]:
    """The round's running totals: ``kept`` (its :attr:`Round.running`), or summed from
    its counted proposals where none are kept (before its first submission, or in a
    round opened before they were kept)."""
    return kept if kept is not None else totals_of(counted_rows(round_), len(round_.prices))


def totals_after(
    before: dict[str, Any],
    old: dict[str, dict[str, float]] | None,
    new: dict[str, dict[str, float]],
    n_goods: int,
) -> dict[str, Any]:
    """The running totals once a council's counted proposal ``old`` (None if it had
    none) is replaced by ``new``: O(goods), not O(councils).

    Sums that cancel may leave a rounding residue; one below zero is read as zero
    (quantities are never negative).
    """
    sides = {}
    for side in ("supply", "demand"):
        total = np.asarray(before[side], dtype=np.float64).copy()
        for sign, quantities in ((-1.0, old), (1.0, new)):
            for key, q in ((quantities or {}).get(side) or {}).items():
                total[int(key)] += sign * float(q)
        sides[side] = np.maximum(total, 0.0).tolist()
    return {"submitted": int(before["submitted"]) + (old is None), **sides}


def counted_rows(round_: Round) -> list[tuple[int, dict[str, dict[str, float]]]]:
    """(council, quantities) of every counted proposal of the round, by council.

    The documents come back as text and are parsed in one call (Django's JSONField
    would decode them one by one, the largest cost of a close with 10,000 councils).
    """
    pairs = list(
        Proposal.objects.filter(round=round_)
        .exclude(counted=None)
        .order_by("council_id")
        .annotate(text=Cast("counted__quantities", output_field=TextField()))
        .values_list("council_id", "text")
    )
    documents = _loads("[" + ",".join(text for _c, text in pairs) + "]")
    return [(c, q) for (c, _t), q in zip(pairs, documents, strict=True)]
