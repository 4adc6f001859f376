"""The exact method by job complexes: same optimum as the compact MILP, with a proof."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Literal

import numpy as np
import pytest

from parecon.exceptions import InfeasibleError
from parecon.work import BalanceSettings, Workplace, balance, evaluate, synthetic_workplace
from parecon.work import complexes as cx


def check_invariants(wp: Workplace, shifts: np.ndarray) -> None:
    np.testing.assert_array_equal(shifts, np.rint(shifts))
    np.testing.assert_array_equal(shifts.sum(axis=0), wp.shifts_per_week)
    np.testing.assert_allclose((shifts * wp.shift_hours).sum(axis=1), wp.hours_owed)
    assert not (shifts[~wp.qualified] > 0).any()


def with_previous(wp: Workplace, seed: int) -> Workplace:
    """``wp`` with a last period: a shuffled copy of a whole-shift assignment."""
    rng = np.random.default_rng(seed)
    prev = np.zeros((wp.n_people, wp.n_tasks))
    for t in range(wp.n_tasks):
        owners = rng.choice(np.flatnonzero(wp.qualified[:, t]), size=wp.shifts_per_week[t])
        np.add.at(prev[:, t], owners, 1.0)
    return replace(wp, previous=prev)


Case = tuple[int, int, int, float, int | None, float, float, Literal["band", "compensate"], bool]

CASES: list[Case] = [
    # (people, tasks, seed, share, max_tasks, min_block, band, desirability, previous)
    (5, 6, 0, 0.7, None, 0.0, 1.0, "band", False),
    (6, 7, 1, 0.6, 4, 0.0, 1.0, "compensate", False),
    (5, 6, 2, 0.8, 3, 4.0, 1.5, "band", False),
    (6, 6, 3, 0.7, None, 0.0, 1.0, "band", True),
    (4, 8, 4, 0.6, 4, 4.0, 1.0, "compensate", True),
    (6, 8, 5, 0.5, None, 0.0, 0.75, "band", False),
]


@pytest.mark.parametrize("case", CASES)
def test_same_optimum_as_the_compact_milp(case: Case) -> None:
    n, t, seed, share, cap, block, band, des, prev = case
    wp = synthetic_workplace(
        n, t, seed=seed, qualified_share=share, max_tasks=cap, min_block_hours=block
    )
    if prev:
        wp = with_previous(wp, seed)
    settings = BalanceSettings(band=band, desirability=des, time_limit=30, mip_rel_gap=0.0)
    try:
        compact = balance(wp, settings, "highs")
    except InfeasibleError:
        with pytest.raises(InfeasibleError):
            balance(wp, settings, "complexes")
        return
    res = balance(wp, settings, "complexes")
    assert res.method == "complexes" and res.status == "optimal"
    assert compact.status == "optimal"
    assert res.objective == pytest.approx(compact.objective, abs=1e-6)
    assert res.bound == pytest.approx(res.objective, abs=1e-6) and res.gap <= 1e-9
    check_invariants(wp, res.shifts)
    parts = evaluate(wp, settings, res.shifts)
    assert parts["objective"] == pytest.approx(res.objective, abs=1e-6)
    assert parts["band_empowerment"] <= band + 1e-6
    if des == "band":
        assert parts["band_desirability"] <= band + 1e-6
    if cap is not None:
        assert res.distinct_tasks.max() <= cap


def test_benchmark_instance_is_proven_optimal_and_repeats() -> None:
    wp = synthetic_workplace(10, 12, seed=1, qualified_share=0.6)
    settings = BalanceSettings(band=0.5, seed=1)
    first = balance(wp, settings)
    assert first.method == "complexes" and first.status == "optimal"
    # The compact MILP's proven optimum (6.7 s with HiGHS, see docs/work.md).
    assert first.objective == pytest.approx(576.0)
    assert first.bound == pytest.approx(576.0)
    again = balance(wp, settings, "complexes")
    np.testing.assert_array_equal(first.shifts, again.shifts)
    check_invariants(wp, first.shifts)


def test_enumeration_matches_brute_force() -> None:
    wp = synthetic_workplace(4, 5, seed=7, qualified_share=0.8, max_tasks=3, min_block_hours=4.0)
    settings = BalanceSettings(band=1.5)
    for i in range(wp.n_people):
        pc = cx.enumerate_person(wp, settings, i)
        assert pc is not None
        tasks = pc.tasks
        s = wp.shift_hours[tasks]
        cap = np.floor(wp.hours_owed[i] / s)
        ub = np.minimum(cap, wp.shifts_per_week[tasks]).astype(int)
        block = np.minimum(np.minimum(4.0, cap * s), wp.task_hours[tasks])
        expect = set()
        for x in itertools.product(*(range(u + 1) for u in ub)):
            v = np.array(x, dtype=float)
            h = v * s
            if abs(h.sum() - wp.hours_owed[i]) > 1e-9 or (v > 0).sum() > 3:
                continue
            if ((v > 0) & (h < block - 1e-9)).any():
                continue
            e = h @ (wp.empowerment[tasks] - wp.mean_empowerment)
            d = h @ (wp.desirability[tasks] - wp.mean_desirability)
            if max(abs(e), abs(d)) <= 1.5 * wp.hours_owed[i] + 1e-7:
                expect.add(x)
        assert {tuple(int(a) for a in row) for row in pc.shifts} == expect


def test_scipy_master_gives_the_same_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    wp = synthetic_workplace(6, 7, seed=1, qualified_share=0.6, max_tasks=4)
    settings = BalanceSettings(band=1.0)
    want = balance(wp, settings, "complexes")

    import importlib

    monkeypatch.setattr(importlib.import_module("parecon.work._highs"), "available", lambda: False)
    got = balance(wp, settings, "complexes")
    assert got.status == "optimal"
    assert got.objective == pytest.approx(want.objective)


def test_large_pool_falls_back_to_the_compact_milp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cx, "POOL_LIMIT", 50)
    wp = synthetic_workplace(5, 6, seed=0, qualified_share=0.7)
    res = balance(wp, BalanceSettings(band=1.0))
    assert res.method == "highs" and "compact MILP" in res.message
    assert res.status == "optimal"


def test_person_without_a_complex_is_named() -> None:
    wp = Workplace(
        task_names=("plan", "build", "clean"),
        shift_hours=np.array([2.0, 4.0, 2.0]),
        shifts_per_week=np.array([6, 10, 6]),
        empowerment=np.array([18.0, 10.0, 3.0]),
        desirability=np.array([14.0, 10.0, 4.0]),
        people=("a", "b", "c"),
        hours_owed=np.array([24.0, 24.0, 16.0]),
        max_tasks=1,
    )
    # One task each, and only 'build' (10 against a mean of 10.19) is near the mean.
    with pytest.raises(InfeasibleError, match="person 'a' has no job complex"):
        balance(wp, BalanceSettings(band=0.1), "complexes")
    with pytest.raises(InfeasibleError, match="combination of feasible complexes"):
        balance(wp, BalanceSettings(band=0.5), "complexes")


def test_infeasible_workplaces_get_the_same_diagnosis_from_both_exact_methods() -> None:
    base = dict(
        task_names=("plan", "mid", "clean"),
        shift_hours=np.array([2.0, 2.0, 2.0]),
        shifts_per_week=np.array([1, 2, 1]),
        empowerment=np.array([12.0, 10.0, 8.0]),
        desirability=np.array([10.0, 10.0, 10.0]),
        people=("a", "b", "c"),
        hours_owed=np.array([4.0, 2.0, 2.0]),
    )
    # Only 'a' may plan or clean: a = plan + clean, b and c one 'mid' each: feasible.
    qual = np.array([[True, False, True], [False, True, False], [False, True, False]])
    ok = balance(Workplace(**base, qualified=qual), BalanceSettings(band=0.0), "complexes")  # type: ignore[arg-type]
    assert ok.status == "optimal"
    # 'b' may only clean (8, two points below the mean): named by both methods.
    base["hours_owed"] = np.array([4.0, 2.0, 2.0])
    qual = np.array([[True, True, False], [False, False, True], [False, True, False]])
    wp = Workplace(**base, qualified=qual)  # type: ignore[arg-type]
    messages = []
    for method in ("complexes", "highs"):
        with pytest.raises(InfeasibleError, match="person 'b'") as err:
            balance(wp, BalanceSettings(band=1.0), method)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_auto_falls_back_when_complexes_give_no_proof_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stopped(*args: object, **kwargs: object) -> cx.ComplexOutcome:
        nan = float("nan")
        return cx.ComplexOutcome("no_solution", None, nan, nan, "stopped", 10, "work")

    monkeypatch.setattr(cx, "balance_complexes", stopped)
    wp = synthetic_workplace(5, 6, seed=0, qualified_share=0.7)
    res = balance(wp, BalanceSettings(band=1.0))
    assert res.tried[0] == "complexes"
    assert res.method == "highs" and "so the compact MILP (highs)" in res.message
    assert res.status == "optimal"
