"""The interface every kind of council population implements.

A population is a block of councils of one kind stored as arrays (a struct of
arrays). The facilitation board only ever needs a population's *totals* per
good at the announced prices, so :meth:`Population.respond` returns two
vectors of length ``n_goods``; per-council proposals are computed only on
request (:meth:`Population.proposals`). New kinds of council plug in by
subclassing; the planning procedure never looks inside.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

__all__ = ["FloatArray", "Population", "Proposals", "Response"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Response:
    """Totals a population proposes at one set of prices.

    Attributes
    ----------
    supply, demand : ndarray of shape (n_goods,)
        Summed over the population's councils (public goods: the
        cost-share-weighted sum, see :class:`~parecon.engine.CobbDouglasConsumers`).
    """

    supply: FloatArray
    demand: FloatArray

    def __add__(self, other: Response) -> Response:
        return Response(self.supply + other.supply, self.demand + other.demand)


@dataclass(frozen=True)
class Proposals:
    """Each council's own proposal at one set of prices.

    Attributes
    ----------
    kind : str
        The population kind (``"cobb-douglas-consumers"``, ...).
    supply, demand : sparse CSR matrix of shape (n_councils, n_goods)
        What each council offers to produce and asks to use or consume.
        Public goods appear at the quantity the council asks for given that it
        pays its share of the cost.
    extras : dict of str to ndarray of shape (n_councils,)
        Kind-specific values, such as worker councils' ``effort``.
    """

    kind: str
    supply: sp.csr_array
    demand: sp.csr_array
    extras: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def n_councils(self) -> int:
        return int(self.supply.shape[0])


class Population(ABC):
    """A block of councils of one kind that respond to indicative prices."""

    kind: ClassVar[str]

    @property
    @abstractmethod
    def n_councils(self) -> int:
        """Number of councils in the block."""

    @property
    @abstractmethod
    def n_goods(self) -> int:
        """Length of the price vector this population responds to."""

    @abstractmethod
    def respond(self, prices: FloatArray) -> Response:
        """Totals per good proposed at ``prices`` (ndarray of shape (n_goods,))."""

    @abstractmethod
    def proposals(self, prices: FloatArray) -> Proposals:
        """Every council's proposal at ``prices``."""

    @abstractmethod
    def take(self, rows: slice) -> Population:
        """The councils in ``rows`` as a population of the same kind."""

    @property
    def nbytes(self) -> int:
        """Bytes held in the population's arrays (for memory reports)."""
        total = 0
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                total += value.nbytes
            elif sp.issparse(value):
                total += sum(getattr(value, a).nbytes for a in ("data", "indices", "indptr"))
        return total

    def shard(self, n_shards: int) -> list[Population]:
        """Split into at most ``n_shards`` contiguous blocks of councils."""
        n = self.n_councils
        n_shards = max(1, min(n_shards, n))
        bounds = np.linspace(0, n, n_shards + 1).round().astype(int)
        return [self.take(slice(int(lo), int(hi))) for lo, hi in itertools.pairwise(bounds)]
