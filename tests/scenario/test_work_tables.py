"""CSV readers: every bad input names file, line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from parecon.exceptions import InputError
from parecon.scenario.work_calendar import calendar_file_names, person_calendar
from parecon.scenario.work_tables import (
    read_effort_ratings,
    read_needs,
    read_people,
    read_task_ratings,
    read_tasks,
    safe_cell,
    write_table,
)

TASKS = ("plan", "build")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("task,shift_hours\nplan,2\n", "line 1: missing column 'shifts_per_week'"),
        ("task,shift_hours,shifts_per_week\nplan,0,2\n", "line 2, column 'shift_hours'"),
        ("task,shift_hours,shifts_per_week\nplan,2,1.5\n", "line 2, column 'shifts_per_week'"),
        ("task,shift_hours,shifts_per_week\nplan,2,1\nplan,2,1\n", "line 3.*twice"),
        ("task,shift_hours,shifts_per_week\nplan,x,1\n", "not a number"),
    ],
)
def test_bad_tasks(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_tasks(write(tmp_path, "tasks.csv", text))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("rater,task,empowerment,desirability\na,fly,3,3\n", "line 2, column 'task'.*unknown"),
        ("rater,task,empowerment,desirability\na,plan,0,3\n", "column 'empowerment'"),
        ("rater,task,empowerment,desirability\na,plan,3,21\n", "column 'desirability'"),
        ("rater,task,empowerment\na,plan,3\n", "missing column 'desirability'"),
        ("rater,task,empowerment,desirability\na,plan,3,3\n", "no ratings for task 'build'"),
    ],
)
def test_bad_ratings(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_task_ratings(write(tmp_path, "ratings.csv", text), TASKS)


def test_ratings_aggregate_to_medians(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "r.csv",
        "rater,task,empowerment,desirability\na,plan,10,5\nb,plan,12,6\nc,plan,20,7\na,build,4,4\n",
    )
    emp, _des, raters = read_task_ratings(p, TASKS)
    assert emp.median.tolist() == [12.0, 4.0] and raters == ("a", "b", "c")


def test_people_and_effort(tmp_path: Path) -> None:
    people = write(tmp_path, "p.csv", "person,hours_owed,qualified\nann,40,plan;build\nbo,20,*\n")
    folk = read_people(people, TASKS)
    assert folk.qualified.all() and folk.councils == ("ann", "bo")
    with pytest.raises(InputError, match="p2.csv, line 2, column 'qualified'"):
        read_people(write(tmp_path, "p2.csv", "person,hours_owed,qualified\nann,40,fly\n"), TASKS)
    with pytest.raises(InputError, match="column 'hours_owed'"):
        read_people(write(tmp_path, "p3.csv", "person,hours_owed,qualified\nann,-1,*\n"), TASKS)
    with pytest.raises(InputError, match="self-ratings"):
        read_effort_ratings(write(tmp_path, "e.csv", "rater,ratee,rating\nann,ann,9\n"), folk.names)
    with pytest.raises(InputError, match="e2.csv, line 2, column 'rating'"):
        read_effort_ratings(
            write(tmp_path, "e2.csv", "rater,ratee,rating\nann,bo,30\n"), folk.names
        )
    with pytest.raises(InputError, match="no such file"):
        read_tasks(tmp_path / "missing.csv")


def test_a_repeated_task_rating_names_both_lines(tmp_path: Path) -> None:
    text = "rater,task,empowerment,desirability\na,plan,3,3\na,build,4,4\na,plan,9,9\n"
    with pytest.raises(InputError, match=r"r.csv, line 4, column 'task'.*already rated.*line 2"):
        read_task_ratings(write(tmp_path, "r.csv", text), TASKS)


def test_a_repeated_effort_rating_names_both_lines(tmp_path: Path) -> None:
    text = "rater,ratee,rating\nann,bo,9\nbo,ann,9\nann,bo,12\n"
    with pytest.raises(InputError, match=r"e.csv, line 4, column 'ratee'.*'ann' already rated"):
        read_effort_ratings(write(tmp_path, "e.csv", text), ("ann", "bo"))


def test_a_person_no_one_rated_is_named_with_the_file(tmp_path: Path) -> None:
    text = "rater,ratee,rating\nann,bo,9\nbo,ann,9\n"
    with pytest.raises(InputError, match=r"e.csv: no one rated person 'cy'"):
        read_effort_ratings(write(tmp_path, "e.csv", text), ("ann", "bo", "cy"))


def test_cells_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_table(out, ["person", "x"], [("=HYPERLINK(1)", -1.5), ("@sum", 2), ("-2", "+x")])
    rows = out.read_text().splitlines()
    assert rows[1:] == ["'=HYPERLINK(1),-1.5", "'@sum,2", "-2,'+x"]
    assert safe_cell("ana") == "ana" and safe_cell(0.25) == "0.25"
    with pytest.raises(InputError, match="is a folder"):
        write_table(tmp_path, ["a"], [])


def test_calendar_file_names_stay_inside_and_are_unique() -> None:
    names = calendar_file_names(["ana", "../../escape", "/etc/passwd", "Ana", "..", "C:\\x", ""])
    assert names == [
        "ana.ics",
        "escape.ics",
        "etc_passwd.ics",
        "Ana-2.ics",
        "person.ics",
        "C_x.ics",
        "person-2.ics",
    ]
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)


def test_calendar_text_cannot_inject_properties() -> None:
    text = person_calendar(
        "x\r\nEND:VCALENDAR",
        np.array([[1.0]]),
        ["clean;\nBEGIN:VEVENT,\x07"],
        np.array([2.0]),
        dt.date(2026, 1, 5),
    )
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VCALENDAR") == 1
    assert "SUMMARY:clean\\;\\nBEGIN:VEVENT\\," in lines
    assert "X-WR-CALNAME:x\\nEND:VCALENDAR shifts" in lines


def test_a_decimal_comma_is_refused_not_read_as_a_smaller_rating(tmp_path: Path) -> None:
    text = "rater,ratee,rating\nana,ben,1,5\nben,ana,12\n"
    with pytest.raises(InputError, match=r"effort.csv, line 2: 4 cells but 3 columns"):
        read_effort_ratings(write(tmp_path, "effort.csv", text), ("ana", "ben"))


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    text = "rater,ratee,rating,rating\nana,ben,3,4\nben,ana,12,3\n"
    with pytest.raises(InputError, match=r"effort.csv, line 1: column 'rating' appears twice"):
        read_effort_ratings(write(tmp_path, "effort.csv", text), ("ana", "ben"))


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    text = "rater,ratee,rating\n\nana,ben,14\n\nben,ana,x\n"
    with pytest.raises(InputError, match=r"effort.csv, line 5, column 'rating'"):
        read_effort_ratings(write(tmp_path, "effort.csv", text), ("ana", "ben"))


def test_a_line_separator_inside_a_name_is_no_line_break(tmp_path: Path) -> None:
    text = "rater,ratee,rating\nana,ben,14\nben,ana,12\n"
    people = write(tmp_path, "people.csv", "person,hours_owed,qualified\nan\u2028a,40,*\n")
    assert read_people(people, TASKS).names == ("an\u2028a",)
    with pytest.raises(InputError, match="unknown person 'ana'"):
        read_effort_ratings(write(tmp_path, "effort.csv", text), ("an\u2028a", "ben"))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("council,amount\neast\n", r"line 2, column 'amount': not a number: ''"),
        ("council,amount\neast,inf\n", r"line 2, column 'amount': must be finite"),
        ("council,amount\neast,-1\n", r"line 2, column 'amount': must be >= 0"),
        ("council,amount\n\nwest,1\n", r"line 3, column 'council': unknown council 'west'"),
        ("council\neast\n", r"line 1: missing column 'amount'"),
    ],
)
def test_bad_needs(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_needs(write(tmp_path, "needs.csv", text), ("east", "north"))


def test_needs_add_up_per_council(tmp_path: Path) -> None:
    text = "\ufeffcouncil,amount\r\n east ,2\r\nnorth,1\r\neast,3\r\n"
    assert read_needs(write(tmp_path, "needs.csv", text), ("east", "north")).tolist() == [5, 1]
