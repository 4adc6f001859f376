"""The balancing problem as one sparse matrix model, shared by every backend.

Columns, for each qualified (person, task) pair ``k`` (``n_pairs`` of them):

* ``x[k]`` — shifts per week of task ``t`` done by person ``i`` (integer),
* ``y[k]`` — 1 when the person does the task at all (only when a task cap,
  a minimum block or a per-task cost is asked for),
* ``d[k]`` — hours moved against last period's assignment (only with
  ``previous``),
* ``z`` — the band itself, only when minimising it (bounds and diagnosis).

Rows: each task's shifts are covered; each person works exactly the hours
owed; each person's hours-weighted empowerment (and desirability, when it is
balanced rather than compensated) lies within the band of the workplace
mean, written linearly as ``|Σ_t h_it (e_t − ē)| ≤ τ H_i``; the links for
``y`` and ``d``. HiGHS takes the model as is; CP-SAT scales it to integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.exceptions import ValidationError
from parecon.work.solvers import SolverLimits
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["WORK_PER_SECOND", "BalanceSettings", "MatrixModel", "build_model"]

WORK_PER_SECOND = 0.5
"""Work units per second of ``time_limit`` when no ``work_limit`` is given."""

IntpArray = NDArray[np.intp]


@dataclass(frozen=True)
class BalanceSettings:
    """What "balanced" means and what to prefer among balanced assignments.

    band : float
        Hard limit on ``|person's average − workplace mean|`` for empowerment.
    desirability : "band" or "compensate"
        Balance desirability within ``desirability_band`` too, or leave it free
        and compensate it in allowances (see :mod:`parecon.work.allowances`).
    preference_weight, task_weight, stability_weight : float
        Objective, in this order of importance: hours times preference
        shortfall (5 − preference), per distinct task in a complex, per hour
        moved from last period's assignment.
    time_limit : float
        The one time budget, in seconds, of a whole :func:`~parecon.work.balance`
        call (every method, every solver in it). Without ``work_limit`` it
        becomes deterministic work: ``time_limit × WORK_PER_SECOND`` work units,
        about ``time_limit`` seconds on a quiet two-core machine, and no wall
        clock at all, so a given input and seed give the same assignment on
        any machine at any load (a loaded machine takes longer, it does not
        stop elsewhere).
    work_limit : float, optional
        Deterministic work budget in work units (see
        :mod:`parecon.work.solvers`); with it, ``time_limit`` is a hard
        wall-clock cap instead (a request handler's deadline).
    mip_rel_gap : float
        Relative optimality gap at which the exact method stops.
    seed : int
        Passed to the solvers so runs repeat.
    """

    band: float = 0.5
    desirability: Literal["band", "compensate"] = "band"
    desirability_band: float | None = None
    preference_weight: float = 1.0
    task_weight: float = 2.0
    stability_weight: float = 0.25
    time_limit: float = 60.0
    mip_rel_gap: float = 1e-4
    seed: int = 0
    work_limit: float | None = None

    def __post_init__(self) -> None:
        if not (np.isfinite(self.band) and self.band >= 0):
            raise ValidationError(f"band must be >= 0 (got {self.band})")
        if self.desirability not in ("band", "compensate"):
            raise ValidationError(
                f"desirability must be 'band' or 'compensate' (got {self.desirability!r})"
            )
        if self.desirability_band is not None and not self.desirability_band >= 0:
            raise ValidationError("desirability_band must be >= 0")
        for name in ("preference_weight", "task_weight", "stability_weight"):
            if not getattr(self, name) >= 0:
                raise ValidationError(f"{name} must be >= 0")
        if not (np.isfinite(self.time_limit) and self.time_limit > 0):
            raise ValidationError(f"time_limit must be > 0 seconds (got {self.time_limit})")
        if self.work_limit is not None and not (
            np.isfinite(self.work_limit) and self.work_limit > 0
        ):
            raise ValidationError(f"work_limit must be > 0 (got {self.work_limit})")
        if not (np.isfinite(self.mip_rel_gap) and self.mip_rel_gap >= 0):
            raise ValidationError(f"mip_rel_gap must be >= 0 (got {self.mip_rel_gap})")

    @property
    def limits(self) -> SolverLimits:
        """The whole call's limits: the work budget, the wall-clock cap (only with
        ``work_limit``; else none, ``inf``), the seed."""
        if self.work_limit is None:
            return SolverLimits(
                seconds=math.inf, work=self.time_limit * WORK_PER_SECOND, seed=self.seed
            )
        return SolverLimits(seconds=self.time_limit, work=self.work_limit, seed=self.seed)

    @property
    def des_band(self) -> float:
        return self.band if self.desirability_band is None else self.desirability_band


@dataclass(frozen=True, eq=False)
class MatrixModel:
    """``min c·v  s.t.  row_lb ≤ A v ≤ row_ub,  col_lb ≤ v ≤ col_ub``.

    ``integrality[j]`` is 1 for integer columns. ``row_groups`` maps a
    constraint family ("coverage", "hours", "empowerment", ...) to its row
    slice, so a diagnosis can name what binds.
    """

    c: FloatArray
    A: sp.csr_array
    row_lb: FloatArray
    row_ub: FloatArray
    col_lb: FloatArray
    col_ub: FloatArray
    integrality: NDArray[np.int8]
    pair_person: IntpArray
    pair_task: IntpArray
    x: slice
    y: slice | None
    d: slice | None
    z: int | None
    row_groups: dict[str, slice]

    def shifts(self, v: FloatArray, n_people: int, n_tasks: int) -> FloatArray:
        """The ``x`` part of a solution as a dense (n_people, n_tasks) array."""
        out = np.zeros((n_people, n_tasks))
        out[self.pair_person, self.pair_task] = v[self.x]
        return out


def build_model(
    wp: Workplace,
    settings: BalanceSettings,
    *,
    relax: bool = False,
    pairs: tuple[IntpArray, IntpArray] | None = None,
    x_lb: FloatArray | None = None,
    x_ub: FloatArray | None = None,
    band_scale: float = 1.0,
    minimise_band: bool = False,
    with_desirability: bool = True,
    targets: tuple[float, float] | None = None,
) -> MatrixModel:
    """Assemble the model for ``wp`` (see the module docstring).

    ``pairs`` restricts the columns to some qualified pairs, with optional
    bounds ``x_lb``/``x_ub`` of shape (n_pairs,) (the scalable method rounds
    inside such a neighbourhood). ``band_scale`` shrinks the band (the LP
    stage leaves room for rounding). ``minimise_band`` drops the objective
    and minimises the empowerment band ``z`` instead. ``targets``
    overrides the (empowerment, desirability) means the band is centred on
    (a team of a larger workplace is balanced against the whole's means).
    """
    pi, pt = np.nonzero(wp.qualified) if pairs is None else pairs
    pi, pt = np.asarray(pi, dtype=np.intp), np.asarray(pt, dtype=np.intp)
    n_pairs, n_p, n_t = pi.size, wp.n_people, wp.n_tasks
    shift = wp.shift_hours[pt]
    cap = np.floor(wp.hours_owed[pi] / shift + 1e-9)
    lb = np.zeros(n_pairs) if x_lb is None else np.asarray(x_lb, dtype=np.float64)
    ub = cap if x_ub is None else np.minimum(cap, x_ub)
    lb = np.minimum(lb, ub)
    use_y = not relax and (
        wp.max_tasks is not None or wp.min_block_hours > 0 or settings.task_weight > 0
    )
    use_d = wp.previous is not None and settings.stability_weight > 0
    n_cols = n_pairs * (1 + int(use_y) + int(use_d)) + int(minimise_band)
    xs = slice(0, n_pairs)
    ys = slice(n_pairs, 2 * n_pairs) if use_y else None
    start_d = n_pairs * (2 if use_y else 1)
    ds = slice(start_d, start_d + n_pairs) if use_d else None
    zc = n_cols - 1 if minimise_band else None

    rows: list[_Block] = []
    lo: list[FloatArray] = []
    hi: list[FloatArray] = []
    groups: dict[str, slice] = {}
    n_rows = 0

    def add(
        name: str,
        r: IntpArray,
        col: IntpArray,
        val: FloatArray,
        m: int,
        low: FloatArray,
        high: FloatArray,
    ) -> None:
        nonlocal n_rows
        rows.append(_Block(r + n_rows, col, val))
        lo.append(low)
        hi.append(high)
        groups[name] = slice(n_rows, n_rows + m)
        n_rows += m

    k = np.arange(n_pairs, dtype=np.intp)
    need = wp.shifts_per_week.astype(np.float64)
    add("coverage", pt, k, np.ones(n_pairs), n_t, need, need)
    add("hours", pi, k, shift, n_p, wp.hours_owed, wp.hours_owed)
    hours_x = shift
    e_mean, d_mean = (wp.mean_empowerment, wp.mean_desirability) if targets is None else targets
    scales = [("empowerment", wp.empowerment, e_mean, settings.band)]
    if with_desirability and settings.desirability == "band":
        scales.append(("desirability", wp.desirability, d_mean, settings.des_band))
    for name, rating, mean, band in scales:
        coef = hours_x * (rating[pt] - mean)
        if minimise_band and name == "empowerment":
            assert zc is not None
            people = np.arange(n_p, dtype=np.intp)
            zcol = np.full(n_p, zc, dtype=np.intp)
            inf = np.full(n_p, np.inf)
            add(
                name + "_upper",
                np.concatenate([pi, people]),
                np.concatenate([k, zcol]),
                np.concatenate([coef, -wp.hours_owed]),
                n_p,
                -inf,
                np.zeros(n_p),
            )
            add(
                name + "_lower",
                np.concatenate([pi, people]),
                np.concatenate([k, zcol]),
                np.concatenate([coef, wp.hours_owed]),
                n_p,
                np.zeros(n_p),
                inf,
            )
        else:
            width = band * band_scale * wp.hours_owed
            add(name, pi, k, coef, n_p, -width, width)
    if ys is not None:
        yk = k + ys.start
        add(
            "link",
            np.concatenate([k, k]),
            np.concatenate([k, yk]),
            np.concatenate([np.ones(n_pairs), -np.maximum(ub, 0)]),
            n_pairs,
            np.full(n_pairs, -np.inf),
            np.zeros(n_pairs),
        )
        if wp.min_block_hours > 0:
            block = np.minimum(np.minimum(wp.min_block_hours, ub * shift), wp.task_hours[pt])
            add(
                "min_block",
                np.concatenate([k, k]),
                np.concatenate([k, yk]),
                np.concatenate([shift, -block]),
                n_pairs,
                np.zeros(n_pairs),
                np.full(n_pairs, np.inf),
            )
        if wp.max_tasks is not None:
            add(
                "max_tasks",
                pi,
                yk,
                np.ones(n_pairs),
                n_p,
                np.full(n_p, -np.inf),
                np.full(n_p, float(wp.max_tasks)),
            )
    if ds is not None:
        assert wp.previous is not None
        prev_h = wp.previous[pi, pt] * shift
        dk = k + ds.start
        inf = np.full(n_pairs, np.inf)
        add(
            "stability_up",
            np.concatenate([k, k]),
            np.concatenate([dk, k]),
            np.concatenate([np.ones(n_pairs), -shift]),
            n_pairs,
            -prev_h,
            inf,
        )
        add(
            "stability_down",
            np.concatenate([k, k]),
            np.concatenate([dk, k]),
            np.concatenate([np.ones(n_pairs), shift]),
            n_pairs,
            prev_h,
            inf,
        )

    A = _stack(rows, n_rows, n_cols)
    c = np.zeros(n_cols)
    if minimise_band:
        assert zc is not None
        c[zc] = 1.0
    else:
        c[xs] = settings.preference_weight * shift * (5.0 - wp.preference[pi, pt])
        if ys is not None:
            c[ys] = settings.task_weight
        if ds is not None:
            c[ds] = settings.stability_weight
    col_lb = np.zeros(n_cols)
    col_ub = np.full(n_cols, np.inf)
    col_lb[xs], col_ub[xs] = lb, ub
    if ys is not None:
        col_ub[ys] = 1.0
    integrality = np.zeros(n_cols, dtype=np.int8)
    if not relax:
        integrality[xs] = 1
        if ys is not None:
            integrality[ys] = 1
    return MatrixModel(
        c=c,
        A=A,
        row_lb=np.concatenate(lo),
        row_ub=np.concatenate(hi),
        col_lb=col_lb,
        col_ub=col_ub,
        integrality=integrality,
        pair_person=pi,
        pair_task=pt,
        x=xs,
        y=ys,
        d=ds,
        z=zc,
        row_groups=groups,
    )


@dataclass(frozen=True)
class _Block:
    row: IntpArray
    col: IntpArray
    data: FloatArray


def _stack(parts: list[_Block], n_rows: int, n_cols: int) -> sp.csr_array:
    """One CSR matrix from the row blocks (each already offset to its rows)."""
    r = np.concatenate([p.row for p in parts])
    c = np.concatenate([p.col for p in parts])
    v = np.concatenate([p.data for p in parts])
    return sp.csr_array((v, (r, c)), shape=(n_rows, n_cols))
