"""A symmetric input-output table, checked once where it enters.

Whatever the source (pymrio's text folders, IBGE's supply-use tables), a
reader produces an :class:`IOTable` of industries by industries in one
monetary unit; :meth:`IOTable.check` refuses negative flows, missing sectors,
tables that do not balance and units that do not match, naming the file, the
row and the column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import InputError

__all__ = [
    "FINAL_DEMAND_KINDS",
    "VALUE_ADDED_KINDS",
    "IOTable",
    "TableWarning",
    "final_demand_kind",
]

FloatArray = NDArray[np.float64]


class TableWarning(UserWarning):
    """A table was read with a change it did not ask for (a flow cleaned, a good left out)."""


FINAL_DEMAND_KINDS = ("households", "government", "investment", "inventories", "exports")
"""How a final-demand column is used: households' and government's consumption
become consumer councils' private and public demand; the rest is fixed by the
development plan (investment, stock changes, exports)."""

VALUE_ADDED_KINDS = ("labour", "resources", "surplus")
"""Compensation of a labour type; rents on land and natural resources; all else
(operating surplus, mixed income, net taxes), which pays for capital stocks and
leaves worker councils their effort and surplus."""

_FINAL_WORDS = (
    ("households", ("household", "famíl", "famil", "npish", "non-profit", "isflsf")),
    ("government", ("government", "governo", "general gov", "public admin")),
    ("investment", ("fixed capital", "gfcf", "investment", "fbkf", "formação bruta")),
    ("inventories", ("inventor", "stock", "valuables", "estoque")),
    ("exports", ("export",)),
)


def final_demand_kind(name: str, where: str) -> str:
    """Classify a final-demand column by its name (English or Portuguese)."""
    key = name.strip().lower()
    for kind, words in _FINAL_WORDS:
        if key in FINAL_DEMAND_KINDS and key == kind:
            return kind
        if any(w in key for w in words):
            return kind
    raise InputError(
        f"unknown final-demand category {name!r}; name it after one of "
        + ", ".join(FINAL_DEMAND_KINDS),
        where,
    )


@dataclass(frozen=True, eq=False)
class IOTable:
    """Industries by industries, flows in ``unit`` of the base year.

    Attributes
    ----------
    sectors : tuple of str
        Industry (= product) names, shape (n,).
    intermediate : ndarray of shape (n, n)
        ``Z[i, j]``: domestic output of ``i`` used up by industry ``j``.
    final_demand : dict of str to ndarray of shape (n,)
        Domestic output delivered to each final use, keyed by a kind of
        :data:`FINAL_DEMAND_KINDS` (columns of one kind are added).
    imports : ndarray of shape (n,)
        Imported goods and services used up by each industry.
    final_imports : dict of str to float
        Imports delivered directly to each final use.
    value_added : dict of str to (kind, ndarray of shape (n,))
        Each value-added row by name, with its kind in :data:`VALUE_ADDED_KINDS`.
    output : ndarray of shape (n,)
        Gross output of each industry.
    employment : ndarray of shape (n,), optional
        People (or hours) employed by each industry.
    emissions : dict of str to (unit, ndarray of shape (n,))
        Satellite accounts: each pollutant emitted by each industry.
    unit : str
        Monetary unit of every flow.
    source : str
        File or folder read, for error messages and provenance.
    """

    sectors: tuple[str, ...]
    intermediate: FloatArray
    final_demand: dict[str, FloatArray]
    imports: FloatArray
    value_added: dict[str, tuple[str, FloatArray]]
    output: FloatArray
    unit: str = "currency"
    final_imports: dict[str, float] = field(default_factory=dict)
    employment: FloatArray | None = None
    emissions: dict[str, tuple[str, FloatArray]] = field(default_factory=dict)
    source: str = "<table>"

    @property
    def n(self) -> int:
        return len(self.sectors)

    def final(self, kind: str) -> FloatArray:
        return self.final_demand.get(kind, np.zeros(self.n))

    def value_added_of(self, kind: str) -> FloatArray:
        rows = [v for k, v in self.value_added.values() if k == kind]
        return np.sum(rows, axis=0) if rows else np.zeros(self.n)

    def check(self, tolerance: float = 1e-3) -> IOTable:
        """Raise :class:`InputError` naming row and column unless the table is usable.

        Flows must be finite and non-negative (stock changes and value added
        other than compensation may be negative), every industry must produce,
        and each row (uses of a product) and each column (costs of an industry)
        must add up to gross output within ``tolerance`` (relative).
        """
        n = self.n
        src = self.source
        if len(set(self.sectors)) != n:
            dup = next(s for s in self.sectors if self.sectors.count(s) > 1)
            raise InputError(f"sector {dup!r} appears twice", src)
        _shape(self.intermediate, (n, n), "intermediate use", src)
        blocks: list[tuple[str, FloatArray, bool]] = [
            ("imports", self.imports, False),
            ("output", self.output, False),
        ]
        blocks += [
            (f"final demand {k!r}", v, k == "inventories") for k, v in self.final_demand.items()
        ]
        blocks += [
            (f"value added {name!r}", v, kind != "labour")
            for name, (kind, v) in self.value_added.items()
        ]
        blocks += [(f"emissions {name!r}", v, False) for name, (_, v) in self.emissions.items()]
        if self.employment is not None:
            blocks.append(("employment", self.employment, False))
        for what, vec, may_be_negative in blocks:
            _shape(vec, (n,), what, src)
            bad = ~np.isfinite(vec) | (False if may_be_negative else vec < 0)
            if np.any(bad):
                j = int(np.argmax(bad))
                raise InputError(
                    f"{'non-finite' if not np.isfinite(vec[j]) else 'negative'} value {vec[j]!r}",
                    f"{src}: row {what}, column {self.sectors[j]!r}",
                )
        bad = ~np.isfinite(self.intermediate) | (self.intermediate < 0)
        if bad.any():
            i, j = (int(v) for v in np.argwhere(bad)[0])
            raise InputError(
                f"negative or non-finite intermediate flow {self.intermediate[i, j]!r}",
                f"{src}: row {self.sectors[i]!r}, column {self.sectors[j]!r}",
            )
        idle = self.output <= 0
        if idle.any():
            j = int(np.argmax(idle))
            raise InputError(
                "industry has no output (a missing sector?); drop or aggregate it",
                f"{src}: column {self.sectors[j]!r}",
            )
        uses = self.intermediate.sum(axis=1) + sum(self.final_demand.values(), np.zeros(n))
        _balanced(uses, self.output, "row", "uses of the product", self.sectors, src, tolerance)
        costs = (
            self.intermediate.sum(axis=0)
            + self.imports
            + sum((v for _, v in self.value_added.values()), np.zeros(n))
        )
        _balanced(
            costs, self.output, "column", "costs of the industry", self.sectors, src, tolerance
        )
        return self


def _shape(arr: FloatArray, shape: tuple[int, ...], what: str, src: str) -> None:
    if np.shape(arr) != shape:
        raise InputError(f"{what} has shape {np.shape(arr)}, expected {shape}", src)


def _balanced(
    total: FloatArray,
    output: FloatArray,
    axis: str,
    what: str,
    sectors: tuple[str, ...],
    src: str,
    tolerance: float,
) -> None:
    off = np.abs(total - output) / output
    if (off > tolerance).any():
        j = int(np.argmax(off))
        raise InputError(
            f"table does not balance: {what} add up to {total[j]:.6g} but gross output "
            f"is {output[j]:.6g} ({100 * off[j]:.3g}% off, tolerance {100 * tolerance:g}%)",
            f"{src}: {axis} {sectors[j]!r}",
        )


def as_vectors(values: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    return {k: np.asarray(v, dtype=float) for k, v in values.items()}
