"""Executors named by address, and a remote Dask scheduler probed before Dask sees it.

Every server here listens on 127.0.0.1 only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from parecon.engine.executor_address import (
    DASK_PORT,
    ExecutorAddress,
    open_executor,
    parse_executor,
    probe_dask,
)
from parecon.exceptions import InvalidValueError


@contextmanager
def local_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def serve() -> None:
        server.settimeout(10)
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            handle(conn)
            done.wait(10)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        done.set()
        server.close()
        thread.join(5)


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("local", ExecutorAddress("local")),
        ("processes", ExecutorAddress("processes")),
        ("dask", ExecutorAddress("dask-local")),
        ("dask://sched:1234", ExecutorAddress("dask-remote", "sched", 1234)),
        ("tcp://10.0.0.1:8786", ExecutorAddress("dask-remote", "10.0.0.1", 8786)),
        ("dask://sched", ExecutorAddress("dask-remote", "sched", DASK_PORT)),
        ("dask://[::1]:9000", ExecutorAddress("dask-remote", "::1", 9000)),
    ],
)
def test_parse_executor(spec: str, parsed: ExecutorAddress) -> None:
    assert parse_executor(spec) == parsed


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("dask://", "no host"),
        ("dask://:8786", "no host"),
        ("dask://host:notaport", "'notaport'"),
        ("dask://host:0", "from 1 to 65535"),
        ("dask://host:", "from 1 to 65535"),
        ("cloud", "unknown executor 'cloud'"),
    ],
)
def test_bad_addresses(spec: str, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        parse_executor(spec)


def test_silent_service_times_out_instead_of_hanging() -> None:
    with local_server(lambda conn: None) as port:
        start = time.perf_counter()
        with pytest.raises(InvalidValueError, match="no Dask handshake came within 0.5 s"):
            probe_dask("127.0.0.1", port, timeout=0.5)
        assert time.perf_counter() - start < 5


def test_foreign_service_is_not_mistaken_for_dask() -> None:
    with (
        local_server(lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")) as port,
        pytest.raises(InvalidValueError, match="does not speak Dask's protocol"),
    ):
        probe_dask("127.0.0.1", port, timeout=2)


def test_service_that_closes_at_once() -> None:
    with (
        local_server(lambda conn: conn.close()) as port,
        pytest.raises(InvalidValueError, match="closed the connection"),
    ):
        probe_dask("127.0.0.1", port, timeout=2)


def test_nothing_listening() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InvalidValueError, match=f"dask://127.0.0.1:{port}: cannot connect"):
        probe_dask("127.0.0.1", port, timeout=2)


def test_workers_only_where_they_apply() -> None:
    with pytest.raises(InvalidValueError, match="not 'local'"), open_executor("local", workers=2):
        pass
    with open_executor("local") as pool:
        assert pool is None
    with open_executor("processes", workers=1) as pool:
        assert pool is not None and pool.submit(abs, -3).result() == 3


def test_a_real_scheduler_passes_the_probe() -> None:
    distributed = pytest.importorskip("distributed")
    import asyncio

    async def main() -> None:
        async with distributed.Scheduler(host="127.0.0.1", port=0, dashboard=False) as s:
            host, port = s.address.removeprefix("tcp://").split(":")
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, probe_dask, host, int(port), 5.0)

    # a thread of its own: another test may have left this thread's event loop running
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and not failures, failures
