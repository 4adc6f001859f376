"""Where councils' responses are computed: in process, in a pool, on Dask.

The board needs only per-good totals, so councils are split into shards that
stay where they were placed; each round only the price vector goes out and
two vectors of length ``n_goods`` come back from each shard.

- No executor: every population responds in this process.
- Any :class:`concurrent.futures.Executor` running in this process's memory
  (for example a ``ThreadPoolExecutor``): shards are passed by reference.
- A :class:`concurrent.futures.ProcessPoolExecutor`: each shard is pickled
  once into shared memory; a task carries only the block's name, and each
  worker process unpickles a shard once and keeps it.
- A Dask ``Client`` or its ``get_executor()``: shards are scattered to the
  cluster once and tasks refer to them (``distributed`` imported lazily).

Totals are added in shard order, so a given shard count gives bit-identical
results on every executor.
"""

from __future__ import annotations

import pickle
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from parecon.engine.economy import Economy
from parecon.engine.populations import FloatArray, Population, Response, ValueFlows
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:  # imported where used: a plan in process needs neither
    from concurrent.futures import Executor
    from multiprocessing import shared_memory

__all__ = ["ShardedResponder", "flows_shard", "respond_flows_shard", "respond_shard"]

_ATTACHED: dict[str, Population] = {}
"""Shards a worker process has unpickled, by block name, for the placement it serves."""
_PLACEMENT: list[str] = [""]
T = TypeVar("T")


def _is_process_pool(executor: object) -> bool:
    """Whether ``executor`` is a ``ProcessPoolExecutor`` (whose module, if not yet
    imported, cannot have made it)."""
    process = sys.modules.get("concurrent.futures.process")
    return process is not None and isinstance(executor, process.ProcessPoolExecutor)


class _SharedShard:
    """A population pickled into a shared-memory block; pickles as its name."""

    def __init__(self, population: Population, placement: str) -> None:
        self.placement = placement
        from multiprocessing import shared_memory

        payload = pickle.dumps(population, protocol=pickle.HIGHEST_PROTOCOL)
        self.block = shared_memory.SharedMemory(create=True, size=max(1, len(payload)))
        self.block.buf[: len(payload)] = payload  # type: ignore[index]
        self.name = self.block.name
        self.size = len(payload)

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[str, int, str]]:
        return (_attach, (self.name, self.size, self.placement))

    def close(self) -> None:
        self.block.close()
        self.block.unlink()


def _attach(name: str, size: int, placement: str) -> Population:
    """In a worker process: the shard in block ``name``, unpickled once.

    A worker keeps the shards of one placement (one planning run) at a time:
    shards of an earlier run on the same pool are dropped when a new run's
    first shard arrives, so a long-lived pool does not accumulate economies.
    """
    if placement != _PLACEMENT[0]:
        _ATTACHED.clear()
        _PLACEMENT[0] = placement
    if name not in _ATTACHED:
        block = _open_untracked(name)
        try:
            _ATTACHED[name] = pickle.loads(bytes(block.buf[:size]))  # type: ignore[index]
        finally:
            block.close()
    return _ATTACHED[name]


def _open_untracked(name: str) -> shared_memory.SharedMemory:
    """Attach to a block that the placing process owns and unlinks.

    Pool workers share their parent's resource tracker, where the block is
    already registered: attaching adds nothing, and unregistering here would
    drop the parent's own registration. Python 3.13 can say so explicitly.
    """
    from multiprocessing import shared_memory

    if sys.version_info >= (3, 13):
        return shared_memory.SharedMemory(name=name, track=False)
    return shared_memory.SharedMemory(name=name)


def respond_shard(shard: Population, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A shard's totals at ``prices``: the only data that crosses back."""
    response = shard.respond(prices)
    return response.supply, response.demand


Reading = tuple[FloatArray, FloatArray] | None
"""The prices of a run's first two rounds (:meth:`Population.read_rounds`), from
the second round on; None in the first."""


def flows_shard(
    shard: Population, prices: FloatArray, effort_share: float, reading: Reading = None
) -> ValueFlows:
    """A shard's value flows at ``prices`` (dense (n_goods, n_goods) tables)."""
    if reading is not None:
        shard.read_rounds(*reading)
    return shard.value_flows(prices, effort_share)


def respond_flows_shard(
    shard: Population, prices: FloatArray, effort_share: float, reading: Reading = None
) -> tuple[FloatArray, FloatArray, ValueFlows]:
    """A shard's totals and value flows at ``prices``, in one pass where it can."""
    if reading is not None:
        shard.read_rounds(*reading)
    response, flows = shard.respond_with_flows(prices, effort_share)
    return response.supply, response.demand, flows


def _dask_client(executor: Any) -> Any | None:
    """The Dask client behind ``executor``, or None when it is not Dask's."""
    module = type(executor).__module__ or ""
    if not module.startswith("distributed"):
        return None
    return getattr(executor, "_client", executor)


class ShardedResponder:
    """Places an economy's councils on an executor and gathers their totals.

    Parameters
    ----------
    economy : Economy or sequence of Population
        The councils (all responding to the same goods).
    executor : concurrent.futures.Executor or dask Client, optional
    n_shards : int, optional
        Shards per population; by default one per executor worker (or 1).
    """

    def __init__(
        self,
        economy: Economy | Sequence[Population],
        executor: Any = None,
        n_shards: int | None = None,
    ) -> None:
        populations = _populations(economy)
        self.populations = populations
        self.n_goods = populations[0].n_goods
        self._client = _dask_client(executor) if executor is not None else None
        if self._client is not None and executor is self._client:
            executor = self._client.get_executor()
        self.executor: Executor | None = executor
        if n_shards is None:
            n_shards = _default_shards(executor, self._client)
        self.n_shards = n_shards
        shards: list[Population] = []
        for pop in populations:
            pop.forget_rounds()  # a planning run reads only its own rounds
            shards.extend(pop.shard(n_shards) if n_shards > 1 else [pop])
        self._shared: list[_SharedShard] = []
        self._handles: Sequence[Any]
        if executor is None:
            self._handles = shards
        elif self._client is not None:
            self._handles = self._client.scatter(shards, broadcast=False, hash=False)
        elif _is_process_pool(executor):
            placement = uuid.uuid4().hex
            try:
                for shard in shards:  # one at a time: a failure releases the blocks made
                    self._shared.append(_SharedShard(shard, placement))
            except BaseException:
                self.close()
                raise
            self._handles = self._shared
        else:
            self._handles = shards

    def respond(self, prices: FloatArray) -> Response:
        """Totals over all shards at ``prices``, added in shard order."""
        parts = self._gather(respond_shard, np.asarray(prices, dtype=np.float64))
        supply = np.zeros(self.n_goods)
        demand = np.zeros(self.n_goods)
        for s, d in parts:
            supply += s
            demand += d
        return Response(supply, demand)

    def value_flows(
        self, prices: FloatArray, effort_share: float = 0.0, reading: Reading = None
    ) -> ValueFlows:
        """Value flows over all shards at ``prices``, added in shard order.

        Asked only by rules that use them (:attr:`PriceRule.uses_flows`): each
        shard sends back a few (n_goods, n_goods) tables, never its councils'
        proposals. ``reading``: the run's first two rounds' prices, from which
        each shard reads what its councils' proposals reveal
        (:meth:`Population.read_rounds`).
        """
        parts = self._gather(
            flows_shard, np.asarray(prices, dtype=np.float64), effort_share, reading
        )
        return ValueFlows.total(parts)

    def respond_with_flows(
        self, prices: FloatArray, effort_share: float = 0.0, reading: Reading = None
    ) -> tuple[Response, ValueFlows]:
        """:meth:`respond` and :meth:`value_flows` in one task per shard (the same
        sums, in the same order; a shard reads its councils once where its kind
        can)."""
        parts = self._gather(
            respond_flows_shard, np.asarray(prices, dtype=np.float64), effort_share, reading
        )
        supply = np.zeros(self.n_goods)
        demand = np.zeros(self.n_goods)
        for s, d, _ in parts:
            supply += s
            demand += d
        return Response(supply, demand), ValueFlows.total([f for _, _, f in parts])

    def _gather(self, task: Callable[..., T], *args: Any) -> list[T]:
        """``task(shard, *args)`` for every shard, on the executor, in shard order."""
        if self.executor is None:
            return [task(h, *args) for h in self._handles]
        futures = [self.executor.submit(task, h, *args) for h in self._handles]
        return [f.result() for f in futures]

    def close(self) -> None:
        """Release shared memory and scattered data."""
        for shard in self._shared:
            shard.close()
        self._shared = []
        if self._client is not None:
            self._client.cancel(list(self._handles))

    def __enter__(self) -> ShardedResponder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _populations(economy: Economy | Sequence[Population]) -> tuple[Population, ...]:
    """The councils of ``economy``, checked to respond to one set of goods."""
    if isinstance(economy, Economy):
        return economy.populations
    populations = tuple(economy)
    if not populations:
        raise InvalidValueError("no councils to plan with", "round")
    for i, pop in enumerate(populations):
        if not isinstance(pop, Population):
            raise InvalidValueError(f"{type(pop).__name__} is not a population", f"population {i}")
        if pop.n_goods != populations[0].n_goods:
            raise InvalidValueError(
                f"responds to {pop.n_goods} goods but population 0 to {populations[0].n_goods}",
                f"population {i} ({pop.kind})",
            )
    return populations


def _default_shards(executor: Any, client: Any) -> int:
    if executor is None:
        return 1
    if client is not None:
        return max(1, int(sum(client.nthreads().values())))
    return max(1, int(getattr(executor, "_max_workers", 1)))
