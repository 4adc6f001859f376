"""The settings one decision is counted under: quorum, required share, budgets, goals."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.exact import Weight, exact

__all__ = ["DecisionRules", "Quorum"]


def _share(value: Weight | None, what: str) -> Fraction | None:
    if value is None:
        return None
    try:
        share = exact(value, what)
    except ValueError as exc:
        raise InvalidValueError(str(exc), what) from None
    if not 0 <= share <= 1:
        raise InvalidValueError(f"must be within 0–1 (got {share})", what)
    return share


@dataclass(frozen=True)
class Quorum:
    """Shares of the electorate that must vote: by ``weight``, by ``heads``, or both (0–1)."""

    weight: Weight | None = None
    heads: Weight | None = None

    @property
    def weight_share(self) -> Fraction | None:
        return _share(self.weight, "quorum weight")

    @property
    def head_share(self) -> Fraction | None:
        return _share(self.heads, "quorum heads")

    def check(self) -> None:
        """Raise an InvalidValueError when a share is no number within 0–1."""
        _share(self.weight, "quorum weight")
        _share(self.heads, "quorum heads")

    @property
    def required(self) -> bool:
        """Whether any quorum applies (a zero share is none)."""
        return bool(self.weight_share) or bool(self.head_share)


@dataclass(frozen=True)
class DecisionRules:
    """How a decision is counted besides its method.

    ``threshold`` replaces the method's required share (consent, majorities).
    ``budget`` is each voter's number of dots (dot vote; required).
    ``goal`` is what a count needs: voters with a say (weight > 0) who opt
    in, or with ``goal_by="weight"`` their total weight. ``scores`` is the score range.
    ``subject`` names what is decided (a rule change's fingerprint, say).
    """

    quorum: Quorum = Quorum()
    threshold: Weight | None = None
    budget: int | None = None
    goal: Weight | None = None
    goal_by: Literal["weight", "heads"] = "heads"
    scores: tuple[int, int] = (0, 5)
    subject: str = ""

    @property
    def threshold_share(self) -> Fraction | None:
        return _share(self.threshold, "threshold")

    def check(self) -> None:
        """Raise an InvalidValueError when a share is no number within 0–1."""
        self.quorum.check()
        _share(self.threshold, "threshold")
