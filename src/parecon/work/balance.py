"""One front door for balancing job complexes: ``balance(workplace, settings, method)``.

After scipy.optimize's ``minimize``: one entry point, methods by name, one
frozen :class:`BalanceResult` for every method. Methods:

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
  search (:mod:`parecon.work.lp_swap`): integer shifts inside the band for
  1000 people in seconds, with the LP's bounds on the objective and the band.
* ``"auto"`` (the default) — exact where it finishes, scalable otherwise,
  and the other when the first comes back without an assignment in the
  band: up to ``EXACT_LIMIT`` qualified pairs ``complexes`` (a share
  ``AUTO_COMPLEX_WORK`` of the work), then the compact MILP ``highs`` up to
  ``COMPACT_LIMIT`` pairs (``AUTO_COMPACT_WORK``), then ``lp_swap`` with
  the rest; above ``EXACT_LIMIT`` pairs ``lp_swap`` first, then
  ``complexes``. ``tried`` lists what ran.

Limits: ``settings.time_limit`` is the one time budget of the whole call,
passed as :class:`~parecon.work.solvers.SolverLimits` to every method and
solver the same way; the methods stop by deterministic work first, so a
given input and seed give the same result every time (see
:mod:`parecon.work.solvers`).

Outcomes: a result is always returned unless the workplace is *proven*
infeasible. Stopping without an assignment (``status == "no_solution"``) or
with people outside the band (``"outside_band"``) is a status, with a
:class:`~parecon.exceptions.ConvergenceWarning`; only a proof that no
assignment exists raises :class:`~parecon.exceptions.InfeasibleError`,
whose message comes from :func:`parecon.work.diagnose.explain_infeasibility`.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np

from parecon.exceptions import ConvergenceWarning, InfeasibleError, ValidationError
from parecon.work.formulation import BalanceSettings, build_model
from parecon.work.solvers import SolverLimits
from parecon.work.workplace import FloatArray, Workplace

__all__ = [
    "COMPACT_LIMIT",
    "EXACT_LIMIT",
    "METHODS",
    "METHOD_HELP",
    "BalanceResult",
    "BalanceStatus",
    "balance",
    "evaluate",
]

METHODS = ("auto", "complexes", "highs", "cpsat", "teams", "lp_swap")
METHOD_HELP = {
    "auto": "exact where it finishes, scalable otherwise, the other if the first fails",
    "complexes": "exact by job complexes (small workplaces; proves optimality)",
    "highs": "the compact MILP with HiGHS (small workplaces; optimality gap)",
    "cpsat": "the compact MILP with OR-Tools CP-SAT",
    "teams": "decomposition into teams of about team_size, each solved exactly",
    "lp_swap": "LP, rounding and swap search (scalable: 1000 people in seconds)",
}
LABELS = {"highs": "the compact MILP (highs)", "complexes": "the exact complexes"}
EXACT_LIMIT = 6000
"""Most qualified (person, task) pairs for which ``auto`` tries the exact methods first."""
COMPACT_LIMIT = 300
"""Most qualified pairs for which ``auto`` tries the compact MILP after ``complexes``
(beyond that its root alone can outlast the budget, mixed shift lengths worst)."""
AUTO_COMPLEX_WORK = 2.0
"""Work units ``auto`` gives the complex method before the next (see docs/work.md)."""
AUTO_COMPACT_WORK = 2.0
"""Work units ``auto`` gives the compact MILP (and the same share of the seconds)."""
EXACT = ("complexes", "highs", "cpsat")

BalanceStatus = Literal["optimal", "feasible", "outside_band", "no_solution"]
SOLVERS = {
    "complexes": "highspy",
    "highs": "scipy-highs",
    "cpsat": "cpsat",
    "teams": "scipy-highs",
    "lp_swap": "scipy-highs",
}
"""The backend (adapter's ``CAPABILITIES.name``) that finds each method's assignment."""


@dataclass(frozen=True, eq=False)
class BalanceResult:
    """Balanced job complexes and how good they are (the same for every method).

    shifts : ndarray of shape (n_people, n_tasks) or None
        Whole shifts per week of each task for each person (None when no
        assignment was found, ``status == "no_solution"``).
    empowerment, desirability : ndarray of shape (n_people,) or None
        Each person's hours-weighted averages.
    band_empowerment, band_desirability : float
        Achieved ``max_i |average_i − workplace mean|`` on each scale
        (``nan`` without an assignment).
    objective, bound, gap : float
        The weighted objective, the best proven lower bound, and their
        relative gap. For ``"teams"`` the bound is the sum of the teams'
        bounds, i.e. a bound given the team split, not for the whole; for
        ``"lp_swap"`` the LP relaxation's.
    status : "optimal" (in the band, proven optimal within ``mip_rel_gap``),
        "feasible" (in the band), "outside_band" (whole shifts meeting
        hours, coverage and qualifications, but someone outside the band or
        the task cap / minimum block: a limit stopped the search) or
        "no_solution" (a limit stopped it without an assignment).
    method : the method whose assignment this is (``tried`` lists all that ran).
    solver : the backend that found it ("highspy", "scipy-highs", "cpsat").
    seconds : wall-clock seconds of the whole call.
    message : what happened, in words (with the fallbacks ``auto`` took).
    stopped_by : "work", "seconds" or "" — which limit stopped the method that
        produced the result ("seconds" means a wall-clock cap bound — only
        possible with ``work_limit`` given — and the result may differ between
        runs).
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
    shifts: FloatArray | None
    empowerment: FloatArray | None
    desirability: FloatArray | None
    band_empowerment: float
    band_desirability: float
    objective: float
    bound: float
    gap: float
    status: BalanceStatus
    method: str
    solver: str
    seconds: float
    message: str
    stopped_by: str = ""
    tried: tuple[str, ...] = ()
    n_teams: int = 1
    band_bound: float = float("nan")
    hours_moved: float = 0.0

    @property
    def in_band(self) -> bool:
        """Whether everyone is within the band (status "optimal" or "feasible")."""
        return self.status in ("optimal", "feasible")

    @property
    def hours(self) -> FloatArray:
        """Hours per week, shape (n_people, n_tasks) (zeros without an assignment)."""
        if self.shifts is None:
            return np.zeros((self.workplace.n_people, self.workplace.n_tasks))
        return self.shifts * self.workplace.shift_hours

    @property
    def distinct_tasks(self) -> FloatArray:
        """Number of distinct tasks in each complex, shape (n_people,)."""
        return np.asarray((self.hours > 0).sum(axis=1), dtype=np.float64)

    def summary(self) -> dict[str, object]:
        """Everything but the arrays, as JSON-ready values (``nan`` becomes None)."""

        def num(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None

        return {
            "status": self.status,
            "in_band": self.in_band,
            "method": self.method,
            "solver": self.solver,
            "tried": list(self.tried),
            "band_empowerment": num(self.band_empowerment),
            "band_desirability": num(self.band_desirability),
            "band_bound": num(self.band_bound),
            "objective": num(self.objective),
            "bound": num(self.bound),
            "gap": num(self.gap),
            "hours_moved": float(self.hours_moved),
            "n_teams": self.n_teams,
            "seconds": float(self.seconds),
            "stopped_by": self.stopped_by,
            "message": self.message,
        }


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


@dataclass(frozen=True, eq=False)
class _Found:
    """One method's outcome, before it becomes a :class:`BalanceResult`."""

    method: str
    shifts: FloatArray | None
    objective: float
    bound: float
    proven: bool
    in_band: bool
    message: str
    stopped_by: str = ""
    n_teams: int = 1
    band_bound: float = float("nan")


def balance(
    wp: Workplace,
    settings: BalanceSettings | None = None,
    method: str = "auto",
    *,
    team_size: int = 50,
) -> BalanceResult:
    """Assign whole shifts so every complex is within the band; see the module docstring.

    Raises ValidationError for an unknown method and InfeasibleError only
    when no assignment within the band exists (proven, with the reason);
    every other outcome is a result whose ``status`` says what was found.
    """
    settings = settings or BalanceSettings()
    if method not in METHODS:
        raise ValidationError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not (isinstance(team_size, int) and team_size >= 1):
        raise ValidationError(f"team_size must be a whole number >= 1 (got {team_size!r})")
    start = time.perf_counter()
    limits = settings.limits
    deadline = start + limits.seconds
    plan = _auto_plan(wp, limits) if method == "auto" else [(method, 1.0)]
    found: list[_Found] = []
    for k, (name, share) in enumerate(plan):
        left = deadline - time.perf_counter()
        if k > 0 and left <= 0:
            break
        if len(plan) == 1:
            call = limits
        elif k == len(plan) - 1:  # the last method gets what the others left
            call = SolverLimits(max(left, 0.01), _work_left(limits, plan[:k]), limits.seed)
        else:  # an earlier method gets its share of the seconds too
            call = limits.share(share, left=min(left, share * limits.seconds))
        f = _run(name, wp, settings, call, team_size, fall_back=method != "auto")
        found.append(f)
        # An unproven assignment in the band still lets an exact method try for a proof.
        if f.in_band and (f.proven or all(m not in EXACT for m, _ in plan[k + 1 :])):
            break
    return _result(wp, settings, found, time.perf_counter() - start)


def _auto_plan(wp: Workplace, limits: SolverLimits) -> list[tuple[str, float]]:
    """(method, share of the work) in the order ``auto`` tries them."""
    pairs = int(wp.qualified.sum())
    work = limits.work if limits.work is not None else limits.seconds
    if pairs > EXACT_LIMIT:
        return [("lp_swap", 0.7), ("complexes", 0.3)]
    plan = [("complexes", min(1.0, AUTO_COMPLEX_WORK / max(work, 1e-9)))]
    if pairs <= COMPACT_LIMIT:
        plan.append(("highs", min(1.0, AUTO_COMPACT_WORK / max(work, 1e-9))))
    plan.append(("lp_swap", 1.0))
    return plan


def _work_left(limits: SolverLimits, spent: list[tuple[str, float]]) -> float | None:
    if limits.work is None:
        return None
    return max(limits.work * (1.0 - sum(share for _, share in spent)), 0.1 * limits.work)


def _run(
    name: str,
    wp: Workplace,
    settings: BalanceSettings,
    limits: SolverLimits,
    team_size: int,
    *,
    fall_back: bool,
) -> _Found:
    """Run one method; InfeasibleError only for a proof."""
    nan = float("nan")
    if name == "complexes":
        from parecon.work.complexes import POOL_LIMIT, balance_complexes

        cx = balance_complexes(wp, settings, limits=limits)
        if cx is None:
            note = f"more than {POOL_LIMIT} complexes"
            if not fall_back:
                return _Found(name, None, nan, nan, False, False, note)
            f = _run("highs", wp, settings, limits, team_size, fall_back=False)
            return _Found(
                f.method,
                f.shifts,
                f.objective,
                f.bound,
                f.proven,
                f.in_band,
                f"{note}, so the compact MILP: {f.message}",
                f.stopped_by,
            )
        if cx.status == "infeasible":
            raise InfeasibleError(_why(wp, settings, cx.message))
        ok = cx.shifts is not None
        return _Found(
            name, cx.shifts, cx.objective, cx.bound, cx.status == "optimal", ok, cx.message,
            cx.stopped_by,
        )  # fmt: skip
    if name == "lp_swap":
        from parecon.work.lp_swap import balance_lp_swap

        sc = balance_lp_swap(wp, settings, limits)
        return _Found(
            name,
            sc.shifts,
            sc.objective,
            sc.bound,
            False,
            sc.in_band,
            sc.message,
            sc.stopped_by,
            band_bound=sc.band_bound,
        )
    if name == "teams":
        from parecon.work.teams import balance_by_teams

        tm = balance_by_teams(wp, settings, limits, team_size=team_size)
        return _Found(
            name,
            tm.shifts,
            tm.objective,
            tm.bound,
            False,
            tm.shifts is not None,
            tm.message,
            tm.stopped_by,
            n_teams=tm.n_teams,
        )
    model = build_model(wp, settings)
    if name == "highs":
        from parecon.work._scipy import solve_model

        out = solve_model(model, limits=limits, mip_rel_gap=settings.mip_rel_gap)
    else:
        from parecon.work._cpsat import solve_cpsat

        out = solve_cpsat(model, limits=limits, mip_rel_gap=settings.mip_rel_gap)
    if out.status == "infeasible":
        raise InfeasibleError(_why(wp, settings))
    shifts = None if out.values is None else model.shifts(out.values, wp.n_people, wp.n_tasks)
    message = out.message
    if shifts is None:
        message = f"no assignment found within the limits ({out.message})"
    return _Found(
        name,
        shifts,
        out.objective,
        out.bound,
        out.status == "optimal",
        shifts is not None,
        message,
        out.stopped_by,
    )


def _result(
    wp: Workplace, settings: BalanceSettings, found: list[_Found], seconds: float
) -> BalanceResult:
    """The first in-band outcome, else the assignment nearest the band, else none."""
    nan = float("nan")
    tried = tuple(f.method for f in found)
    with_shifts = [f for f in found if f.shifts is not None]
    in_band = [f for f in found if f.in_band]
    best = min(in_band, key=lambda f: (not f.proven, f.objective)) if in_band else None
    if best is None and with_shifts:
        best = min(with_shifts, key=lambda f: _violation(wp, settings, f.shifts))
    chosen = best if best is not None else found[-1]
    history = "; ".join(
        f"{f.method}: no assignment in the band ({f.message})" for f in found if f is not chosen
    )
    label = LABELS.get(chosen.method, chosen.method)
    message = f"{history}; so {label}: {chosen.message}" if history else chosen.message
    if chosen.shifts is None:
        status: BalanceStatus = "no_solution"
        emp = des = None
        band_e = band_d = nan
        moved = 0.0
    else:
        parts = evaluate(wp, settings, chosen.shifts)
        emp, des = wp.averages(chosen.shifts)
        band_e, band_d = parts["band_empowerment"], parts["band_desirability"]
        moved = parts["hours_moved"]
        proven: BalanceStatus = "optimal" if chosen.proven else "feasible"
        status = proven if chosen.in_band else "outside_band"
    if status in ("no_solution", "outside_band"):
        warnings.warn(
            f"no assignment within the band found ({status}): {message}; raise "
            "time_limit or work_limit, widen the band, or try another method",
            ConvergenceWarning,
            stacklevel=3,
        )
    objective, bound = chosen.objective, chosen.bound
    gap = (
        abs(objective - bound) / max(abs(objective), 1e-9)
        if np.isfinite(bound) and np.isfinite(objective)
        else nan
    )
    return BalanceResult(
        workplace=wp,
        settings=settings,
        shifts=chosen.shifts,
        empowerment=emp,
        desirability=des,
        band_empowerment=band_e,
        band_desirability=band_d,
        objective=objective,
        bound=bound,
        gap=float(gap),
        status=status,
        method=chosen.method,
        solver=SOLVERS[chosen.method],
        seconds=seconds,
        message=message,
        stopped_by=chosen.stopped_by,
        tried=tried,
        n_teams=chosen.n_teams,
        band_bound=chosen.band_bound,
        hours_moved=moved,
    )


def _violation(wp: Workplace, settings: BalanceSettings, shifts: FloatArray | None) -> float:
    """How far outside the band an assignment is (the larger excess of the two scales)."""
    assert shifts is not None
    parts = evaluate(wp, settings, shifts)
    excess = parts["band_empowerment"] - settings.band
    if settings.desirability == "band":
        excess = max(excess, parts["band_desirability"] - settings.des_band)
    return excess


def _why(wp: Workplace, settings: BalanceSettings, detail: str = "") -> str:
    from parecon.work.diagnose import explain_infeasibility

    return explain_infeasibility(wp, settings, detail=detail)
