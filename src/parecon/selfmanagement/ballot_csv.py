"""Paper ballots from CSV, for groups that vote in a room or on paper.

One header row, one ballot per row (or, with a ``count`` column, a batch of
identical paper ballots counted in the room):

* ranked: ``voter``, ``weight`` (optional), ``ranking`` (options separated by
  ``>``, ties by ``=``: ``a > b = c``)
* score, dot and approval: ``voter``, ``weight`` (optional), one column per
  option (an empty cell gives the option nothing)
* consent, advice, sense check, majorities, count: ``voter``, ``weight``
  (optional), ``choice``, ``reason`` (optional)

``count``, ``comment`` (and, in marks files, ``reason``) are optional and are
not options. Weights come either from the ballots' ``weight`` column or from a
separate weights file (``voter``, ``weight``: the electorate), never both.
The separator may be ``,``, ``;`` or a tab (the header's most frequent one).
Every error names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from parecon.exceptions import InputError
from parecon.selfmanagement.ballots import Ballot, BallotError, parse_ranking
from parecon.selfmanagement.exact import exact
from parecon.selfmanagement.methods import Method, get_method
from parecon.text_files import read_text

__all__ = ["BallotFile", "read_ballots", "read_weights"]

_RESERVED = ("voter", "weight", "count", "comment", "reason")


@dataclass(frozen=True)
class BallotFile:
    """Ballots read from ``path``, the line of each voter's row, options (marks files)."""

    path: str
    ballots: tuple[Ballot, ...]
    lines: Mapping[str, int]
    options: tuple[str, ...] | None

    def locate(self, error: BallotError) -> InputError:
        """``error`` as a located error in this file (line of the voter, column of the field)."""
        line = self.lines.get(error.voter)
        where = self.path if line is None else f"{self.path}, line {line}"
        if error.field not in ("marks",):
            where += f", column {error.field!r}"
        return InputError(error.problem, where)


def _table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # spreadsheets in many locales write ';'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
        if not any(header):
            raise InputError("empty file (no header row)", path.name)
        for i, h in enumerate(header):
            if not h:
                raise InputError(f"column {i + 1} has no name", f"{path.name}, line 1")
            if h in header[:i]:
                raise InputError(f"column {h!r} appears twice", f"{path.name}, line 1")
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise InputError(
                    f"{len(cells)} cells but {len(header)} columns", f"{path.name}, line {line}"
                )
            rows.append(
                (
                    line,
                    {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)},
                )
            )
    except csv.Error as exc:
        raise InputError(f"not valid CSV ({exc})", f"{path.name}, line {reader.line_num}") from None
    if not rows:
        raise InputError("no ballots", path.name)
    return header, rows


def _need(path: Path, header: list[str], *cols: str) -> None:
    for col in cols:
        if col not in header:
            raise InputError(
                f"missing column {col!r} (found: {', '.join(header)})", f"{path.name}, line 1"
            )


def _number(
    path: Path, line: int, col: str, text: str, *, whole: bool = False, signed: bool = False
) -> Fraction:
    where = f"{path.name}, line {line}, column {col!r}"
    try:
        value = exact(text, col)
    except ValueError:
        raise InputError(f"not a number: {text!r}", where) from None
    if value < 0 and not signed:
        raise InputError(f"must be >= 0 (got {text})", where)
    if whole and value.denominator != 1:
        raise InputError(f"must be a whole number (got {text})", where)
    return value


def read_weights(path: str | Path) -> tuple[dict[str, Fraction], dict[str, int]]:
    """A weights file (``voter``, ``weight``): the electorate, and each voter's line."""
    p = Path(path)
    header, rows = _table(p)
    _need(p, header, "voter", "weight")
    weights: dict[str, Fraction] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        voter = row["voter"]
        if not voter:
            raise InputError("empty voter", f"{p.name}, line {line}, column 'voter'")
        if voter in weights:
            raise InputError(
                f"voter {voter!r} appears twice (first on line {lines[voter]})",
                f"{p.name}, line {line}, column 'voter'",
            )
        if not row["weight"]:
            raise InputError("empty weight", f"{p.name}, line {line}, column 'weight'")
        weights[voter] = _number(p, line, "weight", row["weight"])
        lines[voter] = line
    return weights, lines


def read_ballots(
    path: str | Path, method: str | Method, *, weights_given: bool = False
) -> BallotFile:
    """Ballots for ``method`` from ``path``; ``weights_given``: weights come from elsewhere."""
    m = get_method(method)
    p = Path(path)
    header, rows = _table(p)
    _need(p, header, "voter")
    if weights_given and "weight" in header:
        raise InputError(
            "weights come from the weights file; drop this column or the weights file",
            f"{p.name}, line 1, column 'weight'",
        )
    options: tuple[str, ...] | None = None
    if m.ballot == "ranking":
        _need(p, header, "ranking")
    elif m.ballot == "choice":
        _need(p, header, "choice")
    else:
        options = tuple(h for h in header if h not in _RESERVED)
        if not options:
            raise InputError(f"{m.name} ballots need one column per option", f"{p.name}, line 1")
    ballots = []
    lines: dict[str, int] = {}
    for line, row in rows:
        voter = row["voter"]
        at = f"{p.name}, line {line}"
        if not voter:
            raise InputError("empty voter", f"{at}, column 'voter'")
        if voter in lines:
            raise InputError(
                f"voter {voter!r} votes twice (first on line {lines[voter]})",
                f"{at}, column 'voter'",
            )
        lines[voter] = line
        weight = _number(p, line, "weight", row["weight"]) if row.get("weight") else None
        count = 1
        if row.get("count"):
            count = int(_number(p, line, "count", row["count"], whole=True))
            if count < 1:
                raise InputError("must be >= 1", f"{at}, column 'count'")
        if m.ballot == "ranking":
            try:
                ranking = parse_ranking(row["ranking"])
            except ValueError as exc:
                raise InputError(str(exc), f"{at}, column 'ranking'") from None
            ballots.append(Ballot(voter, weight, ranking=ranking, count=count))
        elif m.ballot == "choice":
            ballots.append(
                Ballot(
                    voter, weight, choice=row["choice"], reason=row.get("reason", ""), count=count
                )
            )
        else:
            assert options is not None
            marks = {o: _number(p, line, o, row[o], signed=True) for o in options if row[o]}
            ballots.append(Ballot(voter, weight, marks=marks, count=count))
    return BallotFile(p.name, tuple(ballots), lines, options)
