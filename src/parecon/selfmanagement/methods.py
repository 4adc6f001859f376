"""Decision methods declared as data (after Loomio's ``config/poll_types.yml``).

A method says what a ballot holds (a choice, a ranking or marks per option),
which choices it offers and what each means, which need a reason, and how the
engine counts it (``tally``). :func:`parecon.selfmanagement.decide` counts every
method; adding one is adding an entry here, as long as it counts like one
already known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

__all__ = ["METHODS", "MOTION", "Choice", "Method", "get_method"]

Meaning = Literal["for", "against", "neutral", "block"]
NeedsReason = Literal["required", "optional", "none"]
BallotKind = Literal["choice", "ranking", "marks"]
Tally = Literal["consent", "leaning", "majority", "opt_in", "schulze", "sum"]
Marks = Literal["score", "dots", "approval"]


@dataclass(frozen=True)
class Choice:
    """One answer a choice ballot offers, what it means for the count, and its reason."""

    name: str
    meaning: Meaning
    reason: NeedsReason = "optional"


@dataclass(frozen=True)
class Method:
    """A decision method as data.

    ``choices`` are the fixed answers of a choice ballot; empty means the
    decision's own options (majority between candidates). ``threshold`` is
    the required share of the decided weight (``for`` against ``for`` plus
    ``against``) by default; ``strict`` means the share must exceed it rather
    than reach it. ``marks`` says what a marks ballot's numbers are.
    """

    name: str
    title: str
    ballot: BallotKind
    tally: Tally
    choices: tuple[Choice, ...] = ()
    threshold: Fraction | None = None
    strict: bool = False
    marks: Marks | None = None

    def choice(self, name: str) -> Choice | None:
        """The declared choice called ``name``, if any."""
        return next((c for c in self.choices if c.name == name), None)


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        m.name: m
        for m in (
            Method(
                "consent",
                "Consent: adopted unless someone blocks (a block must give its reason)",
                "choice",
                "consent",
                (
                    Choice("consent", "for"),
                    Choice("abstain", "neutral"),
                    Choice("object", "against"),
                    Choice("block", "block", "required"),
                ),
                threshold=Fraction(1, 2),
                strict=True,
            ),
            Method(
                "advice",
                "Advice: the proposer decides after hearing support and concerns",
                "choice",
                "leaning",
                (
                    Choice("support", "for"),
                    Choice("abstain", "neutral"),
                    Choice("concern", "against"),
                ),
            ),
            Method(
                "sense_check",
                "Sense check: does this look good, before a formal decision?",
                "choice",
                "leaning",
                (
                    Choice("looks_good", "for"),
                    Choice("not_sure", "neutral"),
                    Choice("concerned", "against"),
                ),
            ),
            Method(
                "majority",
                "Simple majority: more than half of the weight that decided",
                "choice",
                "majority",
                threshold=Fraction(1, 2),
                strict=True,
            ),
            Method(
                "qualified_majority",
                "Qualified majority: at least the required share (two thirds by default)",
                "choice",
                "majority",
                threshold=Fraction(2, 3),
            ),
            Method(
                "ranked",
                "Ranked choice (Schulze): the option no other beats by a stronger path",
                "ranking",
                "schulze",
            ),
            Method(
                "score",
                "Score: each option gets a score; the highest weighted total wins",
                "marks",
                "sum",
                marks="score",
            ),
            Method(
                "dot",
                "Dot vote: each voter spreads a budget of dots over the options",
                "marks",
                "sum",
                marks="dots",
            ),
            Method(
                "approval",
                "Approval: each voter approves any number of options (1) or not (0)",
                "marks",
                "sum",
                marks="approval",
            ),
            Method(
                "count",
                "Count / opt-in: 'we need 3 volunteers'; filled when the goal is reached",
                "choice",
                "opt_in",
                (Choice("in", "for", "none"), Choice("out", "neutral", "none")),
            ),
        )
    }
)

MOTION = (Choice("yes", "for"), Choice("no", "against"), Choice("abstain", "neutral"))
"""The choices of a majority vote on a motion; ``abstain`` counts for turnout only."""


def get_method(name: str | Method) -> Method:
    """The method called ``name``; a ValueError lists the known ones."""
    if isinstance(name, Method):
        return name
    try:
        return METHODS[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r} (known: {', '.join(METHODS)})") from None
