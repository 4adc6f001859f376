"""Exact balancing, diagnosis, decomposition and rotation on small workplaces."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.exceptions import InfeasibleError, ValidationError
from parecon.work import (
    BalanceSettings,
    Workplace,
    balance,
    explain_infeasibility,
    rotation,
    synthetic_workplace,
)


def small() -> Workplace:
    return Workplace(
        task_names=("plan", "build", "clean"),
        shift_hours=np.array([2.0, 4.0, 2.0]),
        shifts_per_week=np.array([6, 10, 6]),
        empowerment=np.array([18.0, 10.0, 3.0]),
        desirability=np.array([14.0, 10.0, 4.0]),
        people=("a", "b", "c"),
        hours_owed=np.array([24.0, 24.0, 16.0]),
    )


@pytest.mark.parametrize("method", ["highs", "cpsat"])
def test_exact_methods_meet_band_cover_tasks_and_hours(method: str) -> None:
    wp = small()
    res = balance(wp, BalanceSettings(band=1.0, time_limit=10), method)
    assert res.status == "optimal"
    assert res.band_empowerment <= 1.0 + 1e-6
    assert res.band_desirability <= 1.0 + 1e-6
    np.testing.assert_array_equal(res.shifts.sum(axis=0), wp.shifts_per_week)
    np.testing.assert_allclose(res.hours.sum(axis=1), wp.hours_owed)
    assert res.gap <= 1e-3


def test_auto_uses_exact_and_respects_qualifications_and_task_cap() -> None:
    wp = synthetic_workplace(8, 10, seed=3, qualified_share=0.7, max_tasks=5)
    res = balance(wp, BalanceSettings(band=1.0, desirability="compensate", time_limit=20))
    assert res.method == "highs"
    assert not (res.shifts[~wp.qualified] > 0).any()
    assert res.distinct_tasks.max() <= 5


def test_unqualified_for_empowering_task_is_explained() -> None:
    wp = small()
    qual = np.ones((3, 3), dtype=bool)
    qual[:, 0] = [True, False, False]  # only 'a' may plan: 12 h of 24
    wp2 = replace(wp, qualified=qual)
    with pytest.raises(InfeasibleError, match="binds|whole shifts|person .b. is qualified only"):
        balance(wp2, BalanceSettings(band=0.0, desirability="compensate"))


def test_coverage_shortage_is_explained() -> None:
    wp = small()
    qual = np.ones((3, 3), dtype=bool)
    qual[:, 1] = [True, False, False]  # build needs 40 h, only a's 24 h qualify
    wp2 = replace(wp, qualified=qual)
    msg = explain_infeasibility(wp2, BalanceSettings())
    assert "'build'" in msg and "qualify more" in msg


def test_person_on_one_side_is_explained() -> None:
    wp = small()
    qual = np.ones((3, 3), dtype=bool)
    qual[2] = [False, False, True]
    wp2 = replace(wp, qualified=qual)
    assert "person 'c'" in explain_infeasibility(wp2, BalanceSettings())


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"hours_owed": np.array([24.0, 24.0, 10.0])}, "people owe"),
        ({"empowerment": np.array([21.0, 10.0, 3.0])}, "within 1–20"),
        ({"shift_hours": np.array([0.0, 4.0, 2.0])}, "shift_hours"),
        ({"shifts_per_week": np.array([6.5, 10, 6])}, "whole number"),
        ({"people": ("a", "a", "c")}, "twice"),
        ({"preference": np.full((3, 3), 6.0)}, "preference"),
        ({"qualified": np.ones((2, 3), dtype=bool)}, "shape"),
        ({"max_tasks": 0}, "max_tasks"),
    ],
)
def test_bad_workplaces_are_refused(change: dict[str, object], match: str) -> None:
    wp = small()
    fields = dict(
        task_names=wp.task_names,
        shift_hours=wp.shift_hours,
        shifts_per_week=wp.shifts_per_week,
        empowerment=wp.empowerment,
        desirability=wp.desirability,
        people=wp.people,
        hours_owed=wp.hours_owed,
    )
    fields.update(change)
    with pytest.raises(ValidationError, match=match):
        Workplace(**fields)  # type: ignore[arg-type]


def test_unknown_method_and_bad_settings() -> None:
    with pytest.raises(ValidationError, match="unknown method"):
        balance(small(), method="magic")
    with pytest.raises(ValidationError):
        BalanceSettings(band=-1)
    with pytest.raises(ValidationError):
        BalanceSettings(desirability="ignore")  # type: ignore[arg-type]


def test_teams_method_covers_tasks_and_hours() -> None:
    wp = synthetic_workplace(40, 12, seed=5, qualified_share=0.8)
    res = balance(
        wp,
        BalanceSettings(band=1.0, desirability="compensate", time_limit=20),
        "teams",
        team_size=20,
    )
    assert res.n_teams == 2
    np.testing.assert_array_equal(res.shifts.sum(axis=0), wp.shifts_per_week)
    np.testing.assert_allclose(res.hours.sum(axis=1), wp.hours_owed)
    assert res.band_empowerment <= 1.0 + 1e-6


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), weeks=st.integers(1, 8))
def test_rotation_tracks_targets_within_one_shift(seed: int, weeks: int) -> None:
    rng = np.random.default_rng(seed)
    need = rng.integers(1, 6, size=4).astype(float)
    w = rng.random((5, 4)) * (rng.random((5, 4)) < 0.7) + 1e-3
    target = w / w.sum(axis=0) * need
    cycle = rotation(target, need, weeks)
    np.testing.assert_array_equal(cycle.sum(axis=1), np.tile(need, (weeks, 1)))
    cum = np.cumsum(cycle, axis=0)
    ideal = np.arange(1, weeks + 1)[:, None, None] * target[None]
    assert np.abs(cum - ideal).max() < 1.0 + 1e-9


def test_rotation_refuses_inconsistent_targets() -> None:
    with pytest.raises(ValidationError, match="needs"):
        rotation(np.ones((2, 2)), np.array([3.0, 2.0]), 2)
    with pytest.raises(ValidationError, match="n_weeks"):
        rotation(np.ones((2, 2)), np.array([2.0, 2.0]), 0)


def test_fits_checks_whole_shifts_coverage_hours_and_qualifications() -> None:
    wp = small()
    ok = balance(wp, BalanceSettings(band=1.0, time_limit=10), "highs").shifts.astype(float)
    assert wp.fits(ok)
    half = ok.copy()
    half[0, 0] += 0.5
    assert not wp.fits(half)
    moved = ok.copy()
    moved[0, 2] += 1  # a cleaning shift too many
    assert not wp.fits(moved)
    qual = np.ones((3, 3), dtype=bool)
    qual[np.argmax(ok[:, 0]), 0] = False
    assert not replace(wp, qualified=qual).fits(ok)
