"""Exact balancing by job complexes: enumerate, price, and partition.

The compact MILP (:mod:`parecon.work.formulation`) counts distinct tasks
with fixed-charge binaries ``x ≤ M·y``, whose LP relaxation charges a
fraction of a task; together with each person's band that leaves HiGHS
thousands of nodes to prove a 10-person optimum. Here every column is a
whole **job complex** — one person's integer shifts per task — so its cost
(preferences, distinct tasks, hours moved) is exact, and the master problem

    min Σ_j c_j λ_j   s.t.   Σ_j x_tj λ_j = shifts_t  (every task),
                             Σ_{j of i} λ_j = 1      (every person),  λ binary

has a far tighter LP relaxation. The method:

1. **Enumerate** each person's feasible complexes: whole shifts of tasks they
   are qualified for, exactly their hours, the band on both scales (or
   empowerment only when desirability is compensated), the cap on distinct
   tasks and the minimum block — the same rows as the compact model, so the
   optimum is the same. Tasks are added one at a time, partial complexes
   pruned when the remaining hours can no longer bring them inside the band.
   If the pool would exceed ``POOL_LIMIT`` complexes the enumeration stops
   and :func:`balance_complexes` returns ``None`` (the caller falls back to
   the compact MILP).
2. **Column generation** over the pool: a restricted master LP (phase 1
   with artificial coverage slacks, then the costs), pricing every complex
   at once in NumPy against the duals. The Lagrangian bound
   ``LP + Σ_i min(0, min reduced cost of i)`` is valid at every iteration.
3. **Price and enumerate.** An integer master over the generated columns
   gives an upper bound ``UB``; since the duals ``(u, v)`` are optimal,
   any assignment costs ``LB + Σ_j rc_j λ_j`` with every ``rc_j ≥ 0``, so
   a complex in an assignment cheaper than ``UB`` has ``rc_j ≤ UB − LB``.
   The integer master over just those complexes, solved by HiGHS, is
   therefore optimal for the whole problem: a proof, not a heuristic. When
   every cost is a multiple of ``g`` (whole hours, whole preference points),
   the bound is rounded up to a multiple of ``g``, which often closes the
   gap without the last MILP.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.work.formulation import BalanceSettings
from parecon.work.solvers import SolverLimits
from parecon.work.workplace import FloatArray, Workplace

__all__ = [
    "POOL_LIMIT",
    "ComplexOutcome",
    "PersonComplexes",
    "balance_complexes",
    "enumerate_complexes",
    "feasible_partition",
]

POOL_LIMIT = 400_000
"""Most complexes (and partial complexes per person) enumerated before giving up."""
EXPAND_FACTOR = 4
"""Candidates (partial complexes times values of the next task) per allowed complex."""
PRICE_PER_PERSON = 8
"""Columns added per person and pricing round."""
TOL = 1e-7
DELTA_SHARE = 0.005
"""First reduced-cost window, as a share of the LP bound (doubles until proven)."""
PRICING_ROUNDS = 1000
"""Most column-generation rounds per phase (a deterministic cap; it rarely binds)."""
MASTER_WORK = 0.5
"""Share of the call's work each integer master may use."""

IntpArray = NDArray[np.intp]
ShiftArray = NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class PersonComplexes:
    """Every feasible complex of one person.

    tasks : ndarray of shape (k,)
        The tasks the person may take (qualified, with shifts to cover).
    shifts : ndarray of shape (m, k)
        One complex per row: whole shifts per week of each of ``tasks``.
    cost : ndarray of shape (m,)
        Each complex's exact share of the objective.
    """

    tasks: IntpArray
    shifts: ShiftArray
    cost: FloatArray


@dataclass(frozen=True, eq=False)
class ComplexOutcome:
    """What the complex method found.

    status : "optimal", "feasible" (a limit stopped it with a solution),
        "no_solution" (stopped without one) or "infeasible" (no assignment
        exists: proven by the pool itself).
    stopped_by : "work", "seconds" or "" (finished on its own)
    """

    status: str
    shifts: FloatArray | None
    objective: float
    bound: float
    message: str
    n_complexes: int
    stopped_by: str = ""


Targets = tuple[float, float] | None


def _band_rows(
    wp: Workplace, settings: BalanceSettings, targets: Targets = None
) -> list[tuple[FloatArray, float]]:
    """(rating − mean per task, band) for each balanced scale.

    ``targets`` overrides the (empowerment, desirability) means (a part of a
    larger workplace is balanced against the whole's means).
    """
    e_mean, d_mean = targets or (wp.mean_empowerment, wp.mean_desirability)
    rows = [(wp.empowerment - e_mean, settings.band)]
    if settings.desirability == "band":
        rows.append((wp.desirability - d_mean, settings.des_band))
    return rows


def _person_cost(
    wp: Workplace, settings: BalanceSettings, i: int, tasks: IntpArray, shifts: ShiftArray
) -> FloatArray:
    """The compact model's objective restricted to person ``i``, per complex."""
    s = wp.shift_hours[tasks]
    x = shifts.astype(np.float64)
    cost = x @ (settings.preference_weight * s * (5.0 - wp.preference[i, tasks]))
    if settings.task_weight > 0:
        cost = cost + settings.task_weight * (shifts > 0).sum(axis=1)
    if wp.previous is not None and settings.stability_weight > 0:
        qual = np.flatnonzero(wp.qualified[i])
        prev_h = wp.previous[i] * wp.shift_hours
        # Qualified tasks outside ``tasks`` (no shifts to cover) stay at zero hours.
        rest = np.setdiff1d(qual, tasks)
        moved = np.abs(x * s - prev_h[tasks]).sum(axis=1) + float(prev_h[rest].sum())
        cost = cost + settings.stability_weight * moved
    return np.asarray(cost, dtype=np.float64)


def enumerate_person(
    wp: Workplace,
    settings: BalanceSettings,
    i: int,
    limit: int = POOL_LIMIT,
    targets: Targets = None,
) -> PersonComplexes | None:
    """All feasible complexes of person ``i``; ``None`` beyond ``limit`` of them.

    Also ``None`` when a partial stage passes ``POOL_LIMIT`` partial complexes
    or ``EXPAND_FACTOR × POOL_LIMIT`` candidates (memory stays below ~100 MB).
    """
    hours = float(wp.hours_owed[i])
    tasks = np.flatnonzero(wp.qualified[i] & (wp.shifts_per_week > 0)).astype(np.intp)
    s = wp.shift_hours[tasks]
    cap = np.floor(hours / s + 1e-9)
    ub = np.minimum(cap, wp.shifts_per_week[tasks]).astype(np.int64)
    keep = ub > 0
    tasks, s, cap, ub = tasks[keep], s[keep], cap[keep], ub[keep]
    # The compact model's minimum block: min(block, cap·shift, task hours).
    block = np.minimum(np.minimum(wp.min_block_hours, cap * s), wp.task_hours[tasks])
    # Long shifts first: fewer values per task, the band prunes sooner.
    order = np.argsort(-s, kind="stable")
    tasks, s, ub, block = tasks[order], s[order], ub[order], block[order]
    k = tasks.size
    bands = [(dev[tasks], band * hours) for dev, band in _band_rows(wp, settings, targets)]
    max_tasks = k if wp.max_tasks is None else wp.max_tasks
    tol = 1e-7 * max(1.0, hours)
    X = np.zeros((1, k), dtype=np.int32)
    h = np.zeros(1)
    devs = [np.zeros(1) for _ in bands]
    used = np.zeros(1, dtype=np.int64)
    for j in range(k):
        vals = np.arange(ub[j] + 1)
        vals = vals[(vals == 0) | (vals * s[j] >= block[j] - 1e-9)]
        if h.size * vals.size > EXPAND_FACTOR * POOL_LIMIT:
            return None
        nh = (h[:, None] + s[j] * vals[None, :]).ravel()
        rest = hours - nh
        ok = rest >= -tol
        if j == k - 1:
            ok &= np.abs(rest) <= tol
        else:
            # The remaining hours must still fit whole shifts of some later task.
            ok &= (rest <= tol) | (rest >= s[j + 1 :].min() - tol)
        nused = (used[:, None] + (vals > 0)[None, :]).ravel()
        ok &= nused <= max_tasks
        ndevs = []
        for (dev, width), d in zip(bands, devs, strict=True):
            nd = (d[:, None] + (s[j] * dev[j]) * vals[None, :]).ravel()
            later = dev[j + 1 :]
            lo = float(later.min()) if later.size else 0.0
            hi = float(later.max()) if later.size else 0.0
            r = np.maximum(rest, 0.0)
            ok &= (nd + r * hi >= -width - tol) & (nd + r * lo <= width + tol)
            ndevs.append(nd)
        idx = np.flatnonzero(ok)
        if idx.size > (limit if j == k - 1 else POOL_LIMIT):
            return None
        parent, value = np.divmod(idx, vals.size)
        X = X[parent]
        X[:, j] = vals[value]
        h, used = nh[idx], nused[idx]
        devs = [nd[idx] for nd in ndevs]
    if k == 0:
        # Nothing to take: only a person owing no hours has a complex (the empty one).
        X = np.zeros((1 if hours <= tol else 0, 0), dtype=np.int32)
    inverse = np.argsort(order, kind="stable")
    tasks_sorted = tasks[inverse]
    X = np.ascontiguousarray(X[:, inverse])
    return PersonComplexes(tasks_sorted, X, _person_cost(wp, settings, i, tasks_sorted, X))


def enumerate_complexes(
    wp: Workplace, settings: BalanceSettings, limit: int = POOL_LIMIT, targets: Targets = None
) -> list[PersonComplexes] | None:
    """Every person's feasible complexes, or ``None`` when the pool passes ``limit``."""
    pool: list[PersonComplexes] = []
    total = 0
    for i in range(wp.n_people):
        pc = enumerate_person(wp, settings, i, limit - total, targets)
        if pc is None:
            return None
        total += pc.cost.size
        pool.append(pc)
    return pool


class _Master:
    """Restricted master problems over chosen (person, complex) columns."""

    def __init__(self, wp: Workplace, pool: list[PersonComplexes]) -> None:
        self.wp = wp
        self.pool = pool
        self.n_rows = wp.n_tasks + wp.n_people
        self.rhs = np.concatenate([wp.shifts_per_week.astype(np.float64), np.ones(wp.n_people)])
        self.chosen = [np.zeros(pc.cost.size, dtype=bool) for pc in pool]

    def add(self, i: int, rows: IntpArray) -> int:
        fresh = rows[~self.chosen[i][rows]]
        self.chosen[i][fresh] = True
        return int(fresh.size)

    def columns(
        self, masks: list[NDArray[np.bool_]] | None = None
    ) -> tuple[sp.csc_array, FloatArray, list[tuple[int, IntpArray]]]:
        """Matrix, costs and (person, complex rows) of the chosen (or masked) columns."""
        masks = self.chosen if masks is None else masks
        data: list[FloatArray] = []
        rr: list[IntpArray] = []
        cc: list[IntpArray] = []
        costs: list[FloatArray] = []
        index: list[tuple[int, IntpArray]] = []
        n = 0
        for i, (pc, mask) in enumerate(zip(self.pool, masks, strict=True)):
            rows = np.flatnonzero(mask).astype(np.intp)
            if rows.size == 0:
                continue
            X = pc.shifts[rows]
            r, t = np.nonzero(X)
            cols = np.arange(n, n + rows.size, dtype=np.intp)
            data += [X[r, t].astype(np.float64), np.ones(rows.size)]
            rr += [pc.tasks[t], np.full(rows.size, self.wp.n_tasks + i, dtype=np.intp)]
            cc += [cols[r], cols]
            costs.append(pc.cost[rows])
            index.append((i, rows))
            n += rows.size
        A = sp.csc_array(
            (np.concatenate(data), (np.concatenate(rr), np.concatenate(cc))),
            shape=(self.n_rows, n),
        )
        return A, np.concatenate(costs), index

    def reduced_costs(self, duals: FloatArray, phase_one: bool) -> list[FloatArray]:
        u, v = duals[: self.wp.n_tasks], duals[self.wp.n_tasks :]
        return [
            (0.0 if phase_one else pc.cost) - pc.shifts @ u[pc.tasks] - v[i]
            for i, pc in enumerate(self.pool)
        ]

    def shifts(self, picks: IntpArray) -> FloatArray:
        """Dense (n_people, n_tasks) shifts of one complex per person (row ``picks[i]``)."""
        out = np.zeros((self.wp.n_people, self.wp.n_tasks))
        for i, pc in enumerate(self.pool):
            out[i, pc.tasks] = pc.shifts[picks[i]]
        return out


def _lp(A: sp.csc_array, c: FloatArray, rhs: FloatArray) -> tuple[float, FloatArray]:
    from parecon.work._scipy import solve_lp

    res = solve_lp(c, A_eq=A, b_eq=rhs, bounds=(0, None))
    if res.eq_duals is None:  # pragma: no cover - the phase-one slacks keep it feasible
        raise RuntimeError(f"restricted master LP failed: {res.message}")
    return res.value, res.eq_duals


def _generate(master: _Master, phase_one: bool, deadline: float) -> tuple[float, FloatArray]:
    """Column generation to LP optimality (at most ``PRICING_ROUNDS`` rounds; the
    wall-clock ``deadline`` is the caller's cap, if any); returns (Lagrangian bound, duals)."""
    n_t = master.wp.n_tasks
    for _ in range(PRICING_ROUNDS):
        A, c, _ = master.columns()
        if phase_one:
            eye = sp.eye_array(master.n_rows, n_t, format="csc")
            A = sp.hstack([A, eye, -eye], format="csc")
            c = np.concatenate([np.zeros(c.size), np.ones(2 * n_t)])
        value, duals = _lp(A, c, master.rhs)
        rcs = master.reduced_costs(duals, phase_one)
        # Lagrangian bound: the dual objective plus each person's most negative
        # reduced cost (zero once no complex prices out).
        bound = float(duals @ master.rhs) + sum(min(0.0, float(rc.min())) for rc in rcs if rc.size)
        added = 0
        for i, rc in enumerate(rcs):
            neg = np.flatnonzero(rc < -TOL * max(1.0, abs(value)))
            if neg.size:
                best = neg[np.argsort(rc[neg], kind="stable")[: 4 * PRICE_PER_PERSON]]
                best = best[~master.chosen[i][best]][:PRICE_PER_PERSON]
                added += master.add(i, best)
        if added == 0 or time.perf_counter() > deadline:
            break
    return bound, duals


def _granularity(pool: list[PersonComplexes]) -> float:
    """Largest g with every complex's cost a whole multiple of g (0 if none)."""
    costs = np.concatenate([pc.cost for pc in pool])
    if not np.allclose(costs, np.round(costs), atol=1e-9):
        return 0.0
    return float(np.gcd.reduce(np.round(costs).astype(np.int64))) if costs.size else 0.0


def _round_up(bound: float, g: float) -> float:
    return math.ceil(bound / g - 1e-6) * g if g > 0 else bound


def _integer_master(
    master: _Master,
    masks: list[NDArray[np.bool_]],
    *,
    limits: SolverLimits,
    gap: float,
    incumbent: IntpArray | None,
    upper: float,
) -> tuple[str, IntpArray | None, float, float, str]:
    """HiGHS on the integer master over the masked complexes.

    Returns (status, picked complex per person or None, value, dual bound,
    stopped_by).
    A finite ``upper`` (the value of ``incumbent``, whose complexes are among
    the masked ones) cuts off every worse assignment, which lets HiGHS skip
    most of its root work.
    """
    A, c, index = master.columns(masks)
    start = None
    if incumbent is not None:
        start = np.zeros(c.size)
        n = 0
        for i, rows in index:
            pos = int(np.searchsorted(rows, incumbent[i]))
            if pos < rows.size and rows[pos] == incumbent[i]:
                start[n + pos] = 1.0
            n += rows.size
    cutoff = upper + 1e-6 * max(1.0, abs(upper)) if np.isfinite(upper) else np.inf
    from parecon.work._highs import solve_binary_master

    status, lam, bound, stopped_by = solve_binary_master(
        A, c, master.rhs, limits=limits, gap=gap, cutoff=cutoff, start=start
    )
    if lam is None:
        if status == "infeasible" and incumbent is not None and np.isfinite(upper):
            # Nothing at or below the cutoff but the incumbent itself: it is optimal here.
            return "optimal", incumbent, upper, upper, ""
        return status, None, np.inf, bound, stopped_by
    picks = np.zeros(master.wp.n_people, dtype=np.intp)
    n = 0
    for i, rows in index:
        picks[i] = rows[int(np.argmax(lam[n : n + rows.size]))]
        n += rows.size
    return status, picks, float(c @ lam), bound, stopped_by


def balance_complexes(
    wp: Workplace,
    settings: BalanceSettings,
    *,
    limit: int | None = None,
    limits: SolverLimits | None = None,
    targets: Targets = None,
) -> ComplexOutcome | None:
    """Exact balancing by job complexes; ``None`` when the pool passes ``limit``.

    ``limit`` defaults to ``POOL_LIMIT``; ``limits`` (default: the settings'
    own) bound the whole method: each integer master gets ``MASTER_WORK`` of
    its work; a wall-clock cap, if the caller set one, bounds all of it. ``targets``
    centres the band on other means (a neighbourhood of a larger workplace).
    """
    start = time.perf_counter()
    limit = POOL_LIMIT if limit is None else limit
    limits = settings.limits if limits is None else limits
    deadline = start + limits.seconds
    pool = enumerate_complexes(wp, settings, limit, targets)
    if pool is None:
        return None
    n_complexes = sum(pc.cost.size for pc in pool)
    empty = [i for i, pc in enumerate(pool) if pc.cost.size == 0]
    if empty:
        return ComplexOutcome(
            "infeasible",
            None,
            np.nan,
            np.nan,
            f"person {wp.people[empty[0]]!r} has no complex of whole shifts that meets "
            "their hours, the band, the task cap and the minimum block",
            n_complexes,
        )
    master = _Master(wp, pool)
    for i, pc in enumerate(pool):
        master.add(i, np.argsort(pc.cost, kind="stable")[:PRICE_PER_PERSON].astype(np.intp))
    infeasibility, _ = _generate(master, True, deadline)
    if infeasibility > 1e-6:
        return ComplexOutcome(
            "infeasible",
            None,
            np.nan,
            np.nan,
            "no combination of feasible complexes covers every task's shifts, even "
            f"fractionally: {infeasibility:.3g} shifts short",
            n_complexes,
        )
    if time.perf_counter() > deadline:
        return ComplexOutcome(
            "no_solution",
            None,
            np.nan,
            np.nan,
            "time ran out in column generation",
            n_complexes,
            "seconds",
        )
    lower, duals = _generate(master, False, deadline)
    g = _granularity(pool)
    bound = _round_up(lower, g)
    rcs = master.reduced_costs(duals, False)
    eps = 1e-6 * max(1.0, abs(lower))
    picks: IntpArray | None = None
    upper = np.inf
    delta = max(g, DELTA_SHARE * abs(lower), 1e-6)
    status = "no_solution"
    stopped_by = ""
    kept = 0
    # Integer masters over the complexes whose reduced cost is within delta of the
    # bound: an assignment costing at most lower + delta uses only those, so an
    # optimum z of that master with z <= lower + delta is optimal for the whole
    # pool; otherwise every assignment costs more than lower + delta.
    while True:
        masks = [rc <= delta + eps for rc in rcs]
        kept = int(sum(int(m.sum()) for m in masks))
        remaining = deadline - time.perf_counter()
        sub_status, sub_picks, sub_value, sub_bound, sub_stop = _integer_master(
            master,
            masks,
            limits=limits.share(MASTER_WORK, left=remaining),
            gap=settings.mip_rel_gap,
            incumbent=picks,
            upper=upper,
        )
        if sub_picks is not None and sub_value <= upper:
            picks, upper = sub_picks, sub_value
        everything = all(bool(m.all()) for m in masks)
        if sub_status == "optimal" and (sub_value <= lower + delta + eps or everything):
            status = "optimal"
            bound = max(bound, _round_up(min(sub_bound, sub_value), g))
            break
        if sub_status == "infeasible" and everything:
            return ComplexOutcome(
                "infeasible",
                None,
                np.nan,
                np.nan,
                "no combination of feasible complexes covers every task's shifts "
                "with whole complexes",
                n_complexes,
            )
        if sub_status not in ("optimal", "infeasible"):
            status = "feasible" if picks is not None else "no_solution"
            stopped_by = sub_stop or "work"
            break
        bound = max(bound, _round_up(lower + delta, g))
        if np.isfinite(upper) and upper - bound <= max(settings.mip_rel_gap * abs(upper), eps):
            status = "optimal"
            break
        # With costs in multiples of g, ruling out everything up to upper - g/2 proves upper.
        proof = upper - lower - (g / 2 if g > 0 else 0.0)
        # Once an assignment is known, go straight to the window that proves or beats it.
        delta = proof if np.isfinite(upper) else 2.0 * delta
    if picks is None:
        return ComplexOutcome(
            status,
            None,
            np.nan,
            bound,
            "stopped before a whole assignment",
            n_complexes,
            stopped_by,
        )
    return ComplexOutcome(
        status,
        master.shifts(picks),
        upper,
        min(bound, upper),
        f"{status}: {n_complexes} complexes, the last integer master over {kept} within "
        f"{delta:.3g} of the column-generation bound {lower:.6g}",
        n_complexes,
        stopped_by,
    )


def feasible_partition(
    wp: Workplace,
    settings: BalanceSettings,
    *,
    limit: int,
    limits: SolverLimits,
    targets: Targets = None,
    keep: FloatArray | None = None,
    keep_rows: NDArray[np.bool_] | None = None,
) -> FloatArray | None:
    """Some assignment of one whole complex per person covering every task, or None.

    ``keep`` (n_people, n_tasks) with ``keep_rows`` (n_people,) adds those people's
    current complexes to their pools (they may be beyond the pool's task cap).

    For small neighbourhoods of a larger workplace (``targets`` its means):
    the whole pool (at most ``limit`` complexes) goes to CP-SAT as one
    partitioning problem, stopped at its first solution — no column
    generation and no proof of optimality, but a deterministic work limit.
    None when the pool passes ``limit``, someone has no complex, or nothing
    is found within ``limits``.
    """
    from parecon.work._cpsat import solve_binary_partition

    pool = enumerate_complexes(wp, settings, limit, targets)
    if pool is None:
        return None
    if keep is not None and keep_rows is not None:
        for person in (int(k) for k in np.flatnonzero(keep_rows)):
            pc = pool[person]
            row = np.rint(keep[person, pc.tasks]).astype(np.int32)
            if (
                np.isclose(row @ wp.shift_hours[pc.tasks], wp.hours_owed[person])
                and not (pc.shifts == row).all(axis=1).any()
            ):
                shifts = np.vstack([pc.shifts, row[None, :]])
                pool[person] = PersonComplexes(
                    pc.tasks, shifts, _person_cost(wp, settings, person, pc.tasks, shifts)
                )
    if any(pc.cost.size == 0 for pc in pool):
        return None
    master = _Master(wp, pool)
    masks = [np.ones(pc.cost.size, dtype=bool) for pc in pool]
    A, c, index = master.columns(masks)
    _, lam, _ = solve_binary_partition(A, c, master.rhs, limits=limits)
    if lam is None:
        return None
    picks = np.zeros(wp.n_people, dtype=np.intp)
    n = 0
    for i, rows in index:
        picks[i] = rows[int(np.argmax(lam[n : n + rows.size]))]
        n += rows.size
    return master.shifts(picks)
