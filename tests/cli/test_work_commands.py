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


def _balance_args(tmp_path: Path, people: Path, *extra: str) -> list[str]:
    return [
        "jobs",
        "balance",
        "--tasks",
        str(EX / "tasks.csv"),
        "--ratings",
        str(EX / "ratings.csv"),
        "--people",
        str(people),
        "--out",
        str(tmp_path / "out"),
        "--start",
        "2026-01-05",
        "--max-tasks",
        "4",
        *extra,
    ]


def _people(tmp_path: Path, old: str, new: str, extra: str = "") -> Path:
    text = (EX / "people.csv").read_text().replace(f"\n{old},", f"\n{new},") + extra
    path = tmp_path / "people.csv"
    path.write_text(text)
    return path


def test_person_names_cannot_write_outside_the_output_folder(tmp_path: Path) -> None:
    people = _people(tmp_path, "ben", "../../escape")
    text = people.read_text().replace("\nchen,", f"\n{tmp_path / 'abs'},")
    people.write_text(text)
    res = runner.invoke(app, _balance_args(tmp_path, people))
    assert res.exit_code == 0, res.output
    assert not (tmp_path.parent / "escape.ics").exists()
    assert not (tmp_path / "abs.ics").exists()
    written = sorted(p.name for p in (tmp_path / "out" / "calendars").iterdir())
    assert "escape.ics" in written and len(written) == 5
    index = (tmp_path / "out" / "calendars.csv").read_text()
    assert "../../escape,calendars/escape.ics" in index
    assert sorted(p for p in tmp_path.rglob("*.ics")) == sorted(
        (tmp_path / "out" / "calendars").glob("*.ics")
    )


def test_script_in_a_name_is_escaped_in_the_svg(tmp_path: Path) -> None:
    people = _people(tmp_path, "ben", "<script>alert(1)</script>")
    res = runner.invoke(app, _balance_args(tmp_path, people))
    assert res.exit_code == 0, res.output
    svg = (tmp_path / "out" / "averages.svg").read_text()
    assert "<script" not in svg


def test_a_person_owing_no_hours_gets_no_complex_or_calendar(tmp_path: Path) -> None:
    people = _people(tmp_path, "ana", "ana", "zoe,0,*,east\n")
    res = runner.invoke(app, _balance_args(tmp_path, people))
    assert res.exit_code == 0, res.output
    assert "owing 0 hours, so no complex or calendar: zoe" in res.output
    assert not (tmp_path / "out" / "calendars" / "zoe.ics").exists()
    assert "zoe" not in (tmp_path / "out" / "complexes.csv").read_text()
    assert "zoe" not in (tmp_path / "out" / "averages.csv").read_text()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "2026-01-06"], "option --start: 2026-01-06 is a Tuesday, not a Monday"),
        (["--start", "soon"], "option --start: not a date"),
    ],
)
def test_start_must_be_a_monday(tmp_path: Path, extra: list[str], message: str) -> None:
    res = runner.invoke(app, [*_balance_args(tmp_path, EX / "people.csv"), *extra])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output


def test_out_naming_an_existing_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    res = runner.invoke(app, _balance_args(tmp_path, EX / "people.csv"))
    assert res.exit_code == 2
    assert "option --out: is a file, not a folder" in res.output
    assert "Traceback" not in res.output


def test_method_help_lists_every_method() -> None:
    from parecon.work import METHODS

    res = runner.invoke(app, ["jobs", "balance", "--help"], env={"COLUMNS": "400"})
    assert res.exit_code == 0
    flat = " ".join(res.output.split())
    for method in METHODS:
        assert f"{method}:" in flat


def _allowances(tmp_path: Path, ratings: Path, *extra: str) -> list[str]:
    return [
        "effort",
        "allowances",
        "--ratings",
        str(ratings),
        "--people",
        str(EX / "people.csv"),
        "--pool",
        "100",
        "--out",
        str(tmp_path / "a.csv"),
        "--budgets",
        str(tmp_path / "b.csv"),
        *extra,
    ]


def test_negative_cap_per_hour_is_refused(tmp_path: Path) -> None:
    res = runner.invoke(app, _allowances(tmp_path, EX / "effort.csv", "--cap-per-hour", "-1"))
    assert res.exit_code == 2
    assert "option --cap-per-hour: must be > 0 (got -1)" in res.output


def test_a_repeated_effort_rating_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "effort.csv"
    bad.write_text((EX / "effort.csv").read_text() + "ana,ben,3\n")
    res = runner.invoke(app, _allowances(tmp_path, bad))
    assert res.exit_code == 2
    assert "effort.csv, line 22, column 'ratee'" in res.output and "already rated" in res.output


def test_no_one_rated_names_the_person_and_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "effort.csv"
    rows = (EX / "effort.csv").read_text().splitlines()
    bad.write_text("\n".join(r for r in rows if not r.endswith(",eli") and ",eli," not in r))
    res = runner.invoke(app, _allowances(tmp_path, bad))
    assert res.exit_code == 2
    assert "effort.csv: no one rated person 'eli'" in res.output


def test_allowances_out_naming_a_folder_is_a_located_error(tmp_path: Path) -> None:
    args = _allowances(tmp_path, EX / "effort.csv")
    args[args.index("--out") + 1] = str(tmp_path)
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert "is a folder" in res.output and "Traceback" not in res.output


def test_no_assignment_within_the_limits_is_a_status_not_a_traceback(tmp_path: Path) -> None:
    args = _balance_args(tmp_path, EX / "people.csv", "--method", "cpsat", "--work-limit", "1e-6")
    res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output
    assert "no assignment found (no_solution)" in res.output
    assert "nothing written" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_needs_not_in_utf8_is_a_located_error(tmp_path: Path) -> None:
    needs = tmp_path / "needs.csv"
    needs.write_bytes(b"council,amount\n\xff,1\n")
    res = runner.invoke(app, _allowances(tmp_path, EX / "effort.csv", "--needs", str(needs)))
    assert res.exit_code == 2
    assert "needs.csv: cannot read file" in res.output and "Traceback" not in res.output


def test_allowances_and_budgets_to_one_file_is_refused(tmp_path: Path) -> None:
    args = _allowances(tmp_path, EX / "effort.csv")
    args[args.index("--budgets") + 1] = str(tmp_path / "." / "a.csv")
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert "--budgets and --out both name" in res.output
    assert not (tmp_path / "a.csv").exists()


def test_an_output_naming_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    """``jobs across --out`` and ``effort allowances --out/--budgets`` never overwrite
    the files they read."""
    workplaces = tmp_path / "workplaces.csv"
    workplaces.write_bytes((EXAMPLES / "workplaces.csv").read_bytes())
    before = workplaces.read_bytes()
    res = runner.invoke(
        app, ["jobs", "across", "--workplaces", str(workplaces), "--out", str(workplaces)]
    )
    assert res.exit_code == 2, res.output
    assert "--out and --workplaces both name" in res.output
    assert workplaces.read_bytes() == before
    ratings = tmp_path / "effort.csv"
    ratings.write_bytes((EX / "effort.csv").read_bytes())
    args = _allowances(tmp_path, ratings)
    args[args.index("--budgets") + 1] = str(ratings)
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "--budgets and --ratings both name" in res.output
    assert ratings.read_bytes() == (EX / "effort.csv").read_bytes()


@pytest.mark.parametrize("weeks", ["0", "100000000"])
def test_weeks_out_of_range_is_refused_before_balancing(tmp_path: Path, weeks: str) -> None:
    res = runner.invoke(app, _balance_args(tmp_path, EX / "people.csv", "--weeks", weeks))
    assert res.exit_code == 2
    assert f"option --weeks: must be within 1–520 weeks (got {weeks})" in res.output
    assert not (tmp_path / "out").exists()


def test_jobs_across_infinite_band_is_refused(tmp_path: Path) -> None:
    args = ["jobs", "across", "--workplaces", str(EX / "workplaces.csv"), "--band", "inf"]
    res = runner.invoke(app, [*args, "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 2
    assert "band finite and >= 0 (got 0.25, inf)" in res.output
