"""Quantities that do not respond to prices within a planning round.

:class:`FixedSupply` holds the year's endowments fixed by the long-term
development plan (natural resources, capital stocks, labour hours).
:class:`SubmittedProposals` holds what real councils submitted this round
through the platform, so that real and simulated councils plan together:
the board treats both alike, and a new round brings new submissions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from parecon.engine.goods import GoodCategory
from parecon.engine.populations.base import (
    FloatArray,
    Population,
    Proposals,
    Response,
    ValueFlows,
    flows_from_proposals,
)
from parecon.engine.validation import as_float_array, as_index_array, check_values
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FixedSupply", "SubmittedProposals"]


@dataclass(eq=False)
class FixedSupply(Population):
    """Fixed amounts of some goods, available whatever their price.

    Attributes
    ----------
    goods : ndarray of shape (n_supplied,)
        Economy indices of the supplied goods.
    quantities : ndarray of shape (n_supplied,)
        Amount of each available this year.
    total_goods : int
        Length of the economy's price vector.
    """

    goods: NDArray[np.intp]
    quantities: FloatArray
    total_goods: int
    kind: ClassVar[str] = "fixed-supply"

    def __post_init__(self) -> None:
        n = len(np.asarray(self.goods))
        self.goods = as_index_array(self.goods, "goods", "fixed supply", n, self.total_goods)
        self.quantities = as_float_array(self.quantities, "quantities", "fixed supply", (n,))
        check_values(self.quantities, "quantities", "fixed supply", nonnegative=True)
        self._supply = np.zeros(self.total_goods)
        np.add.at(self._supply, self.goods, self.quantities)

    @property
    def n_councils(self) -> int:
        return 1

    @property
    def n_goods(self) -> int:
        return self.total_goods

    def respond(self, prices: FloatArray) -> Response:
        return Response(self._supply.copy(), np.zeros(self.total_goods))

    def proposals(self, prices: FloatArray) -> Proposals:
        import scipy.sparse as sp

        supply = sp.csr_array(self._supply[None, :])
        return Proposals(self.kind, supply, sp.csr_array((1, self.total_goods)))

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """Fixed suppliers: the value of what they supply."""
        flows = ValueFlows.zeros(self.total_goods, effort_share)
        return replace(flows, fixed=prices * self._supply)

    def price_jacobian(self, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
        n = self.total_goods
        return np.zeros((n, n)), np.zeros((n, n))

    def without_supply_of(self, goods: NDArray[np.bool_]) -> FixedSupply | None:
        stay = ~goods[self.goods]
        if not stay.any():
            return None
        return FixedSupply(self.goods[stay], self.quantities[stay], self.total_goods)

    def take(self, rows: slice) -> FixedSupply:
        return self

    def shard(self, n_shards: int) -> list[Population]:
        return [self]


@dataclass(eq=False)
class SubmittedProposals(Population):
    """The proposals real councils submitted for the current round.

    Attributes
    ----------
    supply, demand : sparse CSR matrix of shape (n_councils, n_goods)
        What each council offered to produce and asked to use or consume
        (public goods: the quantity the council asks for; see ``n_sharing``).
    public : ndarray of shape (n_goods,), bool
        Which goods are public. A council's demand for one counts ``1/n_sharing``
        in the total, as for simulated consumer councils.
    n_sharing : int
        Number of consumer councils sharing public goods' cost.
    council_ids : tuple of str, optional
        Who submitted each row, for error messages and reports.
    categories : ndarray of shape (n_goods,), optional
        Each good's :class:`~parecon.engine.goods.GoodCategory`. With them the
        value flows read a council as a producer only for goods that are
        produced (private, intermediate, public): a consumer council holding
        pollution permits or pledging hours is a fixed supplier and a final
        user, not a producer whose inputs are its consumption.
    returns : ndarray of shape (n_councils,), optional
        Each council's returns ``θ`` as its earlier submissions reveal them
        (:func:`~parecon.engine.populations.base.returns_from_proposals` of two
        of its proposals; NaN where unknown). Where the producers are stiff,
        the value flows use them and group producers by supply response, so
        the board's rule can model near-constant returns.
    """

    supply: sp.csr_array
    demand: sp.csr_array
    public: NDArray[np.bool_]
    n_sharing: int = 1
    council_ids: tuple[str, ...] = ()
    categories: NDArray[np.int8] | None = None
    returns: FloatArray | None = None
    kind: ClassVar[str] = "submitted"

    def __post_init__(self) -> None:
        import scipy.sparse as sp

        who = "submitted proposals"
        for name in ("supply", "demand"):
            value = getattr(self, name)
            if np.ndim(value) != 2:
                raise InvalidValueError(
                    f"{name} must be a (councils × goods) table, got {np.ndim(value)} dimension(s)",
                    who,
                )
            try:
                setattr(self, name, sp.csr_array(value, dtype=np.float64))
            except (TypeError, ValueError) as exc:
                raise InvalidValueError(f"{name} must be numeric ({exc})", who) from None
        if self.supply.shape != self.demand.shape:
            raise InvalidValueError(
                f"supply has shape {self.supply.shape} but demand {self.demand.shape}", who
            )
        self.public = np.asarray(self.public, dtype=bool)
        if self.public.shape != (self.n_goods,):
            raise InvalidValueError(
                f"'public' has shape {self.public.shape} but the proposals price "
                f"{self.n_goods} goods",
                who,
            )
        if self.categories is not None:
            cats = np.asarray(self.categories)
            if cats.shape != (self.n_goods,) or not np.issubdtype(cats.dtype, np.integer):
                raise InvalidValueError(
                    f"'categories' must be one good category per good ({self.n_goods}), "
                    f"got shape {cats.shape}",
                    who,
                )
            self.categories = cats.astype(np.int8)
        if isinstance(self.n_sharing, bool) or not isinstance(self.n_sharing, int | np.integer):
            raise InvalidValueError(f"n_sharing must be an integer, got {self.n_sharing!r}", who)
        if self.n_sharing < 1:
            raise InvalidValueError(
                f"n_sharing must be >= 1 (consumer councils sharing public goods), "
                f"got {self.n_sharing}",
                who,
            )
        if self.returns is not None:
            returns = np.asarray(self.returns, dtype=np.float64)
            if returns.shape != (self.n_councils,):
                raise InvalidValueError(
                    f"'returns' must be one value per council ({self.n_councils}), "
                    f"got shape {returns.shape}",
                    who,
                )
            if (~np.isnan(returns) & ~((returns >= 0) & (returns < 1))).any():
                row = int(np.argmax(~np.isnan(returns) & ~((returns >= 0) & (returns < 1))))
                raise InvalidValueError(
                    f"returns must be in [0, 1) or NaN (unknown), got {returns[row]!r}",
                    self.council_ids[row] if self.council_ids else f"submitted council {row}",
                )
            self.returns = returns
        if self.council_ids and len(self.council_ids) != self.n_councils:
            raise InvalidValueError("one council id per row is needed", who)
        for name in ("supply", "demand"):
            matrix: sp.csr_array = getattr(self, name)
            bad = ~np.isfinite(matrix.data) | (matrix.data < 0)
            if bad.any():
                i = int(np.argmax(bad))
                row = int(np.searchsorted(matrix.indptr, i, side="right") - 1)
                council = self.council_ids[row] if self.council_ids else f"submitted council {row}"
                raise InvalidValueError(
                    f"{name} of good {matrix.indices[i]} must be finite and >= 0 "
                    f"(got {float(matrix.data[i])!r})",
                    council,
                )
        self._weights = np.where(self.public, 1.0 / self.n_sharing, 1.0)
        self._totals = Response(
            np.asarray(self.supply.sum(axis=0)).ravel(),
            np.asarray(self.demand.sum(axis=0)).ravel() * self._weights,
        )

    @property
    def n_councils(self) -> int:
        return int(self.supply.shape[0])

    @property
    def n_goods(self) -> int:
        return int(self.supply.shape[1])

    def respond(self, prices: FloatArray) -> Response:
        return Response(self._totals.supply.copy(), self._totals.demand.copy())

    def proposals(self, prices: FloatArray) -> Proposals:
        return Proposals(self.kind, self.supply, self.demand)

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """The value flows of exactly what was submitted (public goods weighted as in
        the totals), with producers told apart by the goods' categories when known."""
        import scipy.sparse as sp

        demand = sp.csr_array(self.demand.multiply(self._weights[None, :]))
        produced = None
        if self.categories is not None:
            produced = np.isin(self.categories, _PRODUCED)
        return flows_from_proposals(
            self.supply, demand, prices, effort_share, produced, self.returns
        )

    def take(self, rows: slice) -> SubmittedProposals:
        ids = self.council_ids[rows] if self.council_ids else ()
        return SubmittedProposals(
            self.supply[rows],
            self.demand[rows],
            self.public,
            self.n_sharing,
            ids,
            self.categories,
            None if self.returns is None else self.returns[rows],
        )

    @classmethod
    def dense(
        cls, supply: FloatArray, demand: FloatArray, public: NDArray[np.bool_], n_sharing: int = 1
    ) -> SubmittedProposals:
        """Build from dense (n_councils, n_goods) arrays."""
        import scipy.sparse as sp

        s = as_float_array(supply, "supply", "submitted proposals")
        if s.ndim != 2:
            raise InvalidValueError(
                f"supply must be a (councils × goods) table, got {s.ndim} dimension(s)",
                "submitted proposals",
            )
        d = as_float_array(demand, "demand", "submitted proposals", s.shape)
        return cls(sp.csr_array(s), sp.csr_array(d), public, n_sharing)


_PRODUCED = (int(GoodCategory.PRIVATE), int(GoodCategory.INTERMEDIATE), int(GoodCategory.PUBLIC))
"""Categories of goods that worker councils produce (the others are supplied in fixed amounts)."""
