"""Ballots, and their checks against a method and the decision's options.

A ballot is one voter's answer, or, for paper votes counted in a room, a batch
of ``count`` identical ballots entered together. Every check raises a
:class:`BallotError` that names the voter and the field, so a form, an API or
a CSV reader can point at the mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.exact import Weight, exact

__all__ = ["Ballot", "BallotError", "parse_ranking"]


class BallotError(InvalidValueError):
    """A ballot is not valid for its decision; ``voter`` and ``field`` say where."""

    def __init__(self, problem: str, voter: str, field: str) -> None:
        self.voter = voter
        self.field = field
        super().__init__(problem, f"voter {voter!r}, field {field!r}")


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot.

    ``choice`` (and ``reason``) for choice methods; ``ranking`` for ranked
    choice, as tiers best first (``(("a",), ("b", "c"))`` is a > b = c;
    options left out rank below every ranked one); ``marks`` for score, dot
    and approval ballots (option → number). ``weight`` None takes the voter's
    weight from the electorate (1 without one). ``count`` > 1 enters a batch
    of identical paper ballots under one label.
    """

    voter: str
    weight: Weight | None = None
    choice: str | None = None
    reason: str = ""
    ranking: tuple[tuple[str, ...], ...] = ()
    marks: Mapping[str, Weight] = field(default_factory=dict)
    count: int = 1


def parse_ranking(text: str) -> tuple[tuple[str, ...], ...]:
    """``"a > b = c > d"`` as tiers ``(("a",), ("b", "c"), ("d",))``; a ValueError says why not."""
    tiers: list[tuple[str, ...]] = []
    seen: set[str] = set()
    if not text.strip():
        raise ValueError("empty ranking")
    for part in text.split(">"):
        names = tuple(n.strip() for n in part.split("="))
        if any(not n for n in names):
            raise ValueError(f"an empty option in {text.strip()!r} (a stray '>' or '=')")
        for n in names:
            if n in seen:
                raise ValueError(f"option {n!r} ranked twice")
            seen.add(n)
        tiers.append(names)
    return tuple(tiers)


def ballot_weight(ballot: Ballot, electorate: Mapping[str, Fraction] | None) -> Fraction:
    """The weight one of ``ballot``'s ``count`` ballots counts with, checked.

    A batch's label may stand in the electorate with the weight each of its
    ballots has (``room-north``: 1, ``room-region``: 0.25).
    """
    given = None
    if ballot.weight is not None:
        try:
            given = exact(ballot.weight, "weight")
        except ValueError as exc:
            raise BallotError(str(exc), ballot.voter, "weight") from None
        if given.numerator < 0:
            raise BallotError(f"weight must be >= 0 (got {given})", ballot.voter, "weight")
    batch = ballot.count != 1
    if electorate is None or (batch and ballot.voter not in electorate):
        if given is None and electorate is not None:
            raise BallotError(
                "a batch of paper ballots needs its own weight (or an entry in the electorate)",
                ballot.voter,
                "weight",
            )
        return Fraction(1) if given is None else given
    if ballot.voter not in electorate:
        raise BallotError("not in the electorate of this decision", ballot.voter, "voter")
    if given is not None and given != electorate[ballot.voter]:
        raise BallotError(
            f"weight {given} differs from the electorate's {electorate[ballot.voter]}",
            ballot.voter,
            "weight",
        )
    return electorate[ballot.voter]


def check_voters(ballots: Sequence[Ballot]) -> None:
    """No empty voter, no voter twice, whole positive counts."""
    seen: set[str] = set()
    for b in ballots:
        if not b.voter.strip():
            raise BallotError("empty voter", b.voter, "voter")
        if isinstance(b.count, bool) or not isinstance(b.count, int) or b.count < 1:
            raise BallotError(
                f"count must be a whole number >= 1 (got {b.count!r})", b.voter, "count"
            )
        if b.voter in seen:
            raise BallotError("votes twice", b.voter, "voter")
        seen.add(b.voter)
