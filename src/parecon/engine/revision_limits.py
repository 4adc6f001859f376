"""Looking Forward's revision limits: councils may change proposals only so much.

Albert and Hahnel (*Looking Forward*, 1991, ch. 6) let councils revise freely
in the first rounds and then bound each revision by the good's imbalance:
from round 3 a consumer council may not cut its demand for a good in excess
demand by more than 50% of the average per-capita excess demand, nor raise it
by more than 25% (and symmetrically for a good in excess supply); worker
councils are bound the same way from round 4. The point is to stop large
swings (everyone rushing to a good that looked cheap) so the board's price
signals settle.

How it is implemented here
--------------------------
- Every round each council's *unbounded* proposal at the announced prices is
  computed (:meth:`Population.proposals`) and clipped entry by entry into
  ``[previous − down, previous + up]``, where for a good whose last-round
  excess demand per participant is ``e`` (``(D − S) / m`` with ``m`` the
  councils of limited populations that proposed a non-zero quantity of it):
  demand may move by ``−cut·|e|`` … ``+raise_·|e|`` when ``e > 0`` and by
  ``−raise_·|e|`` … ``+cut·|e|`` when ``e < 0``; supply the mirror image
  (toward clearing up to ``cut``, away up to ``raise_``).
- The clipped proposals are what the council submits: they are the next
  round's "previous" proposal, and the board's totals are summed from them
  (weighted per good as the population aggregates, so public goods stay a
  mean).
- Entries are clipped independently, so a worker council's bounded proposal
  need not lie exactly on its production function; that is the rule's
  procedural nature, not a modelling claim.
- Blocks that declare :attr:`Population.revision_limited` are limited:
  simulated consumer councils from ``consumers_from``, worker councils from
  ``workers_from``. Fixed supplies and submitted proposals are not (real
  councils submit what they submit). Per-council proposals are computed in process,
  not on the executor: the option costs memory of order the proposals' size.
- The value flows a rule reads (:meth:`RevisionLimiter.value_flows`) are
  those of the bounded proposals: what the board receives, not how the
  councils would answer without limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from parecon.engine.economy import PRODUCED_CATEGORIES, Economy
from parecon.engine.populations import (
    FloatArray,
    Population,
    Response,
    ValueFlows,
    flows_from_proposals,
)
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["RevisionLimiter", "RevisionLimits"]


@dataclass(frozen=True)
class RevisionLimits:
    """Settings of the revision limits (defaults: *Looking Forward*'s).

    Parameters
    ----------
    toward : float, default 0.5
        Largest move *toward* clearing (a consumer cutting demand for a good
        in excess demand), as a share of average per-capita excess demand.
    away : float, default 0.25
        Largest move *away* from clearing (raising that demand).
    consumers_from, workers_from : int
        First round in which consumer and worker councils are bound.
    """

    toward: float = 0.5
    away: float = 0.25
    consumers_from: int = 3
    workers_from: int = 4

    def __post_init__(self) -> None:
        if not (self.toward >= 0 and self.away >= 0):
            raise InvalidValueError("revision limits must be >= 0")
        if self.consumers_from < 2 or self.workers_from < 2:
            raise InvalidValueError("revision limits can start at round 2 at the earliest")

    def start(self, economy: Economy) -> RevisionLimiter:
        """A limiter that remembers ``economy``'s councils' proposals."""
        return RevisionLimiter(self, economy)


@dataclass
class RevisionLimiter:
    """Per-period memory: every council's last submitted proposal."""

    limits: RevisionLimits
    economy: Economy
    _previous: dict[int, tuple[sp.csr_array, sp.csr_array]] = field(default_factory=dict)
    _excess: FloatArray | None = None
    _participants: FloatArray | None = None
    _submitted: dict[int, tuple[sp.csr_array, sp.csr_array]] = field(default_factory=dict)

    def _first_round(self, population: Population) -> int | None:
        if not population.revision_limited:
            return None
        if population.role == "consumers":
            return self.limits.consumers_from
        if population.role == "workers":
            return self.limits.workers_from
        return None

    def _clip(
        self, new: sp.csr_array, old: sp.csr_array, weight: FloatArray, demand: bool
    ) -> sp.csr_array:
        """Clip ``new`` around ``old``; bounds are in totals' units, hence ``/ weight``."""
        import scipy.sparse as sp

        assert self._excess is not None and self._participants is not None
        per_capita = self._excess / (self._participants * weight)
        fall_d = np.where(per_capita > 0, self.limits.toward, self.limits.away) * np.abs(per_capita)
        rise_d = np.where(per_capita > 0, self.limits.away, self.limits.toward) * np.abs(per_capita)
        fall, rise = (fall_d, rise_d) if demand else (rise_d, fall_d)
        new, old = sp.csr_array(new), sp.csr_array(old)
        new.sort_indices()
        old.sort_indices()
        if np.array_equal(new.indptr, old.indptr) and np.array_equal(new.indices, old.indices):
            # Same councils propose the same goods (the usual case): clip in place.
            cols = new.indices
            data = np.clip(new.data, np.maximum(old.data - fall[cols], 0.0), old.data + rise[cols])
            return sp.csr_array((data, cols, new.indptr), shape=new.shape)
        new_d, old_d = new.toarray(), old.toarray()
        return sp.csr_array(np.clip(new_d, np.maximum(old_d - fall, 0.0), old_d + rise))

    def respond(self, prices: FloatArray, round_no: int) -> Response:
        """Totals of the (bounded) proposals submitted at ``prices``."""
        import scipy.sparse as sp

        n = self.economy.n_goods
        total = Response(np.zeros(n), np.zeros(n))
        participants = np.zeros(n)
        for i, population in enumerate(self.economy.populations):
            start = self._first_round(population)
            if start is None:
                total = total + population.respond(prices)
                continue
            free = population.respond(prices)
            proposal = population.proposals(prices)
            supply, demand = proposal.supply, proposal.demand
            w_s, w_d = _weight(supply, free.supply), _weight(demand, free.demand)
            if round_no >= start and i in self._previous:
                old_s, old_d = self._previous[i]
                supply = self._clip(supply, old_s, w_s, demand=False)
                demand = self._clip(demand, old_d, w_d, demand=True)
            self._previous[i] = (sp.csr_array(supply), sp.csr_array(demand))
            self._submitted[i] = (
                sp.csr_array(sp.csr_array(supply).multiply(w_s[None, :])),
                sp.csr_array(sp.csr_array(demand).multiply(w_d[None, :])),
            )
            total = total + Response(w_s * _column_sums(supply), w_d * _column_sums(demand))
            participants += np.asarray(((supply != 0) + (demand != 0)).sum(axis=0)).ravel()
        self._excess = total.demand - total.supply
        self._participants = np.maximum(participants, 1.0)
        return total

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """The value flows of the proposals submitted at ``prices`` (call after
        :meth:`respond` for the same prices): limited councils' bounded
        proposals, as the board receives them, and the other populations' own."""
        produced = np.isin(self.economy.goods.categories, [int(c) for c in PRODUCED_CATEGORIES])
        parts = []
        for i, population in enumerate(self.economy.populations):
            if i in self._submitted:
                supply, demand = self._submitted[i]
                parts.append(flows_from_proposals(supply, demand, prices, effort_share, produced))
            else:
                parts.append(population.value_flows(prices, effort_share))
        return ValueFlows.total(parts)


def _column_sums(matrix: sp.csr_array) -> FloatArray:
    return np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()


def _weight(unbounded: sp.csr_array, totals: FloatArray) -> FloatArray:
    """Each good's weight in the population's totals: 1, or ``1/N`` for a public good.

    The population's own totals divided by its proposals' column sums, so any
    kind of population aggregates its bounded proposals as it does its own.
    """
    raw = _column_sums(unbounded)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight: FloatArray = np.where(raw > 0, totals / raw, 1.0)
    return weight
