"""A suggested revision for a council, from the new prices and its own past proposals.

The board sees only proposals; this runs beside the council's draft and never
enters the tally unless the council accepts it. Pure NumPy (no database).

The suggestion fits the simplest model that the council's own past proposals
identify — Cobb-Douglas, the elasticity prior of the engine's simulated councils —
and averages over every past round, so a council's earlier noise is not carried
forward: consumer councils get their revealed budget shares (own-price elasticity
-1), worker councils their input cost shares and an output scale fitted to all
their rounds (elasticity ``1/(1 - theta)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Observation", "suggest"]

#: The largest change of a worker council's output scale one suggestion makes (log).
MAX_STEP = 0.5


@dataclass(frozen=True)
class Observation:
    """One past round of the council: the prices it saw and what it proposed."""

    prices: Sequence[float]
    supply: Mapping[str, float]
    demand: Mapping[str, float]


def _effective(prices: np.ndarray, public: Sequence[bool], n_sharing: int) -> np.ndarray:
    """What a unit costs a consumer council: the price, or its share of a public good's."""
    return np.where(np.asarray(public, dtype=bool), prices / max(n_sharing, 1), prices)


def _consumer(
    history: Sequence[Observation],
    prices: np.ndarray,
    budget: float | None,
    public: Sequence[bool],
    n_sharing: int,
) -> dict[str, dict[str, float]]:
    """Requests from the council's revealed budget shares, averaged over its rounds.

    A Cobb-Douglas council spends a fixed share of its budget on each good, so
    ``q' = share x budget / p'`` (own-price elasticity -1, the prior); averaging the
    shares over past rounds removes noise instead of carrying it forward.
    """
    last = history[-1]
    shares: dict[str, list[float]] = {g: [] for g, q in last.demand.items() if q > 0}
    for h in history:
        eff = _effective(np.asarray(h.prices, dtype=float), public, n_sharing)
        spent = sum(eff[int(g)] * q for g, q in h.demand.items())
        if spent <= 0:
            continue
        for g in shares:
            if h.demand.get(g, 0) > 0:
                shares[g].append(eff[int(g)] * h.demand[g] / spent)
    eff_last = _effective(np.asarray(last.prices, dtype=float), public, n_sharing)
    total = budget if budget else sum(eff_last[int(g)] * q for g, q in last.demand.items())
    eff_new = _effective(prices, public, n_sharing)
    mean = {g: float(np.mean(v)) for g, v in shares.items() if v}
    norm = sum(mean.values()) or 1.0
    return {
        "supply": {},
        "demand": {g: a / norm * total / eff_new[int(g)] for g, a in mean.items()},
    }


def _index(prices: np.ndarray, base: np.ndarray, amounts: Mapping[str, float]) -> float:
    """Value-weighted geometric mean price ratio of the goods in ``amounts``."""
    weights = np.array([base[int(g)] * q for g, q in amounts.items()])
    ratios = np.array([prices[int(g)] / base[int(g)] for g in amounts])
    if weights.sum() <= 0:
        return 1.0
    return float(np.exp((weights * np.log(ratios)).sum() / weights.sum()))


def _worker(
    history: Sequence[Observation], prices: np.ndarray, effort_share: float
) -> dict[str, dict[str, float]]:
    """Outputs and inputs of a Cobb-Douglas workplace fitted to the council's own rounds.

    Input cost shares ``b_i`` (inputs' value over outputs' value) are averaged over
    past rounds; the output scale follows ``ln z = c + sum_i b_i (ln P - ln p_i)/(1 - theta)``
    with ``theta = sum b + effort_share`` (the prior elasticity) and ``c`` fitted to
    every past round; inputs follow ``x_i = b_i P z / p_i``. Each suggestion moves
    the scale by at most :data:`MAX_STEP` (log) from the last proposal.
    """
    last = history[-1]
    base = np.asarray(last.prices, dtype=float)
    if not last.supply or sum(last.supply.values()) <= 0:
        return {"supply": dict(last.supply), "demand": dict(last.demand)}
    goods = [g for g, q in last.demand.items() if q > 0]
    shares: dict[str, list[float]] = {g: [] for g in goods}
    rounds: list[tuple[np.ndarray, float]] = []
    for h in history:
        ph = np.asarray(h.prices, dtype=float)
        benefit = sum(ph[int(g)] * q for g, q in h.supply.items())
        if benefit <= 0 or not h.supply:
            continue
        for g in goods:
            shares[g].append(ph[int(g)] * h.demand.get(g, 0.0) / benefit)
        # The composite output at base prices.
        rounds.append((ph, benefit / _index(ph, base, last.supply)))
    b = {g: float(np.mean(v)) for g, v in shares.items() if v}
    theta = min(sum(b.values()) + effort_share, 0.95)
    e = 1.0 / (1.0 - theta)

    def drive(p: np.ndarray) -> float:
        out = np.log(_index(p, base, last.supply))
        return float(sum(bi * (out - np.log(p[int(g)] / base[int(g)])) for g, bi in b.items()))

    c = float(np.mean([np.log(z) - e * drive(ph) for ph, z in rounds]))
    z_last = rounds[-1][1]
    step = float(np.clip(c + e * drive(prices) - np.log(z_last), -MAX_STEP, MAX_STEP))
    scale = float(np.exp(step))
    out_index = _index(prices, base, last.supply)
    supply = {g: q * scale for g, q in last.supply.items() if q > 0}
    value = sum(base[int(g)] * q for g, q in supply.items()) * out_index
    demand = {g: bi * value / prices[int(g)] for g, bi in b.items()}
    return {"supply": supply, "demand": demand}


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
    """The suggested quantities at ``prices``, or None without a past proposal."""
    if not history:
        return None
    p = np.asarray(prices, dtype=float)
    if kind == "worker":
        result = _worker(history, p, effort_share)
    else:
        flags = list(public) if len(public) else [False] * len(p)
        result = _consumer(history, p, budget, flags, n_sharing)
    return {
        side: {g: round(float(q), 6) for g, q in values.items() if np.isfinite(q)}
        for side, values in result.items()
    }
