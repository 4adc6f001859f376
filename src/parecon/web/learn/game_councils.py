"""The game's councils in the core's terms: seats, the simulated rest, and each seat's score.

A seat is one row of a Cobb-Douglas consumer or worker population of the
scenario's economy. What a council would propose at given prices is always the
core's own answer (``population.take(row).proposals(prices)``); a player's score
compares their proposal with it:

- consumer council: utility reached as a share of the best it could afford at
  these prices (``u(x)/u(x*)`` with Cobb-Douglas ``u``), and its cost against its
  budget (public goods at their ``1/N`` cost share, as the board counts them);
- worker council: its surplus ``λz − Σ p x − S e^k`` (social benefit less the
  cost of inputs and effort) as a share of the best surplus, and its social
  benefit over cost ``λz / Σ p x``; effort is what the technology needs for the
  proposed output from the proposed inputs, ``e = (z / (a Π x^b))^{1/c}``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from parecon.engine import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    GoodCategory,
    Population,
)

__all__ = [
    "CouncilScore",
    "SeatSpec",
    "council",
    "n_sharing",
    "optimum",
    "score",
    "seats_of",
    "simulated_rest",
    "value",
]

MAX_SEATS = 400


@dataclass(frozen=True)
class SeatSpec:
    kind: str  # "consumer" or "worker"
    population: int
    row: int
    name: str


def _playable(pop: Population) -> str | None:
    if type(pop) is CobbDouglasConsumers:
        return "consumer"
    if type(pop) is CobbDouglasWorkers:
        return "worker"
    return None


def seats_of(economy: Economy, names: list[tuple[str, ...] | None]) -> list[SeatSpec]:
    """The playable councils, consumer and worker seats alternating, at most ``MAX_SEATS``."""
    queues: dict[str, list[SeatSpec]] = {"consumer": [], "worker": []}
    for p, pop in enumerate(economy.populations):
        kind = _playable(pop)
        if kind is None:
            continue
        labels = names[p] if p < len(names) else None
        for row in range(min(pop.n_councils, MAX_SEATS)):
            label = labels[row] if labels else f"#{len(queues[kind]) + 1}"
            queues[kind].append(SeatSpec(kind, p, row, label[:120]))
    out: list[SeatSpec] = []
    for i in range(max(len(queues["consumer"]), len(queues["worker"]))):
        for kind in ("consumer", "worker"):
            if i < len(queues[kind]):
                out.append(queues[kind][i])
    return out[:MAX_SEATS]


def council(economy: Economy, population: int, row: int) -> Population:
    """The one council of a seat, as a population of one row (the core's ``take``)."""
    return economy.populations[population].take(slice(row, row + 1))


def n_sharing(economy: Economy) -> int:
    """Consumer councils sharing public goods' cost (the economy's ``N``)."""
    for pop in economy.populations:
        shared = getattr(pop, "n_sharing", None) if pop.role == "consumers" else None
        if shared is not None:
            return int(shared)
    return 1


def simulated_rest(economy: Economy, played: Mapping[int, Iterable[int]]) -> list[Population]:
    """Every population without the played rows (``played[population]``), as row slices."""
    out: list[Population] = []
    for p, pop in enumerate(economy.populations):
        taken = sorted(set(played.get(p, ())))
        if not taken:
            out.append(pop)
            continue
        start = 0
        for row in [*taken, pop.n_councils]:
            if row > start:
                out.append(pop.take(slice(start, row)))
            start = row + 1
    return out


def optimum(one: Population, prices: np.ndarray) -> tuple[dict[int, float], dict[int, float]]:
    """What the council itself would propose at ``prices``: ({good: supply}, {good: demand})."""
    proposals = one.proposals(np.asarray(prices, dtype=np.float64))
    supply = proposals.supply.tocsr()
    demand = proposals.demand.tocsr()
    return (
        {int(g): float(q) for g, q in zip(supply.indices, supply.data, strict=True)},
        {int(g): float(q) for g, q in zip(demand.indices, demand.data, strict=True)},
    )


@dataclass(frozen=True)
class CouncilScore:
    """A proposal measured at some prices. ``share`` is 1 at the council's own optimum."""

    kind: str
    share: float  # utility (consumers) or surplus (workers) over the optimum's; may be < 0
    cost: float
    budget: float | None  # consumers
    benefit: float | None  # workers: social benefit λz
    effort: float | None  # workers
    over_budget: bool

    @property
    def benefit_over_cost(self) -> float | None:
        """Workers: social benefit over the social cost of inputs (None without inputs)."""
        if self.benefit is None or self.cost <= 0:
            return None
        return self.benefit / self.cost

    def as_dict(self) -> dict[str, float | bool | str | None]:
        return {
            "kind": self.kind,
            "share": self.share,
            "cost": self.cost,
            "budget": self.budget,
            "benefit": self.benefit,
            "effort": self.effort,
            "over_budget": self.over_budget,
        }


def public_goods(economy: Economy) -> np.ndarray:
    return np.asarray(economy.goods.categories == int(GoodCategory.PUBLIC))


def score(
    economy: Economy,
    one: Population,
    prices: np.ndarray,
    supply: Mapping[int, float],
    demand: Mapping[int, float],
) -> CouncilScore:
    """The proposal (``supply``, ``demand`` by good index) of council ``one`` at ``prices``."""
    p = np.asarray(prices, dtype=np.float64)
    if isinstance(one, CobbDouglasConsumers):
        return _consumer_score(economy, one, p, demand)
    if isinstance(one, CobbDouglasWorkers):
        return _worker_score(one, p, supply, demand)
    raise TypeError(f"{one.kind} councils are not played in the game")


def value(
    economy: Economy,
    one: Population,
    prices: np.ndarray,
    supply: Mapping[int, float],
    demand: Mapping[int, float],
) -> float:
    """What the proposal is worth to the council: utility (consumers) or surplus (workers)."""
    p = np.asarray(prices, dtype=np.float64)
    if isinstance(one, CobbDouglasConsumers):
        return _utility(one, demand)
    if isinstance(one, CobbDouglasWorkers):
        return _surplus(one, p, float(supply.get(int(one.output[0]), 0.0)), demand)[0]
    raise TypeError(f"{one.kind} councils are not played in the game")


def _utility(one: CobbDouglasConsumers, demand: Mapping[int, float]) -> float:
    """Cobb-Douglas utility ``Π x_g^{α_g/A}`` of the quantities asked for (0 if one is 0)."""
    weights = one.exponents[0] / one.exponents[0].sum()
    log_u = 0.0
    for g, w in zip(one.goods, weights, strict=True):
        if w <= 0:
            continue
        q = float(demand.get(int(g), 0.0))
        if q <= 0:
            return 0.0
        log_u += float(w) * math.log(q)
    return math.exp(log_u)


def _consumer_score(
    economy: Economy, one: CobbDouglasConsumers, p: np.ndarray, demand: Mapping[int, float]
) -> CouncilScore:
    shared = np.where(public_goods(economy), p / n_sharing(economy), p)
    cost = float(sum(shared[g] * q for g, q in demand.items()))
    budget = float(one.income[0])
    _best_supply, best = optimum(one, p)
    share = _utility(one, demand) / _utility(one, best)
    return CouncilScore(
        "consumer", share, cost, budget, None, None, cost > budget * (1 + 1e-9) + 1e-9
    )


def _surplus(
    one: CobbDouglasWorkers, p: np.ndarray, z: float, inputs: Mapping[int, float]
) -> tuple[float, float, float, float]:
    """(surplus, social benefit, input cost, effort) of output ``z`` from ``inputs``."""
    row = one.inputs.tocsr()
    output = int(one.output[0])
    benefit = float(p[output] * z)
    cost = float(sum(p[g] * q for g, q in inputs.items()))
    log_made = math.log(float(one.a[0]))
    for g, b in zip(row.indices, row.data, strict=True):
        q = float(inputs.get(int(g), 0.0))
        if q <= 0:
            log_made = -math.inf
            break
        log_made += float(b) * math.log(q)
    if z <= 0:
        effort = 0.0
    elif not math.isfinite(log_made):
        effort = math.inf
    else:
        effort = math.exp((math.log(z) - log_made) / float(one.c[0]))
    disutility = float(one.s[0]) * effort ** float(one.k[0]) if math.isfinite(effort) else math.inf
    return benefit - cost - disutility, benefit, cost, effort


def _worker_score(
    one: CobbDouglasWorkers,
    p: np.ndarray,
    supply: Mapping[int, float],
    demand: Mapping[int, float],
) -> CouncilScore:
    output = int(one.output[0])
    z = float(supply.get(output, 0.0))
    surplus, benefit, cost, effort = _surplus(one, p, z, demand)
    best_supply, best_demand = optimum(one, p)
    best, *_rest = _surplus(one, p, best_supply.get(output, 0.0), best_demand)
    share = surplus / best if math.isfinite(surplus) and best > 0 else -1.0
    return CouncilScore("worker", max(share, -1.0), cost, None, benefit, effort, False)
