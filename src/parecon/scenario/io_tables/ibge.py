"""IBGE's supply-use tables (Tabelas de Recursos e Usos), as shipped by iotbr.

IBGE publishes, for levels of 12, 20, 51 and 68 activities, two workbooks per
year: ``NN_tab1_YYYY.xls`` (supply: output of each product by activity,
imports, trade and transport margins and product taxes) and
``NN_tab2_YYYY.xls`` (use at purchasers' prices: intermediate consumption,
final demand, value added and employment). Every level and both reference
layouts (2000–2009 and 2010 on) are read by their structure
(:mod:`~parecon.scenario.io_tables.ibge_sheets`): columns by the words of
their headings, rows by their codes or labels, with xlrd only (extra ``io``).

They are turned into a symmetric industry-by-industry table at basic prices
the way iotbr does: each product's taxes, margins and imports are spread over
its uses in proportion to them (exports carry no imports; stock changes
nothing), the trade and transport margins are moved to the products that
supply them (the rows with a negative entry in the margin column), and the
industry-technology assumption maps products to industries
(``D = V Q̂⁻¹``, ``Z = D U``, ``Y = D E``). Product taxes paid on inputs count
as value added (net taxes). The proportional spreading leaves a few tiny
negative flows; :func:`~parecon.scenario.io_tables.cleaning.clean_artefacts`
sets those to zero with a warning and refuses larger ones.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError
from parecon.scenario.io_tables.cleaning import ARTEFACT_SHARE, clean_artefacts
from parecon.scenario.io_tables.ibge_sheets import Sheet, read_sheet
from parecon.scenario.io_tables.table import FloatArray, IOTable

__all__ = ["find_ibge", "read_ibge"]


def _workbook(path: Path) -> Any:
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installation
        raise InputError(
            "reading IBGE .xls tables needs xlrd: pip install 'parecon[io]'", str(path)
        ) from None
    try:
        # xlrd writes its warnings about damaged files to a log; keep them off stdout
        return xlrd.open_workbook(str(path), logfile=io.StringIO())
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except Exception as exc:  # xlrd raises its own error types
        raise InputError(f"not an IBGE .xls workbook ({exc})", str(path)) from None


def _sibling(path: Path) -> tuple[Path, Path]:
    name = path.name
    if "_tab1_" in name:
        return path, path.with_name(name.replace("_tab1_", "_tab2_"))
    if "_tab2_" in name:
        return path.with_name(name.replace("_tab2_", "_tab1_")), path
    raise InputError("expected IBGE's NN_tab1_YYYY.xls or NN_tab2_YYYY.xls", str(path))


def find_ibge(folder: Path) -> list[Path]:
    """The supply tables (``*_tab1_*.xls``) in ``folder``, for a helpful error."""
    return sorted(folder.glob("*_tab1_*.xls"))


def _same_rows(sheets: list[Sheet]) -> None:
    """The same products in the same order: counts, codes, and labels within a workbook.

    Labels are not compared across the two workbooks (IBGE names one product
    "Tecelagem" in one and "Fabricação outros produtos têxteis" in the other);
    there the totals must agree instead (checked by the caller).
    """
    first = sheets[0]
    for sh in sheets[1:]:
        if len(sh.keys) != len(first.keys):
            raise InputError(
                f"{len(sh.keys)} products here, {len(first.keys)} in {first.where}", sh.where
            )
        coded = all(sh.codes) and all(first.codes)
        if not coded and sh.path != first.path:
            continue
        for k, (a, b) in enumerate(zip(sh.keys, first.keys, strict=True)):
            if a != b:
                raise InputError(
                    f"product {k + 1} is {sh.shown(k)!r} here but {first.shown(k)!r} in "
                    f"{first.where}",
                    f"{sh.where}, row {sh.labels[k].strip()!r}",
                )


def _activities(sheet: Sheet) -> tuple[list[str], list[str], FloatArray]:
    """Activity names and codes (when every heading starts with one) and their columns."""
    heads, values = sheet.body()
    if not heads:
        raise InputError("no activity columns before the Total column", sheet.where)
    parts = [h.split(" ", 1) for h in heads]
    coded = all(
        len(p) == 2 and (p[0].isdigit() or (len(p[0]) == 1 and p[0].isupper())) for p in parts
    )
    names = [p[1] if coded else h for p, h in zip(parts, heads, strict=True)]
    codes = [p[0] if coded else "" for p in parts]
    return names, codes, values


def _same_activities(codes: list[str], sheet: Sheet, other: list[str], where: str) -> None:
    """Same number of activities, and the same codes where the headings have them.

    Names are not compared: IBGE spells some differently from sheet to sheet
    ("material eletronico" and "material elétrico" for one activity).
    """
    if len(codes) != len(other):
        raise InputError(
            f"{len(codes)} activity columns here, {len(other)} in {where}", sheet.where
        )
    for k, (a, b) in enumerate(zip(codes, other, strict=True)):
        if a and b and a.lstrip("0") != b.lstrip("0"):
            raise InputError(
                f"activity column {k + 1} has code {a!r} here but {b!r} in {where}", sheet.where
            )


def _check_identity(
    total: FloatArray, parts: FloatArray, what: str, sheet: Sheet, tolerance: float = 1e-3
) -> None:
    off = np.abs(total - parts) / np.maximum(np.abs(total), 1.0)
    if (off > tolerance).any():
        i = int(np.argmax(off))
        raise InputError(
            f"{what}: {parts[i]:.6g} against {total[i]:.6g} in the table",
            f"{sheet.where}, row {sheet.shown(i)!r}",
        )


def read_ibge(path: str | Path, artefact_share: float = ARTEFACT_SHARE) -> IOTable:
    """Read ``NN_tab1_YYYY.xls`` with its ``tab2`` sibling as a national table.

    Negative flows that the conversion to basic prices leaves, up to
    ``artefact_share`` of their row's gross output, are set to zero with a
    :class:`~parecon.scenario.io_tables.table.TableWarning` (see
    :func:`~parecon.scenario.io_tables.cleaning.clean_artefacts`).
    """
    tab1, tab2 = _sibling(Path(path))
    supply_book, use_book = _workbook(tab1), _workbook(tab2)
    oferta = read_sheet(supply_book, "oferta", tab1)
    producao = read_sheet(supply_book, "producao", tab1)
    importacao = read_sheet(supply_book, "importacao", tab1)
    ci_sheet = read_sheet(use_book, "CI", tab2)
    demanda = read_sheet(use_book, "demanda", tab2)
    va_sheet = read_sheet(use_book, "VA", tab2)
    _same_rows([oferta, producao, importacao, ci_sheet, demanda])
    units = {s.unit for s in (oferta, producao, importacao, ci_sheet, demanda, va_sheet)} - {""}
    if len(units) > 1:
        raise InputError(f"sheets in different units ({', '.join(sorted(units))})", str(tab1))
    unit = units.pop() if units else "R$ million"

    activities, codes, make = _activities(producao)
    _, ci_codes, ci = _activities(ci_sheet)
    _, va_codes, _ = _activities(va_sheet)
    _same_activities(ci_codes, ci_sheet, codes, producao.where)
    _same_activities(va_codes, va_sheet, codes, producao.where)
    n_act = len(activities)

    purchasers = oferta.column("consumidor")
    margins_trade = oferta.column("margem", "comercio")
    margins_transport = oferta.column("margem", "transporte")
    import_tax = oferta.column("imposto de importacao")
    taxes = oferta.column("ipi") + oferta.column("icms") + oferta.column("outros impostos")
    basic_supply = oferta.column("preco basico")
    imports = importacao.values.sum(axis=1)
    _check_identity(
        purchasers,
        basic_supply + margins_trade + margins_transport + import_tax + taxes,
        "supply at purchasers' prices is not basic supply plus margins and taxes",
        oferta,
    )
    _check_identity(
        basic_supply, make.sum(axis=1) + imports, "basic supply is not output plus imports", oferta
    )
    final = np.column_stack(
        [
            demanda.column("exporta"),
            demanda.column("governo", required=False)
            + demanda.column("administracao publica", required=False),
            demanda.column("isflsf"),
            demanda.column("familias"),
            demanda.column("formacao bruta"),
            demanda.column("estoque"),
        ]
    )
    exports, government, npish, households, investment, inventories = range(6)
    if not (demanda.columns("governo") or demanda.columns("administracao publica")):
        raise InputError("no column headed 'consumo do governo'", demanda.where)
    total_demand = demanda.column("demanda total")
    _check_identity(
        purchasers, total_demand, "total demand differs from supply in sheet oferta", demanda
    )
    _check_identity(
        total_demand,
        ci.sum(axis=1) + final.sum(axis=1),
        "intermediate and final uses do not add up to total demand",
        demanda,
    )

    uses = np.hstack([ci, final])  # (products, activities + 6)
    inv = n_act + inventories
    spread = uses.copy()
    spread[:, inv] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.nan_to_num(spread / (total_demand - final[:, inventories])[:, None])
        spread[:, n_act + exports] = 0.0  # exports carry no import or import tax
        dist_imports = np.nan_to_num(
            spread / (total_demand - final[:, inventories] - final[:, exports])[:, None]
        )
    tax_m = dist * taxes[:, None]
    import_m = dist_imports * (imports + import_tax)[:, None]
    margin_m = np.zeros_like(uses)
    for vector, word in ((margins_trade, "trade"), (margins_transport, "transport")):
        part = dist * vector[:, None]
        rows = np.flatnonzero(vector < 0)  # the products that supply the margin
        if vector.any() and not rows.size:
            raise InputError(
                f"no product supplies the {word} margin (no negative entry in its column)",
                oferta.where,
            )
        if rows.size:
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
    produced = va_sheet.row("valor da producao", required=False)
    if produced is not None:
        _check_identity(
            produced[:n_act], output, "output by activity differs from producao", va_sheet
        )

    compensation = va_sheet.row("remunera")
    surplus = va_sheet.row("excedente")
    other = va_sheet.row("outros impostos")
    subsidies = va_sheet.row("outros subs")
    assert compensation is not None and surplus is not None
    assert other is not None and subsidies is not None
    value_added = {
        "compensation of employees": ("labour", compensation[:n_act]),
        "operating surplus and mixed income": ("surplus", surplus[:n_act]),
        "net taxes on production and products": (
            "surplus",
            other[:n_act] + subsidies[:n_act] + tax_m[:, :n_act].sum(axis=0),
        ),
    }
    final_demand = {
        "exports": y[:, exports],
        "government": y[:, government],
        "households": y[:, households] + y[:, npish],
        "investment": y[:, investment],
        "inventories": y[:, inventories],
    }
    fin_imp = import_m[:, n_act:].sum(axis=0)
    final_imports = {
        "government": float(fin_imp[government]),
        "households": float(fin_imp[households] + fin_imp[npish]),
        "investment": float(fin_imp[investment]),
        "inventories": float(fin_imp[inventories]),
    }
    employment = va_sheet.row("fator trabalho", "pessoal ocupado", required=False)
    table = IOTable(
        tuple(activities),
        z,
        final_demand,
        import_m[:, :n_act].sum(axis=0),
        value_added,
        output,
        unit,
        final_imports,
        None if employment is None else employment[:n_act],
        {},
        str(tab2),
    )
    return clean_artefacts(table, artefact_share).check(tolerance=5e-3)
