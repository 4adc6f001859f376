"""HiGHS backend through ``highspy`` (the bare solver): the complex method's masters.

What SciPy's wrapper cannot pass — an objective cutoff and a MIP start —
this adapter can, so the integer master over job complexes
(:mod:`parecon.work.complexes`) runs here. One work unit is
``NODES_PER_WORK`` branch-and-bound nodes (``mip_max_nodes``; HiGHS's MIP
search is deterministic for a given node limit). Without ``highspy`` the
same master runs through :mod:`parecon.work._scipy`, the cutoff as a row
and without the start. Imported lazily.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from parecon.work.solvers import Capabilities, SolverLimits
from parecon.work.workplace import FloatArray

__all__ = ["CAPABILITIES", "NODES_PER_WORK", "available", "solve_binary_master"]

NODES_PER_WORK = 500
"""Branch-and-bound nodes per work unit."""

CAPABILITIES = Capabilities(
    name="highspy",
    integer=True,
    continuous=True,
    dual_bound=True,
    duals=True,
    mip_start=True,
    cutoff=True,
    deterministic_work=True,
    work_unit=f"{NODES_PER_WORK} branch-and-bound nodes",
)


def available() -> bool:
    """Whether ``highspy`` is installed (an optional extra)."""
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - highspy ships with the solvers extra
        return False
    return True


def solve_binary_master(
    A: sp.csc_array,
    c: FloatArray,
    rhs: FloatArray,
    *,
    limits: SolverLimits,
    gap: float,
    cutoff: float,
    start: FloatArray | None,
) -> tuple[str, FloatArray | None, float, str]:
    """``min c·λ  s.t.  A λ = rhs,  λ binary`` with an optional cutoff and start.

    Returns (status, λ or None, dual bound, stopped_by) with status
    "optimal", "feasible", "infeasible" or "no_solution"; ``stopped_by`` is
    "work", "seconds" or "".
    """
    if not available():  # pragma: no cover - used only without highspy
        from parecon.work._scipy import solve_milp

        rows: sp.sparray = A
        lo, hi = rhs, rhs
        if np.isfinite(cutoff):
            rows = sp.vstack([A, sp.csr_array(c[None, :])], format="csr")
            lo = np.concatenate([rhs, [-np.inf]])
            hi = np.concatenate([rhs, [cutoff]])
        out = solve_milp(
            c,
            rows,
            lo,
            hi,
            np.zeros(c.size),
            np.ones(c.size),
            np.ones(c.size, dtype=np.int8),
            limits=limits,
            mip_rel_gap=gap,
        )
        return out.status, out.values, out.bound, out.stopped_by
    import highspy

    # The bare solver (``highspy.Highs`` adds Python callbacks and prints a banner).
    h = highspy._Highs()  # type: ignore[attr-defined]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(limits.seconds, 0.01)))
    h.setOptionValue("mip_rel_gap", float(gap))
    if limits.work is not None:
        h.setOptionValue("mip_max_nodes", max(1, round(NODES_PER_WORK * limits.work)))
    if np.isfinite(cutoff):
        h.setOptionValue("objective_bound", float(cutoff))
    lp = highspy.HighsLp()
    lp.num_col_ = int(c.size)
    lp.num_row_ = int(rhs.size)
    lp.col_cost_ = c
    lp.col_lower_ = np.zeros(c.size)
    lp.col_upper_ = np.ones(c.size)
    lp.row_lower_ = rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr
    lp.a_matrix_.index_ = A.indices
    lp.a_matrix_.value_ = A.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * int(c.size)
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        h.setSolution(sol)
    h.run()
    model_status = h.getModelStatus()
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    stopped_by = ""
    if model_status == highspy.HighsModelStatus.kTimeLimit:
        stopped_by = "seconds"
    elif model_status == highspy.HighsModelStatus.kSolutionLimit or (
        model_status == highspy.HighsModelStatus.kIterationLimit
    ):
        stopped_by = "work"
    if model_status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, np.inf, ""
    lam: FloatArray | None = np.round(np.asarray(h.getSolution().col_value))
    if lam is None or lam.size != c.size or not np.allclose(A @ lam, rhs, atol=1e-6):
        lam = None  # stopped without an integer assignment (the values are an LP point)
    if model_status == highspy.HighsModelStatus.kOptimal:
        return "optimal", lam, bound, ""
    return ("feasible" if lam is not None else "no_solution"), lam, bound, stopped_by
