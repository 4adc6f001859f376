"""Rounding the LP point by shifts per length and a transportation LP; ``auto`` at scale,
the same assignment every run (in one process and in two)."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from parecon.exceptions import ConvergenceWarning
from parecon.work import BalanceSettings, balance
from parecon.work._scipy import solve_model
from parecon.work.formulation import build_model
from parecon.work.generate import planted_workplace
from parecon.work.rounding import transport_round
from parecon.work.solvers import SolverLimits

LARGE = {
    "n_people": 320,
    "n_tasks": 70,
    "seed": 21,
    "part_time_share": 0.35,
    "unqualified_share": 0.25,
    "shift_lengths": (2.0, 3.0, 4.0, 6.0, 8.0),
}
"""A 300+-person planted workplace: part-timers, a quarter unqualified, 2–8 h shifts."""
SETTINGS = {"band": 0.5, "time_limit": 30.0, "seed": 4}


def _fingerprint(shifts: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(shifts, dtype=np.float64).tobytes()).hexdigest()


@pytest.mark.parametrize("lengths", [(2.0, 4.0), (2.0, 3.0, 5.0, 8.0)])
def test_transport_round_meets_hours_and_coverage_near_the_lp_point(
    lengths: tuple[float, ...],
) -> None:
    wp = planted_workplace(
        60, 20, seed=7, part_time_share=0.4, unqualified_share=0.3, shift_lengths=lengths
    ).workplace
    model = build_model(wp, BalanceSettings(band=0.5), relax=True, band_scale=0.0)
    lp = solve_model(model, limits=SolverLimits(seconds=math.inf))
    assert lp.values is not None
    x = lp.values[model.x]
    limits = SolverLimits(seconds=math.inf, work=1.0)
    X = transport_round(wp, model.pair_person, model.pair_task, x, limits=limits)
    assert X is not None and wp.fits(X)
    # Near the LP point: per pair, mostly within one shift of it.
    lp_x = np.zeros_like(X)
    lp_x[model.pair_person, model.pair_task] = x
    assert (np.abs(X - lp_x) < 1.0 + 1e-9).mean() > 0.95
    again = transport_round(wp, model.pair_person, model.pair_task, x, limits=limits)
    assert again is not None
    np.testing.assert_array_equal(X, again)


def test_lp_swap_falls_back_to_the_nearest_assignment_milp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the rounding by shift length finds nothing, the MILP still rounds."""
    import parecon.work.lp_swap as lp_swap
    import parecon.work.repair as repair

    wp = planted_workplace(
        40, 14, seed=5, part_time_share=0.4, unqualified_share=0.2,
        shift_lengths=(2.0, 3.0, 5.0, 8.0),
    ).workplace  # fmt: skip
    used: list[bool] = []

    def nothing(*args: object, **kwargs: object) -> None:
        used.append(False)

    def spy(*args: object, **kwargs: object) -> object:
        out = repair.nearest_assignment(*args, **kwargs)  # type: ignore[arg-type]
        used.append(out is not None)
        return out

    monkeypatch.setattr(lp_swap, "transport_round", nothing)
    monkeypatch.setattr(lp_swap, "nearest_assignment", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = balance(wp, BalanceSettings(band=0.5, time_limit=20, seed=1), "lp_swap")
    assert res.shifts is not None and wp.fits(res.shifts)
    # The floor/ceiling box has no point here: transport gave nothing, the MILP rounded.
    assert used == [False, True]


def test_exact_hours_lists_every_shift_mix_that_makes_the_hours() -> None:
    from parecon.work.rounding import _exact_hours

    got = _exact_hours(np.array([2.0, 3.0, 5.0]), 10.0)
    assert got is not None
    assert {tuple(v) for v in got.tolist()} == {
        (5.0, 0.0, 0.0), (2.0, 2.0, 0.0), (0.0, 0.0, 2.0), (1.0, 1.0, 1.0)
    }  # fmt: skip
    assert (got @ np.array([2.0, 3.0, 5.0]) == 10.0).all()
    none = _exact_hours(np.array([4.0, 8.0]), 6.0)
    assert none is not None and none.shape == (0, 2)
    assert _exact_hours(np.array([0.25, 0.5, 0.75, 1.0, 1.25, 1.5]), 40.0) is None


def test_auto_balances_the_issues_120_person_case_the_compact_milp_cannot() -> None:
    """The issue's workplace: 120 people (47 part-time), 40 tasks of 2–8 h, a quarter
    of pairs unqualified; the compact MILP finds nothing in the band, ``auto`` does."""
    pw = planted_workplace(
        120, 40, seed=13, part_time_share=47 / 120, unqualified_share=0.25,
        shift_lengths=(2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    )  # fmt: skip
    wp = pw.workplace
    with pytest.warns(ConvergenceWarning):
        compact = balance(wp, BalanceSettings(band=0.5, time_limit=8, work_limit=4), "highs")
    assert not compact.in_band
    res = balance(wp, BalanceSettings(band=0.5, time_limit=30, seed=1))
    assert res.in_band and res.stopped_by != "seconds" and res.shifts is not None
    assert wp.fits(res.shifts)
    emp, des = wp.averages(res.shifts)
    assert np.abs(emp - wp.mean_empowerment).max() <= 0.5 + 1e-9
    assert np.abs(des - wp.mean_desirability).max() <= 0.5 + 1e-9


@pytest.fixture(scope="module")
def large_result() -> tuple[np.ndarray, str]:
    wp = planted_workplace(**LARGE).workplace  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = balance(wp, BalanceSettings(**SETTINGS))  # type: ignore[arg-type]
    assert res.shifts is not None
    return res.shifts, res.message


@pytest.mark.slow
def test_auto_balances_a_300_person_planted_workplace(large_result: tuple[np.ndarray, str]) -> None:
    wp = planted_workplace(**LARGE).workplace  # type: ignore[arg-type]
    shifts, _ = large_result
    assert wp.fits(shifts)
    emp, des = wp.averages(shifts)
    assert np.abs(emp - wp.mean_empowerment).max() <= 0.5 + 1e-9
    assert np.abs(des - wp.mean_desirability).max() <= 0.5 + 1e-9


@pytest.mark.slow
def test_a_300_person_planted_workplace_balances_the_same_way_twice(
    large_result: tuple[np.ndarray, str],
) -> None:
    wp = planted_workplace(**LARGE).workplace  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        again = balance(wp, BalanceSettings(**SETTINGS))  # type: ignore[arg-type]
    assert again.shifts is not None
    np.testing.assert_array_equal(large_result[0], again.shifts)
    assert large_result[1] == again.message


@pytest.mark.slow
def test_a_300_person_planted_workplace_balances_the_same_way_in_another_process(
    large_result: tuple[np.ndarray, str],
) -> None:
    script = (
        "import hashlib, warnings, numpy as np\n"
        "from parecon.work import BalanceSettings, balance\n"
        "from parecon.work.generate import planted_workplace\n"
        "warnings.simplefilter('ignore')\n"
        f"wp = planted_workplace(**{LARGE!r}).workplace\n"
        f"res = balance(wp, BalanceSettings(**{SETTINGS!r}))\n"
        "s = np.ascontiguousarray(res.shifts, dtype=np.float64)\n"
        "print(hashlib.sha256(s.tobytes()).hexdigest())\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == _fingerprint(large_result[0])
