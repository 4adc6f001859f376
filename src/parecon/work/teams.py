"""Balancing a large workplace by decomposition into teams.

A monolithic MILP over 1000 people and 200 tasks (70,000 integer pairs)
finds no integer point in a minute, and even its LP relaxation takes half
a minute. But the band is a per-person constraint, coupled only through
the tasks' shift counts. So:

1. people are dealt (seeded shuffle) into teams of about ``team_size``;
2. each task's weekly shifts are split each task's weekly shifts among the teams (integer
   ``T`` of shape (n_teams, n_tasks)) so each team works exactly its hours
   owed and its task mix sits near the workplace's means (proportional
   shares, largest remainders, then single-shift moves to fix hours);
3. each team is an ordinary small workplace, balanced exactly against the
   *workplace's* means with a share of the time limit.

The teams' bounds sum to a bound for the problem given the split; the split
itself is a restriction, so the result is feasible but its optimality is
only relative to the split (reported as such).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import InfeasibleError
from parecon.work._scipy import solve_model
from parecon.work.formulation import BalanceSettings, MatrixModel, build_model
from parecon.work.solvers import SolverLimits, SolverOutcome
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["TeamsOutcome", "balance_by_teams", "split_tasks"]


def split_tasks(wp: Workplace, members: list[NDArray[np.intp]]) -> FloatArray:
    """Integer shifts of each task per team, shape (n_teams, n_tasks).

    Each task is apportioned to teams in proportion to their hours owed
    (largest remainders), which keeps every team's mix within a rounding
    error of the workplace's means; then single shifts move from teams
    with too many hours to teams with too few until every team's tasks
    need exactly its hours owed.
    """
    team_hours = np.array([wp.hours_owed[m].sum() for m in members])
    share = team_hours[:, None] / team_hours.sum() * wp.shifts_per_week[None, :]
    split = np.floor(share)
    rest = (wp.shifts_per_week - split.sum(axis=0)).astype(np.int64)
    for t in np.flatnonzero(rest):
        split[np.argsort(-(share[:, t] - split[:, t]))[: int(rest[t])], t] += 1
    cap = np.stack(
        [
            (
                np.floor(wp.hours_owed[m][:, None] / wp.shift_hours[None, :] + 1e-9)
                * wp.qualified[m]
            ).sum(axis=0)
            for m in members
        ]
    )
    for _ in range(10 * int(wp.shifts_per_week.sum()) + 10):
        gap = team_hours - split @ wp.shift_hours  # > 0: team needs more work
        a, b = int(np.argmin(gap)), int(np.argmax(gap))
        if gap[b] <= 1e-9:
            return np.asarray(split, dtype=np.float64)
        ok = (
            (split[a] > 0)
            & (split[b] < cap[b])
            & (wp.shift_hours <= gap[b] + 1e-9)
            & (wp.shift_hours <= -gap[a] + 1e-9)
        )
        if not ok.any():
            ok = (split[a] > 0) & (split[b] < cap[b]) & (wp.shift_hours <= gap[b] + 1e-9)
        if not ok.any():
            break
        # Move the task whose removal keeps a's and b's mixes nearest the means.
        move = int(np.flatnonzero(ok)[np.argmax((split[a] - share[a] - split[b] + share[b])[ok])])
        split[a, move] -= 1
        split[b, move] += 1
    raise InfeasibleError(
        "could not split the tasks among teams so each team's tasks match its hours owed; "
        "use a larger team_size (or method 'highs')"
    )


def solve_team(
    sub: Workplace, settings: BalanceSettings, targets: tuple[float, float], limits: SolverLimits
) -> tuple[MatrixModel, SolverOutcome]:
    """Balance one team: LP with half the band, then a MILP around its rounding.

    The LP's vertex solution uses few (person, task) pairs; the MILP keeps
    only those pairs, each between the floor and ceiling of its LP value
    (then, if that fails, between 0 and ceiling + 1), which is small enough
    for HiGHS to find integer points fast. The full MILP is the last resort.
    ``limits`` are the team's share; each MILP gets a third of them.
    """
    lp = build_model(sub, settings, relax=True, band_scale=0.5, targets=targets)
    rel = solve_model(lp, limits=limits)
    if rel.values is not None:
        x = rel.values[lp.x]
        keep = x > 1e-7
        pairs = (lp.pair_person[keep], lp.pair_task[keep])
        for lo, hi in (
            (np.floor(x[keep] + 1e-7), np.ceil(x[keep] - 1e-7)),
            (np.zeros(int(keep.sum())), np.ceil(x[keep] - 1e-7) + 1),
        ):
            model = build_model(sub, settings, pairs=pairs, x_lb=lo, x_ub=hi, targets=targets)
            out = solve_model(
                model,
                limits=limits.share(1 / 3, left=limits.seconds / 3),
                mip_rel_gap=max(settings.mip_rel_gap, 0.01),
            )
            if out.values is not None:
                return model, out
    model = build_model(sub, settings, targets=targets)
    return model, solve_model(
        model, limits=limits.share(1 / 3), mip_rel_gap=max(settings.mip_rel_gap, 0.01)
    )


@dataclass(frozen=True, eq=False)
class TeamsOutcome:
    """What the team decomposition found; ``shifts`` is None when the split or a team
    found no balanced assignment (not a proof that none exists: the split restricts)."""

    shifts: FloatArray | None
    objective: float
    bound: float
    status: str
    message: str
    n_teams: int
    stopped_by: str = ""


def balance_by_teams(
    wp: Workplace, settings: BalanceSettings, limits: SolverLimits, *, team_size: int = 50
) -> TeamsOutcome:
    """Teams balanced one by one; see the module docstring."""
    rng = np.random.default_rng(limits.seed)
    n_teams = max(1, round(wp.n_people / team_size))
    order = rng.permutation(wp.n_people)
    members = [np.sort(m) for m in np.array_split(order, n_teams)]
    nan = float("nan")
    try:
        split = split_tasks(wp, members)
    except InfeasibleError as exc:
        return TeamsOutcome(None, nan, nan, "no_solution", str(exc), n_teams)
    per_team = limits.share(0.9 / n_teams, left=max(1.0, 0.9 * limits.seconds / n_teams))
    shifts = np.zeros((wp.n_people, wp.n_tasks))
    objective = bound = 0.0
    proven = True
    targets = (wp.mean_empowerment, wp.mean_desirability)
    for k, m in enumerate(members):
        tasks = np.flatnonzero(split[k] > 0)
        sub = wp.subset(m, tasks, split[k, tasks])
        model, out = solve_team(sub, settings, targets, per_team)
        if out.values is None:
            return TeamsOutcome(
                None,
                nan,
                nan,
                "no_solution",
                f"team {k + 1} of {n_teams} ({len(m)} people) has no balanced assignment "
                f"({out.status}); use a larger team_size or a wider band",
                n_teams,
                out.stopped_by,
            )
        shifts[np.ix_(m, tasks)] = model.shifts(out.values, sub.n_people, sub.n_tasks)
        objective += out.objective
        bound += out.bound if np.isfinite(out.bound) else 0.0
        proven &= out.status == "optimal"
    message = (
        f"{n_teams} teams; each team {'optimal' if proven else 'within its gap'}; "
        "bound holds given the team split"
    )
    if wp.previous is not None:
        message += f"; {wp.hours_moved(shifts):g} h moved from last period"
    return TeamsOutcome(shifts, objective, bound, "feasible", message, n_teams)
