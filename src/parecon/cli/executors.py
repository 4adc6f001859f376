"""Turning ``--executor`` into a concurrent.futures executor."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from parecon.exceptions import ValidationError

__all__ = ["open_executor"]


@contextmanager
def open_executor(spec: str, workers: int | None = None) -> Iterator[Executor | Any | None]:
    """``local`` (in process), ``processes``, ``dask`` (a local cluster) or ``dask://HOST:PORT``."""
    if spec == "local":
        yield None
    elif spec == "processes":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
    elif spec == "dask" or spec.startswith(("dask://", "tcp://")):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValidationError(
                "the dask executor needs the 'distributed' extra: "
                "pip install 'parecon[distributed]'"
            ) from None
        if spec == "dask":
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
        else:
            address = spec.removeprefix("dask://")
            if "://" not in address:
                address = "tcp://" + address
            try:
                client = Client(address, timeout="10s")
            except OSError as exc:
                raise ValidationError(
                    f"cannot reach the Dask scheduler at {address}: {exc}"
                ) from None
            with client:
                yield client
    else:
        raise ValidationError(
            f"unknown executor {spec!r}; use local, processes, dask or dask://HOST:PORT"
        )
