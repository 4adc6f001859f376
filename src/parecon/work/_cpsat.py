"""OR-Tools CP-SAT backend: the compact model and neighbourhood partitions.

Every CP-SAT call sits here. CP-SAT needs integer data: every row of a
MatrixModel is multiplied by ``ROW_SCALE`` and its coefficients rounded
(bounds rounded inwards, so a CP-SAT solution is feasible for the original
rows up to ``1/ROW_SCALE`` of a rating point per hour); the objective is
scaled by ``OBJECTIVE_SCALE``. Continuous columns (stability ``d``, band
``z``) are made integer at that scale. One work unit
is one second of CP-SAT's deterministic time (``max_deterministic_time``);
with a work limit its workers search interleaved (``interleave_search``),
CP-SAT's deterministic parallel mode, so a seed repeats. Imported lazily.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from parecon.work.formulation import MatrixModel
from parecon.work.solvers import Capabilities, SolverLimits, SolverOutcome
from parecon.work.workplace import FloatArray

__all__ = ["CAPABILITIES", "solve_binary_partition", "solve_cpsat"]

CAPABILITIES = Capabilities(
    name="cpsat",
    integer=True,
    continuous=False,
    dual_bound=True,
    duals=False,
    mip_start=False,
    cutoff=False,
    deterministic_work=True,
    work_unit="one second of CP-SAT deterministic time",
)

ROW_SCALE = 1000
OBJECTIVE_SCALE = 100


def solve_cpsat(
    model: MatrixModel,
    *,
    limits: SolverLimits,
    mip_rel_gap: float = 1e-4,
    workers: int = 2,
) -> SolverOutcome:
    """Solve ``model`` with CP-SAT; same outcome shape as the HiGHS backend."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    m = cp_model.CpModel()
    n = model.c.size
    cont = model.integrality == 0
    col_scale = np.where(cont, ROW_SCALE, 1)
    big = 10**9
    variables = []
    for j in range(n):
        lo = model.col_lb[j] * col_scale[j]
        hi = model.col_ub[j] * col_scale[j]
        lo_i = -big if not np.isfinite(lo) else math.ceil(lo - 1e-9)
        hi_i = big if not np.isfinite(hi) else math.floor(hi + 1e-9)
        variables.append(m.new_int_var(lo_i, hi_i, f"v{j}"))
    A = model.A.tocsr()
    for r in range(A.shape[0]):
        cols = A.indices[A.indptr[r] : A.indptr[r + 1]]
        vals = A.data[A.indptr[r] : A.indptr[r + 1]] * ROW_SCALE / col_scale[cols]
        coef = np.round(vals).astype(np.int64)
        expr = sum(int(a) * variables[int(c)] for a, c in zip(coef, cols, strict=True) if a)
        lo, hi = model.row_lb[r] * ROW_SCALE, model.row_ub[r] * ROW_SCALE
        if np.isfinite(lo):
            m.add(expr >= math.ceil(lo - 1e-6))
        if np.isfinite(hi):
            m.add(expr <= math.floor(hi + 1e-6))
    obj = np.round(model.c * OBJECTIVE_SCALE / col_scale).astype(np.int64)
    m.minimize(sum(int(a) * variables[j] for j, a in enumerate(obj) if a))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(limits.seconds)
    solver.parameters.relative_gap_limit = float(mip_rel_gap)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(limits.seed)
    if limits.work is not None:
        solver.parameters.max_deterministic_time = float(limits.work)
        solver.parameters.interleave_search = True
    code = solver.solve(m)
    seconds = time.perf_counter() - start
    names = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.UNKNOWN: "no_solution",
    }
    status = names.get(code, "error")
    stopped_by = ""
    if status in ("feasible", "no_solution"):
        spent = solver.wall_time >= 0.98 * limits.seconds
        stopped_by = "seconds" if spent or limits.work is None else "work"
    if status in ("optimal", "feasible"):
        values = np.array([solver.value(v) for v in variables], dtype=np.float64) / col_scale
        objective = float(model.c @ values)
        bound = solver.best_objective_bound / OBJECTIVE_SCALE
        gap = abs(solver.objective_value - solver.best_objective_bound) / max(
            abs(solver.objective_value), 1e-9
        )
    else:
        values, objective, bound, gap = None, float("nan"), float("nan"), float("nan")
    return SolverOutcome(
        status, values, objective, bound, gap, seconds, solver.status_name(code), stopped_by
    )


def solve_binary_partition(
    A: sp.csc_array,
    c: FloatArray,
    rhs: FloatArray,
    *,
    limits: SolverLimits,
    workers: int = 1,
) -> tuple[str, FloatArray | None, str]:
    """A binary λ with ``A λ = rhs`` (A and rhs whole numbers), cheap ones (by ``c``) hinted.

    The neighbourhoods of ``lp_swap`` re-cut a few people's complexes this way:
    CP-SAT finds a feasible partition fast and its work limit is deterministic,
    where HiGHS's root can take seconds no node limit bounds. Returns
    (status, λ or None, stopped_by).
    """
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    lam = [m.new_bool_var(f"l{j}") for j in range(c.size)]
    A = sp.csr_array(A)
    for r in range(A.shape[0]):
        cols = A.indices[A.indptr[r] : A.indptr[r + 1]]
        vals = np.rint(A.data[A.indptr[r] : A.indptr[r + 1]]).astype(np.int64)
        expr = cp_model.LinearExpr.weighted_sum([lam[int(j)] for j in cols], vals.tolist())
        m.add(expr == round(rhs[r]))
    # Costs only as a hint (cheaper complexes first): a pure feasibility search finds a
    # partition far sooner than one that also weighs the objective.
    for j in np.argsort(c, kind="stable")[: min(c.size, 4 * A.shape[0])]:
        m.add_hint(lam[int(j)], 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(limits.seconds)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(limits.seed)
    solver.parameters.stop_after_first_solution = True
    if limits.work is not None:
        solver.parameters.max_deterministic_time = float(limits.work)
        if workers > 1:
            solver.parameters.interleave_search = True
    code = solver.solve(m)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible", np.array([solver.value(v) for v in lam], dtype=np.float64), ""
    if code == cp_model.INFEASIBLE:
        return "infeasible", None, ""
    stopped = "seconds" if limits.work is None or solver.wall_time >= limits.seconds else "work"
    return "no_solution", None, stopped
