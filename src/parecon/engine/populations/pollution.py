"""Pollutants priced by those they harm (Hahnel's pollution damage revealing mechanism).

Worker councils emit pollutants as part of their technology: an emission is an
input on a good of category ``POLLUTANT`` (``CobbDouglasWorkers`` inputs), so a
polluter asks for permission to emit ``x = λ b z / p`` units and pays ``p`` per
unit; that payment is part of its social cost, i.e. its emissions count at a
negative value in its social benefit less cost.

Affected communities (a consumer council, or a federation of councils living
where a pollutant lands) *supply* those permissions: at the indicative price
``p`` community ``c`` permits ``e = units · (p / price)^elasticity`` units, the
quantity at which its marginal damage ``price · (e / units)^(1/elasticity)``
equals ``p`` — the community reveals its damage by what it permits. An
elasticity of 0 is a cap: the national federation fixing a global pollutant
(CO2) at ``units`` whatever the price, the board finding the permit price.
Each community is credited the value of what it permits, ``p · e``, shared
among its member councils, and the councils spend it like the rest of their
budget. The board adjusts each pollutant's price like any other good's until
emissions equal permissions; then charges equal credits exactly.

Every council's stake in each community is computed from the price alone, so a
block of consumer councils supplies its members' share of the permits and
receives their credits without seeing other blocks: shards add up exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from parecon.engine.goods import GoodCategory, Goods
from parecon.engine.populations.base import (
    FloatArray,
    Population,
    Proposals,
    Response,
    Role,
    ValueFlows,
)
from parecon.engine.populations.consumers import CESConsumers, CobbDouglasConsumers
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    pass

__all__ = [
    "AffectedConsumers",
    "Community",
    "PermitSchedules",
    "affect_consumers",
    "consumer_offsets",
]

ConsumerBlock = CobbDouglasConsumers | CESConsumers


@dataclass(frozen=True)
class Community:
    """A community affected by one or more pollutants, as a person writes it down.

    Attributes
    ----------
    name : str
    members : sequence of int
        Consumer councils living there, numbered across the economy's consumer
        blocks in order (0-based).
    permits : mapping of good index to (units, price, elasticity)
        For each pollutant that lands there: the units permitted at the
        reference ``price`` and the elasticity of permissions to price (0: a cap).
    shares : sequence of float, optional
        Each member's share of the permits and credits (default: equal); they
        are normalised to sum to 1.
    """

    name: str
    members: Sequence[int]
    permits: Mapping[int, tuple[float, float, float]]
    shares: Sequence[float] | None = None


@dataclass(frozen=True, eq=False)
class PermitSchedules:
    """All communities' permission schedules, one entry per (community, pollutant).

    Attributes
    ----------
    names : tuple of str
        Community names, shape (n_communities,).
    community, good : ndarray of shape (n_entries,), int
    units, price, elasticity : ndarray of shape (n_entries,)
    """

    names: tuple[str, ...]
    community: NDArray[np.intp]
    good: NDArray[np.intp]
    units: FloatArray
    price: FloatArray
    elasticity: FloatArray

    def permitted(self, prices: FloatArray) -> FloatArray:
        """Units each entry permits at ``prices``: shape (n_entries,)."""
        ratio = prices[self.good] / self.price
        out: FloatArray = self.units * ratio**self.elasticity
        return out

    @classmethod
    def from_communities(cls, communities: Sequence[Community], n_goods: int) -> PermitSchedules:
        rows: list[tuple[int, int, float, float, float]] = []
        for c, com in enumerate(communities):
            if not com.permits:
                raise InvalidValueError("permits no pollutant", f"community {com.name!r}")
            for g, (units, price, elasticity) in com.permits.items():
                where = f"community {com.name!r}, pollutant {g}"
                if not 0 <= int(g) < n_goods:
                    raise InvalidValueError(f"good {g} outside 0..{n_goods - 1}", where)
                values = np.array([units, price, elasticity], float)
                if not np.isfinite(values).all() or units < 0 or price <= 0 or elasticity < 0:
                    raise InvalidValueError(
                        "need units >= 0, price > 0 and elasticity >= 0 "
                        f"(got {units!r}, {price!r}, {elasticity!r})",
                        where,
                    )
                rows.append((c, int(g), float(units), float(price), float(elasticity)))
        arr = np.array(rows, dtype=float).reshape(-1, 5)
        return cls(
            tuple(c.name for c in communities),
            arr[:, 0].astype(np.intp),
            arr[:, 1].astype(np.intp),
            arr[:, 2],
            arr[:, 3],
            arr[:, 4],
        )


@dataclass(eq=False)
class AffectedConsumers(Population):
    """Consumer councils that permit pollutants and are credited their value.

    Attributes
    ----------
    consumers : CobbDouglasConsumers or CESConsumers
        Preferences and base budgets (fixed incomes or effort allowances).
    schedules : PermitSchedules
        Every community's schedule (shared by all blocks of the economy).
    stake_entry, stake_council : ndarray of shape (n_stakes,), int
        Which schedule entry, and which of ``consumers``' rows holds the stake.
    stake_share : ndarray of shape (n_stakes,)
        The council's share of that community's permits and credits.
    """

    consumers: ConsumerBlock
    schedules: PermitSchedules
    stake_entry: NDArray[np.intp]
    stake_council: NDArray[np.intp]
    stake_share: FloatArray
    kind: ClassVar[str] = "affected-consumers"
    role: ClassVar[Role] = "consumers"

    def __post_init__(self) -> None:
        n = self.consumers.n_councils
        self.stake_entry = np.asarray(self.stake_entry, dtype=np.intp)
        self.stake_council = np.asarray(self.stake_council, dtype=np.intp)
        m = self.stake_entry.shape[0]
        self.stake_share = as_float_array(self.stake_share, "share", "community stake", (m,))
        check_values(self.stake_share, "share", "community stake", nonnegative=True)
        if self.stake_council.shape != (m,) or (m and not (self.stake_council >= 0).all()):
            raise InvalidValueError("stake councils must be row numbers", "community stake")
        if m and (
            self.stake_council.max() >= n or self.stake_entry.max() >= len(self.schedules.good)
        ):
            raise InvalidValueError("stake refers to a missing council or entry", "community stake")
        self._goods = self.schedules.good[self.stake_entry]

    @property
    def n_councils(self) -> int:
        return self.consumers.n_councils

    @property
    def n_goods(self) -> int:
        return self.consumers.n_goods

    def permits(self, prices: FloatArray) -> FloatArray:
        """Units each stake permits: shape (n_stakes,)."""
        out: FloatArray = self.stake_share * self.schedules.permitted(prices)[self.stake_entry]
        return out

    def credits(self, prices: FloatArray) -> FloatArray:
        """Value credited to each council, ``Σ p · permits``: shape (n_councils,)."""
        value = prices[self._goods] * self.permits(prices)
        return np.bincount(self.stake_council, value, minlength=self.n_councils).astype(float)

    def budgets(self) -> FloatArray:
        return self.consumers.income

    def with_budgets(self, budgets: FloatArray) -> AffectedConsumers:
        return replace(self, consumers=replace(self.consumers, income=budgets))

    def community_credits(self, prices: FloatArray) -> dict[str, float]:
        """Value of what each community permits, credited to it (its members' shares)."""
        value = prices[self.schedules.good[self.stake_entry]] * self.permits(prices)
        names = self.schedules.names
        per = np.bincount(self.schedules.community[self.stake_entry], value, minlength=len(names))
        return {name: float(v) for name, v in zip(names, per, strict=True)}

    def check_goods(self, goods: Goods, where: str) -> None:
        """Communities permit pollutants only."""
        permitted = np.unique(self.schedules.good)
        bad_goods = permitted[goods.categories[permitted] != GoodCategory.POLLUTANT]
        if bad_goods.size:
            raise InvalidValueError(
                f"communities permit {goods.names[bad_goods[0]]!r}, which is not a pollutant",
                where,
            )

    def _budgeted(self, prices: FloatArray) -> ConsumerBlock:
        return replace(self.consumers, income=self.consumers.income + self.credits(prices))

    def respond(self, prices: FloatArray) -> Response:
        supply = np.bincount(self._goods, self.permits(prices), minlength=self.n_goods)
        return Response(supply.astype(float), self._budgeted(prices).respond(prices).demand)

    def proposals(self, prices: FloatArray) -> Proposals:
        import scipy.sparse as sp

        inner = self._budgeted(prices).proposals(prices)
        supply = sp.csr_array(
            (self.permits(prices), (self.stake_council, self._goods)),
            shape=(self.n_councils, self.n_goods),
        )
        extras = dict(inner.extras)
        extras["income"] = self.consumers.income.copy()
        extras["credits"] = self.credits(prices)
        return Proposals(self.kind, supply, inner.demand, extras)

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """Permits are a fixed supply (their elasticity is the communities' own
        business); the councils' spending is final use."""
        totals = self.respond(prices)
        flows = ValueFlows.zeros(self.n_goods, effort_share)
        return replace(
            flows,
            final=prices * totals.demand,
            fixed=prices * totals.supply,
            substitution=self._budgeted(prices).substitution(prices),
        )

    def take(self, rows: slice) -> AffectedConsumers:
        start, stop, _ = rows.indices(self.n_councils)
        keep = (self.stake_council >= start) & (self.stake_council < stop)
        return AffectedConsumers(
            self.consumers.take(rows),
            self.schedules,
            self.stake_entry[keep],
            self.stake_council[keep] - start,
            self.stake_share[keep],
        )


def consumer_offsets(populations: Sequence[Population]) -> list[int]:
    """First economy-wide consumer number of each population (consumer blocks only count)."""
    offsets, total = [], 0
    for pop in populations:
        offsets.append(total)
        if pop.role == "consumers":
            total += pop.n_councils
    offsets.append(total)
    return offsets


def affect_consumers(
    populations: Sequence[Population], communities: Sequence[Community], n_goods: int
) -> list[Population]:
    """Wrap the consumer blocks whose councils belong to ``communities``.

    Councils are numbered across the consumer blocks of ``populations`` in order;
    blocks with no member are returned unchanged, as are other populations.
    """
    schedules = PermitSchedules.from_communities(communities, n_goods)
    offsets = consumer_offsets(populations)
    n_consumers = offsets[-1]
    councils: list[NDArray[np.intp]] = []
    shares: list[FloatArray] = []
    entries: list[NDArray[np.intp]] = []
    for c, com in enumerate(communities):
        members = np.asarray(com.members, dtype=np.intp)
        if members.size == 0:
            raise InvalidValueError("has no members", f"community {com.name!r}")
        bad = (members < 0) | (members >= n_consumers)
        if bad.any():
            raise InvalidValueError(
                f"member {members[bad][0]} is not a consumer council (0..{n_consumers - 1})",
                f"community {com.name!r}",
            )
        weight = np.ones(members.size) if com.shares is None else np.asarray(com.shares, float)
        if weight.shape != members.shape or not np.isfinite(weight).all() or (weight < 0).any():
            raise InvalidValueError("shares must be one number >= 0 per member", com.name)
        if weight.sum() <= 0:
            raise InvalidValueError("shares sum to zero", f"community {com.name!r}")
        mine = np.flatnonzero(schedules.community == c)
        councils.append(np.repeat(members, mine.size))
        shares.append(np.repeat(weight / weight.sum(), mine.size))
        entries.append(np.tile(mine, members.size))
    council = np.concatenate(councils) if councils else np.empty(0, np.intp)
    share = np.concatenate(shares) if shares else np.empty(0)
    entry = np.concatenate(entries) if entries else np.empty(0, np.intp)
    out: list[Population] = []
    for i, pop in enumerate(populations):
        lo, hi = offsets[i], offsets[i + 1]
        held = (council >= lo) & (council < hi)
        if isinstance(pop, AffectedConsumers):
            raise InvalidValueError("a consumer block is already affected", f"population {i}")
        if hi > lo and held.any():
            if not isinstance(pop, CobbDouglasConsumers | CESConsumers):
                raise InvalidValueError(
                    f"{pop.kind} councils cannot be members of affected communities",
                    f"population {i}",
                )
            stakes = (entry[held], council[held] - lo, share[held])
            out.append(AffectedConsumers(pop, schedules, *stakes))
        else:
            out.append(pop)
    return out
