"""Calibration of tables with emissions, low margins and negligible flows.

The pymrio fixture (``examples/io/pymrio-test``, pymrio's test system with a
balancing value-added row: 6 regions, 8 sectors, two pollutants in kg) has
the cases that once failed: emission charges larger than an industry's
output at one base price, and a government demand of 1.75e-7 for mining.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parecon.cli.io_commands import compare
from parecon.engine import PlanningProcedure
from parecon.engine.plan_accounts import pollution_accounts
from parecon.exceptions import ConvergenceWarning, InvalidValueError
from parecon.scenario.io_tables.calibrate import Calibration, economy_from_table, reproduction
from parecon.scenario.io_tables.pymrio_format import read_pymrio
from parecon.scenario.io_tables.table import IOTable, TableWarning

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = ROOT / "examples" / "io" / "pymrio-test"
BRAZIL = ROOT / "examples" / "io" / "brazil-2019"
REGIONS = [f"reg{k}" for k in range(1, 7)]


def _region(region: str) -> IOTable:
    return read_pymrio(SYSTEM, region)


def _economy(table: IOTable):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TableWarning)
        return economy_from_table(table)


@pytest.mark.parametrize("region", REGIONS)
def test_emissions_are_priced_per_pollutant_and_reproduced(region: str) -> None:
    table = _region(region)
    assert len(table.emissions) == 2
    economy = _economy(table)
    rep = reproduction(economy, table)
    assert rep.max_relative_error < 1e-9  # outputs, flows, value added and emissions
    assert rep.max_gap < 1e-9  # the permit market clears at the opening prices
    prices = economy.metadata["pollutant_base_price"]
    assert set(prices) == set(table.emissions)
    assert len(set(prices.values())) == 2
    names = economy.goods.names
    for e, p in prices.items():
        assert economy.initial_prices[names.index(e)] == p
    # charges at the opening prices: price × the table's emissions, credited in full
    accounts = pollution_accounts(economy, economy.initial_prices)
    for acc in accounts.pollutants:
        emitted = float(table.emissions[acc.good][1].sum())
        assert acc.emitted == pytest.approx(emitted, rel=1e-9)
        assert acc.charges == pytest.approx(prices[acc.good] * emitted, rel=1e-9)
        assert acc.credits == pytest.approx(acc.charges, rel=1e-9)
    # no industry pays more than half its surplus in emission charges
    charges = sum(p * table.emissions[e][1] for e, p in prices.items())
    bought = table.intermediate.sum(axis=0) + table.imports + table.value_added_of("labour")
    assert (charges <= 0.5 * (table.output - bought) * (1 + 1e-12)).all()


@pytest.mark.parametrize("region", REGIONS)
def test_plan_keeps_gross_output_within_two_percent(region: str) -> None:
    table = _region(region)
    economy = _economy(table)
    rng = np.random.default_rng(0)
    start = economy.with_prices(
        economy.initial_prices * np.exp(rng.normal(0.0, 0.2, economy.n_goods))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(tolerance=0.01, max_rounds=200).run(start)
    assert result.converged
    report = compare(economy, table, result.prices)
    assert report["max_output_change"] < 0.02, report["output_change"]


def test_negligible_public_good_is_left_out_with_a_warning() -> None:
    table = _region("reg4")
    mining = table.sectors.index("mining")
    assert 0 < table.final("government")[mining] < 1e-9 * table.output[mining]
    with pytest.warns(TableWarning, match=r"government demand for 'mining': 1\.75238e-07"):
        economy = economy_from_table(table)
    assert "mining (public)" not in economy.goods.names
    # every good has a supplier and a user: none is left unproduced
    response = economy.respond(economy.initial_prices)
    assert (response.supply > 0).all() and (response.demand > 0).all()
    assert reproduction(economy, table).max_gap < 1e-9


def test_one_threshold_for_goods_and_councils() -> None:
    """Just above the threshold a public good has its own workplace and users."""
    table = _region("reg4")
    mining = table.sectors.index("mining")
    cal = Calibration(negligible=0.0)
    economy = economy_from_table(table, cal)  # no warning: only zero flows are negligible now
    g = economy.goods.names.index("mining (public)")
    response = economy.respond(economy.initial_prices)
    assert response.supply[g] == pytest.approx(table.final("government")[mining], rel=1e-9)
    assert response.demand[g] == pytest.approx(response.supply[g], rel=1e-9)


def _low_margin(surplus_share: float) -> IOTable:
    """Brazil with one industry's surplus cut to ``surplus_share`` of its output."""
    brazil = read_pymrio(BRAZIL)
    j = brazil.sectors.index("Comércio")
    va = dict(brazil.value_added)
    surplus = va["operating surplus and mixed income"][1].copy()
    taxes = va["net taxes on production and products"][1].copy()
    wages = va["compensation of employees"][1].copy()
    target = surplus_share * brazil.output[j]
    wages[j] += surplus[j] + taxes[j] - target
    surplus[j], taxes[j] = target, 0.0
    va["operating surplus and mixed income"] = ("surplus", surplus)
    va["net taxes on production and products"] = ("surplus", taxes)
    va["compensation of employees"] = ("labour", wages)
    return replace(brazil, value_added=va).check(tolerance=1e-9)


@pytest.mark.parametrize("share", [0.02, 0.0, -0.03])
def test_low_margin_industries_reproduce_exactly(share: float) -> None:
    table = _low_margin(share)
    economy = economy_from_table(table)
    rep = reproduction(economy, table)
    assert rep.max_relative_error < 1e-9
    assert rep.max_gap < 1e-9
    supported = economy.metadata["supported_by_plan"]
    assert set(supported) == {"Comércio"}
    # the council keeps the minimum margin; the plan delivers the rest of its inputs
    assert supported["Comércio"] == pytest.approx(1 - 0.95 / (1 - share), rel=1e-12)
    assert "capital: Comércio" not in economy.goods.names


def test_low_margin_economy_plans_near_its_table() -> None:
    table = _low_margin(0.0)
    economy = economy_from_table(table)
    rng = np.random.default_rng(1)
    start = economy.with_prices(np.exp(rng.normal(0.0, 0.2, economy.n_goods)))
    result = PlanningProcedure(tolerance=0.01, max_rounds=200).run(start)
    assert result.converged
    assert compare(economy, table, result.prices)["max_output_change"] < 0.02


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cap_factor", float("nan"), r"cap_factor must be finite and >= 0 \(got nan\)"),
        ("cap_factor", float("inf"), r"cap_factor must be finite and >= 0 \(got inf\)"),
        ("workplace_size", float("nan"), r"workplace_size must be finite and > 0 people"),
        ("workplace_size", 0.0, r"workplace_size must be finite and > 0 people \(got 0\)"),
        ("workplace_size", -3.0, r"workplace_size must be finite and > 0 people \(got -3\)"),
        ("workplace_size", float("inf"), r"workplace_size must be finite and > 0 people"),
    ],
)
def test_calibration_refuses_sizes_and_caps_it_cannot_use(
    field: str, value: float, message: str
) -> None:
    # NaN workplaces per industry was a traceback; 0, -3 and inf were silently ignored.
    with pytest.raises(InvalidValueError, match=message):
        replace(Calibration(), **{field: value})  # type: ignore[arg-type]
