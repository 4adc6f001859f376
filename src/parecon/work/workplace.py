"""A workplace as the balancer sees it: tasks, people, who may do what.

Everything is arrays indexed by person ``i`` (``n_people``) and task ``t``
(``n_tasks``). Validation runs once, here, and names the first offending
person or task, so the balancer and its adapters can trust their input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parecon.exceptions import ValidationError

__all__ = ["FloatArray", "Workplace", "hours_weighted_mean"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

RATING_MIN = 1.0
RATING_MAX = 20.0
PREFERENCE_MIN = 1.0
PREFERENCE_MAX = 5.0


def _floats(value: Any, name: str, shape: tuple[int, ...]) -> FloatArray:
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} must be numeric ({exc})") from None
    if arr.shape != shape:
        raise ValidationError(f"{name} has shape {arr.shape}, expected {shape}")
    if not np.isfinite(arr).all():
        raise ValidationError(f"{name} must be finite (found NaN or infinity)")
    return arr


def _first(bad: BoolArray) -> tuple[int, ...]:
    return tuple(int(k) for k in np.argwhere(bad)[0])


def hours_weighted_mean(values: FloatArray, hours: FloatArray) -> float:
    """Mean of ``values`` weighted by ``hours`` (both shape (n,))."""
    total = float(hours.sum())
    return float(values @ hours / total) if total > 0 else float("nan")


@dataclass(frozen=True, eq=False)
class Workplace:
    """Tasks, their ratings, and the people who share them.

    Parameters
    ----------
    task_names : tuple of str, length n_tasks
    shift_hours : ndarray of shape (n_tasks,)
        Length of one shift of each task, in hours (> 0).
    shifts_per_week : ndarray of shape (n_tasks,)
        Whole shifts each task needs per week; the task's hours are
        ``shift_hours * shifts_per_week``.
    empowerment, desirability : ndarray of shape (n_tasks,)
        Aggregated ratings on the 1–20 scales (see :mod:`parecon.work.task_ratings`).
    people : tuple of str, length n_people
    hours_owed : ndarray of shape (n_people,)
        Hours each person works per week (part-time and reduced hours are
        just smaller numbers). Their total must equal the tasks' total.
    qualified : ndarray of bool, shape (n_people, n_tasks), optional
        Who may do which task; everyone may do everything when omitted.
    preference : ndarray of shape (n_people, n_tasks), optional
        1 (rather not) to 5 (keen); 3 when omitted.
    max_tasks : int, optional
        Most distinct tasks in one person's complex.
    min_block_hours : float
        A person who takes a task takes at least this many hours of it a week.
    previous : ndarray of shape (n_people, n_tasks), optional
        Last period's shifts per week, for stability.
    """

    task_names: tuple[str, ...]
    shift_hours: FloatArray
    shifts_per_week: IntArray
    empowerment: FloatArray
    desirability: FloatArray
    people: tuple[str, ...]
    hours_owed: FloatArray
    qualified: BoolArray = field(default=None)  # type: ignore[arg-type]
    preference: FloatArray = field(default=None)  # type: ignore[arg-type]
    max_tasks: int | None = None
    min_block_hours: float = 0.0
    previous: FloatArray | None = None

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.task_names)
        people = tuple(str(p) for p in self.people)
        n_t, n_p = len(names), len(people)
        if n_t == 0 or n_p == 0:
            raise ValidationError("a workplace needs at least one task and one person")
        for label, seq in (("task", names), ("person", people)):
            if len(set(seq)) != len(seq):
                dup = next(s for s in seq if seq.count(s) > 1)
                raise ValidationError(f"{label} {dup!r} appears twice")
        shift = _floats(self.shift_hours, "shift_hours", (n_t,))
        shifts = _floats(self.shifts_per_week, "shifts_per_week", (n_t,))
        emp = _floats(self.empowerment, "empowerment", (n_t,))
        des = _floats(self.desirability, "desirability", (n_t,))
        owed = _floats(self.hours_owed, "hours_owed", (n_p,))
        if (shift <= 0).any():
            (t,) = _first(shift <= 0)
            raise ValidationError("shift_hours must be > 0", f"task {names[t]!r}")
        if (shifts < 0).any() or (shifts != np.round(shifts)).any():
            (t,) = _first((shifts < 0) | (shifts != np.round(shifts)))
            raise ValidationError(
                f"shifts_per_week must be a whole number >= 0 (got {shifts[t]:g})",
                f"task {names[t]!r}",
            )
        for label, arr in (("empowerment", emp), ("desirability", des)):
            bad = (arr < RATING_MIN) | (arr > RATING_MAX)
            if bad.any():
                (t,) = _first(bad)
                raise ValidationError(
                    f"{label} must be within 1–20 (got {arr[t]:g})", f"task {names[t]!r}"
                )
        if (owed < 0).any():
            (i,) = _first(owed < 0)
            raise ValidationError("hours_owed must be >= 0", f"person {people[i]!r}")
        qual = (
            np.ones((n_p, n_t), dtype=bool)
            if self.qualified is None
            else np.array(self.qualified, dtype=bool)
        )
        if qual.shape != (n_p, n_t):
            raise ValidationError(f"qualified has shape {qual.shape}, expected {(n_p, n_t)}")
        pref = (
            np.full((n_p, n_t), 3.0)
            if self.preference is None
            else _floats(self.preference, "preference", (n_p, n_t))
        )
        bad = (pref < PREFERENCE_MIN) | (pref > PREFERENCE_MAX)
        if bad.any():
            i, t = _first(bad)
            raise ValidationError(
                f"preference must be within 1–5 (got {pref[i, t]:g})",
                f"person {people[i]!r}, task {names[t]!r}",
            )
        prev = None
        if self.previous is not None:
            prev = _floats(self.previous, "previous", (n_p, n_t))
            if (prev < 0).any():
                raise ValidationError("previous shifts must be >= 0")
        if self.max_tasks is not None and self.max_tasks < 1:
            raise ValidationError(f"max_tasks must be >= 1 (got {self.max_tasks})")
        if not (np.isfinite(self.min_block_hours) and self.min_block_hours >= 0):
            raise ValidationError("min_block_hours must be >= 0")
        need, have = float(shift @ shifts), float(owed.sum())
        if abs(need - have) > 1e-6 * max(1.0, need):
            more = "add" if have < need else "remove"
            raise ValidationError(
                f"people owe {have:g} h a week but the tasks need {need:g} h; "
                f"{more} {abs(need - have):g} h of hours owed or change the tasks' shifts"
            )
        for name, value in (
            ("task_names", names),
            ("people", people),
            ("shift_hours", shift),
            ("shifts_per_week", shifts.astype(np.int64)),
            ("empowerment", emp),
            ("desirability", des),
            ("hours_owed", owed),
            ("qualified", qual),
            ("preference", pref),
            ("previous", prev),
        ):
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            object.__setattr__(self, name, value)

    @property
    def n_people(self) -> int:
        return len(self.people)

    @property
    def n_tasks(self) -> int:
        return len(self.task_names)

    @property
    def task_hours(self) -> FloatArray:
        """Hours per week each task needs, shape (n_tasks,)."""
        return self.shift_hours * self.shifts_per_week

    @property
    def mean_empowerment(self) -> float:
        """The workplace's hours-weighted average empowerment (the balancing target)."""
        return hours_weighted_mean(self.empowerment, self.task_hours)

    @property
    def mean_desirability(self) -> float:
        return hours_weighted_mean(self.desirability, self.task_hours)

    def subset(
        self,
        people: NDArray[np.intp],
        tasks: NDArray[np.intp],
        shifts_per_week: ArrayLike | None = None,
    ) -> Workplace:
        """The workplace restricted to ``people`` and ``tasks`` (index arrays).

        Everything per person, per task and per pair — qualifications,
        preferences and last period's assignment ``previous`` — is cut to the
        same rows and columns; the task cap and minimum block are kept.
        ``shifts_per_week`` (shape (len(tasks),)) replaces the tasks' weekly
        shifts, which must then need exactly the chosen people's hours owed (a
        team's share of the tasks, or the shifts a neighbourhood holds now).
        """
        p = np.asarray(people, dtype=np.intp)
        t = np.asarray(tasks, dtype=np.intp)
        pairs = np.ix_(p, t)
        return Workplace(
            task_names=tuple(self.task_names[k] for k in t),
            shift_hours=self.shift_hours[t],
            shifts_per_week=np.asarray(
                self.shifts_per_week[t] if shifts_per_week is None else shifts_per_week
            ),
            empowerment=self.empowerment[t],
            desirability=self.desirability[t],
            people=tuple(self.people[i] for i in p),
            hours_owed=self.hours_owed[p],
            qualified=self.qualified[pairs],
            preference=self.preference[pairs],
            max_tasks=self.max_tasks,
            min_block_hours=self.min_block_hours,
            previous=None if self.previous is None else self.previous[pairs],
        )

    def fits(self, shifts: FloatArray) -> bool:
        """Whether ``shifts`` (n_people, n_tasks) is a whole-shift assignment that meets
        every task's shifts, everyone's hours owed and the qualifications exactly."""
        return bool(
            shifts.shape == self.qualified.shape
            and np.array_equal(shifts, np.rint(shifts))
            and (shifts >= 0).all()
            and not (shifts[~self.qualified] > 0).any()
            and np.array_equal(shifts.sum(axis=0), self.shifts_per_week)
            and np.allclose(shifts @ self.shift_hours, self.hours_owed, atol=1e-6)
        )

    def hours_moved(self, shifts: FloatArray) -> float:
        """Hours per week that ``shifts`` moves against ``previous`` (0 without one).

        Counted per (person, task) pair as ``|shifts − previous| × shift hours``,
        the stability term of the objective.
        """
        if self.previous is None:
            return 0.0
        diff = np.asarray(shifts, dtype=np.float64) - self.previous
        return float(np.abs(diff * self.shift_hours).sum())

    def averages(self, shifts: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Each person's hours-weighted (empowerment, desirability), each shape (n_people,).

        ``shifts`` has shape (n_people, n_tasks), in shifts per week.
        """
        hours = np.asarray(shifts, dtype=np.float64) * self.shift_hours
        total = hours.sum(axis=1)
        safe = np.where(total > 0, total, 1.0)
        emp = np.where(total > 0, hours @ self.empowerment / safe, self.mean_empowerment)
        des = np.where(total > 0, hours @ self.desirability / safe, self.mean_desirability)
        return emp, des
