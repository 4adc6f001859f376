"""Input-output tables: readers, calibration, bad input, CLI."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from parecon.cli.app import app
from parecon.engine import PlanningProcedure
from parecon.engine.linear_plan import linear_optimum
from parecon.engine.plan_accounts import pollution_accounts
from parecon.exceptions import InfeasibleError, InputError
from parecon.scenario import load_economy
from parecon.scenario.io_tables.calibrate import Calibration, economy_from_table, reproduction
from parecon.scenario.io_tables.ibge import read_ibge
from parecon.scenario.io_tables.pymrio_format import read_pymrio, write_pymrio

ROOT = Path(__file__).resolve().parents[2]
BRAZIL = ROOT / "examples" / "io" / "brazil-2019"
IBGE = ROOT / "examples" / "io" / "ibge" / "12_tab1_2019.xls"


@pytest.fixture(scope="module")
def brazil():  # type: ignore[no-untyped-def]
    return read_pymrio(BRAZIL)


def test_ibge_and_pymrio_agree(brazil) -> None:  # type: ignore[no-untyped-def]
    ibge = read_ibge(IBGE)
    assert ibge.n == 12
    assert np.allclose(ibge.intermediate, brazil.intermediate)
    assert brazil.employment is not None
    assert brazil.unit == "R$ million"


@pytest.mark.parametrize("cal", [Calibration(), Calibration(workplace_size=50000, closed=True)])
def test_calibration_reproduces_table(brazil, cal: Calibration) -> None:  # type: ignore[no-untyped-def]
    economy = economy_from_table(brazil, cal)
    rep = reproduction(economy, brazil)
    assert rep.max_relative_error < 1e-9
    assert rep.max_gap < 1e-9
    assert linear_optimum(economy, economy.initial_prices).scale == pytest.approx(1.0, abs=1e-6)


def test_emissions_become_capped_pollutants(brazil, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    co2 = np.linspace(1.0, 5.0, brazil.n) * brazil.output
    table = replace(brazil, emissions={"CO2": ("kg", co2)})
    write_pymrio(table, tmp_path / "t", region="BR")
    back = read_pymrio(tmp_path / "t")
    assert back.emissions["CO2"][0] == "kg"
    economy = economy_from_table(back, Calibration(cap_factor=0.9, consumers=20))
    rep = reproduction(economy, back)
    assert rep.max_relative_error < 1e-9  # emissions included, at their base price
    # the only opening gap is the cap's cut: permits 0.9 of what is emitted
    assert rep.worst_good == "CO2"
    assert rep.max_gap == pytest.approx(2 * 0.1 / 1.9, rel=1e-9)
    result = PlanningProcedure(tolerance=0.01, max_rounds=200).run(economy)
    assert result.converged
    # a closed economy with pollutants: members' allowances plus credits buy the table
    closed = economy_from_table(back, Calibration(closed=True, workplace_size=50000))
    assert reproduction(closed, back).max_relative_error < 1e-9
    (acc,) = pollution_accounts(economy, result.prices).pollutants
    assert acc.permitted == pytest.approx(0.9 * co2.sum(), rel=1e-9)
    assert abs(acc.charges - acc.credits) < 0.01 * acc.credits


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "table"
    shutil.copytree(BRAZIL, dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_negative_flow_names_row_and_column(tmp_path: Path) -> None:
    t = _copy(tmp_path)
    lines = (t / "Z.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[3].split("\t")
    cells[3] = "-" + cells[3]
    lines[3] = "\t".join(cells)
    (t / "Z.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 'Agropecuária', column 'Indústrias extrativas'"):
        read_pymrio(t)


def test_unbalanced_table_names_row(tmp_path: Path) -> None:
    t = _copy(tmp_path)
    lines = (t / "x.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split("\t")
    cells[2] = str(float(cells[2]) * 1.1)
    lines[2] = "\t".join(cells)
    (t / "x.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 'Indústrias extrativas': table does not balance"):
        read_pymrio(t)


def test_missing_sector(tmp_path: Path) -> None:
    t = _copy(tmp_path)
    lines = (t / "Z.txt").read_text(encoding="utf-8").splitlines()
    (t / "Z.txt").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="is a column of Z but not a row"):
        read_pymrio(t)


def test_mismatched_units(tmp_path: Path) -> None:
    t = _copy(tmp_path)
    _edit(t / "unit.txt", "R$ million", "R$ thousand")
    with pytest.raises(
        InputError, match=r"unit.txt: row \('BR', 'Indústrias extrativas'\).*units differ"
    ):
        read_pymrio(t)
    t2 = _copy(tmp_path / "b")
    _edit(t2 / "factor_inputs" / "unit.txt", "R$ million", "R$ thousand")
    with pytest.raises(InputError, match="units differ"):
        read_pymrio(t2)


def test_cli_import_and_plan(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "br.json"
    res = runner.invoke(app, ["import-io", str(BRAZIL), "-o", str(out), "--consumers", "30"])
    assert res.exit_code == 0, res.output
    assert "largest relative error" in res.output
    assert load_economy(out).n_goods == 37
    res = runner.invoke(app, ["plan-io", str(BRAZIL), "--consumers", "30", "--json", "-"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output[res.output.index("{") :])
    assert report["status"] == "converged"
    assert abs(report["lp_distance"]) < 0.05
    assert abs(report["accounts"]["balance"]["imbalance"]) < 0.05
    assert {f["good"] for f in report["accounts"]["fixed_supplies"]}
    bad = runner.invoke(app, ["import-io", str(tmp_path / "nope.csv"), "-o", str(out)])
    assert bad.exit_code == 2
    assert "nope.csv" in bad.output


def test_cli_import_io_json_reports_fit_per_industry(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "br.json"
    res = runner.invoke(app, ["import-io", str(BRAZIL), "-o", str(out), "--json", "-"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["n_industries"] == 12 and report["unit"] == "R$ million"
    assert report["max_relative_error"] < 1e-9 and report["max_gap"] < 1e-9
    assert report["where"] and report["worst_good"]
    fits = {f["industry"]: f for f in report["industries"]}
    assert len(fits) == 12
    agro = fits["Agropecuária"]
    assert agro["output"] == pytest.approx(agro["reproduced"], rel=1e-9)
    assert agro["output_error"] < 1e-9 and agro["flow_error"] < 1e-9 and agro["from_plan"] == 0
    assert report["warnings"] == [] and report["supported_by_plan"] == {}


def test_cli_import_io_reports_what_it_left_out(tmp_path: Path) -> None:
    system = ROOT / "examples" / "io" / "pymrio-test"
    out, rep = str(tmp_path / "e.json"), str(tmp_path / "r.json")
    res = CliRunner().invoke(
        app, ["import-io", str(system), "--region", "reg4", "-o", out, "--json", rep]
    )
    assert res.exit_code == 0, res.output
    assert "warning:" in res.output and "'mining'" in res.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert any("government demand for 'mining'" in w for w in report["warnings"])
    assert set(report["pollutant_base_price"]) == {"emission_type1 - air", "emission_type2 - water"}


def test_plan_io_reports_the_plan_when_the_lp_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parecon.cli.io_commands as io_commands

    def failing(economy: object, prices: object) -> None:
        raise InfeasibleError("the linearised economy has no optimum (because of a test)")

    monkeypatch.setattr(io_commands, "linear_optimum", failing)
    target = tmp_path / "plan.json"
    res = CliRunner().invoke(
        app, ["plan-io", str(BRAZIL), "--consumers", "30", "--json", str(target)]
    )
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert any("converged after" in line for line in lines)
    failed = [line for line in lines if line.startswith("LP comparison failed:")]
    assert failed and "because of a test" in failed[0]
    report = json.loads(target.read_text())
    assert report["status"] == "converged"
    assert report["lp_status"] == "failed" and "because of a test" in report["lp_error"]
    assert report["lp_scale"] is None and report["max_output_change"] < 0.02


def test_lp_failure_names_the_good_it_lacks(brazil) -> None:  # type: ignore[no-untyped-def]
    from parecon.engine import Economy, FixedSupply

    economy = economy_from_table(brazil)
    g = economy.goods.names.index("capital: Indústrias extrativas")
    populations = []
    for pop in economy.populations:
        if isinstance(pop, FixedSupply):
            amounts = pop.quantities.copy()
            amounts[list(pop.goods).index(g)] *= 0.1  # a tenth of the mines' capital
            pop = FixedSupply(pop.goods, amounts, pop.total_goods)
        populations.append(pop)
    short = Economy(economy.goods, tuple(populations), economy.initial_prices, "short")
    with pytest.raises(InfeasibleError, match=r"need .* more of 'capital: Indústrias extrativas'"):
        linear_optimum(short, short.initial_prices)


def test_ibge_folder_points_at_its_tables() -> None:
    res = CliRunner().invoke(app, ["import-io", str(IBGE.parent), "-o", "x.json"])
    assert res.exit_code == 2
    assert "a folder of IBGE tables" in res.output and "12_tab1_2019.xls" in res.output


@pytest.mark.parametrize(
    ("name", "keep"), [("Z.txt", 0), ("Z.txt", 1), ("Y.txt", 0), ("x.txt", 3), ("Z.txt", 5)]
)
@pytest.mark.parametrize("command", ["import-io", "plan-io"])
def test_truncated_pymrio_folder_gives_a_located_error(
    tmp_path: Path, name: str, keep: int, command: str
) -> None:
    t = _copy(tmp_path)
    lines = (t / name).read_text(encoding="utf-8").splitlines()
    (t / name).write_text("\n".join(lines[:keep]), encoding="utf-8")
    args = [command, str(t)] + (["-o", str(tmp_path / "e.json")] if command == "import-io" else [])
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "error:" in res.output and name in res.output


def test_compare_counts_what_councils_produce_not_stock_run_downs(brazil) -> None:  # type: ignore[no-untyped-def]
    from parecon.cli.io_commands import compare

    agro = brazil.sectors.index("Agropecuária")
    assert brazil.final("inventories")[agro] < 0  # a run-down: a fixed supply of the good
    economy = economy_from_table(brazil)
    report = compare(economy, brazil, economy.initial_prices)
    assert report["max_output_change"] < 1e-9
    assert report["lp_status"] == "optimal" and abs(report["lp_distance"]) < 1e-6
