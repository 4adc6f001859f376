"""The board's memory as JSON: price rules' states, so planning can resume.

Price rules keep their memory in plain values, NumPy arrays and frozen
dataclasses. This codec writes those as JSON-ready values and reads them back
exactly (floats by their shortest round-trip form, arrays with their dtype;
infinities and NaN as strings, so the JSON stays strict and a database's JSON
column takes it). On reading it only ever rebuilds dataclasses defined in
:mod:`parecon.engine.price_rules`, so a stored state cannot make the program
construct anything else. It lives in the engine (not with the file formats)
because a board that is snapshotted between requests needs it as much as a
plan file does.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from parecon.exceptions import InputError

__all__ = ["ArrayOf", "check_state", "items_are", "state_from_json", "state_to_json", "value_is"]

_ALLOWED_PREFIX = "parecon.engine.price_rules."
_NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def _float_to_json(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _array_to_json(array: np.ndarray[Any, Any]) -> dict[str, Any]:
    values: Any = array.tolist()
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        values = np.vectorize(_float_to_json, otypes=[object])(array).tolist()
    out: dict[str, Any] = {"__ndarray__": values, "dtype": str(array.dtype)}
    if array.size == 0 and array.ndim != 1:
        out["shape"] = list(array.shape)
    return out


def state_to_json(state: Any) -> Any:
    """A JSON-ready form of a rule's state (tuples are written as lists)."""
    if state is None or isinstance(state, bool | int | str):
        return state
    if isinstance(state, np.bool_):
        return bool(state)
    if isinstance(state, np.integer):
        return int(state)
    if isinstance(state, float | np.floating):
        value = float(state)
        return value if math.isfinite(value) else {"__float__": _float_to_json(value)}
    if isinstance(state, np.ndarray):
        return _array_to_json(state)
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
    """Rebuild a state written by :func:`state_to_json`; errors name ``where``."""
    if document is None or isinstance(document, bool | int | float | str):
        return document
    if isinstance(document, list):
        return [state_from_json(v, f"{where}[{i}]") for i, v in enumerate(document)]
    if isinstance(document, dict) and "__float__" in document:
        if document["__float__"] not in _NON_FINITE:
            raise InputError(f"not a number: {document['__float__']!r}", where)
        return _NON_FINITE[document["__float__"]]
    if isinstance(document, dict) and "__ndarray__" in document:
        try:
            array = np.asarray(document["__ndarray__"], dtype=document.get("dtype", "float64"))
            if "shape" in document:
                array = array.reshape(document["shape"])
        except (TypeError, ValueError) as exc:
            raise InputError(f"not an array ({exc})", where) from None
        return array
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
        if not isinstance(fields, dict):
            raise InputError(f"'fields' must be an object (got {fields!r})", where)
        values = {k: state_from_json(v, f"{where}.{k}") for k, v in fields.items()}
        try:
            return cls(**values)
        except TypeError as exc:
            raise InputError(f"bad fields for {name}: {exc}", where) from None
    raise InputError(f"unexpected value {document!r}", where)


@dataclass(frozen=True)
class ArrayOf:
    """The declared shape of an array in a rule's state, for :func:`check_state`.

    ``"n"`` in ``dims`` stands for the number of goods; ``finite`` says whether
    infinities and NaN are refused.
    """

    dims: tuple[int | str, ...]
    finite: bool = True


Spec = ArrayOf | type[bool] | tuple["Spec", ...]
"""An array, a flag (``bool``), or a tuple of these, item by item."""


def items_are(spec: Spec) -> dict[str, Spec]:
    """Field metadata: each item of this list (or tuple) field has the shape ``spec``."""
    return {"items": spec}


def value_is(spec: Spec) -> dict[str, Spec]:
    """Field metadata: this field, when it is not ``None``, has the shape ``spec``."""
    return {"value": spec}


def _check_spec(value: Any, spec: Spec, n_goods: int, where: str) -> None:
    if spec is bool:
        if not isinstance(value, bool | np.bool_):
            raise InputError(f"expected true or false (got {value!r})", where)
        return
    if isinstance(spec, ArrayOf):
        shape = tuple(n_goods if d == "n" else d for d in spec.dims)
        if not (isinstance(value, np.ndarray) and value.dtype.kind in "fiu"):
            raise InputError(f"expected an array of numbers (got {type(value).__name__})", where)
        if value.shape != shape:
            raise InputError(f"an array of shape {value.shape}, expected {shape}", where)
        if spec.finite and not np.isfinite(value).all():
            raise InputError("an array with infinite or missing numbers", where)
        return
    assert isinstance(spec, tuple)
    if not isinstance(value, list | tuple) or len(value) != len(spec):
        raise InputError(f"expected a list of {len(spec)} items (got {value!r:.60})", where)
    for i, (item, part) in enumerate(zip(value, spec, strict=True)):
        _check_spec(item, part, n_goods, f"{where}[{i}]")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def check_state(state: Any, reference: Any, n_goods: int, where: str = "rule_state") -> None:
    """Refuse a stored ``state`` whose shape differs from ``reference``, a rule's own
    fresh state (:meth:`PriceRule.start`), before a rule meets it mid-plan.

    Checked: the same state type; numbers where the fresh state has numbers (finite
    where it is finite); lists where it has lists; arrays of its shape; and, where the
    fresh state holds ``None`` (something learned later), ``None``, a number or an
    array sized by the ``n_goods`` goods. Fields that declare their shape in their
    metadata (:func:`items_are` for a list's items, :func:`value_is` for an optional
    value) are checked against it, item by item.
    """
    if reference is None:
        if state is None or _is_number(state):
            return
        if isinstance(state, np.ndarray) and state.dtype.kind in "fiu":
            if state.ndim and all(d == n_goods for d in state.shape):
                return
            raise InputError(f"an array of shape {state.shape} for {n_goods} goods", where)
        if isinstance(state, list | tuple):
            return
        raise InputError(f"unexpected value {state!r}", where)
    if dataclasses.is_dataclass(reference) and not isinstance(reference, type):
        if type(state) is not type(reference):
            raise InputError(
                f"expected a {type(reference).__name__} (got {type(state).__name__})", where
            )
        for f in dataclasses.fields(reference):
            value, fresh = getattr(state, f.name), getattr(reference, f.name)
            check_state(value, fresh, n_goods, f"{where}.{f.name}")
            if "value" in f.metadata and value is not None:
                _check_spec(value, f.metadata["value"], n_goods, f"{where}.{f.name}")
            for i, item in enumerate(value if "items" in f.metadata else ()):
                _check_spec(item, f.metadata["items"], n_goods, f"{where}.{f.name}[{i}]")
        return
    if isinstance(reference, np.ndarray):
        _check_spec(state, ArrayOf(reference.shape, finite=False), n_goods, where)
        return
    if isinstance(reference, list | tuple):
        if not isinstance(state, list | tuple):
            raise InputError(f"expected a list (got {state!r})", where)
        return
    if _is_number(reference):
        if not _is_number(state):
            raise InputError(f"expected a number (got {state!r})", where)
        if math.isfinite(float(reference)) and not math.isfinite(float(state)):
            raise InputError(f"must be finite (got {state!r})", where)
        return
    if type(state) is not type(reference):
        raise InputError(f"unexpected value {state!r}", where)
