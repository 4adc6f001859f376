"""A chapter budget as a small plan for the planning engine's facilitation board.

The plan's goods are the chapter's money for the period (good 0, supplied by the
expected income and by proposers' contributions) and every budget line with a fixed
capacity (the room's hours), supplied by that capacity. A proposer's request of a
line asks for its cost in money and, for a line with a capacity, for its units. The
board announces indicative prices (shares per unit of each good) and moves them by
its rule from the gaps, exactly as for an economy; a line's price is the money's
price times its cost plus its capacity's price. The rounds end when the requests
fit: no good's demand exceeds its supply by more than the tolerance.

Everything here is arithmetic on plain values; the board comes from
``parecon.web.planning.facilitation``, the one place the platform drives it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from parecon.engine import FixedSupply, GoodCategory, Goods, SubmittedProposals
from parecon.engine.populations import FloatArray

__all__ = [
    "BotProposer",
    "LineTerms",
    "engine_goods",
    "fits",
    "initial_prices",
    "line_prices",
    "populations",
    "request_cost",
]


class LineTerms(Protocol):
    """What the arithmetic needs of a budget line."""

    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def unit_cost(self) -> Decimal: ...
    @property
    def capacity(self) -> Decimal | None: ...


def _capacity_goods(lines: Sequence[LineTerms]) -> dict[int, int]:
    """Each capacity line's engine good (money is good 0)."""
    with_capacity = [ln.index for ln in lines if ln.capacity is not None]
    return {index: good for good, index in enumerate(with_capacity, start=1)}


def engine_goods(lines: Sequence[LineTerms]) -> Goods:
    names = ["money"] + [ln.name for ln in lines if ln.capacity is not None]
    return Goods(tuple(names), np.full(len(names), int(GoodCategory.RESOURCE), dtype=np.int8))


def initial_prices(lines: Sequence[LineTerms]) -> list[float]:
    return [1.0] * (1 + len(_capacity_goods(lines)))


def _row(lines: Sequence[LineTerms], quantities: Mapping[int, Decimal]) -> FloatArray:
    goods = _capacity_goods(lines)
    row = np.zeros(1 + len(goods))
    for ln in lines:
        q = float(quantities.get(ln.index, Decimal(0)))
        row[0] += q * float(ln.unit_cost)
        if ln.index in goods:
            row[goods[ln.index]] += q
    return row


def populations(
    lines: Sequence[LineTerms],
    expected_income: Decimal,
    requests: Sequence[tuple[Mapping[int, Decimal], Decimal]],
) -> list[SubmittedProposals | FixedSupply]:
    """The round's councils: one row per proposer (request, contribution) and the
    chapter's fixed supply (the expected income, each line's capacity)."""
    n = 1 + len(_capacity_goods(lines))
    demand = np.zeros((max(1, len(requests)), n))
    supply = np.zeros_like(demand)
    for i, (quantities, contribution) in enumerate(requests):
        demand[i] = _row(lines, quantities)
        supply[i, 0] = float(contribution)
    fixed = [float(expected_income)] + [float(ln.capacity or 0) for ln in lines if ln.capacity]
    return [
        SubmittedProposals(sp.csr_array(supply), sp.csr_array(demand), np.zeros(n, dtype=bool)),
        FixedSupply(np.arange(n), np.asarray(fixed, dtype=np.float64), n),
    ]


def line_prices(lines: Sequence[LineTerms], prices: Sequence[float]) -> dict[int, float]:
    """Each line's indicative price a unit: the money's price times its cost, plus
    its capacity's price."""
    goods = _capacity_goods(lines)
    return {
        ln.index: prices[0] * float(ln.unit_cost)
        + (prices[goods[ln.index]] if ln.index in goods else 0)
        for ln in lines
    }


def request_cost(
    lines: Sequence[LineTerms],
    prices: Sequence[float],
    quantities: Mapping[int, Decimal],
    contribution: Decimal,
) -> float:
    """A request's cost in shares at ``prices``, less what its contribution brings."""
    unit = line_prices(lines, prices)
    total = sum(unit[ln.index] * float(quantities.get(ln.index, 0)) for ln in lines)
    return total - prices[0] * float(contribution)


def fits(supply: Sequence[float], demand: Sequence[float], tolerance: float) -> bool:
    """No good is asked for beyond its supply by more than the tolerance."""
    return all(d <= s * (1 + tolerance) + 1e-9 for s, d in zip(supply, demand, strict=True))


@dataclass(frozen=True)
class BotProposer:
    """A simulated proposer: it wants ``desired`` units and spends at most ``allowance``
    shares, scaling its whole request down to fit (for tests and the demo)."""

    desired: Mapping[int, Decimal]
    allowance: float
    contribution: Decimal = Decimal("0.00")

    def respond(self, lines: Sequence[LineTerms], prices: Sequence[float]) -> dict[int, Decimal]:
        cost = request_cost(lines, prices, self.desired, Decimal(0))
        budget = self.allowance + prices[0] * float(self.contribution)
        scale = 1.0 if cost <= budget or cost <= 0 else budget / cost
        return {
            i: (q * Decimal(repr(float(scale)))).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
            for i, q in self.desired.items()
        }
