"""The scalable method (LP, rounding, swaps): invariants on small workplaces, fast."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.exceptions import InfeasibleError
from parecon.work import BalanceSettings, Workplace, balance, synthetic_workplace
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
