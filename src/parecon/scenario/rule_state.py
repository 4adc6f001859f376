"""The board's memory as JSON, so a plan can be continued next period.

Price rules keep their memory in plain values, NumPy arrays and frozen
dataclasses. This codec writes those as JSON and reads them back; on reading
it only ever rebuilds dataclasses defined in :mod:`parecon.engine.price_rules`,
so a plan file cannot make the program construct anything else.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import numpy as np

from parecon.exceptions import InputError

__all__ = ["state_from_json", "state_to_json"]

_ALLOWED_PREFIX = "parecon.engine.price_rules."


def state_to_json(state: Any) -> Any:
    """A JSON-ready form of a rule's state."""
    if state is None or isinstance(state, bool | int | str):
        return state
    if isinstance(state, float | np.floating):
        return float(state)
    if isinstance(state, np.ndarray):
        return {"__ndarray__": state.tolist(), "dtype": str(state.dtype)}
    if isinstance(state, list | tuple):
        return [state_to_json(v) for v in state]
    if dataclasses.is_dataclass(state) and not isinstance(state, type):
        cls = type(state)
        return {
            "__dataclass__": f"{cls.__module__}:{cls.__qualname__}",
            "fields": {
                f.name: state_to_json(getattr(state, f.name)) for f in dataclasses.fields(state)
            },
        }
    raise InputError(f"cannot store a price rule state of type {type(state).__name__}")


def state_from_json(document: Any, where: str = "rule_state") -> Any:
    """Rebuild a state written by :func:`state_to_json`."""
    if document is None or isinstance(document, bool | int | float | str):
        return document
    if isinstance(document, list):
        return [state_from_json(v, f"{where}[{i}]") for i, v in enumerate(document)]
    if isinstance(document, dict) and "__ndarray__" in document:
        try:
            return np.asarray(document["__ndarray__"], dtype=document.get("dtype", "float64"))
        except (TypeError, ValueError) as exc:
            raise InputError(f"not an array ({exc})", where) from None
    if isinstance(document, dict) and "__dataclass__" in document:
        module, _, name = str(document["__dataclass__"]).partition(":")
        if not module.startswith(_ALLOWED_PREFIX):
            raise InputError(f"refusing to build {document['__dataclass__']!r}", where)
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            raise InputError(f"unknown state type {document['__dataclass__']!r}", where) from None
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise InputError(f"{name} is not a state type", where)
        fields = document.get("fields", {})
        values = {k: state_from_json(v, f"{where}.{k}") for k, v in fields.items()}
        try:
            return cls(**values)
        except TypeError as exc:
            raise InputError(f"bad fields for {name}: {exc}", where) from None
    raise InputError(f"unexpected value {document!r}", where)
