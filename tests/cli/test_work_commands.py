"""The ``jobs`` and ``effort`` commands on the shipped example, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parecon.cli.app import app

EX = Path(__file__).resolve().parents[2] / "examples" / "jobs"
runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "jobs"


def test_jobs_balance_example(tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        [
            "jobs",
            "balance",
            "--tasks",
            str(EX / "tasks.csv"),
            "--ratings",
            str(EX / "ratings.csv"),
            "--people",
            str(EX / "people.csv"),
            "--out",
            str(tmp_path),
            "--start",
            "2026-01-05",
            "--max-tasks",
            "4",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "optimal" in res.output
    assert (tmp_path / "averages.svg").read_text().startswith("<svg")
    ics = (tmp_path / "calendars" / "ana.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"DTSTART:20260105T090000" in ics
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))


def test_effort_allowances_example(tmp_path: Path) -> None:
    out, budgets = tmp_path / "a.csv", tmp_path / "b.csv"
    res = runner.invoke(
        app,
        [
            "effort",
            "allowances",
            "--ratings",
            str(EX / "effort.csv"),
            "--people",
            str(EX / "people.csv"),
            "--pool",
            "10000",
            "--needs",
            str(EX / "needs.csv"),
            "--out",
            str(out),
            "--budgets",
            str(budgets),
        ],
    )
    assert res.exit_code == 0, res.output
    rows = budgets.read_text().splitlines()
    assert rows[0] == "council,income" and len(rows) == 4
    assert abs(sum(float(r.split(",")[1]) for r in rows[1:]) - 10000) < 0.01


def test_bad_rating_names_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "ratings.csv"
    bad.write_text("rater,task,empowerment,desirability\nx,assembly,25,3\n")
    res = runner.invoke(
        app,
        [
            "jobs",
            "balance",
            "--tasks",
            str(EX / "tasks.csv"),
            "--ratings",
            str(bad),
            "--people",
            str(EX / "people.csv"),
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 2
    assert "ratings.csv, line 2, column 'empowerment'" in res.output
    assert "Traceback" not in res.output


def test_unknown_person_in_effort(tmp_path: Path) -> None:
    bad = tmp_path / "effort.csv"
    bad.write_text("rater,ratee,rating\nana,zed,10\n")
    res = runner.invoke(
        app,
        [
            "effort",
            "allowances",
            "--ratings",
            str(bad),
            "--people",
            str(EX / "people.csv"),
            "--pool",
            "100",
        ],
    )
    assert res.exit_code == 2
    assert "unknown person 'zed'" in res.output


def test_jobs_across_writes_the_exchange(tmp_path: Path) -> None:
    out = tmp_path / "exchange.csv"
    result = runner.invoke(
        app,
        ["jobs", "across", "--workplaces", str(EXAMPLES / "workplaces.csv"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    rows = out.read_text().splitlines()
    assert rows[0] == "members_of,work_in,hours_per_week"
    assert len(rows) > 1
    assert "hours a week exchanged" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("workplace,average\nclinic,11\n", "missing column 'hours'"),
        ("workplace,average,hours\nclinic,25,10\n", "line 2, column 'average': must be within"),
        ("workplace,average,hours\nclinic,9,0\n", "line 2, column 'hours': must be > 0"),
        ("workplace,average,hours\na,9,1\na,9,1\n", "line 3, column 'workplace': workplace 'a'"),
    ],
)
def test_jobs_across_bad_csv(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "w.csv"
    bad.write_text(content)
    result = runner.invoke(app, ["jobs", "across", "--workplaces", str(bad)])
    assert result.exit_code == 2
    assert message in result.output


def test_jobs_across_infeasible_names_the_workplace(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("workplace,average,hours\nclinic,11.8,3200\nbakery,7.9,1400\ndepot,6.7,1100\n")
    result = runner.invoke(app, ["jobs", "across", "--workplaces", str(path)])
    assert result.exit_code == 2
    assert "depot is at 6.70 and can reach at most" in result.output
