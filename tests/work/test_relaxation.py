"""The LP relaxation by column generation: the whole LP's optimum, the same every run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parecon.work import BalanceSettings, balance
from parecon.work._scipy import solve_model
from parecon.work.formulation import build_model
from parecon.work.generate import planted_workplace
from parecon.work.relaxation import column_generated_lp
from parecon.work.solvers import SolverLimits


@pytest.mark.parametrize("scale", [0.0, 1.0])
def test_column_generation_reaches_the_whole_lps_optimum(scale: float) -> None:
    wp = planted_workplace(80, 24, seed=5, part_time_share=0.3, unqualified_share=0.3).workplace
    settings = BalanceSettings(band=0.5)
    got = column_generated_lp(wp, settings, scale)
    assert got is not None
    model, x, value = got
    whole = solve_model(
        build_model(wp, settings, relax=True, band_scale=scale),
        limits=SolverLimits(seconds=math.inf),
    )
    assert value == pytest.approx(whole.objective, rel=1e-7, abs=1e-6)
    Ax = model.A @ x
    assert (Ax >= model.row_lb - 1e-6).all() and (Ax <= model.row_ub + 1e-6).all()
    assert (x >= model.col_lb - 1e-9).all() and (x <= model.col_ub + 1e-9).all()
    # Fewer columns than the whole LP's pairs carry the solution, and a rerun repeats it.
    again = column_generated_lp(wp, settings, scale)
    assert again is not None
    np.testing.assert_array_equal(x, again[1])


def test_lp_swap_by_column_generation_balances_the_same_way_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import parecon.work.lp_swap as lp_swap

    monkeypatch.setattr(lp_swap, "COLUMN_GENERATION_PAIRS", 0)
    pw = planted_workplace(
        60, 20, seed=7, part_time_share=0.3, unqualified_share=0.2, shift_lengths=(2.0, 4.0)
    )
    settings = BalanceSettings(band=0.5, time_limit=10, seed=1)
    first = balance(pw.workplace, settings, "lp_swap")
    second = balance(pw.workplace, settings, "lp_swap")
    assert first.in_band and first.shifts is not None and second.shifts is not None
    assert pw.workplace.fits(first.shifts)
    np.testing.assert_array_equal(first.shifts, second.shifts)


def test_column_generation_runs_after_other_highspy_solves() -> None:
    """HiGHS's thread pool is per process: a thread count set here would refuse to run
    after any earlier solve had started the pool (the LP came back empty)."""
    from parecon.work import synthetic_workplace

    balance(synthetic_workplace(8, 6, seed=1, qualified_share=0.8), BalanceSettings(band=1.0))
    wp = planted_workplace(30, 10, seed=3, shift_lengths=(2.0, 4.0)).workplace
    assert column_generated_lp(wp, BalanceSettings(band=0.5), 0.0) is not None
