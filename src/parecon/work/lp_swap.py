"""Method ``lp_swap``, the scalable balancer: LP relaxation, rounding, swap search.

A monolithic MILP over 1000 people and 200 tasks (70,000 integer pairs)
finds no integer point in a minute, yet its LP relaxation solves in about
three seconds and its vertex is sparse (about three tasks per person). So:

1. **Bounds.** The LP with the band at zero on both scales tells whether
   everyone could sit exactly at the means with fractional shifts (then the
   best bound on the band is 0); otherwise :func:`smallest_band` gives it.
   The LP with the full band bounds the objective from below (preferences
   and stability; distinct tasks count at least one per person). Above
   ``COLUMN_GENERATION_PAIRS`` qualified pairs both LPs are solved by column
   generation (:mod:`parecon.work.relaxation`), the same optimum in a
   fraction of the time.
2. **Target.** The LP with the band shrunk by ``LP_BAND_SCALE`` leaves room
   for the error that rounding adds, at a small cost in preferences. Zero
   (everyone fractionally at the means, the bound LP's own solution) left
   half as many people outside the band after rounding as 0.5 did at 1000
   workers, and a lower objective after the swaps; when zero is infeasible
   the LP at half the band, then the full band, is the target.
3. **Rounding.** ``x = floor(x*) + z`` with ``z`` binary on the fractional
   pairs; each person's hours and each task's shifts are equalities (a
   transportation-like system, nearly unimodular), and a soft band — slack
   per person, minimised — steers the choice. If that has no solution
   (mixed shift lengths) the rounding by shift length
   (:func:`parecon.work.rounding.transport_round`: whole shifts per length
   by a multiple-choice MILP, then a transportation LP per length, 3 s at
   1000 people), then the fewest hours moved from ``floor(x*)``
   (:func:`parecon.work.repair.nearest_assignment`, about 115 CPU s at 1000
   people: the fallback), and last the box widened to ``[0, ceil + 1]`` on
   every pair.
4. **Swaps** (:mod:`parecon.work.swaps`) repair what rounding left outside
   the band and then lower the cost.
5. **Neighbourhood MILP.** When no single swap helps the people still
   outside the band, they and a few dozen people who hold tasks they are
   qualified for are re-solved exactly (a sub-workplace with those people's
   current task totals, centred on the whole workplace's means), the rest
   held fixed; the neighbourhood doubles until it succeeds or time runs out.

The result is feasible, not proven optimal: the reported bound is the LP's
and the band bound is reported alongside the achieved band.

Every stage is limited by deterministic work (MILP nodes, swap
evaluations, a fixed number of neighbourhoods; shares of the call's
:class:`~parecon.work.solvers.SolverLimits`); a wall-clock cap exists only
when the caller gave one, so the same input and seed give the same
assignment at any load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.exceptions import InfeasibleError
from parecon.work._scipy import solve_model
from parecon.work.formulation import BalanceSettings, MatrixModel, build_model
from parecon.work.relaxation import COLUMN_GENERATION_PAIRS, column_generated_lp
from parecon.work.repair import nearest_assignment, repair_previous
from parecon.work.rounding import transport_round
from parecon.work.solvers import SolverLimits
from parecon.work.swaps import EVALUATIONS_PER_WORK, SwapSearch
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["LP_BAND_SCALE", "LpSwapOutcome", "balance_lp_swap"]

LP_BAND_SCALE = 0.0
NEIGHBOURHOOD = 24
COMPLEX_NEIGHBOURHOOD = 4
"""Partners of the worst violator in the first neighbourhood solved by complexes."""
COMPLEX_NEIGHBOURHOOD_POOL = 30_000
COMPLEX_NEIGHBOURHOOD_TASKS = 4
"""Most distinct tasks in a complex re-cut in a neighbourhood."""
TARGET_TASKS = 3
"""Most distinct tasks in the complex a neighbourhood is built around."""
TARGET_POOL = 50_000
COMPLEX_RETRIES = 3
"""Neighbourhoods of one size tried (other partners each time) before a larger one."""
MAX_NEIGHBOURHOODS = 60
"""Most neighbourhood MILPs in one band search."""
COMPLEX_NEIGHBOURHOOD_BUDGET = 1.2
"""Work the complex neighbourhoods are handed in all, as a share of the call's: when
the sizes 4, 8 and 16 have all failed and less than this was handed out, they start
over at 4 with other violators and partners (before, the search stopped there with
most of its work unused). Nominal: a CP-SAT call mostly stops at its first partition
or a proof that there is none, well before its limit."""
ROUND_OBJECTIVE_SCALE = 1e-2
ROUND_GAP = 0.05
"""Relative gap of the rounding MILPs (the swaps and neighbourhoods refine)."""
# Shares of the call's work: the rounding MILP, last period's repair, each
# neighbourhood MILP, and the swap phases (repair, then cost-lowering).
ROUND_WORK, REPAIR_WORK, NEIGHBOURHOOD_WORK = 0.3, 0.1, 0.02
SWAP_REPAIR_WORK, SWAP_IMPROVE_WORK = 0.3, 0.3
NDArrayInt = NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class LpSwapOutcome:
    """What ``lp_swap`` found (see :class:`parecon.work.balance.BalanceResult`).

    stopped_by : "work" or "seconds" when a limit ended the band search
        before everyone was inside the band, else "".
    """

    shifts: FloatArray | None
    objective: float
    bound: float
    band_bound: float
    in_band: bool
    message: str
    stopped_by: str = ""


class _Clock:
    """The call's limits and wall-clock deadline (``inf`` unless the caller set a cap)."""

    def __init__(self, limits: SolverLimits) -> None:
        self.limits = limits
        self.deadline = time.perf_counter() + limits.seconds
        self.work = limits.work if limits.work is not None else 1e9

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def share(self, fraction: float) -> SolverLimits:
        return self.limits.share(fraction, left=self.left())

    def evaluations(self, fraction: float) -> int:
        return max(1, int(EVALUATIONS_PER_WORK * self.work * fraction))


def _lp(
    wp: Workplace, settings: BalanceSettings, scale: float, clock: _Clock
) -> tuple[MatrixModel, FloatArray | None, float]:
    if int(wp.qualified.sum()) > COLUMN_GENERATION_PAIRS:
        generated = column_generated_lp(wp, settings, scale)
        if generated is not None:
            return generated
    model = build_model(wp, settings, relax=True, band_scale=scale)
    out = solve_model(model, limits=SolverLimits(seconds=max(clock.left(), 0.01)))
    return model, (out.values if out.status == "optimal" else None), out.objective


def round_shifts(
    wp: Workplace,
    settings: BalanceSettings,
    model: MatrixModel,
    x: FloatArray,
    limits: SolverLimits,
) -> FloatArray | None:
    """Whole shifts meeting hours and coverage exactly, near the LP point ``x``.

    ``x`` is the LP's ``x`` part (shifts per qualified pair of ``model``).
    Returns shape (n_people, n_tasks), or None when even the widened box has
    no integer point within ``limits`` (not a proof that none exists).
    """
    pi, pt = model.pair_person, model.pair_task
    floor = np.floor(x + 1e-7)
    frac = x - floor

    def dense(vals: FloatArray) -> FloatArray:
        out = np.zeros((wp.n_people, wp.n_tasks))
        out[pi, pt] = vals
        return out

    keep = frac > 1e-7
    n = int(keep.sum())
    z = _round_milp(
        wp, settings, floor, pi, pt, pi[keep], pt[keep], np.zeros(n), np.ones(n), frac[keep],
        floor[keep], limits.share(0.2),
    )  # fmt: skip
    if z is not None:
        vals = floor.copy()
        vals[keep] += z
        return dense(vals)
    # Mixed shift lengths (3 h beside 5 h; 2/4/8 h at 1000 people) often leave no exact
    # hours inside the floor/ceiling box: round by shift length, else the fewest hours
    # moved from the floor (a MILP whose root no node limit bounds: the fallback).
    near = transport_round(wp, pi, pt, x, limits=limits.share(0.2))
    if near is not None:
        return near
    near = nearest_assignment(wp, dense(floor), limits=limits.share(0.6), gap=ROUND_GAP)
    if near is not None:
        return near
    z = _round_milp(
        wp, settings, floor, pi, pt, pi, pt, -floor, np.full(x.size, 2.0), frac, floor,
        limits.share(0.2),
    )  # fmt: skip
    if z is not None:
        return dense(floor + z)
    return None


def _round_milp(
    wp: Workplace,
    settings: BalanceSettings,
    floor: FloatArray,
    pi: NDArrayInt,
    pt: NDArrayInt,
    k_pi: NDArrayInt,
    k_pt: NDArrayInt,
    lo: FloatArray,
    hi: FloatArray,
    frac: FloatArray,
    k_floor: FloatArray,
    limits: SolverLimits,
) -> FloatArray | None:
    """``z`` on the kept pairs; soft band slacks ``sE``, ``sD`` per person (hours·points).

    With ``previous``, columns ``d`` (hours moved on each kept pair, ``d ≥
    s·|k_floor + z − previous|``) carry the stability term at
    ``ROUND_OBJECTIVE_SCALE × stability_weight`` per hour, small beside the
    band slacks (about 0.5 per shift that leaves the band) so the band still
    comes first, large beside the pull towards the LP point.
    """
    n_p, n_t, n = wp.n_people, wp.n_tasks, k_pi.size
    s = wp.shift_hours
    e_dev = s * (wp.empowerment - wp.mean_empowerment)
    d_dev = s * (wp.desirability - wp.mean_desirability)
    base_h = np.bincount(pi, weights=floor * s[pt], minlength=n_p)
    base_c = np.bincount(pt, weights=floor, minlength=n_t)
    base_e = np.bincount(pi, weights=floor * e_dev[pt], minlength=n_p)
    base_d = np.bincount(pi, weights=floor * d_dev[pt], minlength=n_p)
    use_d = settings.desirability == "band"
    k = np.arange(n)
    people = np.arange(n_p)
    sE = n + people
    sD = n + n_p + people
    use_stab = wp.previous is not None and settings.stability_weight > 0
    dk = n + 2 * n_p + k
    n_cols = n + 2 * n_p + (n if use_stab else 0)
    blocks = [
        (k_pt, k, np.ones(n)),  # coverage rows 0..n_t
        (n_t + k_pi, k, s[k_pt]),  # hours rows
    ]
    lb = [wp.shifts_per_week - base_c, wp.hours_owed - base_h]
    ub = [wp.shifts_per_week - base_c, wp.hours_owed - base_h]
    row = n_t + n_p
    scales = [(e_dev, base_e, settings.band, sE)]
    if use_d:
        scales.append((d_dev, base_d, settings.des_band, sD))
    for dev, base, band, slack in scales:
        width = band * wp.hours_owed
        # base + Σ dev z − slack ≤ width  and  base + Σ dev z + slack ≥ −width
        for sign in (-1.0, 1.0):
            blocks.append((row + k_pi, k, dev[k_pt]))
            blocks.append((row + people, slack, np.full(n_p, sign)))
            if sign < 0:
                lb.append(np.full(n_p, -np.inf))
                ub.append(width - base)
            else:
                lb.append(-width - base)
                ub.append(np.full(n_p, np.inf))
            row += n_p
    if use_stab:
        assert wp.previous is not None
        sk = s[k_pt]
        gap = sk * (k_floor - wp.previous[k_pi, k_pt])  # hours over last period at z = 0
        for sign in (-1.0, 1.0):  # d − s z ≥ gap  and  d + s z ≥ −gap
            blocks.append((row + k, dk, np.ones(n)))
            blocks.append((row + k, k, sign * sk))
            lb.append(gap if sign < 0 else -gap)
            ub.append(np.full(n, np.inf))
            row += n
    A = sp.csr_array(
        (
            np.concatenate([b[2] for b in blocks]),
            (np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])),
        ),
        shape=(row, n_cols),
    )
    c = np.zeros(n_cols)
    c[:n] = 1e-3 * (1.0 - frac)
    c[sE] = 1.0 / np.where(wp.hours_owed > 0, wp.hours_owed, 1.0)
    if use_d:
        c[sD] = c[sE]
    if use_stab:
        c[dk] = ROUND_OBJECTIVE_SCALE * settings.stability_weight
    integrality = np.zeros(n_cols, dtype=np.int8)
    integrality[:n] = 1
    col_lb = np.zeros(n_cols)
    col_ub = np.full(n_cols, np.inf)
    col_lb[:n], col_ub[:n] = lo, hi
    if not use_d:
        col_ub[sD] = 0.0
    m = MatrixModel(
        c=c,
        A=A,
        row_lb=np.concatenate(lb),
        row_ub=np.concatenate(ub),
        col_lb=col_lb,
        col_ub=col_ub,
        integrality=integrality,
        pair_person=k_pi,
        pair_task=k_pt,
        x=slice(0, n),
        y=None,
        d=None,
        z=None,
        row_groups={},
    )
    out = solve_model(m, limits=limits, mip_rel_gap=0.05)
    return None if out.values is None else np.rint(out.values[:n])


def balance_lp_swap(
    wp: Workplace, settings: BalanceSettings, limits: SolverLimits
) -> LpSwapOutcome:
    """LP → rounding → swaps; see the module docstring.

    Raises InfeasibleError only when the full-band LP is infeasible (then no
    assignment exists) or no whole-shift assignment meets hours and coverage.
    """
    clock = _Clock(limits)
    from parecon.work.diagnose import explain_infeasibility, smallest_band

    # The zero-band LP gives the band bound and the rounding target, both
    # without the stability columns: with them it solves about five times
    # slower at 1000 workers, and its vertex does not round inside the
    # floor/ceiling box (rounding must widen to every pair, which does not
    # finish); the rounding MILP and the swaps carry stability instead.
    stable = wp.previous is not None and settings.stability_weight > 0
    plain = replace(settings, stability_weight=0.0) if stable else settings
    zero, x0, _ = _lp(wp, plain, 0.0, clock)
    band_bound = 0.0 if x0 is not None else smallest_band(wp, settings)
    full, x1, lp_obj = _lp(wp, settings, 1.0, clock)
    if x1 is None:
        raise InfeasibleError(explain_infeasibility(wp, settings))
    bound = lp_obj + settings.task_weight * float((wp.hours_owed > 0).sum())
    rng = np.random.default_rng(limits.seed)
    prev = _usable_previous(wp)
    start_how = "last period's assignment"
    if prev is None and wp.previous is not None:
        prev = repair_previous(wp, limits=clock.share(REPAIR_WORK))
        if prev is not None:
            start_how = (
                f"last period's assignment, repaired for this period's hours, coverage and "
                f"qualifications ({wp.hours_moved(prev):g} h moved),"
            )
    search: SwapSearch | None = None
    in_band = False
    if prev is not None:
        search, in_band, outside = _search(wp, settings, prev, clock, rng)
        how = f"{start_how} left {outside}"
    if search is None or not in_band:
        model, x = zero, x0
        if x0 is None or LP_BAND_SCALE > 0:
            model, x, _ = _lp(wp, plain, LP_BAND_SCALE or 0.5, clock)
            if x is None:
                model, x = full, x1
        assert x is not None
        shifts = round_shifts(wp, settings, model, x[model.x], clock.share(ROUND_WORK))
        if shifts is None:
            if search is None:
                return LpSwapOutcome(
                    None,
                    float("nan"),
                    bound,
                    band_bound,
                    False,
                    "no whole-shift assignment meets every person's hours and every task's "
                    "shifts near the LP solution; shorter or uniform shift lengths would help",
                    "work",
                )
        else:
            search, in_band, outside = _search(wp, settings, shifts, clock, rng)
            how = f"rounding left {outside}"
    stopped_by = "" if in_band else (search.stopped_by or "work")
    if in_band:
        search.improve(clock.deadline, clock.evaluations(SWAP_IMPROVE_WORK))
    X = search.X.astype(np.float64)
    objective = search.total_cost()
    moved = f"; {wp.hours_moved(X):g} h moved from last period" if wp.previous is not None else ""
    message = (
        f"LP bound {bound:.1f}, band bound {band_bound:.3f}; {how} people outside the band; "
        f"{search.moves} swaps{moved}"
    )
    return LpSwapOutcome(X, objective, bound, band_bound, in_band, message, stopped_by)


def _usable_previous(wp: Workplace) -> FloatArray | None:
    """``previous`` when it is a whole-shift assignment meeting hours, coverage and
    qualifications exactly (so the swap search can start from it), else None."""
    prev = wp.previous
    return prev if prev is not None and wp.fits(prev) else None


def _search(
    wp: Workplace,
    settings: BalanceSettings,
    shifts: FloatArray,
    clock: _Clock,
    rng: np.random.Generator,
) -> tuple[SwapSearch, bool, int]:
    """Swap repair from ``shifts``, with neighbourhood MILPs where swaps stall.

    Returns the search, whether everyone ended inside the band (and the task
    cap and minimum block), and how many people ``shifts`` had outside them.
    At most ``MAX_NEIGHBOURHOODS`` neighbourhoods, each limited by work (twice
    as many where the complex neighbourhoods start over, within
    ``COMPLEX_NEIGHBOURHOOD_BUDGET``); the swap repair shares ``SWAP_REPAIR_WORK``
    of the call's evaluations.
    """
    search = SwapSearch(wp, settings, shifts)
    outside = int((search.V > 1e-9).sum())
    evaluations = clock.evaluations(SWAP_REPAIR_WORK)
    end = search.evaluations + evaluations
    in_band = search.repair(clock.deadline, evaluations)
    size = NEIGHBOURHOOD
    tries = failed = 0
    small = COMPLEX_NEIGHBOURHOOD
    # The MILP neighbourhoods only where every two shift lengths can be swapped: with
    # lengths no swap trades (5 h beside 2 h, 3 h, 4 h) HiGHS's root alone can take
    # longer than any node limit bounds, which would make the result depend on the clock.
    lengths = np.unique(wp.shift_hours, return_index=True)[1]
    pairs = search.a_tu[np.ix_(lengths, lengths)] + np.eye(lengths.size, dtype=np.int64)
    regular = bool((pairs > 0).all())
    spent, limit = 0.0, MAX_NEIGHBOURHOODS
    while not in_band and tries < limit:
        if small > 4 * COMPLEX_NEIGHBOURHOOD:
            # Every size failed. Where no MILP neighbourhood follows, start over with
            # other violators and partners while the complexes' budget lasts.
            if regular or spent >= COMPLEX_NEIGHBOURHOOD_BUDGET:
                break
            small, limit = COMPLEX_NEIGHBOURHOOD, 2 * MAX_NEIGHBOURHOODS
        if clock.left() <= 0 or search.evaluations >= end:
            search.stopped_by = "seconds" if clock.left() <= 0 else "work"
            break
        tries += 1
        spent += NEIGHBOURHOOD_WORK * small / COMPLEX_NEIGHBOURHOOD
        if _neighbourhood_complexes(wp, settings, search, small, clock, rng, failed):
            in_band = search.repair(clock.deadline, end - search.evaluations)
            failed = 0
        else:
            failed += 1
            # Other violators and partners first, then more partners.
            if failed >= COMPLEX_RETRIES * max(1, min(int((search.V > 1e-9).sum()), 3)):
                small, failed = small * 2, 0
    while regular and not in_band and size <= 8 * NEIGHBOURHOOD and tries < MAX_NEIGHBOURHOODS:
        if clock.left() <= 0 or search.evaluations >= end:
            search.stopped_by = "seconds" if clock.left() <= 0 else "work"
            break
        tries += 1
        if _neighbourhood_milp(wp, settings, search, size, clock, rng):
            in_band = search.repair(clock.deadline, end - search.evaluations)
        else:
            size *= 2
    return search, in_band, outside


def _members(
    wp: Workplace,
    search: SwapSearch,
    size: int,
    rng: np.random.Generator,
    n_worst: int,
    rank: int = 0,
) -> NDArrayInt:
    """``n_worst`` violators (from the ``rank``-th worst on, cyclically) and ``size``
    people holding tasks they may do.

    Partners are ranked by the shifts they hold of tasks that would pull the
    worst violator towards the means (qualified, on the other side of the
    means), plus how far they sit on the other side themselves, with a random
    tie-break of about a rating point, so a retry picks others.
    """
    X = search.X
    order = np.argsort(-search.V, kind="stable")
    order = order[search.V[order] > 1e-9]
    if order.size == 0:
        order = np.argsort(-search.V, kind="stable")[:1]
    worst = np.roll(order, -(rank % order.size))[:n_worst]
    their = wp.qualified[worst].any(axis=0)
    partners = np.flatnonzero((X[:, their] > 0).any(axis=1))
    partners = np.setdiff1d(partners, worst)
    a = int(worst[0])
    e, d = search.E / search.H, search.D / search.H
    opposite = -(np.sign(e[a]) * e[partners] + np.sign(d[a]) * d[partners])
    pull = -(
        np.sign(e[a]) * (wp.empowerment - wp.mean_empowerment)
        + np.sign(d[a]) * (wp.desirability - wp.mean_desirability)
    )
    helpful = np.where(wp.qualified[a], np.maximum(pull, 0.0), 0.0) * wp.shift_hours
    holds = (X[partners] @ helpful) / search.H[partners]
    key = holds + opposite + rng.random(partners.size)
    pick = partners[np.argsort(-key, kind="stable")[:size]]
    return np.sort(np.concatenate([worst, pick]))


def _targeted_members(
    wp: Workplace,
    settings: BalanceSettings,
    search: SwapSearch,
    size: int,
    rng: np.random.Generator,
    rank: int,
) -> NDArrayInt | None:
    """The ``rank``-th worst violator and the holders of the tasks of one complex of
    theirs that is within the band (at most ``TARGET_TASKS`` tasks, the one needing the
    fewest shifts from others, random among ties), so the neighbourhood surely holds
    a complex for them; None when they have no such complex or it needs too many.
    """
    from parecon.work.complexes import enumerate_person

    order = np.argsort(-search.V, kind="stable")
    order = order[search.V[order] > 1e-9]
    if order.size == 0:
        return None
    a = int(order[rank % order.size])
    cap = TARGET_TASKS if wp.max_tasks is None else min(wp.max_tasks, TARGET_TASKS)
    pc = enumerate_person(replace(wp, max_tasks=cap), settings, a, TARGET_POOL)
    if pc is None or pc.cost.size == 0:
        return None
    X = search.X
    need = np.maximum(pc.shifts - X[a, pc.tasks][None, :], 0)
    shortfall = need.sum(axis=1) + rng.random(need.shape[0]) * 0.5
    j = int(np.argmin(shortfall))
    wanted = pc.tasks[need[j] > 0]
    needed = need[j][need[j] > 0]
    others = X[:, wanted].copy()
    others[a] = 0
    chosen: list[int] = []
    for k in range(wanted.size):  # enough holders of each wanted task
        got = 0
        for i in np.argsort(-others[:, k], kind="stable"):
            if got >= needed[k] or others[i, k] <= 0:
                break
            if int(i) not in chosen:
                chosen.append(int(i))
            got += int(others[i, k])
    if len(chosen) > size:
        return None
    rest = _members(wp, search, size - len(chosen), rng, 1, rank)
    return np.unique(np.concatenate([[a], chosen, rest])).astype(np.intp)[: size + 1 + len(chosen)]


def _neighbourhood_complexes(
    wp: Workplace,
    settings: BalanceSettings,
    search: SwapSearch,
    size: int,
    clock: _Clock,
    rng: np.random.Generator,
    rank: int = 0,
) -> bool:
    """Re-balance one violator (the ``rank``-th worst) and ``size`` partners exactly,
    by job complexes.

    Their tasks keep the shifts they hold now; each member's complexes are
    enumerated against the whole workplace's means (at most
    ``COMPLEX_NEIGHBOURHOOD_POOL`` of them), so mixed shift lengths, which
    no single swap can trade, are re-cut among the few people at once.
    True if it found (and applied) an assignment in the band.
    """
    from parecon.work.complexes import feasible_partition

    X = search.X
    members = _targeted_members(wp, settings, search, size, rng, rank)
    if members is None:
        members = _members(wp, search, size, rng, 1, rank)
    tasks = np.flatnonzero(X[members].sum(axis=0) > 0)
    sub = wp.subset(members, tasks, X[np.ix_(members, tasks)].sum(axis=0))
    # A tighter cap on distinct tasks keeps the pool small (any complex it allows is
    # allowed by the workplace's own cap).
    cap = COMPLEX_NEIGHBOURHOOD_TASKS if wp.max_tasks is None else wp.max_tasks
    sub = replace(sub, max_tasks=min(cap, COMPLEX_NEIGHBOURHOOD_TASKS))
    shifts = feasible_partition(
        sub,
        settings,
        limit=COMPLEX_NEIGHBOURHOOD_POOL,
        limits=clock.share(NEIGHBOURHOOD_WORK * size / COMPLEX_NEIGHBOURHOOD),
        targets=(wp.mean_empowerment, wp.mean_desirability),
        keep=X[np.ix_(members, tasks)].astype(np.float64),
        keep_rows=search.V[members] <= 1e-9,
    )
    if shifts is None:
        return False
    X[np.ix_(members, tasks)] = np.rint(shifts)
    search.refresh()
    return True


def _neighbourhood_milp(
    wp: Workplace,
    settings: BalanceSettings,
    search: SwapSearch,
    size: int,
    clock: _Clock,
    rng: np.random.Generator,
) -> bool:
    """Re-solve the worst violators and ``size`` partners exactly; True if it helped."""
    X = search.X
    worst = np.argsort(-search.V)[:5]
    worst = worst[search.V[worst] > 1e-9]
    their = wp.qualified[worst].any(axis=0)
    partners = np.flatnonzero((X[:, their] > 0).any(axis=1))
    partners = np.setdiff1d(partners, worst)
    pick = rng.choice(partners, size=min(size, partners.size), replace=False)
    members = np.sort(np.concatenate([worst, pick]))
    tasks = np.flatnonzero(X[members].sum(axis=0) > 0)
    sub = wp.subset(members, tasks, X[np.ix_(members, tasks)].sum(axis=0))
    feasibility = BalanceSettings(
        band=settings.band,
        desirability=settings.desirability,
        desirability_band=settings.des_band,
        preference_weight=settings.preference_weight,
        task_weight=0.0,
        stability_weight=settings.stability_weight,
    )
    model = build_model(sub, feasibility, targets=(wp.mean_empowerment, wp.mean_desirability))
    out = solve_model(model, limits=clock.share(NEIGHBOURHOOD_WORK), mip_rel_gap=0.5)
    if out.values is None:
        return False
    X[np.ix_(members, tasks)] = np.rint(model.shifts(out.values, sub.n_people, sub.n_tasks))
    search.refresh()
    return True
