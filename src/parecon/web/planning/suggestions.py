"""A suggested revision for a council, from the new prices and its own past proposals.

The board sees only proposals; this runs beside the council's draft and never
enters the tally unless the council accepts it. Pure NumPy (no database).

Consumer councils: each request moves with its own price, ``q' = q (p'/p)^e``,
``e`` estimated by least squares on the council's past rounds (log quantity on
log price, at least two distinct prices) and clipped to [-3, -0.2], else the
Cobb-Douglas prior ``e = -1``; then scaled down to the budget if it exceeds it.

Worker councils: Cobb-Douglas logic. Output scale moves with the ratio of the
output price index to the input price index, elasticity estimated from past
rounds (clipped to [0, 4]) or the prior 1; each input then moves with output
value over its own price (constant cost shares), ``x' = x s (P'/P) / (p'_i/p_i)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Observation", "suggest"]

CONSUMER_PRIOR = -1.0
WORKER_PRIOR = 1.0


@dataclass(frozen=True)
class Observation:
    """One past round of the council: the prices it saw and what it proposed."""

    prices: Sequence[float]
    supply: Mapping[str, float]
    demand: Mapping[str, float]


def _slope(x: list[float], y: list[float]) -> float | None:
    if len(x) < 2:
        return None
    xs, ys = np.log(np.asarray(x)), np.log(np.asarray(y))
    if float(np.ptp(xs)) < 1e-6:
        return None
    xc = xs - xs.mean()
    return float((xc * (ys - ys.mean())).sum() / (xc * xc).sum())


def _consumer(
    history: Sequence[Observation], prices: np.ndarray, budget: float | None, public: Sequence[bool], n_sharing: int
) -> dict[str, dict[str, float]]:
    last = history[-1]
    p_last = np.asarray(last.prices, dtype=float)
    demand: dict[str, float] = {}
    for g, q in last.demand.items():
        i = int(g)
        if q <= 0:
            continue
        obs = [(h.prices[i], h.demand[g]) for h in history if h.demand.get(g, 0) > 0]
        e = _slope([o[0] for o in obs], [o[1] for o in obs])
        e = CONSUMER_PRIOR if e is None else float(np.clip(e, -3.0, -0.2))
        demand[g] = q * (prices[i] / p_last[i]) ** e
    if budget is not None:
        cost = sum(
            prices[int(g)] * q / (max(n_sharing, 1) if public[int(g)] else 1)
            for g, q in demand.items()
        )
        if cost > budget > 0:
            demand = {g: q * budget / cost for g, q in demand.items()}
    return {"supply": {}, "demand": demand}


def _index(prices: np.ndarray, base: np.ndarray, amounts: Mapping[str, float]) -> float:
    """Value-weighted mean price ratio of the goods in ``amounts``."""
    weights = np.array([base[int(g)] * q for g, q in amounts.items()])
    ratios = np.array([prices[int(g)] / base[int(g)] for g in amounts])
    if weights.sum() <= 0:
        return 1.0
    return float(np.exp((weights * np.log(ratios)).sum() / weights.sum()))


def _worker(history: Sequence[Observation], prices: np.ndarray) -> dict[str, dict[str, float]]:
    last = history[-1]
    p_last = np.asarray(last.prices, dtype=float)
    out_index = _index(prices, p_last, last.supply)
    in_index = _index(prices, p_last, last.demand) if last.demand else 1.0
    scale_obs: list[tuple[float, float]] = []
    for h in history:
        ph = np.asarray(h.prices, dtype=float)
        z = sum(h.supply.values())
        if z > 0 and h.supply and h.demand:
            rel = _index(ph, p_last, h.supply) / _index(ph, p_last, h.demand)
            scale_obs.append((rel, z))
    e = _slope([o[0] for o in scale_obs], [o[1] for o in scale_obs])
    e = WORKER_PRIOR if e is None else float(np.clip(e, 0.0, 4.0))
    s = (out_index / in_index) ** e
    supply = {g: q * s for g, q in last.supply.items() if q > 0}
    demand = {
        g: q * s * out_index / (prices[int(g)] / p_last[int(g)])
        for g, q in last.demand.items()
        if q > 0
    }
    return {"supply": supply, "demand": demand}


def suggest(
    kind: str,
    history: Sequence[Observation],
    prices: Sequence[float],
    *,
    budget: float | None = None,
    public: Sequence[bool] = (),
    n_sharing: int = 1,
) -> dict[str, dict[str, float]] | None:
    """The suggested quantities at ``prices``, or None without a past proposal."""
    if not history:
        return None
    p = np.asarray(prices, dtype=float)
    if kind == "worker":
        result = _worker(history, p)
    else:
        result = _consumer(history, p, budget, public or [False] * len(p), n_sharing)
    return {
        side: {g: round(float(q), 6) for g, q in values.items() if np.isfinite(q)}
        for side, values in result.items()
    }
