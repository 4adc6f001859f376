"""``parecon plan``, ``generate``, ``equilibrium`` end to end, and user errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parecon.cli.app import app
from parecon.engine import PlanningProcedure

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = ROOT / "examples" / "economies" / "village.toml"
runner = CliRunner()


def load_village():  # type: ignore[no-untyped-def]
    from parecon.scenario import load_economy

    return load_economy(VILLAGE)


def test_generate_then_plan_with_chart_and_json(tmp_path: Path) -> None:
    economy = tmp_path / "e.json.gz"
    out = runner.invoke(
        app,
        [
            "generate",
            str(economy),
            "--consumers",
            "200",
            "--workers",
            "150",
            "--goods-per-category",
            "4",
            "--seed",
            "3",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "200 consumer and 150 worker councils, 20 goods" in out.output
    chart, plan_json = tmp_path / "gaps.svg", tmp_path / "plan.json"
    out = runner.invoke(
        app,
        ["plan", str(economy), "--rule", "pequod", "--chart", str(chart), "--json", str(plan_json)],
    )
    assert out.exit_code == 0, out.output
    assert "round   1  largest gap" in out.output
    assert "converged" in out.output
    assert chart.read_text().startswith("<svg")
    doc = json.loads(plan_json.read_text())
    assert doc["converged"] and doc["max_gap"] < 0.03
    assert len(doc["prices"]) == len(doc["supply"]) == len(doc["demand"]) == 20


def test_plan_reproduces_pequod_run_as_json_on_stdout(pequod_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parecon.cli",
            "plan",
            str(pequod_dir / "dep1ex01.json.gz"),
            "--rule",
            "pequod",
            "--json",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(result.stdout)
    assert doc["converged"] is True and doc["rounds"] == 19
    assert doc["rounds_to"]["0.1"] == 7 and doc["rounds_to"]["0.05"] == 11
    assert doc["goods"][0] == "private-1" and len(doc["prices"]) == 50
    assert "round  19" in result.stderr


def test_plan_with_process_executor(tmp_path: Path) -> None:
    out = runner.invoke(
        app,
        [
            "plan",
            str(VILLAGE),
            "--executor",
            "processes",
            "--workers",
            "2",
            "--rule",
            "pequod",
            "--max-rounds",
            "200",
            "-q",
            "--json",
            str(tmp_path / "p.json"),
        ],
    )
    assert out.exit_code == 0, out.output
    local = runner.invoke(
        app,
        [
            "plan",
            str(VILLAGE),
            "--rule",
            "pequod",
            "--max-rounds",
            "200",
            "-q",
            "--json",
            str(tmp_path / "q.json"),
        ],
    )
    assert local.exit_code == 0
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("p.json", "q.json"))
    assert a["prices"] == pytest.approx(b["prices"], rel=1e-12)


def test_not_converging_exits_one_with_a_warning() -> None:
    out = runner.invoke(app, ["plan", str(VILLAGE), "--rule", "pequod", "--max-rounds", "2"])
    assert out.exit_code == 1
    assert "max-rounds" in out.output and "warning:" in out.output


def test_equilibrium_prints_clearing_prices(tmp_path: Path) -> None:
    out = runner.invoke(app, ["equilibrium", str(VILLAGE), "--json", str(tmp_path / "eq.json")])
    assert out.exit_code == 0, out.output
    doc = json.loads((tmp_path / "eq.json").read_text())
    assert doc["converged"] and doc["max_gap"] < 1e-9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "absent.json"], "error: absent.json: no such file"),
        (["plan", str(VILLAGE), "--rule", "magic"], "error: unknown price rule 'magic'"),
        (["plan", str(VILLAGE), "--tolerance", "-1"], "error: tolerance must be > 0"),
        (["plan", str(VILLAGE), "--executor", "cloud"], "error: unknown executor 'cloud'"),
        (["generate", "x.json", "--workers", "2"], "error: need at least 1 consumer council and 3"),
        (["plan", "x.json", "--tolerance", "abc"], "error: Invalid value for '--tolerance'"),
        (["plan"], "error: Missing argument 'ECONOMY'"),
        (["nope"], "error: No such command 'nope'"),
        (
            ["plan", str(VILLAGE), "--rule"],
            "error: Option '--rule' requires an argument. (see 'parecon plan --help')",
        ),
        (["generate", "x.json", "--seed", "-1"], "error: Invalid value for '--seed'"),
        (["plan", str(VILLAGE), "--returns", "bogus"], "error: --returns must be refuse or pequod"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parecon.cli", *args], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(VILLAGE), "--executor", "processes", "--workers", "0"],
        ["generate", "x.json", "--seed", "-1"],
        ["augment", str(VILLAGE), "y.json", "--seed", "-1"],
        [
            "import-io",
            str(ROOT / "examples" / "io" / "brazil-2019"),
            "-o",
            "b.json",
            "--seed",
            "-1",
        ],
        ["plan-io", str(ROOT / "examples" / "io" / "brazil-2019"), "--perturb", "-1"],
    ],
)
def test_out_of_range_options_are_usage_errors(args: list[str]) -> None:
    out = runner.invoke(app, args)  # refused while parsing: nothing is written
    assert out.exit_code == 2, out.output
    assert "Invalid value" in out.output
    assert not isinstance(out.exception, ValueError)


def test_bad_economy_file_error_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(VILLAGE.read_text().replace("a = 4.0", "a = -4.0"))
    result = subprocess.run(
        [sys.executable, "-m", "parecon.cli", "plan", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "bad.toml: workers[0].a:" in result.stderr


def test_revision_limits_option_changes_the_path(tmp_path: Path) -> None:
    economy = tmp_path / "e.json"
    runner.invoke(
        app,
        [
            "generate",
            str(economy),
            "--consumers",
            "60",
            "--workers",
            "60",
            "--goods-per-category",
            "2",
            "--seed",
            "4",
        ],
    )
    free = runner.invoke(app, ["plan", str(economy), "-q", "--json", str(tmp_path / "a.json")])
    bound = runner.invoke(
        app,
        [
            "plan",
            str(economy),
            "-q",
            "--revision-limits",
            "--max-rounds",
            "60",
            "--json",
            str(tmp_path / "b.json"),
        ],
    )
    assert free.exit_code == 0, free.output
    assert bound.exit_code in (0, 1), bound.output
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
    assert [r["max_gap"] for r in a["history"][:4]] != [r["max_gap"] for r in b["history"][:4]]
    bad = runner.invoke(app, ["plan", str(economy), "--revision-limits", "--limit-away", "-1"])
    assert bad.exit_code == 2
    assert "revision limits must be >= 0" in bad.output


def test_rules_lists_the_default() -> None:
    out = runner.invoke(app, ["rules"])
    assert out.exit_code == 0 and "pequod" in out.output and "(default)" in out.output


def test_plan_on_a_dask_scheduler_by_address(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        out = runner.invoke(
            app,
            [
                "plan",
                str(VILLAGE),
                "-q",
                "--executor",
                f"dask://{address}",
                "--json",
                str(tmp_path / "d.json"),
            ],
        )
    assert out.exit_code == 0, out.output
    local = runner.invoke(app, ["plan", str(VILLAGE), "-q", "--json", str(tmp_path / "l.json")])
    assert local.exit_code == 0
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("d.json", "l.json"))
    assert a["prices"] == b["prices"]


def test_year_two_continues_from_last_years_plan(tmp_path: Path) -> None:
    one, two, plan = tmp_path / "y1.json", tmp_path / "y2.json", tmp_path / "p1.json"
    assert (
        runner.invoke(
            app,
            [
                "generate",
                str(one),
                "--consumers",
                "300",
                "--workers",
                "300",
                "--goods-per-category",
                "4",
                "--seed",
                "8",
            ],
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["plan", str(one), "-q", "--json", str(plan)]).exit_code == 0
    out = runner.invoke(app, ["augment", str(one), str(two), "--seed", "1"])
    assert out.exit_code == 0, out.output
    fresh = runner.invoke(app, ["plan", str(two), "-q", "--json", str(tmp_path / "f.json")])
    warm = runner.invoke(
        app,
        ["plan", str(two), "-q", "--continue-from", str(plan), "--json", str(tmp_path / "w.json")],
    )
    assert fresh.exit_code == 0 and warm.exit_code == 0, warm.output
    f, w = (json.loads((tmp_path / n).read_text()) for n in ("f.json", "w.json"))
    assert w["rounds"] < f["rounds"]
    other = runner.invoke(
        app, ["plan", str(two), "-q", "--rule", "pequod", "--continue-from", str(plan)]
    )
    assert "its memory is not used by 'pequod'" in other.output
    mismatch = runner.invoke(app, ["plan", str(VILLAGE), "--continue-from", str(plan)])
    assert mismatch.exit_code == 2 and "plans other goods" in mismatch.output


def test_plan_reports_pollutants_and_fixed_supplies(tmp_path: Path) -> None:
    from parecon.scenario import save_economy
    from tests.economy.conftest import polluted_economy

    path = tmp_path / "polluted.json"
    save_economy(polluted_economy(), path)
    out = runner.invoke(
        app, ["plan", str(path), "--tolerance", "0.001", "--json", str(tmp_path / "p.json")]
    )
    assert out.exit_code == 0, out.output
    assert "Pollutants: polluters pay" in out.output
    assert "opportunity cost" in out.output
    accounts = json.loads((tmp_path / "p.json").read_text())["accounts"]
    pollutants = accounts["pollutants"]
    assert [p["good"] for p in pollutants] == ["smoke", "co2"]
    for p in pollutants:
        assert p["charges"] == pytest.approx(p["credits"], rel=0.01)
    total = sum(p["credits"] for p in pollutants)
    assert sum(accounts["community_credits"].values()) == pytest.approx(total)
    assert all(f["price"] > 0 for f in accounts["fixed_supplies"])


def test_plan_writes_every_councils_proposal(tmp_path: Path) -> None:
    import csv
    from collections import defaultdict

    out = runner.invoke(
        app,
        [
            "plan",
            str(VILLAGE),
            "-q",
            "--json",
            str(tmp_path / "p.json"),
            "--proposals",
            str(tmp_path / "props"),
        ],
    )
    assert out.exit_code == 0, out.output
    plan = json.loads((tmp_path / "p.json").read_text())
    supply: dict[str, float] = defaultdict(float)
    with (tmp_path / "props" / "quantities.csv").open() as fh:
        for row in csv.DictReader(fh):
            supply[row["good"]] += float(row["supply"])
    for good, total, category in zip(
        plan["goods"], plan["supply"], plan["categories"], strict=True
    ):
        if category != "public":
            assert supply[good] == pytest.approx(total, rel=1e-9)
    with (tmp_path / "props" / "councils.csv").open() as fh:
        councils = list(csv.DictReader(fh))
    workers = [c for c in councils if c["kind"] == "cobb-douglas-workers"]
    assert len(workers) == 4
    assert all(float(c["effort"]) > 0 for c in workers)


def test_proposals_leave_no_stale_table_of_the_other_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parecon.scenario import proposals_file
    from parecon.scenario.proposals_file import write_proposals

    economy = load_village()
    result = PlanningProcedure(keep_proposals=True).run(economy)
    assert result.proposals is not None
    write_proposals(result.proposals, economy, tmp_path)
    monkeypatch.setattr(proposals_file, "_COMPRESS_FROM", 0)
    paths = write_proposals(result.proposals, economy, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["councils.csv.gz", "quantities.csv.gz"]
    assert all(p.exists() for p in paths)
