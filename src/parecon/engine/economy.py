"""An economy: its goods, its council populations and the opening prices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parecon.engine.goods import PRODUCED_CATEGORIES, Goods
from parecon.engine.populations import (
    FloatArray,
    Population,
    Response,
    ValueFlows,
)
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import InvalidValueError

__all__ = ["PRODUCED_CATEGORIES", "Economy"]


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
            pop.check_goods(self.goods, f"population {i} ({pop.kind})")

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

    def goods_in_use(self, prices: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Masks of the goods some council supplies and some council uses at ``prices``."""
        supplied = np.zeros(self.n_goods, dtype=np.bool_)
        used = np.zeros(self.n_goods, dtype=np.bool_)
        for pop in self.populations:
            s, u = pop.goods_in_use(prices)
            supplied |= s
            used |= u
        return supplied, used

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

    def consumer_blocks(self) -> list[tuple[int, Population]]:
        """(population index, block) of every consumer block (``role == "consumers"``),
        in order: the order in which consumer councils are numbered economy-wide."""
        return [(i, p) for i, p in enumerate(self.populations) if p.role == "consumers"]
