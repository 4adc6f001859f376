"""The default rule from far starts, with CES tastes and on the study's other families.

Pinned rounds (to 3% and to 0.1%) of cheap versions of the families in
``benchmarks/convergence_study.py``; the targets are 8 and 12 rounds, and the
default rule must never be slower than ``secant`` or ``pequod``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from benchmarks.convergence_families import (
    ces_tastes,
    far_start,
    income_inequality,
    near_constant_returns,
    one_producer_per_good,
    polluted_with_caps,
    size_inequality,
)

from parecon.engine import Economy, PlanningProcedure
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.price_rules.informed import log_ratios
from parecon.engine.price_rules.secant import log_gaps
from parecon.exceptions import ConvergenceWarning


@pytest.fixture(scope="module")
def base() -> Economy:
    return generate_economy(EconomySpec(600, 600, 5), seed=1)


def _rounds(economy: Economy, rule: str = "informed") -> tuple[int | None, int | None]:
    """Rounds to 3% and 0.1%; the default rule must converge, others may not."""
    with warnings.catch_warnings():
        if rule != "informed":
            warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(rule, tolerance=0.001, max_rounds=60).run(economy)
    return result.rounds_to[0.03], result.rounds_to[0.001]


def _not_slower(mine: tuple[int | None, int | None], other: tuple[int | None, int | None]) -> bool:
    return all(b is None or (a is not None and a <= b) for a, b in zip(mine, other, strict=True))


# Opening prices 700·e^N(0, 2), good by good (before exact log ratios: stuck at gap 2.0
# on 4 of 10 seeds of the 3000/3000 economy). secant: (19, 22), (31, 34), (28, 32), none.
# Before each council's returns were read into the flows: seeds 2 and 3 (6, 7), (7, 7).
PINNED_FAR = {0: (5, 6), 1: (6, 7), 2: (6, 6), 3: (6, 7)}


@pytest.mark.parametrize("seed", sorted(PINNED_FAR))
def test_far_starts_are_pinned(base: Economy, seed: int) -> None:
    economy = far_start(base, 2.0, seed)
    measured = _rounds(economy)
    assert measured == PINNED_FAR[seed]
    assert _not_slower(measured, _rounds(economy, "secant"))


# CES consumers: the substitution elasticity is learned from the rounds (before: gap
# 2.0 throughout at σ = 5). secant: (7, 12), (39, 43), none; pequod: (13, -), (24, -), none.
# (σ = 5 took (6, 6) before each council's returns were read into the flows)
PINNED_CES = {0.2: (5, 6), 5.0: (5, 6), 10.0: (6, 7)}


@pytest.mark.parametrize("sigma", sorted(PINNED_CES))
def test_ces_tastes_are_pinned(base: Economy, sigma: float) -> None:
    economy = ces_tastes(base, sigma)
    measured = _rounds(economy)
    assert measured == PINNED_CES[sigma]
    for rule in ("secant", "pequod"):
        assert _not_slower(measured, _rounds(economy, rule))


# CES consumers from far starts 700·e^N(0, 2): σ is read from the first (long) pairs
# while no pair is within pair_reach. With pair_reach alone (substitution_reach=2):
# (7, 8), (8, 9), (8, 9), (10, 11). secant: (20, 25), (18, 22), none, none.
# Two of these lost a round when each council's returns were read into the flows (the
# same change took 1–2 rounds off Brazil's and DEP's): (5, 1) was (7, 7), (10, 1) (6, 8).
PINNED_CES_FAR = {(5.0, 0): (5, 6), (5.0, 1): (7, 8), (10.0, 1): (7, 8), (10.0, 3): (6, 7)}


@pytest.mark.parametrize(("sigma", "seed"), sorted(PINNED_CES_FAR))
def test_ces_tastes_from_far_starts_are_pinned(base: Economy, sigma: float, seed: int) -> None:
    economy = far_start(ces_tastes(base, sigma), 2.0, seed)
    measured = _rounds(economy)
    assert measured == PINNED_CES_FAR[(sigma, seed)]
    assert _not_slower(measured, _rounds(economy, "secant"))


def _near_constant(base: Economy, seed: int, *, exponents_only: bool) -> Economy:
    """θ on [0.95, 0.99], opening e^N(0, 0.5) off the clearing prices."""
    economy = near_constant_returns(base, 0.95, 0.99, seed, exponents_only=exponents_only)
    return far_start(economy.with_prices(solve_equilibrium(economy).prices), 0.5, seed)


# Near-constant returns: each council's returns are read from its first two proposals and
# producers are grouped by good, supply response and main input, so the step solves a
# curved model of the supply. Before: 26–48 rounds to 3% ((0, False): (35, 36) and
# (1, True): (28, 30)); secant: 39 to more than 60.
# The pins bound the rounds from above: on these stiff economies rounding-level
# differences between machines (probably the BLAS kernels picked for the CPU) move the
# fourth step's landing: (0, False) and (3, False) took 4 rounds to 3% on the machine of
# the last CI run and 5 on an AVX2 one; the pins are the worse of the two.
PINNED_NEAR_CONSTANT = {
    (0, False): (5, 5),
    (0, True): (4, 5),
    (1, False): (3, 4),
    (1, True): (3, 4),
    (2, False): (6, 7),
    (2, True): (5, 5),
    (3, False): (5, 5),
    (3, True): (5, 5),
}


@pytest.mark.parametrize(("seed", "exponents_only"), sorted(PINNED_NEAR_CONSTANT))
def test_near_constant_returns_are_pinned(base: Economy, seed: int, exponents_only: bool) -> None:
    economy = _near_constant(base, seed, exponents_only=exponents_only)
    measured = _rounds(economy)
    pinned = PINNED_NEAR_CONSTANT[(seed, exponents_only)]
    assert measured[0] is not None and measured[1] is not None
    assert measured[0] <= pinned[0] and measured[1] <= pinned[1]
    assert measured[0] is not None and measured[0] <= 8
    assert measured[1] is not None and measured[1] <= 12
    assert _not_slower(measured, _rounds(economy, "secant"))


@pytest.mark.parametrize("exponents_only", [False, True])
def test_equilibrium_solves_near_constant_returns(exponents_only: bool) -> None:
    """The study's third near-constant economy: damped Newton stalls, and from
    there the board's rule stayed at gap 2.0 for 200 rounds ("Newton stopped
    after 11 steps with largest gap 2.00e+00"); MINPACK's Levenberg–Marquardt
    restart gets into Newton's basin."""
    base = generate_economy(EconomySpec(3000, 3000, 10), seed=1)
    economy = _near_constant(base, 2, exponents_only=exponents_only)
    result = solve_equilibrium(economy)
    assert result.converged and result.max_gap < 1e-9


def test_other_families_are_pinned(base: Economy) -> None:
    measured = {
        "income": _rounds(income_inequality(base, 1.0, 0)),
        "size": _rounds(size_inequality(base, 1.0, 0)),
        "pollution with a cap": _rounds(polluted_with_caps(base, 0)),
        "100 goods/category, one producer each": _rounds(one_producer_per_good(100, 0)),
    }
    assert measured == {
        "income": (3, 4),
        "size": (5, 6),
        "pollution with a cap": (5, 5),
        "100 goods/category, one producer each": (4, 5),
    }


def test_log_ratios_are_exact_where_the_bounded_gaps_saturate() -> None:
    supply = np.array([1e19, 1.0, 0.0, 2.0, 0.0])
    demand = np.array([1.0, 1e-30, 1.0, 1.0, 0.0])
    ratios = log_ratios(supply, demand)
    np.testing.assert_allclose(ratios[:2], [np.log(1e19), np.log(1e30)])
    assert ratios[3] == pytest.approx(np.log(2.0))
    # one-sided goods keep the bounded value; nobody at all: 0
    assert ratios[2] == log_gaps(supply, demand)[2] and ratios[4] == 0.0
    assert abs(log_gaps(supply, demand)[0]) < ratios[0]


@pytest.mark.parametrize(
    "family",
    [
        lambda e: far_start(e, 2.0, 3),
        lambda e: ces_tastes(e, 10.0),
    ],
)
def test_equilibrium_is_found_where_plain_newton_stalls(base: Economy, family: object) -> None:
    economy = family(base)  # type: ignore[operator]
    result = solve_equilibrium(economy)
    assert result.converged and result.max_gap < 1e-9
