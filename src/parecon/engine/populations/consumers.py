"""Consumer councils: Cobb-Douglas (Pequod's) and CES.

Public goods are shared: a council proposes the quantity it would want if it
paid ``1/N`` of the cost (``N`` councils share it), and the board's aggregate
demand for a public good is the *mean* of those proposals. Equivalently each
council contributes its own proposal divided by ``N``; that contribution is
what :meth:`respond` sums, so shards of councils add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from parecon.engine.blas import one_blas_thread
from parecon.engine.populations.base import (
    FloatArray,
    Population,
    Proposals,
    Response,
    Role,
    ValueFlows,
    final_substitution,
)
from parecon.engine.validation import as_float_array, as_index_array, check_values
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    pass

__all__ = ["CESConsumers", "CobbDouglasConsumers"]

_WHO = "consumer council"
_BLOCK = 65_536
"""Councils per block when summing per-council tables."""


@dataclass(eq=False)
class _Consumers(Population):
    """Shared arrays of consumer populations.

    Attributes
    ----------
    income : ndarray of shape (n_councils,)
        Budget of each council (effort-based allowances or a fixed income).
    goods : ndarray of shape (n_wanted,)
        Economy indices of the goods these councils consume.
    exponents : ndarray of shape (n_councils, n_wanted)
        Utility weight of each good for each council.
    public : ndarray of shape (n_wanted,), bool
        Which of ``goods`` are public (cost-shared) goods.
    n_sharing : int
        Number of consumer councils sharing public goods' cost (``N``); the
        whole economy's count, also when this object is one shard of it.
    total_goods : int
        Length of the economy's price vector.
    """

    income: FloatArray
    goods: NDArray[np.intp]
    exponents: FloatArray
    public: NDArray[np.bool_]
    n_sharing: int
    total_goods: int
    role: ClassVar[Role] = "consumers"
    revision_limited: ClassVar[bool] = True

    def __post_init__(self) -> None:
        self.income = as_float_array(self.income, "income", _WHO)
        if self.income.ndim != 1:
            raise InvalidValueError("field 'income' must be one value per council", _WHO)
        n = self.income.shape[0]
        self.goods = np.asarray(self.goods, dtype=np.intp)
        m = self.goods.shape[0]
        self.goods = as_index_array(self.goods, "goods", _WHO, m, self.total_goods)
        self.exponents = as_float_array(self.exponents, "exponents", _WHO, (n, m))
        self.public = np.asarray(self.public, dtype=bool)
        if self.public.shape != (m,):
            raise InvalidValueError(f"'public' must have shape ({m},)", _WHO)
        check_values(self.income, "income", _WHO, nonnegative=True)
        check_values(self.exponents, "exponents", _WHO, nonnegative=True)
        if n and m:
            empty = self.exponents.sum(axis=1) <= 0
            if empty.any():
                raise InvalidValueError(
                    "all utility exponents are zero", f"{_WHO} {int(np.argmax(empty))}"
                )
        if self.n_sharing < 1:
            raise InvalidValueError("n_sharing must be >= 1", _WHO)

    @property
    def n_councils(self) -> int:
        return int(self.income.shape[0])

    @property
    def n_goods(self) -> int:
        return self.total_goods

    def budgets(self) -> FloatArray:
        return self.income

    def with_budgets(self, budgets: FloatArray) -> _Consumers:
        return replace(self, income=budgets)

    def _scatter(self, per_good: FloatArray) -> FloatArray:
        out = np.zeros(self.total_goods)
        np.add.at(out, self.goods, per_good)
        return out

    def _proposals_from_contributions(self, contrib: FloatArray) -> Proposals:
        """Per-council proposals from cost-share contributions (n, n_wanted)."""
        import scipy.sparse as sp

        quantities = np.where(self.public, contrib * self.n_sharing, contrib)
        n = self.n_councils
        demand = sp.csr_array(
            (quantities.ravel(), np.tile(self.goods, n), np.arange(n + 1) * len(self.goods)),
            shape=(n, self.total_goods),
        )
        supply = sp.csr_array((n, self.total_goods))
        return Proposals(self.kind, supply, demand, {"income": self.income.copy()})

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """Consumer councils are final users: their spending and its substitution table."""
        flows = ValueFlows.zeros(self.total_goods, effort_share)
        return replace(
            flows,
            final=prices * self.respond(prices).demand,
            substitution=self.substitution(prices),
        )

    def substitution(self, prices: FloatArray) -> FloatArray:
        """:attr:`ValueFlows.substitution` of these councils at ``prices``.

        Summed over blocks of councils, so no (councils × goods) temporary of
        the whole population is held.
        """
        m = self.goods.shape[0]
        pairs = np.zeros((m, m))
        # tall, thin products: OpenBLAS's threads only contend (4x slower, measured)
        with one_blas_thread():
            for lo in range(0, self.n_councils, _BLOCK):
                pairs += final_substitution(self._spending(prices, slice(lo, lo + _BLOCK)))
        return self._scatter_pairs(pairs)

    def _spending(self, prices: FloatArray, rows: slice) -> FloatArray:
        """Spending of councils ``rows`` per wanted good (public: their cost share)."""
        raise NotImplementedError

    def _scatter_pairs(self, pairs: FloatArray) -> FloatArray:
        out = np.zeros((self.total_goods, self.total_goods))
        np.add.at(out, (self.goods[:, None], self.goods[None, :]), pairs)
        return out

    def _take_fields(self, rows: slice) -> dict[str, object]:
        return {
            "income": self.income[rows],
            "goods": self.goods,
            "exponents": self.exponents[rows],
            "public": self.public,
            "n_sharing": self.n_sharing,
            "total_goods": self.total_goods,
        }


@dataclass(eq=False)
class CobbDouglasConsumers(_Consumers):
    """Cobb-Douglas consumer councils, exactly as in Pequod.

    With income ``I`` and exponents ``α`` summing to ``A``, council ``i`` asks
    for ``x_g = I α_g / (A p_g)`` of a private good and ``N`` times that of a
    public good. Because every term is linear in ``1/p``, the totals are
    ``W / p`` with ``W = Σ_i I_i α_i / A_i``, computed once: a round then costs
    O(goods) whatever the number of councils.
    """

    kind: ClassVar[str] = "cobb-douglas-consumers"
    _weights: FloatArray | None = field(default=None, init=False, repr=False)
    _substitution: FloatArray | None = field(default=None, init=False, repr=False)

    def _spending_shares(self) -> FloatArray:
        total = self.exponents.sum(axis=1, keepdims=True)
        shares: FloatArray = self.income[:, None] * self.exponents / total
        return shares

    @property
    def weights(self) -> FloatArray:
        """``W`` of shape (n_goods,): total spending each good attracts."""
        if self._weights is None:
            # Σ_i (I_i / A_i) α_i: one matrix-vector product, no (councils × goods)
            # temporary (at 3M councils a table of shares is a gigabyte)
            per_unit = self.income / self.exponents.sum(axis=1)
            self._weights = self._scatter(per_unit @ self.exponents)
        return self._weights

    def respond(self, prices: FloatArray) -> Response:
        return Response(np.zeros(self.total_goods), self.weights / prices)

    def _spending(self, prices: FloatArray, rows: slice) -> FloatArray:
        exponents = self.exponents[rows]
        spending: FloatArray = (
            self.income[rows, None] * exponents / exponents.sum(axis=1, keepdims=True)
        )
        return spending

    def substitution(self, prices: FloatArray) -> FloatArray:
        """Cobb-Douglas spending does not depend on prices: computed once."""
        if self._substitution is None:
            self._substitution = super().substitution(prices)
        return self._substitution

    def proposals(self, prices: FloatArray) -> Proposals:
        return self._proposals_from_contributions(self._spending_shares() / prices[self.goods])

    def price_jacobian(self, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Totals ``W / p``: each good's demand falls one for one with its log price."""
        n = self.total_goods
        return np.zeros((n, n)), np.diag(-self.respond(prices).demand)

    def welfare_loss(
        self, prices: FloatArray, clearing_prices: FloatArray, delivered: FloatArray
    ) -> FloatArray:
        """``1 − u(delivered plan)/u(clearing plan)`` per council (Cobb-Douglas: closed form)."""
        weights = self.exponents / self.exponents.sum(axis=1, keepdims=True)
        goods = self.goods
        # log of delivered over clearing consumption, per council and good
        log_change = (
            np.log(clearing_prices[goods]) - np.log(prices[goods]) + np.log(delivered[goods])
        )
        loss: FloatArray = 1.0 - np.exp(weights @ log_change)
        return loss

    def take(self, rows: slice) -> CobbDouglasConsumers:
        return CobbDouglasConsumers(**self._take_fields(rows))  # type: ignore[arg-type]


@dataclass(eq=False)
class CESConsumers(_Consumers):
    """Consumer councils with constant elasticity of substitution ``σ``.

    Utility ``(Σ_g α_g x_g^ρ)^{1/ρ}`` with ``ρ = (σ-1)/σ``; at effective prices
    ``q`` (``p`` for private goods, ``p/N`` for public ones) council ``i``
    asks for ``x_g = I α_g^σ q_g^{-σ} / Σ_h α_h^σ q_h^{1-σ}``. ``σ = 1`` is
    Cobb-Douglas; ``σ`` may differ between councils.

    Attributes
    ----------
    sigma : ndarray of shape (n_councils,)
        Elasticity of substitution of each council, > 0.
    """

    sigma: FloatArray = field(default_factory=lambda: np.empty(0))
    kind: ClassVar[str] = "ces-consumers"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.sigma = np.broadcast_to(
            as_float_array(self.sigma, "sigma", _WHO), (self.n_councils,)
        ).copy()
        check_values(self.sigma, "sigma", _WHO, positive=True)

    def _contributions(self, prices: FloatArray) -> FloatArray:
        p = prices[self.goods]
        log_q = np.log(p) - np.where(self.public, np.log(self.n_sharing), 0.0)
        sigma = self.sigma[:, None]
        with np.errstate(divide="ignore"):
            log_a = np.log(self.exponents)
        # log of a_g^σ q_g^(1-σ): each good's share of the budget, unnormalised
        log_share = sigma * log_a + (1.0 - sigma) * log_q
        log_share -= log_share.max(axis=1, keepdims=True)
        share = np.exp(log_share)
        share /= share.sum(axis=1, keepdims=True)
        quantity = self.income[:, None] * share / np.exp(log_q)
        contributions: FloatArray = np.where(self.public, quantity / self.n_sharing, quantity)
        return contributions

    def respond(self, prices: FloatArray) -> Response:
        return Response(
            np.zeros(self.total_goods), self._scatter(self._contributions(prices).sum(axis=0))
        )

    def proposals(self, prices: FloatArray) -> Proposals:
        return self._proposals_from_contributions(self._contributions(prices))

    def _spending(self, prices: FloatArray, rows: slice) -> FloatArray:
        block = self.take(rows)
        spending: FloatArray = block._contributions(prices) * prices[self.goods]
        return spending

    def take(self, rows: slice) -> CESConsumers:
        return CESConsumers(**self._take_fields(rows), sigma=self.sigma[rows])  # type: ignore[arg-type]
