"""Method lp_swap (LP, rounding, swaps): invariants on small workplaces, fast."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from parecon.exceptions import InfeasibleError
from parecon.work import BalanceSettings, Workplace, balance, synthetic_workplace
from parecon.work.balance import evaluate
from parecon.work.generate import perturb_workplace
from parecon.work.repair import repair_previous
from parecon.work.solvers import SolverLimits
from parecon.work.swaps import SwapSearch


def check_invariants(wp: Workplace, shifts: np.ndarray) -> None:
    np.testing.assert_array_equal(shifts, np.rint(shifts))
    np.testing.assert_array_equal(shifts.sum(axis=0), wp.shifts_per_week)
    np.testing.assert_allclose((shifts * wp.shift_hours).sum(axis=1), wp.hours_owed)
    assert not (shifts[~wp.qualified] > 0).any()
    assert (shifts >= 0).all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lp_swap_meets_hours_coverage_qualifications_and_band(seed: int) -> None:
    wp = synthetic_workplace(60, 30, seed=seed)
    settings = BalanceSettings(band=0.5, time_limit=20)
    res = balance(wp, settings, "lp_swap")
    check_invariants(wp, res.shifts)
    # The LP says the band is reachable (band bound 0): the search reaches it.
    assert res.band_bound == pytest.approx(0.0, abs=1e-6)
    assert res.band_empowerment <= 0.5 + 1e-9
    assert res.band_desirability <= 0.5 + 1e-9
    assert res.objective >= res.bound - 1e-6
    assert res.status == "feasible" and res.method == "lp_swap"


def test_lp_swap_respects_task_cap_and_minimum_block() -> None:
    wp = synthetic_workplace(40, 20, seed=4, qualified_share=0.6, max_tasks=4, min_block_hours=4.0)
    res = balance(wp, BalanceSettings(band=1.0, time_limit=20), "lp_swap")
    check_invariants(wp, res.shifts)
    assert res.distinct_tasks.max() <= 4
    hours = res.hours
    block = np.minimum(4.0, wp.task_hours)[None, :]
    assert not ((hours > 0) & (hours < block - 1e-9)).any()
    assert res.band_empowerment <= 1.0 + 1e-9


def test_lp_swap_compensated_desirability_only_balances_empowerment() -> None:
    wp = synthetic_workplace(30, 15, seed=6, qualified_share=0.6)
    res = balance(wp, BalanceSettings(band=0.3, desirability="compensate"), "lp_swap")
    check_invariants(wp, res.shifts)
    assert res.band_empowerment <= 0.3 + 1e-9


def test_auto_picks_lp_swap_for_large_workplaces(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    bal = importlib.import_module("parecon.work.balance")

    monkeypatch.setattr(bal, "EXACT_LIMIT", 10)
    wp = synthetic_workplace(20, 10, seed=2, qualified_share=0.6)
    res = balance(wp, BalanceSettings(band=1.0, time_limit=10))
    assert res.method == "lp_swap"


def test_lp_swap_infeasible_band_is_explained() -> None:
    wp = synthetic_workplace(20, 10, seed=3, qualified_share=0.2)
    qual = np.array(wp.qualified)
    top = int(np.argmax(wp.empowerment))
    qual[:, top] = False
    qual[0, top] = True  # one person for the most empowering task
    wp2 = Workplace(
        wp.task_names,
        wp.shift_hours,
        wp.shifts_per_week,
        wp.empowerment,
        wp.desirability,
        wp.people,
        wp.hours_owed,
        qual,
    )
    with pytest.raises(InfeasibleError, match="task|band|person"):
        balance(wp2, BalanceSettings(band=0.0), "lp_swap")


def test_swaps_keep_hours_and_coverage_and_repair_band() -> None:
    """From a deliberately unbalanced start, repair reaches the band by swaps alone."""
    wp = Workplace(
        task_names=("plan", "build", "clean"),
        shift_hours=np.array([2.0, 2.0, 2.0]),
        shifts_per_week=np.array([6, 12, 6]),
        empowerment=np.array([18.0, 10.0, 2.0]),
        desirability=np.array([14.0, 10.0, 6.0]),
        people=("a", "b", "c"),
        hours_owed=np.array([16.0, 16.0, 16.0]),
    )
    start = np.array([[6.0, 2.0, 0.0], [0.0, 8.0, 0.0], [0.0, 2.0, 6.0]])
    search = SwapSearch(wp, BalanceSettings(band=0.5), start)
    assert (search.V > 0).sum() == 2
    assert search.repair(deadline=float("inf"))
    check_invariants(wp, search.X.astype(float))
    emp, des = wp.averages(search.X.astype(float))
    assert np.abs(emp - wp.mean_empowerment).max() <= 0.5 + 1e-9
    assert np.abs(des - wp.mean_desirability).max() <= 0.5 + 1e-9


def _with_previous(seed: int = 1) -> tuple[Workplace, np.ndarray, BalanceSettings]:
    """A workplace and a balanced previous assignment: lp_swap's result for the same
    workplace with everyone's preferences shifted by up to one point."""
    wp = synthetic_workplace(60, 30, seed=seed)
    settings = BalanceSettings(band=0.5, time_limit=20)
    rng = np.random.default_rng(seed)
    pref = np.clip(wp.preference + rng.integers(-1, 2, wp.preference.shape), 1, 5)
    before = balance(dataclasses.replace(wp, preference=pref), settings, "lp_swap")
    return wp, before.shifts, settings


def test_lp_swap_keeps_a_balanced_previous_assignment() -> None:
    wp, previous, settings = _with_previous()
    with_prev = dataclasses.replace(wp, previous=previous)
    fresh = balance(wp, settings, "lp_swap")
    kept = balance(with_prev, settings, "lp_swap")
    check_invariants(wp, kept.shifts)
    assert kept.band_empowerment <= 0.5 + 1e-9 and kept.band_desirability <= 0.5 + 1e-9
    moved_fresh = with_prev.hours_moved(fresh.shifts)
    # Without previous about 70 % of all hours move; with it a few percent.
    assert moved_fresh > 0.5 * wp.hours_owed.sum()
    assert kept.hours_moved < 0.1 * moved_fresh
    assert kept.hours_moved < 0.1 * wp.hours_owed.sum()


def test_lp_swap_reports_hours_moved_and_objective_with_previous() -> None:
    wp, previous, settings = _with_previous(seed=2)
    # One shift too many: previous no longer meets coverage, so it is repaired first
    # (the rounding path with stability is exercised in the test after this one).
    nudged = previous.copy()
    i = int(np.argmax(previous[:, 0]))
    nudged[i, 0] += 1
    for prev in (previous, nudged):
        wpp = dataclasses.replace(wp, previous=prev)
        res = balance(wpp, settings, "lp_swap")
        check_invariants(wp, res.shifts)
        moved = float(np.abs((res.shifts - prev) * wp.shift_hours).sum())
        assert res.hours_moved == pytest.approx(moved)
        assert f"{moved:g} h moved" in res.message
        parts = evaluate(wpp, settings, res.shifts)
        assert res.objective == pytest.approx(parts["objective"])
        assert parts["objective"] == pytest.approx(
            parts["preference"] + 2.0 * parts["distinct_tasks"] + 0.25 * moved
        )
        fresh = balance(wp, settings, "lp_swap")
        assert res.hours_moved < wpp.hours_moved(fresh.shifts)


def test_lp_swap_rounds_the_lp_with_stability_when_the_repair_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    lp_swap = importlib.import_module("parecon.work.lp_swap")
    monkeypatch.setattr(lp_swap, "repair_previous", lambda wp, limits: None)
    wp, previous, settings = _with_previous(seed=2)
    nudged = previous.copy()
    nudged[int(np.argmax(previous[:, 0])), 0] += 1
    wpp = dataclasses.replace(wp, previous=nudged)
    res = balance(wpp, settings, "lp_swap")
    check_invariants(wp, res.shifts)
    assert "rounding left" in res.message
    assert res.hours_moved < wpp.hours_moved(balance(wp, settings, "lp_swap").shifts)


def test_swap_search_counts_hours_moved_off_emptied_entries() -> None:
    wp, previous, settings = _with_previous(seed=3)
    wpp = dataclasses.replace(wp, previous=previous)
    start = np.roll(previous, 1, axis=0)  # wrong people, right coverage
    search = SwapSearch(wpp, settings, previous)
    assert search.total_cost() == pytest.approx(evaluate(wpp, settings, previous)["objective"])
    search.X = np.rint(start).astype(np.int64)
    assert search.total_cost() == pytest.approx(evaluate(wpp, settings, start)["objective"])


def test_subset_keeps_previous_and_pairs() -> None:
    wp, previous, _ = _with_previous()
    wpp = dataclasses.replace(wp, previous=previous)
    people = np.array([3, 7, 11])
    tasks = np.flatnonzero(previous[people].sum(axis=0) > 0)
    sub = wpp.subset(people, tasks, previous[np.ix_(people, tasks)].sum(axis=0))
    assert sub.people == tuple(wp.people[i] for i in people)
    assert sub.task_names == tuple(wp.task_names[t] for t in tasks)
    assert sub.previous is not None
    np.testing.assert_array_equal(sub.previous, previous[np.ix_(people, tasks)])
    np.testing.assert_array_equal(sub.qualified, wp.qualified[np.ix_(people, tasks)])
    np.testing.assert_array_equal(sub.preference, wp.preference[np.ix_(people, tasks)])
    assert sub.hours_moved(sub.previous) == 0.0
    # Without new shifts the tasks keep theirs; without previous none is made up.
    full = wp.subset(np.arange(wp.n_people), np.arange(wp.n_tasks))
    np.testing.assert_array_equal(full.shifts_per_week, wp.shifts_per_week)
    assert full.previous is None


@pytest.mark.parametrize("seed", [1, 2])
def test_lp_swap_repairs_a_perturbed_previous_assignment(seed: int) -> None:
    """Last period was balanced; this period one task needs two more shifts, another two
    fewer, one person owes 4 h less and one lost a qualification they used. The repair
    starts from last period and moves a small fraction of what a fresh run moves."""
    wp, previous, settings = _with_previous(seed)
    now = perturb_workplace(dataclasses.replace(wp, previous=previous), seed=seed)
    assert (previous[~now.qualified] > 0).any()
    assert not np.array_equal(previous.sum(axis=0), now.shifts_per_week)
    res = balance(now, settings, "lp_swap")
    check_invariants(now, res.shifts)
    assert res.band_empowerment <= 0.5 + 1e-9 and res.band_desirability <= 0.5 + 1e-9
    assert "repaired for this period's hours, coverage and qualifications" in res.message
    fresh = balance(dataclasses.replace(now, previous=None), settings, "lp_swap")
    moved_fresh = now.hours_moved(fresh.shifts)
    assert res.hours_moved == pytest.approx(now.hours_moved(res.shifts))
    assert res.hours_moved < 0.15 * moved_fresh


def _fewest_hours_moved(wp: Workplace) -> float:
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    assert wp.previous is not None
    pi, pt = np.nonzero(wp.qualified)
    n, s = pi.size, wp.shift_hours[pt]
    k = np.arange(n)
    eye = sp.csr_array((np.ones(n), (k, k)), shape=(n, n))
    cover = sp.csr_array((np.ones(n), (pt, k)), shape=(wp.n_tasks, n))
    hours = sp.csr_array((s, (pi, k)), shape=(wp.n_people, n))
    zero = sp.csr_array((wp.n_tasks + wp.n_people, n))
    sx = sp.csr_array((s, (k, k)), shape=(n, n))
    A = sp.vstack(
        [sp.hstack([sp.vstack([cover, hours]), zero]), sp.hstack([sx, eye]), sp.hstack([-sx, eye])]
    )
    prev_h = wp.previous[pi, pt] * s
    lo = np.concatenate([wp.shifts_per_week, wp.hours_owed, prev_h, -prev_h])
    hi = np.concatenate([wp.shifts_per_week, wp.hours_owed, np.full(2 * n, np.inf)])
    res = milp(
        np.concatenate([np.zeros(n), np.ones(n)]),
        constraints=LinearConstraint(A, lo, hi),
        integrality=np.concatenate([np.ones(n), np.zeros(n)]),
        bounds=Bounds(0, np.inf),
    )
    assert res.x is not None
    dropped = float((wp.previous * wp.shift_hours)[~wp.qualified].sum())
    return float(res.fun) + dropped


def test_repair_previous_moves_only_the_shifts_that_must_move() -> None:
    wp, previous, _ = _with_previous(seed=3)
    now = perturb_workplace(dataclasses.replace(wp, previous=previous), seed=3)
    repaired = repair_previous(now, limits=SolverLimits(seconds=10, work=5))
    assert repaired is not None
    check_invariants(now, repaired)
    # Fewest hours: the same as a direct MILP over every qualified pair (X, |X − prev|).
    assert now.hours_moved(repaired) == pytest.approx(_fewest_hours_moved(now))
    assert now.hours_moved(repaired) < 0.1 * now.hours_owed.sum()
    # An assignment that already fits is returned as it is.
    kept = dataclasses.replace(wp, previous=previous)
    np.testing.assert_array_equal(
        repair_previous(kept, limits=SolverLimits(seconds=10, work=5)), previous
    )


def test_teams_with_previous_is_valid_and_reports_hours_moved() -> None:
    wp = synthetic_workplace(24, 10, seed=5, qualified_share=0.8)
    settings = BalanceSettings(band=0.5, time_limit=20)
    pref = np.clip(wp.preference[::-1], 1, 5)  # last period: other preferences
    previous = balance(dataclasses.replace(wp, preference=pref), settings, "lp_swap").shifts
    wpp = dataclasses.replace(wp, previous=previous)
    res = balance(wpp, settings, "teams", team_size=12)
    check_invariants(wp, res.shifts)
    assert res.band_empowerment <= 0.5 + 1e-9
    moved = wpp.hours_moved(res.shifts)
    assert res.hours_moved == pytest.approx(moved)
    assert f"{moved:g} h moved from last period" in res.message
    parts = evaluate(wpp, settings, res.shifts)
    assert parts["objective"] == pytest.approx(
        parts["preference"] + 2.0 * parts["distinct_tasks"] + 0.25 * moved
    )


@pytest.mark.parametrize(("lengths", "starts_over"), [((2.0, 5.0), True), ((2.0, 4.0), False)])
def test_complex_neighbourhoods_start_over_where_no_milp_neighbourhood_follows(
    lengths: tuple[float, float], starts_over: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After sizes 4, 8 and 16 fail, 2 h beside 5 h (no swap trades them, so no MILP
    neighbourhood follows) tries size 4 again with others; 2 h beside 4 h goes on to
    the MILP neighbourhoods instead."""
    from parecon.work import lp_swap
    from parecon.work.generate import planted_workplace

    pw = planted_workplace(12, 6, seed=3, shift_lengths=lengths)
    assert set(pw.workplace.shift_hours.tolist()) == set(lengths)
    sizes: list[int] = []

    def fail(_wp: object, _st: object, _search: object, size: int, *_a: object) -> bool:
        sizes.append(size)
        return False

    monkeypatch.setattr(lp_swap, "_neighbourhood_complexes", fail)
    monkeypatch.setattr(lp_swap, "_neighbourhood_milp", lambda *a: False)
    # Everyone is a violator here, so one pass (9 tries a size) uses 1.26 of the work.
    monkeypatch.setattr(lp_swap, "COMPLEX_NEIGHBOURHOOD_BUDGET", 2.0)
    settings = BalanceSettings(band=0.01, time_limit=5)  # the planted assignment is outside
    clock = lp_swap._Clock(settings.limits)
    _, in_band, _ = lp_swap._search(
        pw.workplace, settings, pw.planted, clock, np.random.default_rng(0)
    )
    assert not in_band and 16 in sizes
    assert (4 in sizes[sizes.index(16) :]) == starts_over
    assert len(sizes) == (54 if starts_over else 27)  # a second pass, then the budget ends
