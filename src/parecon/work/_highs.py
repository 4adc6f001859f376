"""HiGHS backend (through SciPy's bundled HiGHS): LPs and MILPs of a MatrixModel.

Capabilities: continuous and integer columns, two-sided rows, time limit,
relative gap, and a dual bound for the optimality gap. Imported lazily by
:mod:`parecon.work.balance`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from parecon.work.formulation import MatrixModel
from parecon.work.workplace import FloatArray

__all__ = ["SolverOutcome", "solve_highs"]


@dataclass(frozen=True, eq=False)
class SolverOutcome:
    """What one solver call found.

    status : "optimal", "feasible" (stopped with a solution), "infeasible",
        "no_solution" (stopped without one) or "error".
    values : ndarray of shape (n_cols,) or None
    objective, bound : float
        The solution's objective and the best proven lower bound (``nan``
        when unknown); ``gap`` is their relative difference.
    """

    status: str
    values: FloatArray | None
    objective: float
    bound: float
    gap: float
    seconds: float
    message: str


def solve_highs(
    model: MatrixModel, *, time_limit: float, mip_rel_gap: float = 1e-4
) -> SolverOutcome:
    """Solve ``model`` with HiGHS; integer columns make it a MILP."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    start = time.perf_counter()
    res = milp(
        model.c,
        constraints=LinearConstraint(model.A, model.row_lb, model.row_ub),
        integrality=model.integrality,
        bounds=Bounds(model.col_lb, model.col_ub),
        options={
            "time_limit": float(time_limit),
            "mip_rel_gap": float(mip_rel_gap),
            "presolve": True,
        },
    )
    seconds = time.perf_counter() - start
    is_mip = bool(model.integrality.any())
    x = None if res.x is None else np.asarray(res.x, dtype=np.float64)
    if x is not None and is_mip:
        x = np.where(model.integrality == 1, np.round(x), x)
    objective = float(res.fun) if res.fun is not None else float("nan")
    bound = float(getattr(res, "mip_dual_bound", np.nan) or np.nan) if is_mip else objective
    if res.status == 0:
        status = "optimal"
        if not is_mip:
            bound = objective
    elif res.status == 2:
        status = "infeasible"
    elif x is not None:
        status = "feasible"
    elif res.status == 1:
        status = "no_solution"
    else:
        status = "error"
    gap = _gap(objective, bound)
    return SolverOutcome(status, x, objective, bound, gap, seconds, str(res.message))


def _gap(objective: float, bound: float) -> float:
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return float("nan")
    return abs(objective - bound) / max(abs(objective), 1e-9)
