"""What every solver adapter takes and returns: limits, an outcome, its capabilities.

The balancer's methods never call a solver library themselves: each backend
has one adapter module (:mod:`parecon.work._scipy` for SciPy's bundled
HiGHS, :mod:`parecon.work._highs` for the bare ``highspy`` solver,
:mod:`parecon.work._cpsat` for OR-Tools CP-SAT), imported lazily, which
takes the same :class:`SolverLimits` and declares its :class:`Capabilities`
(after cvxpy's solver interface).

Limits come in two kinds, passed together the same way to every backend:

* ``work`` — a deterministic budget in *work units*, about one second of
  solver work on one core. Each adapter turns it into its own deterministic
  limit (HiGHS branch-and-bound nodes, CP-SAT deterministic time); the swap
  search turns it into moves. A run stopped by work stops at the same point
  every time, so a given input and seed give the same assignment.
* ``seconds`` — a wall-clock cap for a whole call (a web request's or a
  background task's deadline), ``inf`` for none. Without an explicit
  ``work_limit`` the balancer sets none, so its results depend on work
  alone; when a cap binds, the result says so, and it may differ between
  runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parecon.work.workplace import FloatArray

__all__ = ["Capabilities", "SolverLimits", "SolverOutcome", "relative_gap"]


@dataclass(frozen=True)
class SolverLimits:
    """How long one solver call may run.

    seconds : float
        Wall-clock cap (> 0; ``math.inf`` for none, so only ``work`` stops).
    work : float or None
        Deterministic work units (> 0); ``None`` for no work limit (the
        call then stops on its own or at ``seconds``).
    seed : int
        Random seed for backends that take one.
    """

    seconds: float
    work: float | None = None
    seed: int = 0

    def share(self, fraction: float, *, left: float | None = None) -> SolverLimits:
        """These limits scaled by ``fraction`` (work) with ``left`` seconds (default: all)."""
        work = None if self.work is None else max(self.work * fraction, 1e-3)
        seconds = self.seconds if left is None else max(left, 0.01)
        return SolverLimits(seconds=seconds, work=work, seed=self.seed)


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, declared by its adapter.

    integer : integer columns (MILP) as well as continuous ones
    continuous : continuous columns without scaling them to integers
    dual_bound : reports a proven lower bound (the optimality gap)
    duals : reports row duals of an LP (column generation, reduced costs)
    mip_start : accepts a starting assignment
    cutoff : accepts an objective cutoff (prune everything worse)
    deterministic_work : the work limit is deterministic (same stop every run)
    work_unit : what one work unit becomes in this backend
    """

    name: str
    integer: bool
    continuous: bool
    dual_bound: bool
    duals: bool
    mip_start: bool
    cutoff: bool
    deterministic_work: bool
    work_unit: str


@dataclass(frozen=True, eq=False)
class SolverOutcome:
    """What one solver call found.

    status : "optimal", "feasible" (stopped with a solution), "infeasible"
        (proven), "no_solution" (stopped without one) or "error".
    values : ndarray of shape (n_cols,) or None
    objective, bound : float
        The solution's objective and the best proven lower bound (``nan``
        when unknown); ``gap`` is their relative difference.
    stopped_by : "work", "seconds" or "" (finished on its own)
    """

    status: str
    values: FloatArray | None
    objective: float
    bound: float
    gap: float
    seconds: float
    message: str
    stopped_by: str = ""


def relative_gap(objective: float, bound: float) -> float:
    """``|objective − bound| / |objective|`` (``nan`` when either is unknown)."""
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return float("nan")
    return abs(objective - bound) / max(abs(objective), 1e-9)
