"""A closed economy: budgets from effort, labour from the members of consumer councils.

In Pequod's economies consumer councils have fixed incomes and labour comes
from nowhere (a fixed supply). In a participatory economy the same people do
both: the members of each consumer council supply hours of labour of each
type to worker councils, and their council's budget is the sum of their
effort-based allowances — for example ``hours × effort rating × the average
consumption value of a rated hour`` (:func:`allowances_from_effort`), or the
allowances that :mod:`parecon.work` computes from balanced job complexes.

Nothing else pays anyone, so by Walras' law a clearing plan's consumption is
worth exactly the allowances (plus pollution credits), which equal the value
of the net product: labour, resources and worker councils' surplus. The price
level adjusts so that the nominal allowances buy the whole net product;
:func:`parecon.engine.plan_accounts.economy_balance` measures how close a
plan comes. Fixed-income economies (Pequod's) are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from parecon.engine.economy import Economy
from parecon.engine.goods import GoodCategory
from parecon.engine.populations import FloatArray, Population, Proposals, Response
from parecon.engine.validation import as_float_array, check_values
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["MembersLabour", "allowances_from_effort", "close_economy", "consumer_blocks"]


@dataclass(eq=False)
class MembersLabour(Population):
    """Hours of labour that the members of each consumer council supply.

    Attributes
    ----------
    hours : sparse CSR matrix of shape (n_councils, n_goods)
        Row ``i``: hours of each labour type that council ``i``'s members
        pledge this year (zero outside labour goods).
    """

    hours: sp.csr_array
    kind: ClassVar[str] = "members-labour"

    def __post_init__(self) -> None:
        import scipy.sparse as sp

        self.hours = sp.csr_array(self.hours, dtype=np.float64)
        data = self.hours.data
        bad = ~np.isfinite(data) | (data < 0)
        if bad.any():
            i = int(np.argmax(bad))
            row = int(np.searchsorted(self.hours.indptr, i, side="right") - 1)
            raise InvalidValueError(
                f"hours of good {self.hours.indices[i]} must be finite and >= 0 "
                f"(got {float(data[i])!r})",
                f"consumer council {row}",
            )
        self._supply = np.asarray(self.hours.sum(axis=0), dtype=float).ravel()

    @property
    def n_councils(self) -> int:
        return int(self.hours.shape[0])

    @property
    def n_goods(self) -> int:
        return int(self.hours.shape[1])

    def respond(self, prices: FloatArray) -> Response:
        return Response(self._supply.copy(), np.zeros(self.n_goods))

    def proposals(self, prices: FloatArray) -> Proposals:
        import scipy.sparse as sp

        empty = sp.csr_array(self.hours.shape)
        value = np.asarray(self.hours @ prices, dtype=float).ravel()
        return Proposals(self.kind, self.hours, empty, {"labour_value": value})

    def take(self, rows: slice) -> MembersLabour:
        return MembersLabour(self.hours[rows])


def allowances_from_effort(
    hours: ArrayLike, ratings: ArrayLike, average_value: float
) -> FloatArray:
    """Budgets ``hours × rating × average_value``, each of shape (n_councils,).

    ``hours`` and ``ratings`` may also be (n_councils, n_members) arrays of each
    member's hours and effort rating (zero-padded); a council's budget is then
    the sum over its members. ``average_value`` is what an hour rated 1 is worth
    in consumption (the average consumption value of a rated hour).
    """
    h = as_float_array(hours, "hours", "consumer council")
    r = as_float_array(ratings, "ratings", "consumer council", h.shape)
    check_values(h.reshape(h.shape[0], -1), "hours", "consumer council", nonnegative=True)
    check_values(r.reshape(r.shape[0], -1), "ratings", "consumer council", nonnegative=True)
    if not (np.isfinite(average_value) and average_value > 0):
        raise InvalidValueError(f"average consumption value must be > 0, got {average_value!r}")
    out: FloatArray = (h * r).reshape(h.shape[0], -1).sum(axis=1) * float(average_value)
    return out


def consumer_blocks(economy: Economy) -> list[tuple[int, Population]]:
    """(population index, block) of every consumer block, in economy order."""
    return economy.consumer_blocks()


def close_economy(
    economy: Economy, allowances: ArrayLike, labour_hours: ArrayLike | sp.sparray
) -> Economy:
    """The same economy with budgets from allowances and labour from council members.

    Parameters
    ----------
    allowances : array of shape (n_consumer_councils,)
        Each consumer council's budget, in the order of the economy's consumer
        blocks (for example from :func:`allowances_from_effort`).
    labour_hours : array or sparse matrix of shape (n_consumer_councils, n_goods)
        Hours of each labour type the council's members supply. Labour goods
        leave the economy's fixed supplies.
    """
    import scipy.sparse as sp

    blocks = consumer_blocks(economy)
    n = sum(p.n_councils for _, p in blocks)
    budget = as_float_array(allowances, "allowances", "closed economy", (n,))
    check_values(budget, "allowances", "consumer council", nonnegative=True)
    hours = sp.csr_array(labour_hours, dtype=np.float64)
    if hours.shape != (n, economy.n_goods):
        raise InvalidValueError(
            f"labour hours have shape {hours.shape}, expected ({n}, {economy.n_goods})",
            "closed economy",
        )
    labour = economy.goods.mask(GoodCategory.LABOUR)
    cols = np.unique(hours.indices[hours.data != 0])
    if (~labour[cols]).any():
        g = int(cols[~labour[cols]][0])
        raise InvalidValueError(
            f"members supply {economy.goods.names[g]!r}, which is not a labour good",
            "closed economy",
        )
    populations = list(economy.populations)
    start = 0
    for i, pop in blocks:
        part = budget[start : start + pop.n_councils]
        start += pop.n_councils
        populations[i] = pop.with_budgets(part)
    kept: list[Population] = []
    for pop in populations:
        rest = pop.without_supply_of(labour)
        if rest is not None:
            kept.append(rest)
    kept.append(MembersLabour(hours))
    metadata = {**economy.metadata, "closed": True}
    return replace(economy, populations=tuple(kept), metadata=metadata)
