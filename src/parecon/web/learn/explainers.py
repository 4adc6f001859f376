"""The explainers' small worlds, each answered by the core on every request.

- Balanced job complexes: a bakery's five tasks, four people; the reader rates the
  tasks and sets the band, :func:`parecon.work.balance` forms the complexes.
- Remuneration for effort and sacrifice: six coworkers; the reader sets hours,
  the effort their coworkers see and how desirable each one's complex is;
  :func:`parecon.work.aggregate_effort` (from a full rater × ratee table, with one
  lenient rater and optionally a clique) and :func:`parecon.work.allowances` share
  the workplace's pool.
- Self-management by affectedness: a proposal to start the bakery's ovens at
  4 a.m.; the reader says who is affected and how much weight each level and
  stake gets; :func:`parecon.selfmanagement.weigh` gives the weights and
  :func:`parecon.selfmanagement.decide` the result, beside one person, one vote.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from parecon.exceptions import ConvergenceWarning, InfeasibleError
from parecon.selfmanagement import (
    Affected,
    Ballot,
    DecisionResult,
    Unit,
    UnitTree,
    WeightingRule,
    decide,
    weigh,
)
from parecon.work import (
    AllowanceResult,
    BalanceResult,
    BalanceSettings,
    EffortScores,
    Workplace,
    aggregate_effort,
    allowances,
    balance,
    onerousness,
)

# --- balanced job complexes --------------------------------------------------------

TASKS = ("kneading", "baking", "delivering", "cleaning", "bookkeeping")
SHIFT_HOURS = (4.0, 4.0, 2.0, 2.0, 4.0)
SHIFTS_PER_WEEK = (5, 5, 10, 10, 5)
BAKERS = ("Ana", "Ben", "Cai", "Dara")
HOURS_OWED = (24.0, 24.0, 26.0, 26.0)
DEFAULT_EMPOWERMENT = (8.0, 12.0, 6.0, 3.0, 16.0)
DEFAULT_DESIRABILITY = (10.0, 12.0, 11.0, 4.0, 9.0)
DEFAULT_BAND = 1.0


@dataclass(frozen=True)
class Complexes:
    """The bakery balanced: ``result`` is the core's (None with ``infeasible`` saying why)."""

    workplace: Workplace
    result: BalanceResult | None
    infeasible: str
    mean_empowerment: float
    mean_desirability: float


def bakery(empowerment: list[float], desirability: list[float]) -> Workplace:
    return Workplace(
        task_names=TASKS,
        shift_hours=np.asarray(SHIFT_HOURS),
        shifts_per_week=np.asarray(SHIFTS_PER_WEEK),
        empowerment=np.asarray(empowerment, dtype=np.float64),
        desirability=np.asarray(desirability, dtype=np.float64),
        people=BAKERS,
        hours_owed=np.asarray(HOURS_OWED),
    )


def complexes(
    empowerment: list[float], desirability: list[float], band: float, compensate: bool
) -> Complexes:
    """Balance the bakery; a proven infeasible band is an answer too (the core's reason)."""
    wp = bakery(empowerment, desirability)
    hours = np.asarray(SHIFT_HOURS) * np.asarray(SHIFTS_PER_WEEK)
    settings = BalanceSettings(
        band=band, desirability="compensate" if compensate else "band", time_limit=1.0
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            result: BalanceResult | None = balance(wp, settings)
        reason = ""
    except InfeasibleError as exc:
        result, reason = None, str(exc)
    return Complexes(
        wp,
        result,
        reason,
        float(np.asarray(empowerment) @ hours / hours.sum()),
        float(np.asarray(desirability) @ hours / hours.sum()),
    )


# --- remuneration for effort and sacrifice -----------------------------------------

COWORKERS = ("Eva", "Femi", "Gil", "Hao", "Iris", "Jo")
DEFAULT_HOURS = (30.0, 35.0, 35.0, 40.0, 25.0, 35.0)
DEFAULT_EFFORT = (12.0, 12.0, 14.0, 12.0, 10.0, 12.0)
DEFAULT_COMPLEX_DESIRABILITY = (10.0, 10.0, 10.0, 6.0, 12.0, 10.0)
#: Each rater's leniency: how much above (or below) the truth they rate everyone.
LENIENCY = (0.0, 3.0, -1.0, 0.0, 1.0, -2.0)
POOL_PER_HOUR = 20.0


@dataclass(frozen=True)
class Remuneration:
    ratings: np.ndarray
    effort: EffortScores
    plain_mean: EffortScores
    onerous: np.ndarray
    result: AllowanceResult
    pool: float


def ratings_table(effort: list[float], clique: bool) -> np.ndarray:
    """Rater × ratee ratings: the effort each person puts in, plus each rater's leniency.

    With ``clique``, Femi and Gil rate each other 20 whatever they see.
    """
    n = len(COWORKERS)
    table: np.ndarray = np.clip(
        np.asarray(effort)[None, :] + np.asarray(LENIENCY)[:, None], 1.0, 20.0
    )
    if clique:
        table[1, 2] = table[2, 1] = 20.0
    table[np.arange(n), np.arange(n)] = np.nan
    return table


def remuneration(
    hours: list[float], effort: list[float], desirability: list[float], clique: bool
) -> Remuneration:
    """Allowances of the six from the core: effort from ratings, sacrifice from desirability."""
    table = ratings_table(effort, clique)
    scores = aggregate_effort(table, names=COWORKERS)
    h = np.asarray(hours, dtype=np.float64)
    onerous = onerousness(np.asarray(desirability, dtype=np.float64), h)
    pool = POOL_PER_HOUR * float(h.sum())
    result = allowances(h, scores.intensity, pool, onerous=onerous)
    return Remuneration(
        table, scores, aggregate_effort(table, method="mean"), onerous, result, pool
    )


# --- self-management by affectedness -------------------------------------------------

UNITS = (
    Unit("city", None, (), "chapter"),
    Unit("north", "city", (), "chapter"),
    Unit("south", "city", (), "chapter"),
    Unit("bakery", "north", ("Ana", "Ben", "Cai"), "workplace"),
    Unit("oven-street", "north", ("Dara", "Eli", "Fay", "Gus"), "neighbourhood"),
    Unit("far-street", "south", ("Hana", "Ivo", "Jun", "Kim", "Lea"), "neighbourhood"),
)
#: How each member votes on "start the ovens at 4 a.m.": the bakers want it, the
#: neighbours under the chimney do not, the far street likes early bread.
VOTES = {
    "Ana": "yes",
    "Ben": "yes",
    "Cai": "yes",
    "Dara": "no",
    "Eli": "no",
    "Fay": "no",
    "Gus": "no",
    "Hana": "yes",
    "Ivo": "yes",
    "Jun": "yes",
    "Kim": "no",
    "Lea": "yes",
}
AFFECTABLE = ("bakery", "oven-street", "far-street")
DEFAULT_AFFECTED = ("bakery", "oven-street")
LEVEL_CHOICES = ("0", "1/4", "1/2", "1")
STAKE_CHOICES = ("0", "1", "2")


@dataclass(frozen=True)
class Affectedness:
    weights: dict[str, Fraction]
    reasons: dict[str, tuple[str, ...]]
    scope: str
    weighted: DecisionResult
    equal: DecisionResult


def affectedness(affected: list[str], level_one: Fraction, sleepers: Fraction) -> Affectedness:
    """Weights from the core's :func:`weigh` and the weighted majority, against equal votes.

    ``level_one`` is the weight of the rest of an affected unit's district;
    ``sleepers`` the stake of the oven street's members ("noise at night").
    """
    tree = UnitTree(UNITS)
    rule = WeightingRule(levels=(1, level_one), stakes={"noise at night": sleepers})
    oven_street = next(u for u in UNITS if u.id == "oven-street")
    weighting = weigh(
        tree,
        Affected(units=tuple(affected), stakeholders={"noise at night": oven_street.members}),
        rule,
    )
    weights = dict(weighting.weights)
    ballots = [Ballot(voter=m, choice=VOTES[m]) for m in weights]
    weighted = decide("majority", ballots, options=("yes", "no"), electorate=weights)
    everyone = [Ballot(voter=m, choice=v) for m, v in VOTES.items()]
    equal = decide("majority", everyone, options=("yes", "no"))
    return Affectedness(weights, dict(weighting.reasons), weighting.scope, weighted, equal)
