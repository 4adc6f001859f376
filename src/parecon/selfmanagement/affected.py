"""Who a decision affects, and how much: weights from rules over a tree of units.

Units (chapters, councils, federations) form a tree given as plain data; each
lists its own members, and belongs to its parent. A proposal declares the
units it affects, stakeholders by category (workers of the unit, consumers of
its output, neighbours) and members listed by name; the scope's
:class:`WeightingRule` turns that into a weight per member, with the reason
each member can read (and challenge) before voting opens. The decision is
placed at the lowest unit that contains everyone with a say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.exact import Weight, exact

__all__ = ["Affected", "Unit", "UnitTree", "Weighting", "WeightingRule", "weigh"]


@dataclass(frozen=True)
class Unit:
    """A chapter, council or federation: its id, its parent's id, its own members."""

    id: str
    parent: str | None = None
    members: tuple[str, ...] = ()
    kind: str = "chapter"


class UnitTree:
    """Units as a tree, checked once: unique ids, known parents, no cycles."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: dict[str, Unit] = {}
        for u in units:
            if not u.id.strip():
                raise InvalidValueError("empty unit id", "units")
            if u.id in self.units:
                raise InvalidValueError("appears twice", f"unit {u.id!r}")
            self.units[u.id] = u
        for u in self.units.values():
            if u.parent is not None and u.parent not in self.units:
                raise InvalidValueError(f"unknown parent {u.parent!r}", f"unit {u.id!r}")
        for u in self.units.values():
            self.ancestors(u.id)
        self._children: dict[str, list[str]] = {i: [] for i in self.units}
        for u in self.units.values():
            if u.parent is not None:
                self._children[u.parent].append(u.id)
        self._units_of: dict[str, list[str]] = {}
        for u in self.units.values():
            for m in u.members:
                self._units_of.setdefault(m, []).append(u.id)

    def unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise InvalidValueError("unknown unit", f"unit {unit_id!r}") from None

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """``unit_id`` and its parents up to the root, nearest first."""
        chain = [self.unit(unit_id).id]
        while (parent := self.units[chain[-1]].parent) is not None:
            if parent in chain:
                raise InvalidValueError("units form a cycle", f"unit {unit_id!r}")
            chain.append(parent)
        return tuple(chain)

    def members_of(self, unit_id: str) -> frozenset[str]:
        """Everyone in ``unit_id`` or any unit below it."""
        out = set(self.unit(unit_id).members)
        for child in self._children[unit_id]:
            out |= self.members_of(child)
        return frozenset(out)

    def units_of(self, member: str) -> tuple[str, ...]:
        """The units that list ``member`` directly."""
        return tuple(self._units_of.get(member, ()))

    def lowest_containing(self, members: Iterable[str]) -> str:
        """The deepest unit whose members include all of ``members``."""
        common: set[str] | None = None
        for m in members:
            units = self.units_of(m)
            if not units:
                raise InvalidValueError("is a member of no unit", f"member {m!r}")
            containing = {a for u in units for a in self.ancestors(u)}
            common = containing if common is None else common & containing
        if common is None:
            raise InvalidValueError("nobody is affected", "affected")
        if not common:
            raise InvalidValueError("no unit contains everyone affected", "affected")
        return max(sorted(common), key=lambda u: len(self.ancestors(u)))


@dataclass(frozen=True)
class WeightingRule:
    """A scope's rule for weights.

    ``levels[k]`` is the weight of members k levels up from an affected unit
    (0: the unit itself, 1: the rest of its parent, e.g. its region; further
    out: no say). ``stakes`` maps a stake category to its weight. A member
    reached by several routes gets the largest weight (``combine="max"``) or
    their sum (``"sum"``); listed members get exactly their listed weight.
    """

    levels: tuple[Weight, ...] = (1, Fraction(1, 4))
    stakes: Mapping[str, Weight] = field(default_factory=dict)
    combine: Literal["max", "sum"] = "max"


@dataclass(frozen=True)
class Affected:
    """What a proposal declares: affected units, stakeholders by category, listed members."""

    units: tuple[str, ...] = ()
    stakeholders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    listed: Mapping[str, Weight] = field(default_factory=dict)


@dataclass(frozen=True)
class Weighting:
    """Each member's weight (members without a say left out), why, and where it is decided."""

    weights: Mapping[str, Fraction]
    reasons: Mapping[str, tuple[str, ...]]
    scope: str


def _weight(value: Weight, where: str) -> Fraction:
    try:
        w = exact(value, "weight")
    except ValueError as exc:
        raise InvalidValueError(str(exc), where) from None
    if w < 0:
        raise InvalidValueError(f"weight must be >= 0 (got {w})", where)
    return w


def weigh(tree: UnitTree, affected: Affected, rule: WeightingRule) -> Weighting:
    """Weights per member from ``affected`` under ``rule``, with reasons and the scope."""
    found: dict[str, list[tuple[Fraction, str]]] = {}
    for u in affected.units:
        chain = tree.ancestors(u)
        inner: frozenset[str] = frozenset()
        for k, level in enumerate(rule.levels):
            if k >= len(chain):
                break
            w = _weight(level, f"weighting rule, level {k}")
            everyone = tree.members_of(chain[k])
            why = f"member of {u}" if k == 0 else f"in {chain[k]}, {k} level(s) above {u}"
            for m in sorted(everyone - inner):
                found.setdefault(m, []).append((w, why))
            inner = everyone
    for category, members in affected.stakeholders.items():
        if category not in rule.stakes:
            known = ", ".join(rule.stakes) or "none"
            raise InvalidValueError(
                f"unknown stake category (known: {known})", f"stakeholders {category!r}"
            )
        w = _weight(rule.stakes[category], f"weighting rule, stake {category!r}")
        for m in members:
            found.setdefault(m, []).append((w, f"stake: {category}"))
    weights: dict[str, Fraction] = {}
    reasons: dict[str, tuple[str, ...]] = {}
    for m, routes in found.items():
        values = [w for w, _ in routes]
        weights[m] = sum(values, Fraction(0)) if rule.combine == "sum" else max(values)
        reasons[m] = tuple(why for _, why in routes)
    for m, value in affected.listed.items():
        weights[m] = _weight(value, f"listed member {m!r}")
        reasons[m] = ("listed by the proposal",)
    with_say = {m: w for m, w in weights.items() if w > 0}
    scope = tree.lowest_containing(sorted(with_say))
    return Weighting(with_say, {m: reasons[m] for m in with_say}, scope)
