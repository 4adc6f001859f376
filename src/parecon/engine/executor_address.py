"""Opening an executor by address: ``local``, ``processes``, ``dask`` or ``dask://HOST:PORT``.

The command line's ``--executor`` and the web platform's settings name executors
the same way. A remote Dask scheduler is probed before Dask is handed the address:
a plain TCP connection with a timeout must receive the opening of a Dask handshake,
so an address where nothing listens, where a silent service holds the connection,
or where some other service answers is one located error, never a hang or Dask
trying to allocate a frame length read from someone else's protocol.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["DASK_PORT", "ExecutorAddress", "open_executor", "parse_executor", "probe_dask"]

DASK_PORT = 8786
"""The Dask scheduler's default port, used when an address names none."""

_MAX_HANDSHAKE = 1 << 20  # bytes; a Dask scheduler's opening message is well under this
_SCHEMES = ("dask://", "tcp://")


@dataclass(frozen=True)
class ExecutorAddress:
    """A parsed executor name: ``kind`` and, for a remote scheduler, its host and port."""

    kind: Literal["local", "processes", "dask-local", "dask-remote"]
    host: str = ""
    port: int = 0

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}" if self.kind == "dask-remote" else self.kind


def parse_executor(spec: str) -> ExecutorAddress:
    """Check an executor name; errors say what a valid one looks like."""
    if spec in ("local", "processes"):
        return ExecutorAddress(spec)  # type: ignore[arg-type]
    if spec == "dask":
        return ExecutorAddress("dask-local")
    if not spec.startswith(_SCHEMES):
        raise InvalidValueError(
            f"unknown executor {spec!r}; use local, processes, dask or dask://HOST:PORT"
        )
    rest = spec.split("://", 1)[1]
    host, colon, port_text = rest.rpartition(":") if ":" in rest else (rest, "", "")
    host = host.strip("[]")
    if not host or "/" in host or any(c.isspace() for c in host):
        raise InvalidValueError(f"no host in executor address {spec!r}; use dask://HOST:PORT")
    if not colon:
        return ExecutorAddress("dask-remote", host, DASK_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InvalidValueError(
            f"port {port_text!r} in executor address {spec!r} is not a number from 1 to 65535"
        )
    return ExecutorAddress("dask-remote", host, int(port_text))


def _receive(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def probe_dask(host: str, port: int, timeout: float = 10.0) -> None:
    """Check that a Dask scheduler answers at ``host:port`` within ``timeout`` seconds.

    A scheduler opens every connection by sending its handshake: an 8-byte frame
    length, then frames of that length. Anything else is refused here.
    """
    where = f"executor dask://{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as exc:
        raise InvalidValueError(f"cannot resolve host {host!r} ({exc.strerror})", where) from None
    except TimeoutError:
        raise InvalidValueError(f"no connection within {timeout:g} s", where) from None
    except OSError as exc:
        raise InvalidValueError(
            f"cannot connect ({exc.strerror or exc}); is a Dask scheduler running there?", where
        ) from None
    with sock:
        try:
            head = _receive(sock, 8)
            if len(head) < 8:
                raise InvalidValueError(
                    "the service there closed the connection: not a Dask scheduler", where
                )
            (length,) = struct.unpack("<Q", head)
            if not 8 <= length <= _MAX_HANDSHAKE:
                raise InvalidValueError(
                    "the service there does not speak Dask's protocol "
                    f"(its first bytes are {head!r})",
                    where,
                )
            body = _receive(sock, length)
        except TimeoutError:
            raise InvalidValueError(
                f"connected, but no Dask handshake came within {timeout:g} s: "
                "not a Dask scheduler, or one too busy to answer",
                where,
            ) from None
        except OSError as exc:
            raise InvalidValueError(f"connection failed ({exc.strerror or exc})", where) from None
    (n_frames,) = struct.unpack("<Q", body[:8]) if len(body) >= 8 else (0,)
    if len(body) < length or not 0 < n_frames < 64:
        raise InvalidValueError("the service there does not speak Dask's protocol", where)


@contextmanager
def open_executor(
    spec: str, workers: int | None = None, timeout: float = 10.0
) -> Iterator[Executor | Any | None]:
    """The executor named by ``spec`` (``None`` for in-process), closed on exit.

    ``workers`` sizes a process pool or a local Dask cluster; it is refused for
    executors it cannot apply to. ``timeout`` bounds reaching a remote scheduler.
    """
    address = parse_executor(spec)
    if workers is not None and address.kind in ("local", "dask-remote"):
        raise InvalidValueError(
            f"a number of workers applies to the processes and dask executors, not {spec!r}"
        )
    if workers is not None and workers < 1:
        raise InvalidValueError(f"workers must be at least 1, not {workers}")
    if address.kind == "local":
        yield None
        return
    if address.kind == "processes":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    if address.kind == "dask-remote":
        probe_dask(address.host, address.port, timeout)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InvalidValueError(
            "the dask executor needs the 'distributed' extra: pip install 'parecon[distributed]'"
        ) from None
    if address.kind == "dask-local":
        with (
            LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address.url, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise InvalidValueError(f"cannot reach the Dask scheduler ({exc})", spec) from None
    with client:
        yield client
