"""A suggested revision for a council, from the new prices and its own past proposals.

The board sees only proposals; this runs beside the council's draft and never
enters the tally unless the council accepts it. Pure NumPy (no database).

Each distinct past proposal of the council is carried to the new prices by the
response the board's informed rule expects of it — Cobb-Douglas, read from the
proposal itself: a consumer council spends the same shares of its budget (own-price
elasticity -1), a worker council keeps its input cost shares ``b`` and scales its
output by ``d ln z = (theta dq_out - b . dq) / (1 - theta)`` with
``theta = sum b + gamma``. The carried proposals are averaged in logs, each counting
once, so one round's typing noise is not carried forward as a random walk; a
proposal repeating the one before (kept figures, a missed deadline) is not counted
again, since it was made at the earlier prices.

A worker council's answer is ``1/(1 - theta)`` times its price moves (4–8 on DEP), so
its ``sum b`` must be known to about 0.01, and one proposal typed with 5% noise reads
it only to about 0.04 (the output's error shifts every cost share at once). Where at
least :data:`MIN_PEERS` councils produce the same good, the suggestion keeps the
council's own input mix but scales it to their median ``sum b``
(:func:`peer_input_shares` of the last round's proposals, stored by the close), which
varies by about 0.013 among DEP's producers of a good. ``gamma`` should be the board's *prior*
effort share: the fitted one reads councils' lag as inelastic producers and falls
to 0–0.01 (DEP's is 0.02), which biased the suggestions by −5 to −11%
(``benchmarks/study_suggestions.py --errors`` measures both).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["MAX_STEP", "MIN_PEERS", "Observation", "input_share", "peer_input_shares", "suggest"]

#: The largest change of a worker council's output one suggestion makes (log: x7.4).
MAX_STEP = 2.0
#: Producers of a good whose median input share a worker council's suggestion uses.
MIN_PEERS = 5
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


def input_share(
    supply: Mapping[str, float], demand: Mapping[str, float], prices: Sequence[float]
) -> float | None:
    """A worker proposal's priced inputs as a share of its output's value (``sum b``)."""
    p = np.asarray(prices, dtype=float)
    revenue = sum(p[int(g)] * q for g, q in supply.items() if q > 0)
    if revenue <= 0:
        return None
    return float(sum(p[int(g)] * q for g, q in demand.items() if q > 0) / revenue)


def peer_input_shares(supply: Any, demand: Any, prices: Sequence[float]) -> dict[str, float]:
    """The median ``sum b`` of each good's producers in one round (``MIN_PEERS`` or more).

    ``supply`` and ``demand`` are the round's proposals, one row per council, at
    ``prices`` (sparse or dense); rows producing no good (consumer councils) or
    several count for none.
    """
    s, d = sp.csr_array(supply), sp.csr_array(demand)
    p = np.asarray(prices, dtype=float)
    positive = sp.csr_array(s > 0)
    single = np.diff(positive.indptr) == 1
    revenue, cost = s @ p, d @ p
    ok = single & (revenue > 0)
    goods = positive.indices[positive.indptr[:-1][ok]]
    shares = cost[ok] / revenue[ok]
    found: dict[str, float] = {}
    for g in np.unique(goods):
        these = shares[goods == g]
        if these.size >= MIN_PEERS:
            found[str(int(g))] = float(np.median(these))
    return found


def _worker_carried(
    h: Observation, prices: np.ndarray, effort_share: float, input_share_prior: float | None
) -> Carried | None:
    """Round ``h``'s outputs and inputs at ``prices``: the Cobb-Douglas local response.

    With ``input_share_prior`` the council's input mix is scaled to that ``sum b``.
    """
    before = np.asarray(h.prices, dtype=float)
    revenue = sum(before[int(g)] * q for g, q in h.supply.items() if q > 0)
    if revenue <= 0:
        return None
    dq = np.log(prices) - np.log(before)
    b = {g: before[int(g)] * q / revenue for g, q in h.demand.items() if q > 0}
    own = sum(b.values())
    scale = input_share_prior / own if input_share_prior and own > 0 else 1.0
    b = {g: v * scale for g, v in b.items()}
    out = {g: before[int(g)] * q / revenue for g, q in h.supply.items() if q > 0}
    theta = min(sum(b.values()) + effort_share, MAX_THETA)
    d_out = sum(w * dq[int(g)] for g, w in out.items())
    d_z = (theta * d_out - sum(bi * dq[int(g)] for g, bi in b.items())) / (1.0 - theta)
    d_z = float(np.clip(d_z, -MAX_STEP, MAX_STEP))
    return {
        "supply": {g: q * np.exp(d_z) for g, q in h.supply.items() if q > 0},
        "demand": {
            g: q * scale * np.exp(d_z + d_out - dq[int(g)]) for g, q in h.demand.items() if q > 0
        },
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
    input_share_prior: float | None = None,
) -> dict[str, dict[str, float]] | None:
    """The suggested quantities at ``prices``, or None without a past proposal.

    The goods are those of the council's last proposal; ``effort_share`` is the
    board's prior effort share (:func:`parecon.web.planning.facilitation.effort_share`)
    and ``input_share_prior`` its peers' ``sum b`` (:func:`peer_input_shares`), both
    for worker councils.
    """
    if not history:
        return None
    p = np.asarray(prices, dtype=float)
    flags = list(public) if len(public) else [False] * len(p)
    carried: list[Carried] = []
    for i, h in enumerate(history):
        if i and h.supply == history[i - 1].supply and h.demand == history[i - 1].demand:
            continue  # kept figures: made at the earlier round's prices, counted there
        c = (
            _worker_carried(h, p, effort_share, input_share_prior)
            if kind == "worker"
            else _consumer_carried(h, p, budget, flags, n_sharing)
        )
        if c is not None:
            carried.append(c)
    last = history[-1]
    if not carried:
        return {"supply": dict(last.supply), "demand": dict(last.demand)}
    result: dict[str, dict[str, float]] = {}
    for side, goods in (("supply", last.supply), ("demand", last.demand)):
        result[side] = {}
        for g, q in goods.items():
            values = [c[side][g] for c in carried if c[side].get(g, 0.0) > 0]
            if q <= 0 or not values:
                continue
            value = float(np.exp(np.mean(np.log(values))))
            if np.isfinite(value):
                result[side][g] = round(value, 6)
    return result
