"""Negative flows that are artefacts of a conversion, set to zero where they are tiny.

Converting IBGE's supply-use tables to basic prices spreads each product's
taxes, margins and imports over its uses in proportion to them (as IBGE's own
symmetric tables and iotbr do). Where a product is both imported and exported
heavily, or bought almost only by one user, that proportional share can
exceed a small use, leaving it a little below zero — a government demand of
−0.19 R$ million for ships and aircraft in a row of R$ 60 billion. No
economy has negative deliveries, so:

* a negative intermediate flow or final use (stock changes may be negative)
  of at most ``share`` of its row's gross output is set to zero, with a
  :class:`TableWarning` naming row, column and amount;
* the row stays balanced: the amount is taken from the product's stock
  change (a stock run-down of the same size); a cleaned intermediate flow or
  import also lowers its industry's operating surplus by the same amount, so
  the column balances too;
* anything larger is a real negative and a located error, as before.

The cleaned table therefore balances exactly and differs from the original
by exactly the amounts reported.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from parecon.exceptions import InputError
from parecon.scenario.io_tables.table import FloatArray, IOTable, TableWarning

__all__ = ["ARTEFACT_SHARE", "Cleaned", "clean_artefacts"]

ARTEFACT_SHARE = 1e-3
"""Largest negative flow, as a share of its row's gross output, read as a
conversion artefact (0.1 %). In the IBGE series shipped by iotbr (12 and 51
activities 2000–2021, 20 and 68 activities 2010–2021) the conversion leaves
85 negative flows, the largest 8.7e-5 of its row (investment in security
services, 68 activities, 2012); the threshold is 11 times that."""


@dataclass(frozen=True)
class Cleaned:
    """One flow set to zero: where it was and how negative."""

    row: str
    column: str
    amount: float


def clean_artefacts(table: IOTable, share: float = ARTEFACT_SHARE) -> IOTable:
    """``table`` with negative flows up to ``share`` of their row's output set to zero.

    Emits one :class:`TableWarning` per flow cleaned; larger negatives are
    left for :meth:`IOTable.check` to refuse with their row and column.
    """
    if not share >= 0:
        raise InputError(f"artefact share must be >= 0, not {share!r}", table.source)
    n = table.n
    limit = share * np.maximum(table.output, 0.0)
    z = table.intermediate.copy()
    final = {k: v.copy() for k, v in table.final_demand.items()}
    stock = final.get("inventories", np.zeros(n)).copy()
    imports = table.imports.copy()
    surplus_row = next(
        (name for name, (kind, _) in table.value_added.items() if kind == "surplus"), None
    )
    surplus = table.value_added[surplus_row][1].copy() if surplus_row is not None else np.zeros(n)
    done: list[Cleaned] = []

    small = (z < 0) & (-z <= limit[:, None])
    for i, j in np.argwhere(small):
        amount = float(z[i, j])
        done.append(Cleaned(table.sectors[i], table.sectors[j], amount))
        stock[i] += amount
        surplus[j] += amount
        z[i, j] = 0.0
    for kind, vec in final.items():
        if kind == "inventories":
            continue
        for i in np.flatnonzero((vec < 0) & (-vec <= limit)):
            amount = float(vec[i])
            done.append(Cleaned(table.sectors[i], f"final demand {kind!r}", amount))
            stock[i] += amount
            vec[i] = 0.0
    for j in np.flatnonzero((imports < 0) & (-imports <= limit)):
        amount = float(imports[j])
        done.append(Cleaned("imports", table.sectors[j], amount))
        surplus[j] += amount
        imports[j] = 0.0
    if not done:
        return table
    touches_costs = any(c.row == "imports" or not c.column.startswith("final") for c in done)
    if touches_costs and surplus_row is None:
        raise InputError(
            "negative flows to clean but no surplus row to balance the industry's costs",
            table.source,
        )
    for c in done:
        warnings.warn(
            TableWarning(
                f"{table.source}: row {c.row!r}, column {c.column!r}: negative flow "
                f"{c.amount:.6g} {table.unit} (a conversion artefact, at most "
                f"{100 * share:g}% of the row's output) set to zero"
            ),
            stacklevel=2,
        )
    final["inventories"] = stock
    value_added = dict(table.value_added)
    if surplus_row is not None:
        value_added[surplus_row] = (table.value_added[surplus_row][0], surplus)
    return replace(
        table, intermediate=z, final_demand=final, imports=imports, value_added=value_added
    )


def cleaned_total(original: IOTable, cleaned: IOTable) -> FloatArray:
    """Per row, the absolute amount by which cleaning changed the table's uses."""
    diff = np.abs(original.intermediate - cleaned.intermediate).sum(axis=1)
    for kind, vec in original.final_demand.items():
        if kind != "inventories":
            diff = diff + np.abs(vec - cleaned.final(kind))
    result: FloatArray = diff
    return result
