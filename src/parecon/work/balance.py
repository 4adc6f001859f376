"""One front door for balancing job complexes: ``balance(workplace, settings, method)``.

Methods (after scipy.optimize's ``minimize``: one entry point, one result):

* ``"complexes"`` — exact by job complexes (:mod:`parecon.work.complexes`):
  every person's feasible complexes enumerated, column generation, then an
  integer master over the complexes within the reduced-cost gap; proves
  optimality of the same objective far faster than the compact MILP. When
  the pool passes ``POOL_LIMIT`` complexes it falls back to ``"highs"``
  (the result's ``method`` says which ran).
* ``"highs"`` — the compact MILP (:mod:`parecon.work.formulation`) with
  HiGHS; proves optimality (or reports the gap) for small workplaces.
* ``"cpsat"`` — the same model with OR-Tools CP-SAT.
* ``"teams"`` — decomposition for large workplaces
  (:mod:`parecon.work.teams`): the tasks' shifts are split among teams of
  about ``team_size`` people so each team's mix sits at the workplace's
  means, then each team is solved exactly.
* ``"lp_swap"`` — LP relaxation, rounding to whole shifts and a swap local
  search (:mod:`parecon.work.scalable`): integer shifts inside the band for
  1000 people in seconds, with the LP's bounds on the objective and the band.
* ``"auto"`` — ``"complexes"`` up to ``EXACT_LIMIT`` qualified pairs, else
  ``"lp_swap"``; ``"highs"`` instead when the pool passes its limit or the
  complexes give no proof within ``AUTO_COMPLEX_SECONDS``.

A workplace with no assignment inside the band raises
:class:`~parecon.exceptions.InfeasibleError` whose message comes from
:func:`parecon.work.diagnose.explain_infeasibility`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from parecon.exceptions import InfeasibleError, ValidationError
from parecon.work.formulation import BalanceSettings, build_model
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["EXACT_LIMIT", "METHODS", "BalanceResult", "balance", "evaluate"]

METHODS = ("auto", "complexes", "highs", "cpsat", "teams", "lp_swap")
EXACT_LIMIT = 6000
AUTO_COMPLEX_SECONDS = 2.0
"""``auto`` gives the complex method this long before the compact MILP (see docs/work.md)."""


@dataclass(frozen=True, eq=False)
class BalanceResult:
    """Balanced job complexes and how good they are.

    shifts : ndarray of shape (n_people, n_tasks)
        Whole shifts per week of each task for each person.
    empowerment, desirability : ndarray of shape (n_people,)
        Each person's hours-weighted averages.
    band_empowerment, band_desirability : float
        Achieved ``max_i |average_i − workplace mean|`` on each scale.
    objective, bound, gap : float
        The weighted objective, the best proven lower bound, and their
        relative gap. For ``"teams"`` the bound is the sum of the teams'
        bounds, i.e. a bound given the team split, not for the whole; for
        ``"lp_swap"`` the LP relaxation's.
    status : "optimal" or "feasible"
    hours_moved : float
        Hours per week moved against the workplace's ``previous`` assignment
        (``Σ |shifts − previous| × shift hours``; 0 without one).
    band_bound : float
        Best bound on the empowerment band (the LP's smallest achievable
        band; ``nan`` where not computed), so ``band_empowerment −
        band_bound`` is the distance from the best bound.
    """

    workplace: Workplace
    settings: BalanceSettings
    shifts: FloatArray
    empowerment: FloatArray
    desirability: FloatArray
    band_empowerment: float
    band_desirability: float
    objective: float
    bound: float
    gap: float
    status: str
    method: str
    seconds: float
    message: str
    n_teams: int = 1
    band_bound: float = float("nan")
    hours_moved: float = 0.0

    @property
    def hours(self) -> FloatArray:
        """Hours per week, shape (n_people, n_tasks)."""
        return self.shifts * self.workplace.shift_hours

    @property
    def distinct_tasks(self) -> FloatArray:
        """Number of distinct tasks in each complex, shape (n_people,)."""
        return np.asarray((self.shifts > 0).sum(axis=1), dtype=np.float64)


def evaluate(wp: Workplace, settings: BalanceSettings, shifts: FloatArray) -> dict[str, float]:
    """The objective's parts and the achieved bands for an assignment ``shifts``."""
    emp, des = wp.averages(shifts)
    hours = shifts * wp.shift_hours
    used = shifts > 0
    moved = wp.hours_moved(shifts)
    parts = {
        "preference": float((hours * (5.0 - wp.preference)).sum()),
        "distinct_tasks": float(used.sum()),
        "hours_moved": moved,
        "band_empowerment": float(np.max(np.abs(emp - wp.mean_empowerment))),
        "band_desirability": float(np.max(np.abs(des - wp.mean_desirability))),
    }
    parts["objective"] = (
        settings.preference_weight * parts["preference"]
        + settings.task_weight * parts["distinct_tasks"]
        + (settings.stability_weight * moved if wp.previous is not None else 0.0)
    )
    return parts


def balance(
    wp: Workplace,
    settings: BalanceSettings | None = None,
    method: str = "auto",
    *,
    team_size: int = 50,
) -> BalanceResult:
    """Assign whole shifts so every complex is within the band; see the module docstring."""
    settings = settings or BalanceSettings()
    if method not in METHODS:
        raise ValidationError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "auto":
        method = "complexes" if int(wp.qualified.sum()) <= EXACT_LIMIT else "lp_swap"
        budget = min(AUTO_COMPLEX_SECONDS, settings.time_limit)
    else:
        budget = settings.time_limit
    start = time.perf_counter()
    band_bound = float("nan")
    fallback = ""
    cx = None
    if method == "complexes":
        from parecon.work.complexes import POOL_LIMIT, balance_complexes

        cx = balance_complexes(wp, settings, time_limit=budget)
        if cx is None:
            method = "highs"
            fallback = f"more than {POOL_LIMIT} complexes, so the compact MILP: "
        elif cx.status in ("feasible", "no_solution") and budget < settings.time_limit:
            method, cx = "highs", None
            fallback = f"no proof by complexes in {budget:g} s, so the compact MILP: "
    if cx is not None:
        if cx.shifts is None:
            seconds = time.perf_counter() - start
            raise InfeasibleError(_why(wp, settings, cx.status, seconds, cx.message))
        shifts, objective, bound, status, message, n_teams = (
            cx.shifts,
            cx.objective,
            cx.bound,
            cx.status,
            cx.message,
            1,
        )
    elif method == "lp_swap":
        from parecon.work.scalable import balance_scalable

        sc = balance_scalable(wp, settings)
        if not sc.in_band:
            parts = evaluate(wp, settings, sc.shifts)
            raise InfeasibleError(
                f"the swap search stopped with people outside the band (best "
                f"{parts['band_empowerment']:.3f}/{parts['band_desirability']:.3f}, LP band "
                f"bound {sc.band_bound:.3f}); whole shifts bind: a slightly wider band, "
                "shorter shifts, a larger task cap or method 'highs' (exact) would settle it"
            )
        shifts, objective, bound, status, message, n_teams = (
            sc.shifts,
            sc.objective,
            sc.bound,
            "feasible",
            sc.message,
            1,
        )
        band_bound = sc.band_bound
    elif method == "teams":
        from parecon.work.teams import balance_by_teams

        shifts, objective, bound, status, message, n_teams = balance_by_teams(
            wp, settings, team_size=team_size
        )
    else:
        model = build_model(wp, settings)
        if method == "highs":
            from parecon.work._highs import solve_highs

            left = max(settings.time_limit - (time.perf_counter() - start), 1.0)
            out = solve_highs(model, time_limit=left, mip_rel_gap=settings.mip_rel_gap)
        else:
            from parecon.work._cpsat import solve_cpsat

            out = solve_cpsat(
                model,
                time_limit=settings.time_limit,
                mip_rel_gap=settings.mip_rel_gap,
                seed=settings.seed,
            )
        if out.values is None:
            raise InfeasibleError(_why(wp, settings, out.status, out.seconds))
        shifts = model.shifts(out.values, wp.n_people, wp.n_tasks)
        objective, bound, status, message, n_teams = (
            out.objective,
            out.bound,
            out.status,
            fallback + out.message,
            1,
        )
    parts = evaluate(wp, settings, shifts)
    gap = abs(objective - bound) / max(abs(objective), 1e-9) if np.isfinite(bound) else np.nan
    emp, des = wp.averages(shifts)
    return BalanceResult(
        workplace=wp,
        settings=settings,
        shifts=shifts,
        empowerment=emp,
        desirability=des,
        band_empowerment=parts["band_empowerment"],
        band_desirability=parts["band_desirability"],
        objective=objective,
        bound=bound,
        gap=float(gap),
        status=status,
        method=method,
        seconds=time.perf_counter() - start,
        message=message,
        n_teams=n_teams,
        band_bound=band_bound,
        hours_moved=parts["hours_moved"],
    )


def _why(
    wp: Workplace, settings: BalanceSettings, status: str, seconds: float, detail: str = ""
) -> str:
    if status == "no_solution":
        return (
            f"no assignment found within the time limit ({seconds:.0f} s); raise "
            "time_limit, widen the band, or use method 'lp_swap'"
        )
    from parecon.work.diagnose import explain_infeasibility

    return explain_infeasibility(wp, settings, detail=detail)
