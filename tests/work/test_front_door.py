"""The one front door: one result type for every method, statuses instead of errors,
deterministic results, and the default method on a workplace the compact MILP cannot do."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from parecon.exceptions import ConvergenceWarning, InfeasibleError
from parecon.work import (
    METHODS,
    BalanceResult,
    BalanceSettings,
    Workplace,
    balance,
    synthetic_workplace,
)
from parecon.work.generate import PlantedWorkplace, planted_workplace

STATUSES = {"optimal", "feasible", "outside_band", "no_solution"}


def check_assignment(wp: Workplace, shifts: np.ndarray) -> None:
    assert wp.fits(shifts)


@pytest.fixture(scope="module")
def medium() -> PlantedWorkplace:
    """50 people (40 % part-time), 16 tasks of 2–8 h shifts, a quarter of pairs
    unqualified, planted around an assignment within the band."""
    return planted_workplace(50, 16, seed=1, part_time_share=0.4, unqualified_share=0.25)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_returns_the_same_result_type(method: str) -> None:
    wp = synthetic_workplace(12, 6, seed=2, qualified_share=0.8)
    settings = BalanceSettings(band=1.0, desirability="compensate", time_limit=20, work_limit=2)
    res = balance(wp, settings, method, team_size=6)
    assert type(res) is BalanceResult
    assert res.status in STATUSES and res.in_band
    assert res.method in METHODS and res.method in res.tried
    assert res.solver in {"highspy", "scipy-highs", "cpsat"}
    assert res.shifts is not None
    check_assignment(wp, res.shifts)
    assert res.band_empowerment <= 1.0 + 1e-6
    summary = res.summary()
    assert json.loads(json.dumps(summary)) == summary
    assert set(summary) >= {"status", "objective", "bound", "gap", "solver", "seconds", "message"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.status = "optimal"  # type: ignore[misc]


def test_running_out_of_work_is_a_status_with_a_warning(medium: PlantedWorkplace) -> None:
    settings = BalanceSettings(band=0.5, time_limit=30, work_limit=1e-4)
    with pytest.warns(ConvergenceWarning, match="no assignment within the band"):
        res = balance(medium.workplace, settings, "cpsat")
    assert res.status == "no_solution" and not res.in_band
    assert res.shifts is None and res.empowerment is None
    assert res.stopped_by == "work"
    assert np.isnan(res.band_empowerment)


def test_proven_infeasibility_still_raises_with_its_reason() -> None:
    wp = synthetic_workplace(6, 5, seed=1, qualified_share=0.8)
    qual = np.ones_like(wp.qualified)
    top = int(np.argmax(wp.shifts_per_week * wp.shift_hours))
    qual[:, top] = False
    qual[0, top] = True  # one person for the biggest task
    with pytest.raises(InfeasibleError, match="qualif"):
        balance(dataclasses.replace(wp, qualified=qual), BalanceSettings(band=1.0), "lp_swap")


def test_the_planted_assignment_is_a_certificate(medium: PlantedWorkplace) -> None:
    wp = medium.workplace
    check_assignment(wp, medium.planted)
    emp, des = wp.averages(medium.planted)
    assert np.abs(emp - wp.mean_empowerment).max() <= medium.band
    assert np.abs(des - wp.mean_desirability).max() <= medium.band
    assert (wp.hours_owed < 40).mean() > 0.2
    assert 0.15 < 1 - wp.qualified.mean() < 0.35
    assert len(set(wp.shift_hours.tolist())) >= 3


def test_default_method_balances_what_the_compact_milp_cannot(medium: PlantedWorkplace) -> None:
    wp = medium.workplace
    # "In time": a hard 8 s wall-clock cap (work_limit given), which the default's
    # deterministic budget never is.
    settings = BalanceSettings(band=0.5, time_limit=8, work_limit=4)
    with pytest.warns(ConvergenceWarning):
        compact = balance(wp, settings, "highs")
    assert not compact.in_band
    res = balance(wp, BalanceSettings(band=0.5, time_limit=60))
    assert res.in_band and res.stopped_by != "seconds"
    assert res.shifts is not None
    check_assignment(wp, res.shifts)
    assert res.band_empowerment <= 0.5 + 1e-9 and res.band_desirability <= 0.5 + 1e-9


def test_the_same_input_twice_gives_the_same_assignment(medium: PlantedWorkplace) -> None:
    settings = BalanceSettings(band=0.5, time_limit=60, seed=3)
    first = balance(medium.workplace, settings)
    second = balance(medium.workplace, settings)
    assert first.stopped_by != "seconds" and second.stopped_by != "seconds"
    assert first.shifts is not None and second.shifts is not None
    np.testing.assert_array_equal(first.shifts, second.shifts)
    assert first.objective == second.objective and first.message == second.message


class _SlowClock:
    """``time.perf_counter`` of a machine so loaded that every reading is 1000 s later."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1000.0
        return self.now


@pytest.mark.parametrize(
    ("wp", "method"),
    [
        (synthetic_workplace(10, 12, seed=1, qualified_share=0.6), "auto"),
        (synthetic_workplace(60, 20, seed=4, qualified_share=0.6), "lp_swap"),
    ],
    ids=["auto-complexes", "lp_swap"],
)
def test_results_depend_on_work_not_on_the_wall_clock(
    wp: Workplace, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A default time limit is work: a clock that races (a loaded machine) changes nothing."""
    import time

    settings = BalanceSettings(band=0.5, time_limit=10, seed=2)
    quiet = balance(wp, settings, method)
    monkeypatch.setattr(time, "perf_counter", _SlowClock())
    loaded = balance(wp, settings, method)
    assert quiet.in_band and loaded.in_band
    assert loaded.stopped_by != "seconds" and loaded.tried == quiet.tried
    assert quiet.shifts is not None and loaded.shifts is not None
    np.testing.assert_array_equal(quiet.shifts, loaded.shifts)
    assert loaded.objective == quiet.objective
