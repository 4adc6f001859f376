"""IBGE's supply-use tables in every layout, cleaning of conversion artefacts, located errors."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parecon.exceptions import InputError
from parecon.scenario.io_tables.calibrate import economy_from_table, reproduction
from parecon.scenario.io_tables.cleaning import ARTEFACT_SHARE, clean_artefacts
from parecon.scenario.io_tables.ibge import read_ibge
from parecon.scenario.io_tables.pymrio_format import read_pymrio
from parecon.scenario.io_tables.table import TableWarning
from tests.economy.ibge_fixtures import ACTIVITIES, LAYOUTS, write_ibge

pytest.importorskip("xlwt")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_reads_and_reproduces(name: str, tmp_path: Path) -> None:
    layout = LAYOUTS[name]
    table = read_ibge(write_ibge(tmp_path, layout))
    assert table.sectors == ACTIVITIES
    assert table.unit == "R$ million"
    assert table.employment is not None and table.employment.tolist() == [500, 300, 200]
    # the converted table balances row by row (the margin moved to the trade and transport
    # products only, not to "Outros equipamentos de transporte") and column by column
    table.check(tolerance=1e-9)
    rep = reproduction(economy_from_table(table), table)
    assert rep.max_relative_error < 1e-9
    assert rep.max_gap < 1e-9


def test_layouts_convert_alike(tmp_path: Path) -> None:
    """The same economy in the 2000–2009 and 2010 layouts gives the same table."""
    old = read_ibge(write_ibge(tmp_path / "a", LAYOUTS["12 activities, 2000-2009"]))
    new = read_ibge(write_ibge(tmp_path / "b", LAYOUTS["12 activities, 2010 on"]))
    assert np.allclose(old.intermediate, new.intermediate, rtol=1e-12)
    for kind in new.final_demand:
        assert np.allclose(old.final(kind), new.final(kind), rtol=1e-12, atol=1e-9)


def test_the_shipped_table_matches_its_pymrio_copy() -> None:
    ibge = read_ibge(ROOT / "examples" / "io" / "ibge" / "12_tab1_2019.xls")
    brazil = read_pymrio(ROOT / "examples" / "io" / "brazil-2019")
    assert np.allclose(ibge.intermediate, brazil.intermediate, rtol=1e-12)


@pytest.mark.parametrize(
    ("level", "year", "folder"),
    [
        ("12", "2005", "nivel_12_2000_2021_xls"),
        ("12", "2016", "nivel_12_2000_2021_xls"),  # codes stored as numbers
        ("20", "2015", "nivel_20_2010_2021_xls"),
        ("51", "2005", "nivel_51_2000_2021_xls"),
        ("51", "2012", "nivel_51_2000_2021_xls"),  # refining's value added is negative
        ("68", "2012", "nivel_68_2010_2021_xls"),  # 14 conversion artefacts cleaned
        ("68", "2019", "nivel_68_2010_2021_xls"),
    ],
)
def test_real_tables_agree_with_iotbr(level: str, year: str, folder: str) -> None:
    """Where iotbr is installed: its conversion of the real series and ours agree."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # iotbr's own, at import
        iotbr = pytest.importorskip("iotbr")
        from iotbr import io_system  # type: ignore[import-untyped]

    path = Path(iotbr.__file__).parent / "IBGE" / folder / f"{level}_tab1_{year}.xls"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = io_system.system(year, level, "t")
        ours = read_ibge(path)
    z = np.maximum(theirs.mD_int_pb_qua, 0.0)  # ours has the tiny negatives cleaned
    assert np.abs(z - ours.intermediate).max() <= 1e-12 * np.abs(z).max()
    gov = np.maximum(theirs.mD_final_pb_qua[:, 1], 0.0)
    assert np.allclose(gov, ours.final("government"), atol=1e-6)
    rep = reproduction(economy_from_table(ours), ours)
    assert rep.max_relative_error < 1e-9 and rep.max_gap < 1e-9


def _with_negative(share: float) -> tuple[object, int]:
    brazil = read_pymrio(ROOT / "examples" / "io" / "brazil-2019")
    i = 1
    gov = brazil.final("government").copy()
    stock = brazil.final("inventories").copy()
    amount = -share * brazil.output[i]
    stock[i] += gov[i] - amount  # keep the row balanced with the negative in it
    gov[i] = amount
    final = {**brazil.final_demand, "government": gov, "inventories": stock}
    return replace(brazil, final_demand=final), i


def test_tiny_negatives_are_cleaned_with_a_warning() -> None:
    table, i = _with_negative(ARTEFACT_SHARE / 10)
    amount = table.final("government")[i]  # type: ignore[attr-defined]
    with pytest.warns(TableWarning, match=r"row 'Indústrias extrativas', column \"final demand "):
        cleaned = clean_artefacts(table)  # type: ignore[arg-type]
    assert cleaned.final("government")[i] == 0.0
    # the row still balances: the amount came out of the stock change
    assert cleaned.final("inventories")[i] == pytest.approx(
        table.final("inventories")[i] + amount,
        rel=1e-12,  # type: ignore[attr-defined]
    )
    cleaned.check(tolerance=1e-9)
    rep = reproduction(economy_from_table(cleaned), cleaned)
    assert rep.max_relative_error < 1e-9 and rep.max_gap < 1e-9


def test_real_negatives_are_refused_with_row_and_column() -> None:
    table, _ = _with_negative(ARTEFACT_SHARE * 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = clean_artefacts(table)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"row final demand 'government', column 'Indústrias ext"):
        same.check()


def test_a_cleaned_intermediate_flow_balances_its_column() -> None:
    brazil = read_pymrio(ROOT / "examples" / "io" / "brazil-2019")
    z = brazil.intermediate.copy()
    stock = brazil.final("inventories").copy()
    i, j = 2, 5
    stock[i] += z[i, j] + 1e-7 * brazil.output[i]
    va = dict(brazil.value_added)
    name = "operating surplus and mixed income"
    surplus = va[name][1].copy()
    surplus[j] += z[i, j] + 1e-7 * brazil.output[i]
    z[i, j] = -1e-7 * brazil.output[i]
    va[name] = ("surplus", surplus)
    table = replace(
        brazil,
        intermediate=z,
        final_demand={**brazil.final_demand, "inventories": stock},
        value_added=va,
    )
    with pytest.warns(TableWarning, match=r"row 'Indústrias de transformação', column 'Comércio'"):
        cleaned = clean_artefacts(table)
    cleaned.check(tolerance=1e-9)


@pytest.mark.parametrize(
    ("edits", "skip", "message"),
    [
        ({("oferta", 1, 4): "n/d"}, None, r"sheet oferta, row '02', column 'IPI': not a number"),
        ({("oferta", -1, 5): "IVA"}, None, r"sheet oferta: no column headed 'icms'"),
        ({("oferta", 2, 0): 1.0}, None, r"sheet oferta, row '03': supply at purchasers' prices"),
        ({("demanda", 0, 3): 1.0}, None, r"demanda, row '01': intermediate and final uses do not"),
        ({("demanda", 0, 7): 1.0}, None, r"demanda, row '01': total demand differs from supply"),
        ({("producao", 0, 0): 0.0}, None, r"basic supply is not output plus imports"),
        ({}, "VA", r"12_tab2_2019.xls: no sheet 'VA'"),
    ],
)
def test_bad_tables_give_located_errors(
    tmp_path: Path, edits: dict[tuple[str, int, int], object], skip: str | None, message: str
) -> None:
    path = write_ibge(tmp_path, LAYOUTS["12 activities, 2010 on"], edits=edits, skip=skip)
    with pytest.raises(InputError, match=message):
        read_ibge(path)


def test_products_must_match_across_workbooks(tmp_path: Path) -> None:
    path = write_ibge(tmp_path, LAYOUTS["12 activities, 2010 on"])
    other = write_ibge(tmp_path / "other", LAYOUTS["20 activities"])
    (tmp_path / "12_tab2_2019.xls").write_bytes((other.parent / "20_tab2_2019.xls").read_bytes())
    with pytest.raises(InputError, match=r"sheet CI, row 'Agropecuária': product 1 is 'A'"):
        read_ibge(path)


def test_truncated_workbook_is_a_located_error_and_quiet(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = write_ibge(tmp_path, LAYOUTS["68 activities"])
    tab2 = tmp_path / "68_tab2_2019.xls"
    tab2.write_bytes(tab2.read_bytes()[:5000])
    with pytest.raises(InputError, match=r"68_tab2_2019.xls: not an IBGE .xls workbook"):
        read_ibge(path)
    assert capfd.readouterr().out == ""
