"""CSV tables for balanced job complexes and allowances, with located errors.

Formats (one header row; extra columns are ignored):

* tasks.csv: ``task, shift_hours, shifts_per_week``
* ratings.csv: ``rater, task, empowerment, desirability`` (1–20)
* people.csv: ``person, hours_owed, qualified`` (task names separated by
  ``;``, or ``*`` for all), optional ``council`` (consumer council)
* effort.csv: ``rater, ratee, rating`` (1–20, no self-ratings)
* needs.csv: ``council, amount`` (>= 0; a council's lines add up)
* workplaces.csv: ``workplace, average, hours`` (a workplace's hours-weighted
  empowerment average, 1–20, and the hours worked there a week)

Every error names the file, the line and the column; a repeated rating (the
same rater for the same task, or for the same person) is an error naming both
lines, never counted twice. Cells written back that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, and not a number) are written with a leading ``'``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from parecon.csv_cells import FORMULA_START
from parecon.exceptions import InputError
from parecon.scenario.csv_rows import Row, read_rows
from parecon.work.task_ratings import TaskRatingSummary, aggregate_task_ratings
from parecon.work.workplace import FloatArray

__all__ = [
    "People",
    "Tasks",
    "read_effort_ratings",
    "read_needs",
    "read_people",
    "read_task_ratings",
    "read_tasks",
    "read_workplaces",
    "safe_cell",
    "write_table",
]


def _rows(path: Path, required: Sequence[str]) -> list[Row]:
    return read_rows(path, required, path.name)


def _number(
    path: Path,
    line: int,
    row: dict[str, str],
    col: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    positive: bool = False,
) -> float:
    where = f"{path.name}, line {line}, column {col!r}"
    try:
        value = float(row.get(col, ""))
    except ValueError:
        raise InputError(f"not a number: {row.get(col, '')!r}", where) from None
    if not np.isfinite(value):
        raise InputError("must be finite", where)
    if positive and value <= 0:
        raise InputError(f"must be > 0 (got {value:g})", where)
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise InputError(f"must be within {lo:g}–{hi:g} (got {value:g})", where)
    if lo is not None and hi is None and value < lo:
        raise InputError(f"must be >= {lo:g} (got {value:g})", where)
    return value


def _name(
    path: Path, line: int, row: dict[str, str], col: str, known: Sequence[str] | None, what: str
) -> str:
    value = row.get(col, "")
    where = f"{path.name}, line {line}, column {col!r}"
    if not value:
        raise InputError(f"empty {what}", where)
    if known is not None and value not in known:
        raise InputError(f"unknown {what} {value!r}", where)
    return value


def _new_name(path: Path, line: int, row: dict[str, str], col: str, seen: list[str]) -> str:
    """The row's ``col`` as a name not seen on an earlier line; appended to ``seen``."""
    name = _name(path, line, row, col, None, col)
    if name in seen:
        raise InputError(
            f"{col} {name!r} appears twice", f"{path.name}, line {line}, column {col!r}"
        )
    seen.append(name)
    return name


class Tasks:
    """names (n_tasks,), shift_hours, shifts_per_week : ndarray (n_tasks,)."""

    def __init__(
        self, names: tuple[str, ...], shift_hours: FloatArray, shifts_per_week: FloatArray
    ) -> None:
        self.names, self.shift_hours, self.shifts_per_week = names, shift_hours, shifts_per_week


def read_tasks(path: str | Path) -> Tasks:
    p = Path(path)
    names: list[str] = []
    shift, count = [], []
    for line, row in _rows(p, ("task", "shift_hours", "shifts_per_week")):
        _new_name(p, line, row, "task", names)
        shift.append(_number(p, line, row, "shift_hours", positive=True))
        n = _number(p, line, row, "shifts_per_week", lo=0)
        if n != int(n):
            raise InputError(
                f"must be a whole number (got {n:g})",
                f"{p.name}, line {line}, column 'shifts_per_week'",
            )
        count.append(n)
    return Tasks(tuple(names), np.array(shift), np.array(count))


def read_task_ratings(
    path: str | Path, tasks: Sequence[str]
) -> tuple[TaskRatingSummary, TaskRatingSummary, tuple[str, ...]]:
    """(empowerment summary, desirability summary, raters) in ``tasks`` order."""
    p = Path(path)
    raters: list[str] = []
    cells: dict[tuple[str, str], tuple[float, float]] = {}
    first: dict[tuple[str, str], int] = {}
    for line, row in _rows(p, ("rater", "task", "empowerment", "desirability")):
        rater = _name(p, line, row, "rater", None, "rater")
        task = _name(p, line, row, "task", tasks, "task")
        e = _number(p, line, row, "empowerment", lo=1, hi=20)
        d = _number(p, line, row, "desirability", lo=1, hi=20)
        _once(p, line, first, (rater, task), f"{rater!r} already rated task {task!r}", "task")
        if rater not in raters:
            raters.append(rater)
        cells[(rater, task)] = (e, d)
    index = {t: k for k, t in enumerate(tasks)}
    emp = np.full((len(raters), len(tasks)), np.nan)
    des = emp.copy()
    for (rater, task), (e, d) in cells.items():
        emp[raters.index(rater), index[task]] = e
        des[raters.index(rater), index[task]] = d
    unrated = [t for t in tasks if np.isnan(emp[:, index[t]]).all()]
    if unrated:
        raise InputError(f"no ratings for task {unrated[0]!r}", p.name)
    return aggregate_task_ratings(emp), aggregate_task_ratings(des), tuple(raters)


class People:
    """names (n_people,), hours_owed (n_people,), qualified (n_people, n_tasks) bool,
    councils (n_people,) consumer council names."""

    def __init__(
        self,
        names: tuple[str, ...],
        hours_owed: FloatArray,
        qualified: np.ndarray,
        councils: tuple[str, ...],
    ) -> None:
        self.names, self.hours_owed = names, hours_owed
        self.qualified, self.councils = qualified, councils


def read_people(path: str | Path, tasks: Sequence[str]) -> People:
    p = Path(path)
    names: list[str] = []
    hours, quals, councils = [], [], []
    for line, row in _rows(p, ("person", "hours_owed", "qualified")):
        name = _new_name(p, line, row, "person", names)
        hours.append(_number(p, line, row, "hours_owed", lo=0))
        spec = row.get("qualified", "")
        q = np.zeros(len(tasks), dtype=bool)
        if spec == "*":
            q[:] = True
        else:
            for task in (s.strip() for s in spec.split(";") if s.strip()):
                if task not in tasks:
                    raise InputError(
                        f"unknown task {task!r}", f"{p.name}, line {line}, column 'qualified'"
                    )
                q[list(tasks).index(task)] = True
        quals.append(q)
        councils.append(row.get("council") or name)
    return People(tuple(names), np.array(hours), np.array(quals), tuple(councils))


def read_effort_ratings(path: str | Path, people: Sequence[str]) -> FloatArray:
    """Ratings (n_people rater, n_people ratee), NaN where not rated."""
    p = Path(path)
    index = {n: k for k, n in enumerate(people)}
    out = np.full((len(people), len(people)), np.nan)
    first: dict[tuple[str, str], int] = {}
    for line, row in _rows(p, ("rater", "ratee", "rating")):
        rater = _name(p, line, row, "rater", people, "person")
        ratee = _name(p, line, row, "ratee", people, "person")
        if rater == ratee:
            raise InputError(
                "self-ratings are not allowed", f"{p.name}, line {line}, column 'ratee'"
            )
        _once(p, line, first, (rater, ratee), f"{rater!r} already rated {ratee!r}", "ratee")
        out[index[rater], index[ratee]] = _number(p, line, row, "rating", lo=1, hi=20)
    unrated = [n for k, n in enumerate(people) if np.isnan(out[:, k]).all()]
    if unrated:
        raise InputError(f"no one rated person {unrated[0]!r}", p.name)
    return out


def _once(
    path: Path,
    line: int,
    first: dict[tuple[str, str], int],
    key: tuple[str, str],
    what: str,
    col: str,
) -> None:
    """Refuse a second rating of the same pair (it would count twice)."""
    if key in first:
        raise InputError(
            f"{what} on line {first[key]}; keep one rating per pair",
            f"{path.name}, line {line}, column {col!r}",
        )
    first[key] = line


def read_workplaces(path: str | Path) -> tuple[tuple[str, ...], FloatArray, FloatArray]:
    """Workplace names, their empowerment averages (1–20) and weekly hours (> 0)."""
    p = Path(path)
    names: list[str] = []
    averages, hours = [], []
    for line, row in _rows(p, ("workplace", "average", "hours")):
        _new_name(p, line, row, "workplace", names)
        averages.append(_number(p, line, row, "average", lo=1, hi=20))
        hours.append(_number(p, line, row, "hours", positive=True))
    return tuple(names), np.array(averages), np.array(hours)


def read_needs(path: str | Path, councils: Sequence[str]) -> FloatArray:
    """Needs-based amounts per council, in ``councils`` order (a council's lines add up)."""
    p = Path(path)
    need = np.zeros(len(councils))
    index = {c: k for k, c in enumerate(councils)}
    for line, row in _rows(p, ("council", "amount")):
        council = _name(p, line, row, "council", councils, "council")
        need[index[council]] += _number(p, line, row, "amount", lo=0)
    return need


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell: floats to 4 decimals; text a spreadsheet would run
    as a formula gets a leading ``'`` (numbers such as ``-1.5`` stay as they are)."""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV with ``header``; cells as :func:`safe_cell` writes them.

    Raises InputError (naming the path) when it is a folder or cannot be written.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError("is a folder; name a file to write", str(p))
    try:
        with p.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([safe_cell(h) for h in header])
            for r in rows:
                w.writerow([safe_cell(v) for v in r])
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror})", str(p)) from None
