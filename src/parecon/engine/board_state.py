"""A snapshot of the facilitation board, as a frozen value and as JSON.

Real planning rounds last days and span many requests and server restarts,
so the board must be storable between rounds: :class:`BoardState` holds
everything a :class:`~parecon.engine.FacilitationBoard` knows (prices
announced, the rule by name with its settings, the rule's memory, the
settings of planning, every round's record and the status), and
``FacilitationBoard.restore(state)`` continues exactly where the original
would have. The JSON is strict (no ``NaN``/``Infinity`` literals) and floats
are written in their shortest round-trip form, so a board restored from it
announces bit-identical prices.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

import numpy as np

from parecon.engine.populations import FloatArray
from parecon.engine.rounds import STATUSES, RoundRecord, Status
from parecon.engine.rule_state import state_from_json, state_to_json
from parecon.exceptions import InputError

__all__ = ["BOARD_FORMAT", "BoardState"]

BOARD_FORMAT = "parecon-board/1"
"""The ``format`` tag of a board's JSON (bumped when the layout changes)."""

_WHERE = "board state"
_ARRAYS = ("prices", "supply", "demand", "gaps", "next_prices")


def _frozen(array: Any) -> FloatArray:
    out = np.array(array, dtype=np.float64)
    out.setflags(write=False)
    return out


def _number(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _vector_to_json(array: FloatArray) -> list[float | str]:
    return [_number(float(v)) for v in array.tolist()]


def _read_vector(value: Any, where: str, n: int | None) -> FloatArray:
    if not isinstance(value, list) or not all(
        (isinstance(v, int | float) and not isinstance(v, bool)) or v in ("inf", "-inf", "nan")
        for v in value
    ):
        raise InputError("must be a list of numbers", where)
    array = _frozen(np.asarray(value, dtype=np.float64))
    if n is not None and array.shape != (n,):
        raise InputError(f"has {array.shape[0]} values, expected {n}", where)
    return array


def _read_number(document: Mapping[str, Any], key: str, where: str = _WHERE) -> float:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"field {key!r} must be a number (got {value!r})", where)
    return float(value)


def _read_int(document: Mapping[str, Any], key: str, where: str = _WHERE) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"field {key!r} must be an integer (got {value!r})", where)
    return value


def _tuples(value: Any) -> Any:
    """Settings read back from JSON: lists become tuples (settings are immutable)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


@dataclass(frozen=True, eq=False)
class BoardState:
    """Everything a facilitation board knows between two rounds.

    Attributes
    ----------
    rule : str
        The price rule's registered name.
    rule_settings : mapping of str to value
        The rule's settings (its dataclass fields, including what
        :meth:`PriceRule.bind` set from the goods).
    rule_state : object
        The rule's memory (plain values, arrays, frozen dataclasses).
    prices : ndarray of shape (n_goods,)
        The prices now announced (those of the open round, or the last one's).
    tolerance : float
    max_rounds : int
    rounds_to : tuple of (float, int or None)
        Each recorded gap threshold, largest first, and the first round below it.
    history : tuple of RoundRecord
        Every round tallied, in order.
    status : {"open", "converged", "max-rounds", "stopped", "diverged"}
    opened : float
        Wall-clock time (POSIX seconds) at which the open round opened.
    """

    rule: str
    rule_settings: Mapping[str, Any]
    rule_state: Any
    prices: FloatArray
    tolerance: float
    max_rounds: int
    rounds_to: tuple[tuple[float, int | None], ...]
    history: tuple[RoundRecord, ...]
    status: Status
    opened: float
    format: str = field(default=BOARD_FORMAT, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rule_settings", MappingProxyType(dict(self.rule_settings)))
        object.__setattr__(self, "prices", _frozen(self.prices))
        object.__setattr__(self, "history", tuple(self.history))
        object.__setattr__(self, "rounds_to", tuple(self.rounds_to))

    @property
    def round(self) -> int:
        """Number of the round open for proposals (1-based)."""
        return len(self.history) + 1

    def to_document(self) -> dict[str, Any]:
        """A JSON-ready ``dict`` (for a database's JSON column)."""
        return {
            "format": self.format,
            "rule": self.rule,
            "rule_settings": {k: state_to_json(v) for k, v in self.rule_settings.items()},
            "rule_state": state_to_json(self.rule_state),
            "prices": _vector_to_json(self.prices),
            "tolerance": self.tolerance,
            "max_rounds": self.max_rounds,
            "rounds_to": [[t, r] for t, r in self.rounds_to],
            "status": self.status,
            "opened": self.opened,
            "history": [
                {
                    "round": r.round,
                    **{name: _vector_to_json(getattr(r, name)) for name in _ARRAYS},
                    "opened": r.opened,
                    "closed": r.closed,
                }
                for r in self.history
            ],
        }

    def to_json(self) -> str:
        """The state as strict JSON text."""
        return json.dumps(self.to_document(), allow_nan=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> BoardState:
        """Read a state written by :meth:`to_json`; errors name the field."""
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"not JSON ({exc})", _WHERE) from None
        return cls.from_document(document)

    @classmethod
    def from_document(cls, document: Any) -> BoardState:
        """Read a state from :meth:`to_document`'s form."""
        if not isinstance(document, dict):
            raise InputError("must be a JSON object", _WHERE)
        if document.get("format") != BOARD_FORMAT:
            raise InputError(
                f"field 'format' must be {BOARD_FORMAT!r} (got {document.get('format')!r})",
                _WHERE,
            )
        rule = document.get("rule")
        if not isinstance(rule, str):
            raise InputError(f"field 'rule' must be a rule's name (got {rule!r})", _WHERE)
        settings = document.get("rule_settings", {})
        if not isinstance(settings, dict):
            raise InputError("field 'rule_settings' must be an object", _WHERE)
        status = document.get("status")
        if status not in STATUSES:
            raise InputError(
                f"field 'status' must be one of {', '.join(STATUSES)} (got {status!r})", _WHERE
            )
        prices = _read_vector(document.get("prices"), f"{_WHERE}, field 'prices'", None)
        n = prices.shape[0]
        rounds_to = document.get("rounds_to", [])
        if not isinstance(rounds_to, list) or not all(
            isinstance(p, list)
            and len(p) == 2
            and isinstance(p[0], int | float)
            and (p[1] is None or isinstance(p[1], int))
            for p in rounds_to
        ):
            raise InputError("field 'rounds_to' must be [threshold, round or null] pairs", _WHERE)
        history = document.get("history", [])
        if not isinstance(history, list):
            raise InputError("field 'history' must be a list of rounds", _WHERE)
        records = []
        for i, entry in enumerate(history):
            where = f"{_WHERE}, history[{i}]"
            if not isinstance(entry, dict):
                raise InputError("must be an object", where)
            if entry.get("round") != i + 1:
                raise InputError(
                    f"field 'round' must be {i + 1} (got {entry.get('round')!r})", where
                )
            arrays = {k: _read_vector(entry.get(k), f"{where}, field {k!r}", n) for k in _ARRAYS}
            records.append(
                RoundRecord(
                    round=i + 1,
                    **arrays,
                    opened=_read_number(entry, "opened", where),
                    closed=_read_number(entry, "closed", where),
                )
            )
        return cls(
            rule=rule,
            rule_settings={
                str(k): _tuples(state_from_json(v, f"{_WHERE}, rule_settings.{k}"))
                for k, v in settings.items()
            },
            rule_state=state_from_json(document.get("rule_state"), f"{_WHERE}, rule_state"),
            prices=prices,
            tolerance=_read_number(document, "tolerance"),
            max_rounds=_read_int(document, "max_rounds"),
            rounds_to=tuple((float(t), r) for t, r in rounds_to),
            history=tuple(records),
            status=cast(Status, status),
            opened=_read_number(document, "opened"),
        )
