"""Local, thread, process-pool and Dask executors give identical plans."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from parecon.engine import Economy, PlanningProcedure
from parecon.engine.executors import ShardedResponder


def _run(economy: Economy, executor: object, shards: int):  # type: ignore[no-untyped-def]
    return PlanningProcedure("pequod", n_shards=shards, max_rounds=60).run(economy, executor)


def test_process_pool_and_threads_match_local(small_economy: Economy) -> None:
    local = _run(small_economy, None, 3)
    with ThreadPoolExecutor(2) as threads:
        threaded = _run(small_economy, threads, 3)
    with ProcessPoolExecutor(2) as pool:
        processes = _run(small_economy, pool, 3)
    for other in (threaded, processes):
        assert other.rounds == local.rounds
        np.testing.assert_array_equal(other.prices, local.prices)
        np.testing.assert_array_equal(other.supply, local.supply)
        np.testing.assert_array_equal(other.demand, local.demand)


def test_dask_matches_local(small_economy: Economy) -> None:
    distributed = pytest.importorskip("distributed")
    local = _run(small_economy, None, 2)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = _run(small_economy, client, 2)
        via_executor = _run(small_economy, client.get_executor(), 2)
    for other in (on_dask, via_executor):
        assert other.rounds == local.rounds
        np.testing.assert_array_equal(other.prices, local.prices)
        np.testing.assert_array_equal(other.supply, local.supply)


def test_shard_count_changes_only_rounding(small_economy: Economy) -> None:
    one = _run(small_economy, None, 1)
    many = _run(small_economy, None, 7)
    assert one.rounds == many.rounds
    np.testing.assert_allclose(one.prices, many.prices, rtol=1e-10)


def test_process_shards_travel_once_through_shared_memory(small_economy: Economy) -> None:
    import pickle

    with ProcessPoolExecutor(1) as pool, ShardedResponder(small_economy, pool, 2) as responder:
        handle_sizes = [len(pickle.dumps(h)) for h in responder._handles]
        assert max(handle_sizes) < 200  # a name, not the councils' arrays
        np.testing.assert_allclose(
            responder.respond(small_economy.initial_prices).demand,
            small_economy.respond(small_economy.initial_prices).demand,
            rtol=1e-12,
        )


def test_the_default_rule_plans_identically_on_every_executor(small_economy: Economy) -> None:
    """The default rule also gathers value flows from the shards each round."""
    distributed = pytest.importorskip("distributed")

    def run(executor: object) -> object:
        return PlanningProcedure(n_shards=3, tolerance=1e-4).run(small_economy, executor)

    local = run(None)
    with ProcessPoolExecutor(2) as pool:
        processes = run(pool)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = run(client)
    for other in (processes, on_dask):
        assert other.rounds == local.rounds  # type: ignore[attr-defined]
        np.testing.assert_array_equal(other.prices, local.prices)  # type: ignore[attr-defined]


def test_shared_memory_is_released_when_placing_a_shard_fails(
    small_economy: Economy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multiprocessing import shared_memory

    from parecon.engine import executors

    made: list[str] = []
    real = executors._SharedShard

    def place(population: object, placement: str) -> object:
        if made:
            raise MemoryError("no room for a second block")
        shard = real(population, placement)  # type: ignore[arg-type]
        made.append(shard.name)
        return shard

    monkeypatch.setattr(executors, "_SharedShard", place)
    with ProcessPoolExecutor(1) as pool, pytest.raises(MemoryError):
        ShardedResponder(small_economy, pool, 2)
    assert len(made) == 1
    with pytest.raises(FileNotFoundError):
        shared_memory.SharedMemory(name=made[0])


def _attached_count() -> int:
    from parecon.engine import executors

    return len(executors._ATTACHED)


def test_pool_workers_keep_only_the_current_runs_shards(small_economy: Economy) -> None:
    with ProcessPoolExecutor(1) as pool:
        for shards in (4, 2):
            with ShardedResponder(small_economy, pool, shards) as responder:
                responder.respond(small_economy.initial_prices)
                held = pool.submit(_attached_count).result()
            # a fixed supply is one shard whatever the count
            assert held == len(responder._handles)
