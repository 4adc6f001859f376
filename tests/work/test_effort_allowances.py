"""Effort aggregation (robust to biased raters and a clique) and allowances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.exceptions import InfeasibleError, ValidationError
from parecon.work import aggregate_effort, allowances, balance_across, onerousness


def simulate(seed: int, n: int = 15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True efforts, ratings with lenient/severe raters and a colluding clique of three."""
    rng = np.random.default_rng(seed)
    true = rng.uniform(8, 14, n)
    bias = rng.choice([-4.0, 0.0, 0.0, 4.0], size=n)
    r = true[None, :] + bias[:, None] + rng.normal(0, 1.0, (n, n))
    clique = np.array([0, 1, 2])
    for i in clique:
        r[i, :] = true - 3  # rate everyone else down...
        r[i, clique] = 20.0  # ...and each other at the top
    r = np.clip(r, 1, 20)
    np.fill_diagonal(r, np.nan)
    return true, r, clique


def test_centred_median_beats_plain_mean_on_error_and_clique_gain() -> None:
    errs = {"mean": 0.0, "centred_median": 0.0}
    gains = {"mean": 0.0, "centred_median": 0.0}
    for seed in range(10):
        true, r, clique = simulate(seed)
        truth = true / true.sum()
        for method in errs:
            s = aggregate_effort(r, method=method).score
            share = s / s.sum()
            errs[method] += np.abs(share - truth).sum()
            gains[method] += (share[clique] - truth[clique]).sum()
    assert errs["centred_median"] < errs["mean"]
    assert gains["centred_median"] < gains["mean"]


def test_effort_publishes_distributions_and_flags_few_raters() -> None:
    _, r, _ = simulate(0, n=8)
    r[:, 5] = np.nan
    r[0, 5] = 12.0
    s = aggregate_effort(r)
    assert s.distribution.shape == (8, 5)
    assert s.few_raters[5] and not s.few_raters[4]
    assert s.intensity.mean() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ratings", "match"),
    [
        (np.full((3, 3), 10.0), "self-ratings"),
        (np.where(np.eye(3, dtype=bool), np.nan, 25.0), "within 1–20"),
        (np.full((2, 3), np.nan), "square"),
        (np.full((3, 3), np.nan), "no one rated"),
    ],
)
def test_bad_effort_ratings(ratings: np.ndarray, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        aggregate_effort(ratings)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 12),
    pool=st.floats(0, 1e6),
    need_share=st.floats(0, 1),
)
def test_allowances_sum_to_the_pool(seed: int, n: int, pool: float, need_share: float) -> None:
    rng = np.random.default_rng(seed)
    hours = rng.choice([0.0, 20.0, 40.0], size=n, p=[0.1, 0.3, 0.6])
    hours[0] = 40.0
    councils = rng.integers(0, 3, size=n)
    needs = np.full(3, pool * need_share / 3)
    res = allowances(
        hours,
        rng.uniform(0.5, 1.5, n),
        pool,
        council_of=councils,
        n_councils=3,
        needs=needs,
        onerous=onerousness(rng.uniform(1, 20, n), hours),
    )
    assert res.budgets.sum() == pytest.approx(pool, rel=1e-9, abs=1e-6)
    assert (res.effort_allowance >= 0).all()
    assert not res.appeal[hours == 0].any()


def test_cap_needs_and_appeal() -> None:
    res = allowances(
        np.array([40.0, 40.0, 40.0]), np.array([1.0, 1.0, 1.5]), 10_000, cap_per_hour=50.0
    )
    assert res.pool_capped == 6000 and res.unallocated == 4000
    assert res.appeal.tolist() == [False, False, True]
    ratio = allowances(
        np.array([40.0]), np.array([1.0]), 100, benefit_cost_ratio=1.2, reference_per_hour=1.0
    )
    assert ratio.pool_capped == pytest.approx(48.0)
    with pytest.raises(InfeasibleError, match="exceed"):
        allowances(np.array([40.0]), np.array([1.0]), 100, needs=np.array([200.0]))
    with pytest.raises(ValidationError, match="council_of"):
        allowances(np.array([40.0]), np.array([1.0]), 100, council_of=np.array([5]), n_councils=2)


def test_onerous_complex_earns_more() -> None:
    o = onerousness(np.array([5.0, 15.0]), np.array([40.0, 40.0]))
    assert o[0] > 1 > o[1]


def test_balance_across_brings_workplaces_into_band() -> None:
    res = balance_across(
        np.array([6.0, 10.0, 14.0]), np.array([400.0, 400.0, 400.0]), band=1.0, max_share=0.5
    )
    assert np.abs(res.after - res.society_mean).max() <= 1.0 + 1e-6
    assert res.hours_moved > 0
    with pytest.raises(InfeasibleError, match="max|more than"):
        balance_across(np.array([2.0, 18.0]), np.array([100.0, 100.0]), band=0.1, max_share=0.1)


def test_balance_across_names_the_workplace_that_cannot_reach_the_band() -> None:
    averages = np.array([10.9, 9.6, 10.1, 9.4, 11.4])
    hours = np.array([3200.0, 1400, 900, 1100, 600])
    names = ["clinic", "bakery", "print shop", "recycling depot", "design studio"]
    with pytest.raises(InfeasibleError, match=r"design studio is at 11\.40 and can reach at most"):
        balance_across(averages, hours, names=names)
    with pytest.raises(InfeasibleError, match=r"workplace 4 is at 11\.40"):
        balance_across(averages, hours)
    assert balance_across(averages, hours, max_share=0.6, names=names).hours_moved > 0
