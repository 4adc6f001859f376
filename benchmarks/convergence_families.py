"""Economies the convergence study (and its pinned tests) plan: one function per family.

Each family takes a base economy (or draws one) and changes one thing a real
board will meet: far opening prices, CES tastes, unequal incomes or
workplaces, one producer per good, near-constant returns, capped pollutants,
and councils that do not answer as the simulation would (sluggish, fixed,
noisy, absent). Everything is seeded, so a family and a seed give one economy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.engine import (
    CESConsumers,
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Community,
    Economy,
    FacilitationBoard,
    FixedSupply,
    GoodCategory,
    Population,
    Response,
    SubmittedProposals,
    get_rule,
)
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.goods import PRODUCED_CATEGORIES
from parecon.engine.populations import (
    AffectedConsumers,
    FloatArray,
    ValueFlows,
    affect_consumers,
    returns_from_proposals,
)

__all__ = [
    "RealCouncils",
    "ces_tastes",
    "far_start",
    "income_inequality",
    "near_constant_returns",
    "one_producer_per_good",
    "plan_with_real_councils",
    "polluted_with_caps",
    "size_inequality",
]


def far_start(economy: Economy, sigma: float, seed: int) -> Economy:
    """Opening prices ``p0 · exp(N(0, sigma))``, good by good."""
    rng = np.random.default_rng(seed)
    factors = np.exp(rng.normal(0.0, sigma, economy.n_goods))
    return economy.with_prices(economy.initial_prices * factors)


def ces_tastes(economy: Economy, sigma: float) -> Economy:
    """Every Cobb-Douglas consumer block becomes CES with elasticity ``sigma``."""
    out = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasConsumers):
            pop = CESConsumers(
                income=pop.income,
                goods=pop.goods,
                exponents=pop.exponents,
                public=pop.public,
                n_sharing=pop.n_sharing,
                total_goods=pop.total_goods,
                sigma=np.full(pop.n_councils, float(sigma)),
            )
        out.append(pop)
    return economy.with_populations(out)


def income_inequality(economy: Economy, sigma: float, seed: int) -> Economy:
    """Consumer incomes ``I · exp(N(0, sigma))`` (total kept)."""
    rng = np.random.default_rng(seed)
    out = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasConsumers | CESConsumers):
            factor = np.exp(rng.normal(0.0, sigma, pop.n_councils))
            pop = replace(pop, income=pop.income * factor / factor.mean())
        out.append(pop)
    return economy.with_populations(out)


def size_inequality(economy: Economy, sigma: float, seed: int) -> Economy:
    """Worker councils' productivity ``a · exp(N(0, sigma))``: workplaces of very
    different sizes making the same good."""
    rng = np.random.default_rng(seed)
    out = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasWorkers):
            pop = replace(pop, a=pop.a * np.exp(rng.normal(0.0, sigma, pop.n_councils)))
        out.append(pop)
    return economy.with_populations(out)


def one_producer_per_good(goods_per_category: int, seed: int) -> Economy:
    """A generated economy with exactly one worker council per produced good.

    Goods that the draw leaves without a user (a resource or labour type, an
    intermediate good) are given to a worker council as one more input, with
    the council's exponents rescaled to keep its returns: every good then has
    a supplier and a user.
    """
    g = goods_per_category
    economy = generate_economy(EconomySpec(10 * g, 3 * g, g), seed=seed)
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    inputs = sp.lil_array(workers.inputs)
    used = np.asarray((workers.inputs != 0).sum(axis=0)).ravel() > 0
    cats = economy.goods.categories
    needs_user = np.isin(
        cats, [int(GoodCategory.INTERMEDIATE), int(GoodCategory.RESOURCE), int(GoodCategory.LABOUR)]
    )
    rng = np.random.default_rng(seed + 1)
    for good in np.flatnonzero(needs_user & ~used):
        candidates = np.flatnonzero(workers.output != good)
        j = int(rng.choice(candidates))
        row = inputs[[j], :].toarray().ravel()
        total = row.sum()
        row *= (1.0 - 0.1) / 1.0
        row[good] = 0.1 * total
        inputs[[j], :] = row
    workers = replace(workers, inputs=sp.csr_array(inputs))
    out = [workers if isinstance(p, CobbDouglasWorkers) else p for p in economy.populations]
    return economy.with_populations(out)


def near_constant_returns(
    economy: Economy, low: float, high: float, seed: int, *, exponents_only: bool = False
) -> Economy:
    """Worker councils' returns ``θ`` drawn uniformly on ``[low, high]``.

    By default inputs and effort are scaled together (the cost shares keep
    their proportions); with ``exponents_only`` only the input exponents move
    (effort stays DEP's), which at DEP's opening prices gives outputs near 1e19.
    """
    rng = np.random.default_rng(seed)
    out = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasWorkers):
            target = rng.uniform(low, high, pop.n_councils)
            b = sp.csr_array(pop.inputs, copy=True)
            rows = np.repeat(np.arange(pop.n_councils), np.diff(b.indptr))
            sum_b = np.asarray(pop.inputs.sum(axis=1)).ravel()
            effort = pop.c / pop.k
            if exponents_only:
                factor = (target - effort) / sum_b
                b.data = b.data * factor[rows]
                pop = replace(pop, inputs=b)
            else:
                factor = target / (sum_b + effort)
                b.data = b.data * factor[rows]
                pop = replace(pop, inputs=b, c=pop.c * factor)
        out.append(pop)
    return economy.with_populations(out)


def polluted_with_caps(
    economy: Economy, seed: int, *, share: float = 0.3, cap_factor: float = 0.8
) -> Economy:
    """Two pollutants added to a generated economy: a local one priced by the
    communities it lands on (elasticity 1.5) and a national cap (elasticity 0).

    A ``share`` of worker councils emit each, with exponents ``U[0.01, 0.05)``;
    the cap is ``cap_factor`` times what they emit at the opening prices.
    """
    from parecon.engine import Goods

    rng = np.random.default_rng(seed)
    n = economy.n_goods
    names = (*economy.goods.names, "smoke", "co2")
    cats = np.r_[economy.goods.categories, [int(GoodCategory.POLLUTANT)] * 2].astype(np.int8)
    goods = Goods(names, cats)
    smoke, co2 = n, n + 1
    populations = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasWorkers):
            b = sp.lil_array(sp.hstack([pop.inputs, sp.csr_array((pop.n_councils, 2))]))
            for good in (smoke, co2):
                emits = np.flatnonzero(rng.random(pop.n_councils) < share)
                b[emits, good] = rng.uniform(0.01, 0.05, emits.size)
            # keep θ: scale the other exponents down by what was added
            csr = sp.csr_array(b)
            added = np.asarray(csr[:, [smoke, co2]].sum(axis=1)).ravel()
            base = np.asarray(pop.inputs.sum(axis=1)).ravel()
            factor = (base - added) / base
            rows = np.repeat(np.arange(pop.n_councils), np.diff(csr.indptr))
            scaled = csr.data * np.where(csr.indices < n, factor[rows], 1.0)
            csr = sp.csr_array((scaled, csr.indices, csr.indptr), shape=csr.shape)
            pop = replace(pop, inputs=csr)
        elif hasattr(pop, "total_goods") and hasattr(pop, "goods"):
            pop = replace(pop, total_goods=n + 2)  # type: ignore[call-arg]
        populations.append(pop)
    widened = Economy(
        goods,
        tuple(populations),
        np.r_[economy.initial_prices, [economy.initial_prices.mean()] * 2],
        economy.name + "-polluted",
    )
    emitted = widened.respond(widened.initial_prices).demand
    consumers = sum(
        p.n_councils for p in populations if isinstance(p, CobbDouglasConsumers | CESConsumers)
    )
    price = float(widened.initial_prices[smoke])
    communities = [
        Community(
            "downwind",
            list(range(consumers // 2)),
            {smoke: (float(emitted[smoke]), price, 1.5)},
        ),
        Community(
            "national federation",
            list(range(consumers)),
            {co2: (cap_factor * float(emitted[co2]), price, 0.0)},
        ),
    ]
    with_communities = affect_consumers(populations, communities, n + 2)
    return widened.with_populations(with_communities)


@dataclass(frozen=True)
class RealCouncils:
    """How councils that are people, not formulas, answer the board.

    Each share is the fraction of councils (consumer and worker) that behave
    so, drawn once per economy; a council has at most one behaviour, in this
    order.

    Attributes
    ----------
    sluggish, pace : float
        Councils that move only ``pace`` of the way from their last proposal
        to the one their tastes or technology say.
    fixed : float
        Councils that submit their first proposal again every round.
    noisy, noise : float
        Councils whose every entry is off by a factor ``1 + U(−noise, noise)``
        each round (rough estimates, rounding, second thoughts).
    absent, miss : float
        Councils that miss a round with probability ``miss``: their last
        proposal stands.
    """

    sluggish: float = 0.0
    pace: float = 0.5
    fixed: float = 0.0
    noisy: float = 0.0
    noise: float = 0.05
    absent: float = 0.0
    miss: float = 0.5


def plan_with_real_councils(
    economy: Economy,
    councils: RealCouncils,
    seed: int,
    *,
    rule: str = "informed",
    tolerance: float = 0.001,
    max_rounds: int = 60,
) -> FacilitationBoard:
    """Drive a board round by round with every council's proposal *submitted*.

    Simulated councils propose (:meth:`Population.proposals`), then behave as
    ``councils`` says; the board sums the submissions
    (:class:`SubmittedProposals`, with the goods' categories, so their value
    flows are built from what was submitted) with the fixed supplies.
    """
    rng = np.random.default_rng(seed)
    simulated = [p for p in economy.populations if not isinstance(p, FixedSupply)]
    endowments = [p for p in economy.populations if isinstance(p, FixedSupply)]
    n_sharing = max(
        (getattr(p, "n_sharing", 1) for p in simulated if hasattr(p, "n_sharing")), default=1
    )
    n_sharing = max(
        [n_sharing] + [p.consumers.n_sharing for p in simulated if isinstance(p, AffectedConsumers)]
    )
    cats = economy.goods.categories
    public = cats == int(GoodCategory.PUBLIC)
    n_rows = sum(p.n_councils for p in simulated)
    draw = rng.random(n_rows)
    edges = np.cumsum([councils.sluggish, councils.fixed, councils.noisy, councils.absent])
    kind = np.searchsorted(edges, draw, side="right")  # 0 sluggish ... 4 plain
    board = FacilitationBoard(
        get_rule(rule),
        economy.initial_prices,
        tolerance=tolerance,
        max_rounds=max_rounds,
        thresholds=(0.10, 0.05, 0.03, 0.01, 0.001),
        goods=economy.goods,
    )
    first: tuple[sp.csr_array, sp.csr_array] | None = None
    last: tuple[sp.csr_array, sp.csr_array] | None = None
    first_prices = economy.initial_prices
    returns: FloatArray | None = None
    produced = np.isin(cats, [int(c) for c in PRODUCED_CATEGORIES])
    while board.status == "open":
        props = [p.proposals(board.prices) for p in simulated]
        supply = sp.csr_array(sp.vstack([sp.csr_array(q.supply) for q in props]))
        demand = sp.csr_array(sp.vstack([sp.csr_array(q.demand) for q in props]))
        if last is not None and first is not None:
            supply = _behave(supply, last[0], first[0], kind, councils, rng)
            demand = _behave(demand, last[1], first[1], kind, councils, rng)
        elif councils.noisy:
            supply = _behave(supply, supply, supply, kind, councils, rng)
            demand = _behave(demand, demand, demand, kind, councils, rng)
        if first is None:
            first = (supply, demand)
            first_prices = np.array(board.prices)
        elif returns is None:
            # each council's returns, read once from its first two submissions
            returns = returns_from_proposals(
                (*first, first_prices), (supply, demand, board.prices), produced
            )
        last = (supply, demand)
        submitted = SubmittedProposals(
            supply, demand, public, n_sharing, categories=cats, returns=returns
        )
        populations: list[Population] = [submitted, *endowments]
        response = Response(np.zeros(economy.n_goods), np.zeros(economy.n_goods))
        for pop in populations:
            response = response + pop.respond(board.prices)
        flows = None
        if board.wants_flows:
            flows = ValueFlows.total(
                [pop.value_flows(board.prices, board.effort_share) for pop in populations]
            )
        board.tally(response, flows)
    return board


def _behave(
    new: sp.csr_array,
    last: sp.csr_array,
    first: sp.csr_array,
    kind: NDArray[np.intp],
    councils: RealCouncils,
    rng: np.random.Generator,
) -> sp.csr_array:
    """This round's submissions: ``new`` proposals changed row by row by ``kind``."""
    rows = np.repeat(np.arange(new.shape[0]), np.diff(new.indptr))
    new, last, first = (sp.csr_array(m, copy=True) for m in (new, last, first))
    for m in (new, last, first):
        m.sort_indices()
    same = np.array_equal(new.indptr, last.indptr) and np.array_equal(new.indices, last.indices)
    if not same:  # pragma: no cover - simulated councils keep their goods
        raise ValueError("councils changed the goods they propose")
    data = new.data.copy()
    k = kind[rows]
    data = np.where(k == 0, last.data + councils.pace * (new.data - last.data), data)
    data = np.where(k == 1, first.data, data)
    wobble = 1.0 + councils.noise * rng.uniform(-1.0, 1.0, data.shape[0])
    data = np.where(k == 2, new.data * wobble, data)
    missed = rng.random(new.shape[0]) < councils.miss
    data = np.where((k == 3) & missed[rows], last.data, data)
    return sp.csr_array((data, new.indices, new.indptr), shape=new.shape)
