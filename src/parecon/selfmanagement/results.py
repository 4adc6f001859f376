"""What a count returns: totals per option, ranking, agreement, turnout, outcome.

Every number is an exact :class:`~fractions.Fraction` (weighted) or a whole
number of ballots (unweighted), so a front end can show them as it likes and
two equal totals are equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from parecon.selfmanagement.exact import plain
from parecon.selfmanagement.methods import METHODS

__all__ = ["DecisionResult", "Level", "OptionTotal", "Outcome", "Reason", "Turnout"]

Outcome = Literal[
    "adopted",  # consent or a motion passed
    "rejected",  # a motion, or consent without the required share, failed
    "blocked",  # consent: someone with a say blocked
    "no_quorum",  # too little of the electorate voted
    "no_votes",  # nobody with a say voted
    "chosen",  # one option won
    "tie",  # several options share the top
    "no_majority",  # no candidate reached the required share
    "supported",  # advice or sense check: more support than concern
    "opposed",  # ... more concern than support
    "divided",  # ... as much of each
    "filled",  # count: the goal was reached
    "unfilled",  # ... it was not
]


@dataclass(frozen=True)
class OptionTotal:
    """One option's (or choice's) total: ``weighted`` sums weight × mark, ``unweighted`` marks.

    For choice ballots the mark is one per ballot, for ranked ballots one
    per first preference, for marks ballots the score, dots or approval.
    ``share`` is ``weighted`` over the weighted total of all options.
    """

    option: str
    weighted: Fraction
    unweighted: Fraction
    share: Fraction


@dataclass(frozen=True)
class Level:
    """How much weight gave ``option`` the level ``level`` (a choice's meaning, a score, a rank)."""

    option: str
    level: str
    weighted: Fraction
    unweighted: Fraction


@dataclass(frozen=True)
class Reason:
    """A voter's stated reason, shown with the result (objections and blocks above all)."""

    voter: str
    choice: str
    reason: str


@dataclass(frozen=True)
class Turnout:
    """Weight and heads that voted, out of the electorate (None when none was given)."""

    weight_cast: Fraction
    heads_cast: int
    weight_eligible: Fraction | None
    heads_eligible: int | None
    quorum_met: bool


@dataclass(frozen=True)
class DecisionResult:
    """The result of one decision.

    ``totals`` in the order of ``options``; ``ranking`` as tiers best first
    (empty where the method does not order options); ``winner`` the single
    top option or None; ``agreement`` the distribution of each option's
    weight over levels; ``pairwise`` (ranked choice) maps (a, b) to the weight
    preferring a to b, and ``pairwise_heads`` the number of ballots that do.
    """

    method: str
    options: tuple[str, ...]
    outcome: Outcome
    winner: str | None
    ranking: tuple[tuple[str, ...], ...]
    totals: tuple[OptionTotal, ...]
    agreement: tuple[Level, ...]
    turnout: Turnout
    threshold: Fraction | None
    reasons: tuple[Reason, ...] = ()
    pairwise: Mapping[tuple[str, str], Fraction] = field(default_factory=dict)
    pairwise_heads: Mapping[tuple[str, str], int] = field(default_factory=dict)
    subject: str = ""

    def total(self, option: str) -> OptionTotal:
        """The total of ``option``; a KeyError when it is none of this decision's."""
        for t in self.totals:
            if t.option == option:
                return t
        raise KeyError(option)

    @property
    def order(self) -> tuple[str, ...]:
        """The ranking flattened (tied options in the order of ``options``)."""
        return tuple(o for tier in self.ranking for o in tier)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``winner`` is the outcome for consent, advice, sense check)."""
        declared = METHODS.get(self.method)
        by_outcome = declared is not None and bool(declared.choices)  # fixed choices, no options
        t = self.turnout
        return {
            "method": self.method,
            "winner": self.outcome if by_outcome else self.winner,
            "outcome": self.outcome,
            "ranking": list(self.order),
            "tiers": [list(tier) for tier in self.ranking],
            "totals": {
                x.option: {
                    "weighted": plain(x.weighted),
                    "unweighted": plain(x.unweighted),
                    "share": plain(x.share),
                }
                for x in self.totals
            },
            "weighted": {x.option: plain(x.weighted) for x in self.totals},
            "unweighted": {x.option: plain(x.unweighted) for x in self.totals},
            "agreement": [
                {
                    "option": a.option,
                    "level": a.level,
                    "weighted": plain(a.weighted),
                    "unweighted": plain(a.unweighted),
                }
                for a in self.agreement
            ],
            "turnout": {
                "weight_cast": plain(t.weight_cast),
                "heads_cast": t.heads_cast,
                "weight_eligible": None if t.weight_eligible is None else plain(t.weight_eligible),
                "heads_eligible": t.heads_eligible,
                "quorum_met": t.quorum_met,
            },
            "threshold": None if self.threshold is None else plain(self.threshold),
            "reasons": [
                {"voter": r.voter, "choice": r.choice, "reason": r.reason} for r in self.reasons
            ],
            "pairwise": {f"{a}>{b}": plain(w) for (a, b), w in self.pairwise.items()},
            "pairwise_unweighted": {f"{a}>{b}": n for (a, b), n in self.pairwise_heads.items()},
        }
