"""Typer's parameter coercion without Pydantic for plain values of plain types.

Typer 0.29 converts every command-line value, defaults included, through a
Pydantic ``TypeAdapter`` built per parameter, so a command such as ``parecon
plan`` pays for importing Pydantic and building some twenty adapters (about
0.2 s of CPU, more than NumPy's own import) before it reads its file.

:func:`install` gives Typer's parameters a coercion that converts the values
whose result is certain — a ``str`` or ``bool`` as it is; an ``int`` or ``float`` written plainly
(digits, a point, an exponent) and within the parameter's ``min``/``max``; a
``pathlib.Path`` — without Pydantic, and hands every other value, and every
other type, to Typer's own adapter. So every error message and every edge case
(whitespace, ``+1``, ``1_000``, ``inf``, clamping, choices, files) is Typer's.
Path values still go through Typer's checks (``exists``, ``dir_okay``, ...).
On a Typer without this layout nothing is installed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["install"]

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]{1,3})?")
_UNCERTAIN = object()
"""The direct conversion's answer where only Typer's adapter may decide."""


def _in_range(number: float, info: Any) -> bool:
    return (info.min is None or number >= info.min) and (info.max is None or number <= info.max)


def _direct(kind: type, value: Any, info: Any) -> Any:
    """``value`` converted without Pydantic, or :data:`_UNCERTAIN`."""
    if kind is str or kind is bool:
        return value if type(value) is kind else _UNCERTAIN
    if kind is int:
        if type(value) is str and _INT.fullmatch(value):
            value = int(value)
        if type(value) is int and _in_range(value, info):
            return value
        return _UNCERTAIN
    if kind is float:
        if type(value) is str and _FLOAT.fullmatch(value):
            value = float(value)
        if type(value) is float and math.isfinite(value) and _in_range(value, info):
            return value
        return _UNCERTAIN
    if type(value) is str and value:  # kind is Path
        return Path(value)
    return value if isinstance(value, Path) else _UNCERTAIN


def _kind(descriptor: Any) -> type | None:
    """The plain type a parameter takes, or None where Typer must coerce it."""
    info = descriptor.parameter_info
    annotation = descriptor.annotation
    if descriptor.file_annotation is not None or info.parser is not None:
        return None
    if annotation in (str, bool, int, float):
        return None if annotation in (int, float) and info.clamp else annotation
    if annotation is Path and info.path_type is None:
        return Path
    return None


def install() -> bool:
    """Give Typer's parameters the direct coercion; whether it was installed."""
    try:
        from typer import _coercion
        from typer._param_types import coerce_cli_path
        from typer.core import _TyperParameter
    except ImportError:  # another Typer: its own coercion throughout
        return False
    if not all(hasattr(_coercion, n) for n in ("RuntimeParam", "build_runtime_param")):
        return False
    if getattr(_TyperParameter.get_runtime_param, "lean", False):
        return True

    @dataclass(frozen=True)
    class LeanParam(_coercion.RuntimeParam):
        """Direct conversion first; Typer's adapter, built on first need, otherwise."""

        descriptor: Any = None
        kind: type = str
        typer_param: list[Any] = field(default_factory=list)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            direct = _direct(self.kind, value, self.parameter_info)
            if direct is not _UNCERTAIN:
                if self.kind is Path:
                    return coerce_cli_path(
                        direct, self.parameter_info, path_type=Path, param=param, ctx=ctx
                    )
                return direct
            if not self.typer_param:
                self.typer_param.append(_coercion.build_runtime_param(self.descriptor))
            return self.typer_param[0]._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            kind = _kind(descriptor)
            if kind is None:
                self._runtime_param = _coercion.build_runtime_param(descriptor)
            else:
                self._runtime_param = LeanParam(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    descriptor=descriptor,
                    kind=kind,
                )
        return self._runtime_param

    get_runtime_param.lean = True  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    return True
