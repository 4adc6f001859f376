"""``budgets.csv`` (``council, income``): consumer councils' incomes, matched by name.

``parecon effort allowances`` writes it from effort ratings; ``parecon plan
--budgets`` reads it into the economy's consumer councils, whose names come
from the economy file's ``name`` fields. Every council of the file must be a
named consumer council of the economy and every named consumer council must
have exactly one row, so no budget is silently dropped or doubled.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from parecon.engine import Economy
from parecon.exceptions import InputError
from parecon.scenario.council_names import council_names
from parecon.scenario.csv_rows import read_rows

__all__ = ["read_budgets", "with_budgets"]


def read_budgets(path: str | Path) -> dict[str, tuple[float, int]]:
    """Each council's income and the line it is on; errors name file, line and column."""
    path = Path(path)
    out: dict[str, tuple[float, int]] = {}
    for line, row in read_rows(path, ("council", "income"), str(path)):
        council, where = row.get("council", ""), f"{path}, line {line}"
        if not council:
            raise InputError("empty council name", f"{where}, column 'council'")
        if council in out:
            raise InputError(
                f"council {council!r} appears twice (first on line {out[council][1]})",
                f"{where}, column 'council'",
            )
        try:
            income = float(row.get("income", ""))
        except ValueError:
            raise InputError(
                f"income must be a number, not {row.get('income')!r}", f"{where}, column 'income'"
            ) from None
        if not math.isfinite(income) or income < 0:
            raise InputError(
                f"income must be a finite number >= 0, not {income!r}",
                f"{where}, column 'income'",
            )
        out[council] = (income, line)
    return out


def with_budgets(
    economy: Economy, budgets: dict[str, tuple[float, int]], source: str = "budgets.csv"
) -> Economy:
    """``economy`` with its named consumer councils' incomes taken from ``budgets``."""
    names = council_names(economy)
    populations = list(economy.populations)
    matched: set[str] = set()
    consumers_named = False
    for p, (pop, pop_names) in enumerate(zip(populations, names, strict=True)):
        target: Any = getattr(pop, "consumers", pop)  # consumers affected by pollution wrap them
        if pop_names is None or not hasattr(target, "income"):
            continue
        consumers_named = True
        missing = [n for n in pop_names if n not in budgets]
        if missing:
            raise InputError(
                f"no income for consumer council {missing[0]!r}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                source,
            )
        income = np.array([budgets[n][0] for n in pop_names])
        updated = replace(target, income=income)
        wrapper: Any = pop
        populations[p] = replace(wrapper, consumers=updated) if target is not pop else updated
        matched.update(pop_names)
    if not consumers_named:
        raise InputError(
            "the economy names no consumer councils; budgets are matched by the "
            "'name' of each consumer council in the economy file",
            source,
        )
    unknown = sorted(set(budgets) - matched, key=lambda n: budgets[n][1])
    if unknown:
        raise InputError(
            f"council {unknown[0]!r} is not a named consumer council of {economy.name!r}",
            f"{source}, line {budgets[unknown[0]][1]}, column 'council'",
        )
    return economy.with_populations(populations)
