"""Leave the interpreter without its teardown when a command says nothing needs it.

At exit CPython runs a last garbage collection, finalises every module and frees
every object one by one: for a ``parecon plan`` of 30,000 councils that is about a
tenth of a second of CPU, as much as its planning rounds, and none of it writes
anything. A command that has written and closed all its outputs, in this process
(no worker processes, threads or Dask client to wind down), calls
:func:`not_needed`; :func:`leave` then flushes the standard streams and logging and
ends the process at once. Anything else exits as usual.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import NoReturn

__all__ = ["leave", "not_needed"]

_not_needed = False


def not_needed() -> None:
    """Declare that the command has finished every write and started nothing to wind down."""
    global _not_needed
    _not_needed = True


def leave(code: int) -> NoReturn:
    """Exit with ``code``: at once where :func:`not_needed` was declared and nothing
    else could need the teardown (another thread, a coverage measurement), else as usual."""
    if _not_needed and threading.active_count() == 1 and "coverage" not in sys.modules:
        if "logging" in sys.modules:
            import logging

            logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: the usual exit would fail too
                sys.exit(code)
        os._exit(code)
    sys.exit(code)
