"""A scope's rule set as versioned plain data, changed only by a decision under it.

A rule set holds the default method, the quorum, the weighting rule, the
required shares per method, the term lengths of roles (days) and the method
by which the rules themselves change. It travels as plain data
(:meth:`RuleSet.as_dict`, :meth:`RuleSet.from_dict`, e.g. a JSON field), and
its :meth:`~RuleSet.fingerprint` names one exact version: the decision that
adopts a change carries the proposed version's fingerprint as its
``subject``, so a decision cannot be reused for another text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.affected import WeightingRule
from parecon.selfmanagement.decision_rules import DecisionRules, Quorum
from parecon.selfmanagement.exact import Weight, exact
from parecon.selfmanagement.methods import METHODS, get_method
from parecon.selfmanagement.results import DecisionResult

__all__ = ["RuleSet", "check_rule_change"]


def _text(value: Weight) -> str:
    """An exact value as plain text: ``"0.25"`` when it is a short decimal, else ``"2/3"``."""
    f = exact(value)
    if f.denominator == 1:
        return str(f.numerator)
    d = f.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        s = f"{float(f)!r}"
        if exact(s) == f:
            return s
    return f"{f.numerator}/{f.denominator}"


@dataclass(frozen=True)
class RuleSet:
    """One version of a scope's rules (see the module docstring)."""

    version: int = 1
    default_method: str = "consent"
    quorum: Quorum = field(default_factory=Quorum)
    weighting: WeightingRule = field(default_factory=WeightingRule)
    thresholds: Mapping[str, Weight] = field(default_factory=dict)
    role_terms: Mapping[str, int] = field(default_factory=dict)
    change_method: str = "qualified_majority"

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise an InvalidValueError naming the field that is wrong."""
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise InvalidValueError(
                f"must be a whole number >= 1 (got {self.version!r})", "rules, version"
            )
        for name, what in (
            (self.default_method, "default_method"),
            (self.change_method, "change_method"),
        ):
            try:
                get_method(name)
            except ValueError as exc:
                raise InvalidValueError(str(exc), f"rules, {what}") from None
        self.quorum.check()
        for method, share in self.thresholds.items():
            where = f"rules, thresholds, {method!r}"
            if method not in METHODS:
                raise InvalidValueError("unknown method", where)
            if METHODS[method].threshold is None:
                raise InvalidValueError("this method takes no required share", where)
            try:
                f = exact(share, "threshold")
            except ValueError as exc:
                raise InvalidValueError(str(exc), where) from None
            if not 0 <= f <= 1:
                raise InvalidValueError(f"must be within 0–1 (got {f})", where)
        for role, days in self.role_terms.items():
            if isinstance(days, bool) or not isinstance(days, int) or days < 1:
                raise InvalidValueError(
                    f"must be a whole number of days >= 1 (got {days!r})",
                    f"rules, role_terms, {role!r}",
                )
        for k, level in enumerate(self.weighting.levels):
            try:
                if exact(level) < 0:
                    raise ValueError("weight must be >= 0")
            except ValueError as exc:
                raise InvalidValueError(str(exc), f"rules, weighting, levels[{k}]") from None

    def threshold(self, method: str) -> Fraction | None:
        """The required share for ``method`` under these rules."""
        if method in self.thresholds:
            return exact(self.thresholds[method])
        return get_method(method).threshold

    def decision_rules(self, method: str | None = None, subject: str = "") -> DecisionRules:
        """The rules a decision by ``method`` (default: the default method) is counted under."""
        name = method or self.default_method
        has_share = get_method(name).threshold is not None
        return DecisionRules(
            quorum=self.quorum,
            threshold=self.threshold(name) if has_share else None,
            subject=subject,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data (strings for exact shares and weights)."""
        return {
            "version": self.version,
            "default_method": self.default_method,
            "change_method": self.change_method,
            "quorum": {
                "weight": None if self.quorum.weight is None else _text(self.quorum.weight),
                "heads": None if self.quorum.heads is None else _text(self.quorum.heads),
            },
            "weighting": {
                "levels": [_text(x) for x in self.weighting.levels],
                "stakes": {k: _text(v) for k, v in sorted(self.weighting.stakes.items())},
                "combine": self.weighting.combine,
            },
            "thresholds": {k: _text(v) for k, v in sorted(self.thresholds.items())},
            "role_terms": dict(sorted(self.role_terms.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """A rule set from :meth:`as_dict`'s plain data; errors name the field."""
        known = {
            "version",
            "default_method",
            "change_method",
            "quorum",
            "weighting",
            "thresholds",
            "role_terms",
        }
        for key in data:
            if key not in known:
                raise InvalidValueError("unknown field", f"rules, {key}")
        q = data.get("quorum") or {}
        w = data.get("weighting") or {}
        combine = w.get("combine", "max")
        if combine not in ("max", "sum"):
            raise InvalidValueError(
                f"must be 'max' or 'sum' (got {combine!r})", "rules, weighting, combine"
            )
        return cls(
            version=data.get("version", 1),
            default_method=data.get("default_method", "consent"),
            change_method=data.get("change_method", "qualified_majority"),
            quorum=Quorum(q.get("weight"), q.get("heads")),
            weighting=WeightingRule(
                tuple(w.get("levels", (1, Fraction(1, 4)))), dict(w.get("stakes", {})), combine
            ),
            thresholds=dict(data.get("thresholds", {})),
            role_terms=dict(data.get("role_terms", {})),
        )

    def fingerprint(self) -> str:
        """SHA-256 of the canonical plain data: names this exact version."""
        text = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def check_rule_change(current: RuleSet, proposed: RuleSet, decision: DecisionResult) -> RuleSet:
    """``proposed`` if ``decision`` adopted it validly under ``current``; else an InvalidValueError.

    Valid means: the next version number; the current rules' change method,
    quorum and required share; an ``adopted`` outcome; and the decision's
    subject is the proposed version's fingerprint.
    """
    where = "rule change"
    if proposed.version != current.version + 1:
        raise InvalidValueError(
            f"the next version must be {current.version + 1} (got {proposed.version})",
            f"{where}, version",
        )
    if decision.method != current.change_method:
        raise InvalidValueError(
            f"rules change by {current.change_method}, not by {decision.method}", f"{where}, method"
        )
    if decision.subject != proposed.fingerprint():
        raise InvalidValueError(
            "the decision was about another text of the rules", f"{where}, subject"
        )
    needed = current.threshold(decision.method)
    if needed is not None and (decision.threshold is None or decision.threshold < needed):
        raise InvalidValueError(
            f"counted with a required share below the rules' {needed}", f"{where}, threshold"
        )
    for share, what in (
        (current.quorum.weight_share, "weight"),
        (current.quorum.head_share, "heads"),
    ):
        if not share:
            continue
        t = decision.turnout
        if t.weight_eligible is None or t.heads_eligible is None:
            raise InvalidValueError(
                "counted without the electorate the quorum needs", f"{where}, quorum"
            )
        cast, eligible = (
            (t.weight_cast, t.weight_eligible)
            if what == "weight"
            else (Fraction(t.heads_cast), Fraction(t.heads_eligible))
        )
        if cast < share * eligible:
            raise InvalidValueError(
                f"turnout below the rules' quorum by {what} ({share})", f"{where}, quorum"
            )
    if decision.outcome != "adopted":
        raise InvalidValueError(
            f"the decision was not adopted ({decision.outcome})", f"{where}, outcome"
        )
    return proposed
