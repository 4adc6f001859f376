"""An economy: its goods, its council populations and the opening prices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from parecon.engine.goods import GoodCategory, Goods
from parecon.engine.populations import (
    AffectedConsumers,
    CobbDouglasWorkers,
    FloatArray,
    Population,
    Response,
    ValueFlows,
)
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import InvalidValueError

__all__ = ["PRODUCED_CATEGORIES", "Economy"]

PRODUCED_CATEGORIES = (GoodCategory.PRIVATE, GoodCategory.INTERMEDIATE, GoodCategory.PUBLIC)
"""What worker councils can produce; the rest is supplied in fixed amounts."""


@dataclass(frozen=True, eq=False)
class Economy:
    """Everything the facilitation board plans over.

    Attributes
    ----------
    goods : Goods
        The goods, in the order of every price and quantity vector.
    populations : tuple of Population
        Blocks of councils (simulated or submitted) and fixed supplies.
    initial_prices : ndarray of shape (n_goods,)
        Indicative prices announced in the first round.
    name : str
        A label for reports.
    metadata : dict
        Free-form provenance (source file, generator settings, seed).
    """

    goods: Goods
    populations: tuple[Population, ...]
    initial_prices: FloatArray
    name: str = "economy"
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.goods)
        object.__setattr__(self, "populations", tuple(self.populations))
        prices = as_float_array(self.initial_prices, "initial_prices", "economy", (n,))
        check_values(prices, "initial_prices", "good", positive=True)
        object.__setattr__(self, "initial_prices", prices)
        for i, pop in enumerate(self.populations):
            if pop.n_goods != n:
                raise InvalidValueError(
                    f"responds to {pop.n_goods} goods but the economy has {n}",
                    f"population {i} ({pop.kind})",
                )
            if isinstance(pop, CobbDouglasWorkers):
                cats = self.goods.categories[pop.output]
                bad = ~np.isin(cats, [int(c) for c in PRODUCED_CATEGORIES])
                if bad.any():
                    j = int(np.argmax(bad))
                    raise InvalidValueError(
                        f"produces {self.goods.names[pop.output[j]]!r}, a "
                        f"{GoodCategory(int(cats[j])).name.lower()} good; worker councils "
                        "produce private, intermediate or public goods",
                        f"worker council {j}",
                    )
            if isinstance(pop, AffectedConsumers):
                permitted = np.unique(pop.schedules.good)
                bad_goods = permitted[self.goods.categories[permitted] != GoodCategory.POLLUTANT]
                if bad_goods.size:
                    raise InvalidValueError(
                        f"communities permit {self.goods.names[bad_goods[0]]!r}, which is "
                        "not a pollutant",
                        f"population {i} ({pop.kind})",
                    )

    @property
    def n_goods(self) -> int:
        return len(self.goods)

    @property
    def n_councils(self) -> int:
        """Councils in all populations (a fixed supply counts as one)."""
        return sum(p.n_councils for p in self.populations)

    @property
    def nbytes(self) -> int:
        return sum(p.nbytes for p in self.populations)

    def respond(self, prices: FloatArray) -> Response:
        """Total supply and demand of every good at ``prices``, in process."""
        total = Response(np.zeros(self.n_goods), np.zeros(self.n_goods))
        for pop in self.populations:
            total = total + pop.respond(prices)
        return total

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """The :class:`ValueFlows` of every council's proposal at ``prices``, in process.

        Summed population by population in order, as the planning procedure
        sums them (so the same tables the board's rule reads).
        """
        prices = np.asarray(prices, dtype=np.float64)
        return ValueFlows.total([p.value_flows(prices, effort_share) for p in self.populations])

    def with_prices(self, prices: FloatArray) -> Economy:
        """The same economy opening at other prices (for example last year's)."""
        return replace(self, initial_prices=np.asarray(prices, dtype=np.float64))

    def with_populations(self, populations: Sequence[Population]) -> Economy:
        """The same goods and prices with other councils (say, new submissions)."""
        return replace(self, populations=tuple(populations))

    def populations_of(self, kind: type[Population]) -> list[Population]:
        return [p for p in self.populations if isinstance(p, kind)]
