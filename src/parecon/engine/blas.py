"""Keep the board's small dense algebra on one BLAS thread.

The board's linear algebra is on (goods × goods) matrices: milliseconds on one
core. Left to OpenBLAS's own threads it contends with the councils' parallel
kernels (and on a busy two-core machine took 10–20 times longer, measured).
``threadpoolctl`` scopes the limit to the board's update; without it nothing
changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

__all__ = ["one_blas_thread"]


@cache
def _controller() -> Any | None:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS limited to one thread (when threadpoolctl is installed)."""
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
