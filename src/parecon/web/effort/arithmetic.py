"""Rows to the core's arrays and back: effort scores, allowances and a plan's pool.

Pure functions on plain values (no database) so services, pages and tests share
them. The scoring and the sharing are the core's (:func:`parecon.work.aggregate_effort`,
:func:`parecon.work.allowances.allowances`); this module only arranges people in a
fixed order and turns the core's errors into located messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parecon.work.allowances import allowances, onerousness
from parecon.work.effort import MIN_RATERS, EffortScores, aggregate_effort

__all__ = [
    "LoggedHours",
    "Shares",
    "consumption_pool",
    "effort_scores",
    "share_pool",
]


@dataclass(frozen=True)
class LoggedHours:
    """A person's confirmed hours, with their hours-weighted pace and onerousness."""

    hours: float
    pace: float  # mean intensity of the logs, 1 = normal
    onerousness: float  # mean onerousness of the logs, 1–20


def effort_scores(people: Sequence[int], ratings: Mapping[tuple[int, int], float]) -> EffortScores:
    """The core's rater-centred scores of ``people`` from ``{(rater, ratee): score}``.

    Ratings by or of anyone outside ``people`` are left out.
    """
    index = {p: i for i, p in enumerate(people)}
    matrix = np.full((len(people), len(people)), np.nan)
    for (rater, ratee), score in ratings.items():
        if rater in index and ratee in index:
            matrix[index[rater], index[ratee]] = score
    return aggregate_effort(matrix, names=[str(p) for p in people])


def few_raters_threshold(n_people: int) -> int:
    return min(MIN_RATERS, max(n_people - 1, 0))


@dataclass(frozen=True)
class Shares:
    """Per person (in the order given): the core's credits, effort allowance, ratio to
    the average per hour and the appeal flag; per household: the needs added."""

    people: tuple[int, ...]
    intensity: tuple[float, ...]
    onerousness: tuple[float, ...]
    credits: tuple[float, ...]
    effort: tuple[float, ...]
    ratio: tuple[float, ...]
    flagged: tuple[bool, ...]
    needs: Mapping[int, float]


def share_pool(
    people: Sequence[int],
    hours: Mapping[int, LoggedHours],
    rated_intensity: Mapping[int, float],
    pool: float,
    *,
    household_of: Mapping[int, int | None],
    needs: Mapping[int, float],
    compensate_onerousness: bool,
    corrected_intensity: Mapping[int, float] | None = None,
) -> Shares:
    """Share ``pool`` among ``people`` with the core's :func:`allowances`.

    A person's intensity is their rated intensity (mean 1) times the pace they logged,
    unless an upheld appeal corrected it. Needs (per household id) come off the top.
    """
    corrected = corrected_intensity or {}
    h = np.array([hours[p].hours if p in hours else 0.0 for p in people])
    k = np.array(
        [
            corrected.get(p, rated_intensity.get(p, 1.0) * (hours[p].pace if p in hours else 1.0))
            for p in people
        ]
    )
    if compensate_onerousness:
        mean_onerous = np.array([hours[p].onerousness if p in hours else 10.0 for p in people])
        o = onerousness(21.0 - mean_onerous, h)
    else:
        o = np.ones(len(people))
    councils: dict[int, int] = {}
    for hh in [*household_of.values(), *needs]:
        if hh is not None and hh not in councils:
            councils[hh] = len(councils)
    council_of = []
    for p in people:
        hh = household_of.get(p)
        if hh is None:  # no household: a council of their own, with no budget anywhere
            councils[-1 - len(councils)] = len(councils)
            council_of.append(len(councils) - 1)
        else:
            council_of.append(councils[hh])
    need = np.zeros(len(councils))
    for hh, amount in needs.items():
        need[councils[hh]] += amount
    result = allowances(
        h,
        k,
        pool,
        council_of=np.array(council_of, dtype=np.intp),
        n_councils=len(councils),
        needs=need,
        onerous=o,
    )
    return Shares(
        tuple(people),
        tuple(float(x) for x in k),
        tuple(float(x) for x in o),
        tuple(float(x) for x in result.credits),
        tuple(float(x) for x in result.effort_allowance),
        tuple(float(x) for x in result.ratio),
        tuple(bool(x) for x in result.appeal),
        {hh: float(need[i]) for hh, i in councils.items() if hh >= 0 and need[i] > 0},
    )


def consumption_pool(
    prices: Sequence[float],
    demand: Sequence[float],
    consumed: Sequence[bool],
    labour: Sequence[bool],
    workplace_labour: Mapping[int, float],
) -> tuple[float, float]:
    """(pool, share): the workplace's part of the value of consumer goods in a plan.

    In the closed economy (:mod:`parecon.engine.closed_economy`) nothing but
    allowances pays for consumption, so the allowances of everyone are the value of
    the consumer goods at the plan's prices, ``Σ p_g × demand_g`` over private and
    public goods; a workplace's pool is that value times its share of the plan's
    labour in value (``workplace_labour``: good index → hours it asks for).
    """
    p = np.asarray(prices, dtype=float)
    d = np.asarray(demand, dtype=float)
    value = float(p[np.asarray(consumed, dtype=bool)] @ d[np.asarray(consumed, dtype=bool)])
    lab = np.asarray(labour, dtype=bool)
    total_labour = float(p[lab] @ d[lab])
    ours = sum(p[g] * q for g, q in workplace_labour.items() if lab[g])
    share = ours / total_labour if total_labour > 0 else 0.0
    return value * share, share
