"""Random economies drawn as in *Democratic Economic Planning* (DEP), and year two.

The distributions are those checked against Pequod's stored economies (see
the project README): consumer exponents uniform on ``[0.025, 0.05)``, income
5000; worker councils spread evenly over industries and products, with 1–4
intermediate inputs, 1–2 natural resources and 1–2 labour types, each of the
``n`` exponents uniform on ``[0.75/n, 0.85/n)``; ``c ~ U[0.05, 0.10)``,
``k ~ U[3, 4)``, ``S = 1``, ``a ~ U[4, 6)``. Everything is drawn with
vectorized NumPy from one ``numpy.random.Generator``, so 6 million councils
take seconds and a seed fixes the economy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from parecon.engine.economy import Economy
from parecon.engine.goods import GoodCategory, Goods
from parecon.engine.populations import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    FixedSupply,
    Population,
    ReturnsMode,
)
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    pass

__all__ = ["DEP_ORDER", "EconomySpec", "augment", "generate_economy"]

DEP_ORDER = (
    GoodCategory.PRIVATE,
    GoodCategory.INTERMEDIATE,
    GoodCategory.RESOURCE,
    GoodCategory.LABOUR,
    GoodCategory.PUBLIC,
)
_CHUNK = 200_000


@dataclass(frozen=True)
class EconomySpec:
    """Settings of a DEP-like economy.

    ``supply_per_good`` defaults to keeping DEP's ratio of supply to users:
    1000 units of each resource and labour type for 3000 worker councils and
    10 goods per category, scaled with worker councils per good.
    ``near_constant_share`` of worker councils get ``+0.1`` on every input
    exponent (DEP's "dep2" economies: θ close to or above 1).
    """

    n_consumers: int = 3000
    n_workers: int = 3000
    goods_per_category: int = 10
    income: float = 5000.0
    initial_price: float = 700.0
    supply_per_good: float | None = None
    near_constant_share: float = 0.0
    returns: ReturnsMode = "refuse"

    def validate(self) -> None:
        if self.n_consumers < 1 or self.n_workers < 3:
            raise InvalidValueError("need at least 1 consumer council and 3 worker councils")
        if self.goods_per_category < 1:
            raise InvalidValueError("goods_per_category must be >= 1")
        if self.n_workers < 3 * self.goods_per_category:
            raise InvalidValueError(
                f"{self.n_workers} worker councils cannot produce "
                f"{3 * self.goods_per_category} produced goods; need at least one each"
            )
        if not 0.0 <= self.near_constant_share <= 1.0:
            raise InvalidValueError("near_constant_share must be in [0, 1]")
        if not (self.income > 0 and self.initial_price > 0):
            raise InvalidValueError("income and initial_price must be > 0")


def _distinct(
    rng: np.random.Generator, n: int, pool: int, counts: NDArray[np.intp]
) -> list[NDArray[np.intp]]:
    """For each row, ``counts[row]`` distinct indices from ``range(pool)``.

    Returns (row, column) index arrays; done in chunks to bound memory.
    """
    width = int(counts.max(initial=0))
    rows_out, cols_out = [], []
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        keys = rng.random((hi - lo, pool), dtype=np.float32)
        picks = np.argsort(keys, axis=1)[:, :width] if width < pool else np.argsort(keys, axis=1)
        take = np.arange(picks.shape[1])[None, :] < counts[lo:hi, None]
        r, c = np.nonzero(take)
        rows_out.append(r + lo)
        cols_out.append(picks[r, c])
    return [np.concatenate(rows_out), np.concatenate(cols_out)]


def _use_every_good(rng: np.random.Generator, cols: NDArray[np.intp], first: int, g: int) -> None:
    """Give every good ``first .. first + g - 1`` at least one worker council using it.

    With few councils per good some input goods may be drawn by nobody; every rule
    would then sit at a gap of 2 on them. Each unused good takes over one entry of a
    good that several councils use, in place. Economies where every good is drawn are
    left exactly as they were (no random numbers are drawn for them).
    """
    in_cat = np.flatnonzero((cols >= first) & (cols < first + g))
    counts = np.bincount(cols[in_cat] - first, minlength=g)
    for unused in np.flatnonzero(counts == 0):
        shared = in_cat[counts[cols[in_cat] - first] >= 2]
        entry = shared[rng.integers(shared.size)]
        counts[cols[entry] - first] -= 1
        cols[entry] = first + unused
        counts[unused] = 1


def generate_economy(
    spec: EconomySpec | None = None, seed: int | None = 0, name: str | None = None
) -> Economy:
    """A random economy following DEP's distributions; same seed, same economy."""
    import scipy.sparse as sp

    spec = spec or EconomySpec()
    spec.validate()
    rng = np.random.default_rng(seed)
    g = spec.goods_per_category
    goods = Goods.from_counts(dict.fromkeys(DEP_ORDER, g))
    n_goods = len(goods)
    base = {cat: i * g for i, cat in enumerate(DEP_ORDER)}

    exponents = rng.uniform(0.025, 0.05, size=(spec.n_consumers, 2 * g))
    consumers = CobbDouglasConsumers(
        income=np.full(spec.n_consumers, spec.income),
        goods=np.r_[
            base[GoodCategory.PRIVATE] + np.arange(g), base[GoodCategory.PUBLIC] + np.arange(g)
        ],
        exponents=exponents,
        public=np.r_[np.zeros(g, bool), np.ones(g, bool)],
        n_sharing=spec.n_consumers,
        total_goods=n_goods,
    )

    n = spec.n_workers
    j = np.arange(n)
    industry = j % 3
    industry_base = np.array(
        [base[GoodCategory.PRIVATE], base[GoodCategory.INTERMEDIATE], base[GoodCategory.PUBLIC]]
    )
    output = industry_base[industry] + (j // 3) % g
    n_mid = rng.integers(1, min(4, g) + 1, size=n)
    n_res = rng.integers(1, min(2, g) + 1, size=n)
    n_lab = rng.integers(1, min(2, g) + 1, size=n)
    total = n_mid + n_res + n_lab
    parts = [
        (_distinct(rng, n, g, cnt), base[cat])
        for cnt, cat in (
            (n_mid, GoodCategory.INTERMEDIATE),
            (n_res, GoodCategory.RESOURCE),
            (n_lab, GoodCategory.LABOUR),
        )
    ]
    rows = np.concatenate([p[0][0] for p in parts])
    cols = np.concatenate([p[0][1] + p[1] for p in parts])
    lo = 0.75 / total[rows]
    values = lo + rng.random(rows.shape[0]) * (0.85 / total[rows] - lo)
    if spec.near_constant_share > 0:
        chosen = rng.random(n) < spec.near_constant_share
        values = values + 0.1 * chosen[rows]
    a = rng.uniform(4.0, 6.0, n)
    c = rng.uniform(0.05, 0.10, n)
    k = rng.uniform(3.0, 4.0, n)
    for cat in (GoodCategory.INTERMEDIATE, GoodCategory.RESOURCE, GoodCategory.LABOUR):
        _use_every_good(rng, cols, base[cat], g)
    inputs = sp.csr_array((values, (rows, cols)), shape=(n, n_goods))
    workers = CobbDouglasWorkers(
        output=output,
        a=a,
        c=c,
        k=k,
        s=np.ones(n),
        inputs=inputs,
        returns=spec.returns,
    )
    supply = spec.supply_per_good
    if supply is None:
        supply = 1000.0 * (n / g) / 300.0
    fixed = goods.indices(GoodCategory.RESOURCE, GoodCategory.LABOUR)
    endowment = FixedSupply(fixed, np.full(len(fixed), supply), n_goods)
    return Economy(
        goods,
        (consumers, workers, endowment),
        np.full(n_goods, spec.initial_price),
        name or f"dep-like-{spec.n_consumers}x{spec.n_workers}-g{g}-seed{seed}",
        {"generator": "dep", "seed": seed, **vars(spec)},
    )


def augment(
    economy: Economy, seed: int | None = 0, prices: NDArray[np.float64] | None = None
) -> Economy:
    """Year two, as DEP draws it: small changes to every council.

    Every worker input exponent grows by one of {0, 0.001, ..., 0.004} and
    every consumer exponent changes by one of {−0.002, ..., 0.002} (kept
    positive); the economy opens at ``prices`` (last year's, typically).
    """
    rng = np.random.default_rng(seed)
    new: list[Population] = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasWorkers):
            b = pop.inputs.copy()
            b.data = b.data + rng.integers(0, 5, size=b.data.shape[0]) * 0.001
            new.append(replace(pop, inputs=b))
        elif isinstance(pop, CobbDouglasConsumers):
            step = rng.integers(-2, 3, size=pop.exponents.shape) * 0.001
            new.append(replace(pop, exponents=np.maximum(pop.exponents + step, 1e-6)))
        else:
            new.append(pop)
    out = economy.with_populations(new)
    return out if prices is None else out.with_prices(prices)
