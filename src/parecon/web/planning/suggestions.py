"""A suggested revision for a council, from the new prices and its own past proposals.

The board sees only proposals; this runs beside the council's draft and never
enters the tally unless the council accepts it. Pure NumPy (no database).

Each past proposal of the council is carried to the new prices by the response the
board's informed rule expects of it — Cobb-Douglas, read from the proposal itself:
a consumer council spends the same shares of its budget (own-price elasticity -1),
a worker council keeps its input cost shares ``b`` and scales its output by
``d ln z = (theta dq_out - b . dq) / (1 - theta)`` with ``theta = sum b + gamma``
(``gamma``: the board's current estimate of the effort share). The carried
proposals are averaged in logs, the latest weighing most (weights halve per round
back), so one round's typing noise is not carried forward as a random walk.

Why not fit each council's own elasticities: its past rounds include those in which
it kept its figures or moved part of the way, so an elasticity fitted to them
replicates its sluggishness, and a board whose Newton step assumes the model's
response then overshoots. Councils that answer as the board expects make its step
right (``benchmarks/study_suggestions.py`` measures both).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["DECAY", "MAX_STEP", "Observation", "suggest"]

#: The largest change of a worker council's output one suggestion makes (log: x7.4).
MAX_STEP = 2.0
#: Weight of a past round relative to the round after it.
DECAY = 0.5
#: The largest returns to scale the model assumes (beyond it answers are unbounded).
MAX_THETA = 0.95


@dataclass(frozen=True)
class Observation:
    """One past round of the council: the prices it saw and what it proposed."""

    prices: Sequence[float]
    supply: Mapping[str, float]
    demand: Mapping[str, float]


def _effective(prices: np.ndarray, public: Sequence[bool], n_sharing: int) -> np.ndarray:
    """What a unit costs a consumer council: the price, or its share of a public good's."""
    return np.where(np.asarray(public, dtype=bool), prices / max(n_sharing, 1), prices)


Carried = dict[str, dict[str, float]]


def _consumer_carried(
    h: Observation,
    prices: np.ndarray,
    budget: float | None,
    public: Sequence[bool],
    n_sharing: int,
) -> Carried | None:
    """Round ``h``'s requests at ``prices``: the same budget shares of the budget."""
    before = _effective(np.asarray(h.prices, dtype=float), public, n_sharing)
    spent = sum(before[int(g)] * q for g, q in h.demand.items() if q > 0)
    if spent <= 0:
        return None
    total = budget if budget else spent
    after = _effective(prices, public, n_sharing)
    return {
        "supply": {},
        "demand": {
            g: before[int(g)] * q / spent * total / after[int(g)]
            for g, q in h.demand.items()
            if q > 0
        },
    }


def _worker_carried(h: Observation, prices: np.ndarray, effort_share: float) -> Carried | None:
    """Round ``h``'s outputs and inputs at ``prices``: the Cobb-Douglas local response."""
    before = np.asarray(h.prices, dtype=float)
    revenue = sum(before[int(g)] * q for g, q in h.supply.items() if q > 0)
    if revenue <= 0:
        return None
    dq = np.log(prices) - np.log(before)
    b = {g: before[int(g)] * q / revenue for g, q in h.demand.items() if q > 0}
    out = {g: before[int(g)] * q / revenue for g, q in h.supply.items() if q > 0}
    theta = min(sum(b.values()) + effort_share, MAX_THETA)
    d_out = sum(w * dq[int(g)] for g, w in out.items())
    d_z = (theta * d_out - sum(bi * dq[int(g)] for g, bi in b.items())) / (1.0 - theta)
    d_z = float(np.clip(d_z, -MAX_STEP, MAX_STEP))
    return {
        "supply": {g: q * np.exp(d_z) for g, q in h.supply.items() if q > 0},
        "demand": {g: q * np.exp(d_z + d_out - dq[int(g)]) for g, q in h.demand.items() if q > 0},
    }


def suggest(
    kind: str,
    history: Sequence[Observation],
    prices: Sequence[float],
    *,
    budget: float | None = None,
    public: Sequence[bool] = (),
    n_sharing: int = 1,
    effort_share: float = 0.0,
) -> dict[str, dict[str, float]] | None:
    """The suggested quantities at ``prices``, or None without a past proposal.

    The goods are those of the council's last proposal; ``effort_share`` is the
    board's estimate (:func:`parecon.web.planning.facilitation.effort_share`).
    """
    if not history:
        return None
    p = np.asarray(prices, dtype=float)
    flags = list(public) if len(public) else [False] * len(p)
    carried: list[tuple[float, Carried]] = []
    for back, h in enumerate(reversed(history)):
        c = (
            _worker_carried(h, p, effort_share)
            if kind == "worker"
            else _consumer_carried(h, p, budget, flags, n_sharing)
        )
        if c is not None:
            carried.append((DECAY**back, c))
    last = history[-1]
    if not carried:
        return {"supply": dict(last.supply), "demand": dict(last.demand)}
    result: dict[str, dict[str, float]] = {}
    for side, goods in (("supply", last.supply), ("demand", last.demand)):
        result[side] = {}
        for g, q in goods.items():
            pairs = [(w, c[side][g]) for w, c in carried if c[side].get(g, 0.0) > 0]
            if q <= 0 or not pairs:
                continue
            weights = np.array([w for w, _v in pairs])
            logs = np.log([v for _w, v in pairs])
            value = float(np.exp((weights * logs).sum() / weights.sum()))
            if np.isfinite(value):
                result[side][g] = round(value, 6)
    return result
