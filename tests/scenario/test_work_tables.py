"""CSV readers: every bad input names file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from parecon.exceptions import InputError
from parecon.scenario.work_tables import (
    read_effort_ratings,
    read_people,
    read_task_ratings,
    read_tasks,
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
