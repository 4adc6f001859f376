"""SciPy backend: ``scipy.optimize.milp`` and ``linprog`` (SciPy's bundled HiGHS).

Every call the balancer makes through SciPy sits here: the compact MILP of
a :class:`~parecon.work.formulation.MatrixModel` (methods ``highs``,
``teams``, ``lp_swap``'s LPs, rounding and neighbourhoods, the diagnosis),
small MILPs over plain arrays (the planted generator, the repair of last
period's assignment) and equality-form LPs with their duals (column
generation, reduced costs, the exchange between workplaces). One work unit
is ``NODES_PER_WORK`` branch-and-bound nodes (HiGHS's MIP search is
deterministic for a given node limit); LPs run to optimality. A wall-clock
cap is passed only when the caller set one. Imported lazily.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from parecon.work.formulation import MatrixModel
from parecon.work.solvers import Capabilities, SolverLimits, SolverOutcome, relative_gap
from parecon.work.workplace import FloatArray

__all__ = ["CAPABILITIES", "NODES_PER_WORK", "LpOutcome", "solve_lp", "solve_milp", "solve_model"]

NODES_PER_WORK = 500
"""Branch-and-bound nodes per work unit."""

CAPABILITIES = Capabilities(
    name="scipy-highs",
    integer=True,
    continuous=True,
    dual_bound=True,
    duals=True,
    mip_start=False,
    cutoff=False,
    deterministic_work=True,
    work_unit=f"{NODES_PER_WORK} branch-and-bound nodes",
)


def solve_model(
    model: MatrixModel, *, limits: SolverLimits, mip_rel_gap: float = 1e-4
) -> SolverOutcome:
    """Solve ``model``; integer columns make it a MILP."""
    return solve_milp(
        model.c,
        model.A,
        model.row_lb,
        model.row_ub,
        model.col_lb,
        model.col_ub,
        model.integrality,
        limits=limits,
        mip_rel_gap=mip_rel_gap,
    )


def solve_milp(
    c: FloatArray,
    A: sp.csr_array | FloatArray,
    row_lb: FloatArray,
    row_ub: FloatArray,
    col_lb: FloatArray,
    col_ub: FloatArray,
    integrality: np.ndarray,
    *,
    limits: SolverLimits | None,
    mip_rel_gap: float = 1e-4,
) -> SolverOutcome:
    """``min c·v  s.t.  row_lb ≤ A v ≤ row_ub,  col_lb ≤ v ≤ col_ub`` (integer where asked).

    ``limits`` None runs to optimality (small models only).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    options: dict[str, float | bool | int] = {"mip_rel_gap": float(mip_rel_gap), "presolve": True}
    if limits is not None:
        options["time_limit"] = float(limits.seconds)
        if limits.work is not None:
            options["node_limit"] = max(1, round(NODES_PER_WORK * limits.work))
    start = time.perf_counter()
    res = milp(
        c,
        constraints=LinearConstraint(A, row_lb, row_ub),
        integrality=integrality,
        bounds=Bounds(col_lb, col_ub),
        options=options,
    )
    seconds = time.perf_counter() - start
    is_mip = bool(np.asarray(integrality).any())
    x = None if res.x is None else np.asarray(res.x, dtype=np.float64)
    if x is not None and is_mip:
        x = np.where(np.asarray(integrality) == 1, np.round(x), x)
    objective = float(res.fun) if res.fun is not None else float("nan")
    bound = float(getattr(res, "mip_dual_bound", np.nan) or np.nan) if is_mip else objective
    stopped_by = ""
    if res.status == 0:
        status = "optimal"
        if not is_mip:
            bound = objective
    elif res.status == 2:
        status = "infeasible"
    else:
        status = "feasible" if x is not None else ("no_solution" if res.status == 1 else "error")
        if res.status == 1:
            stopped_by = "seconds" if "time" in str(res.message).lower() else "work"
    return SolverOutcome(
        status,
        x,
        objective,
        bound,
        relative_gap(objective, bound),
        seconds,
        str(res.message),
        stopped_by,
    )


@dataclass(frozen=True, eq=False)
class LpOutcome:
    """An LP's status ("optimal", "infeasible" or "error"), value, solution and the
    duals (marginals) of its equality rows, shape (n_eq,)."""

    status: str
    value: float
    x: FloatArray | None
    eq_duals: FloatArray | None
    message: str


def solve_lp(
    c: FloatArray,
    *,
    A_eq: sp.sparray | FloatArray | None = None,
    b_eq: FloatArray | None = None,
    A_ub: sp.sparray | FloatArray | None = None,
    b_ub: FloatArray | None = None,
    bounds: tuple[float, float | None] | FloatArray = (0.0, None),
) -> LpOutcome:
    """``min c·x`` subject to ``A_eq x = b_eq``, ``A_ub x ≤ b_ub`` and ``bounds`` (HiGHS)."""
    from scipy.optimize import linprog

    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status == 0:
        status = "optimal"
    elif res.status == 2:
        status = "infeasible"
    else:
        status = "error"
    x = None if res.x is None else np.asarray(res.x, dtype=np.float64)
    duals = None
    if A_eq is not None and res.status == 0:
        duals = np.asarray(res.eqlin.marginals, dtype=np.float64)
    value = float(res.fun) if res.fun is not None else float("nan")
    return LpOutcome(status, value, x, duals, str(res.message))
