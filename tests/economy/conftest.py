"""A small economy with two pollutants: a local one and a capped global one."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from parecon.engine import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Community,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
)
from parecon.engine.populations import affect_consumers

NAMES = ("bread", "park", "steel", "land", "labour", "smoke", "co2")
CATS = (
    GoodCategory.PRIVATE,
    GoodCategory.PUBLIC,
    GoodCategory.INTERMEDIATE,
    GoodCategory.RESOURCE,
    GoodCategory.LABOUR,
    GoodCategory.POLLUTANT,
    GoodCategory.POLLUTANT,
)


def polluted_economy(n_consumers: int = 6, *, cap: float = 40.0, seed: int = 0) -> Economy:
    """Bakeries and steel mills emit smoke over a valley and CO2 everywhere."""
    rng = np.random.default_rng(seed)
    goods = Goods(NAMES, np.array([int(c) for c in CATS], np.int8))
    g = {n: i for i, n in enumerate(NAMES)}
    consumers = CobbDouglasConsumers(
        income=rng.uniform(800, 1200, n_consumers),
        goods=np.array([g["bread"], g["park"]]),
        exponents=rng.uniform(0.3, 0.7, (n_consumers, 2)),
        public=np.array([False, True]),
        n_sharing=n_consumers,
        total_goods=len(NAMES),
    )
    rows = [
        {"steel": 0.3, "labour": 0.35, "smoke": 0.05, "co2": 0.05},  # bakery
        {"steel": 0.25, "labour": 0.4, "smoke": 0.08, "co2": 0.04},  # bakery
        {"labour": 0.5, "smoke": 0.05},  # park keepers
        {"land": 0.3, "labour": 0.3, "smoke": 0.1, "co2": 0.1},  # steel mill
        {"land": 0.35, "labour": 0.3, "smoke": 0.05, "co2": 0.12},  # steel mill
    ]
    inputs = sp.lil_array((len(rows), len(NAMES)))
    for j, row in enumerate(rows):
        for name, b in row.items():
            inputs[j, g[name]] = b
    workers = CobbDouglasWorkers(
        output=np.array([g["bread"], g["bread"], g["park"], g["steel"], g["steel"]]),
        a=np.array([3.0, 3.2, 2.5, 4.0, 3.8]),
        c=np.full(5, 0.06),
        k=np.full(5, 3.0),
        s=np.ones(5),
        inputs=sp.csr_array(inputs),
    )
    fixed = FixedSupply(np.array([g["land"], g["labour"]]), np.array([100.0, 600.0]), len(NAMES))
    half = n_consumers // 2
    communities = [
        Community("valley", list(range(half)), {g["smoke"]: (30.0, 1.0, 1.5)}),
        Community(
            "national federation",
            list(range(n_consumers)),
            {g["co2"]: (cap, 1.0, 0.0)},
            shares=[1.0] * n_consumers,
        ),
    ]
    populations = affect_consumers([consumers, workers, fixed], communities, len(NAMES))
    return Economy(goods, tuple(populations), np.ones(len(NAMES)), "polluted")


@pytest.fixture(scope="module")
def polluted() -> Economy:
    return polluted_economy()
