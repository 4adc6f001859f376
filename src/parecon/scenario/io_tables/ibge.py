"""IBGE's supply-use tables (Tabelas de Recursos e Usos), as shipped by iotbr.

IBGE publishes, for levels of 12, 20, 51 and 68 activities, two workbooks per
year: ``NN_tab1_YYYY.xls`` (supply: output of each product by activity,
imports, trade and transport margins and product taxes) and
``NN_tab2_YYYY.xls`` (use at purchasers' prices: intermediate consumption,
final demand, value added and employment). They are read here with ``xlrd``
only (extra ``io``), then turned into a symmetric industry-by-industry table
at basic prices the way iotbr does: each product's taxes, margins and imports
are spread over its uses in proportion to them (trade and transport margins
moved to the trade and transport rows), and the industry-technology assumption
maps products to industries (``D = V Q̂⁻¹``, ``Z = D U``, ``Y = D E``).
Product taxes paid on inputs count as value added (net taxes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError
from parecon.scenario.io_tables.table import FloatArray, IOTable

__all__ = ["read_ibge"]

_FINAL = ("exports", "government", "npish", "households", "investment", "inventories")


def _workbook(path: Path) -> Any:
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installation
        raise InputError(
            "reading IBGE .xls tables needs xlrd: pip install 'parecon[io]'", str(path)
        ) from None
    try:
        return xlrd.open_workbook(str(path))
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except Exception as exc:  # xlrd raises its own error types
        raise InputError(f"not an IBGE .xls workbook ({exc})", str(path)) from None


def _block(
    book: Any, sheet: str, path: Path, n_cols: int | None = None
) -> tuple[list[str], FloatArray]:
    """Row labels and numbers of a sheet's data block (from row 5 to the first blank row)."""
    try:
        sh = book.sheet_by_name(sheet)
    except Exception:
        raise InputError(f"no sheet {sheet!r}", str(path)) from None
    labels: list[str] = []
    rows: list[list[float]] = []
    first = 2 if str(sh.cell_value(5, 0)).strip()[:1].isdigit() else 1
    for r in range(5, sh.nrows):
        cells = sh.row_values(r)
        if not str(cells[0]).strip() and not str(cells[1]).strip():
            break
        label = str(cells[1] if first == 2 else cells[0]).strip()
        data = cells[first : first + n_cols] if n_cols else cells[first:]
        try:
            rows.append([float(v) if v != "" else 0.0 for v in data])
        except ValueError:
            bad = next(v for v in data if not isinstance(v, int | float) and v != "")
            raise InputError(
                f"not a number: {bad!r}", f"{path}: sheet {sheet}, row {label!r}"
            ) from None
        labels.append(label)
    return labels, np.asarray(rows, dtype=float)


def _sibling(path: Path) -> tuple[Path, Path]:
    name = path.name
    if "_tab1_" in name:
        return path, path.with_name(name.replace("_tab1_", "_tab2_"))
    if "_tab2_" in name:
        return path.with_name(name.replace("_tab2_", "_tab1_")), path
    raise InputError("expected IBGE's NN_tab1_YYYY.xls or NN_tab2_YYYY.xls", str(path))


def read_ibge(path: str | Path) -> IOTable:
    """Read ``NN_tab1_YYYY.xls`` with its ``tab2`` sibling as a national table (R$ million)."""
    tab1, tab2 = _sibling(Path(path))
    supply_book, use_book = _workbook(tab1), _workbook(tab2)
    products, supply = _block(supply_book, "oferta", tab1, 9)
    _, make = _block(supply_book, "producao", tab1)
    _, imports_vec = _block(supply_book, "importacao", tab1, 1)
    _, ci = _block(use_book, "CI", tab2)
    _, demand = _block(use_book, "demanda", tab2, 8)
    va_labels, va = _block(use_book, "VA", tab2)
    n_act = make.shape[1] - 1
    if supply.shape[1] != 9 or demand.shape[1] != 8 or ci.shape[1] != n_act + 1:
        raise InputError(
            "unexpected layout (IBGE tables before 2010 use the 2000 reference layout, "
            "which is not supported)",
            str(tab2),
        )
    n_prod = len(products)
    make, ci, va = make[:, :n_act], ci[:, :n_act], va[:, :n_act]
    margins_trade, margins_transport = supply[:, 1], supply[:, 2]
    import_tax, taxes = supply[:, 3], supply[:, 4] + supply[:, 5] + supply[:, 6]
    imports = imports_vec[:, 0]
    final = demand[:, :6]
    total_demand = demand[:, 7]
    uses = np.hstack([ci, final])  # (products, activities + 6)
    inventories = n_act + 5
    spread = uses.copy()
    spread[:, inventories] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.nan_to_num(spread / (total_demand - final[:, 5])[:, None])
        spread[:, n_act] = 0.0  # exports carry no import or import tax
        dist_imports = np.nan_to_num(spread / (total_demand - final[:, 5] - final[:, 0])[:, None])
    tax_m = dist * taxes[:, None]
    import_m = dist_imports * (imports + import_tax)[:, None]
    margin_m = np.zeros_like(uses)
    for vector, word in ((margins_trade, "comércio"), (margins_transport, "transporte")):
        part = dist * vector[:, None]
        rows = [i for i, p in enumerate(products) if word in p.lower()]
        if not rows:
            raise InputError(f"no {word} product to carry margins", f"{tab1}: sheet oferta")
        part[rows] = 0.0
        share = vector[rows] / vector[rows].sum()
        part[rows] = -part.sum(axis=0)[None, :] * share[:, None]
        margin_m += part
    basic = uses - tax_m - import_m - margin_m
    u, e = basic[:, :n_act], basic[:, n_act:]
    v = make.T  # activities x products
    q = v.sum(axis=0)
    d = v / np.where(q > 0, q, 1.0)[None, :]
    z = d @ u
    y = d @ e
    output = v.sum(axis=1)
    activities = tuple(_activity_names(tab1, supply_book, n_act))
    find = {label.lower(): i for i, label in enumerate(va_labels)}

    def va_row(*words: str) -> FloatArray:
        for label, i in find.items():
            if all(w in label for w in words):
                row: FloatArray = va[i]
                return row
        raise InputError(f"no value-added row with {' '.join(words)!r}", f"{tab2}: sheet VA")

    compensation = va_row("remunera")
    surplus = va_row("excedente")
    other = va_row("outros impostos") + va_row("outros subs")
    value_added = {
        "compensation of employees": ("labour", compensation),
        "operating surplus and mixed income": ("surplus", surplus),
        "net taxes on production and products": (
            "surplus",
            other + tax_m[:, :n_act].sum(axis=0),
        ),
    }
    fd = {k: y[:, i] for i, k in enumerate(_FINAL)}
    final_demand = {
        "exports": fd["exports"],
        "government": fd["government"],
        "households": fd["households"] + fd["npish"],
        "investment": fd["investment"],
        "inventories": fd["inventories"],
    }
    fin_imp = import_m[:, n_act:].sum(axis=0)
    final_imports = {
        "government": float(fin_imp[1]),
        "households": float(fin_imp[2] + fin_imp[3]),
        "investment": float(fin_imp[4]),
        "inventories": float(fin_imp[5]),
    }
    employment = va_row("fator trabalho")
    del n_prod
    return IOTable(
        activities,
        z,
        final_demand,
        import_m[:, :n_act].sum(axis=0),
        value_added,
        output,
        "R$ million",
        final_imports,
        employment,
        {},
        str(tab2),
    ).check(tolerance=5e-3)


def _activity_names(path: Path, book: Any, n: int) -> list[str]:
    sh = book.sheet_by_name("producao")
    heads = sh.row_values(3)[2 : 2 + n] if str(sh.cell_value(5, 0)).strip()[:1].isdigit() else []
    names = [" ".join(str(h).split("\n")[1:]).strip() or str(h).strip() for h in heads]
    if len(names) != n or not all(names):
        raise InputError("cannot read activity names from row 4", f"{path}: sheet producao")
    return names
