"""The three counters behind :func:`~parecon.selfmanagement.decide`: choices, rankings, marks.

Each takes checked ballots (:class:`Counted`: the ballot, its weight, its
marks) and the turnout, and returns the :class:`DecisionResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import TypeVar

from parecon.selfmanagement.ballots import Ballot
from parecon.selfmanagement.decision_rules import DecisionRules
from parecon.selfmanagement.exact import exact
from parecon.selfmanagement.methods import Choice, Method
from parecon.selfmanagement.results import (
    DecisionResult,
    Level,
    OptionTotal,
    Outcome,
    Reason,
    Turnout,
)
from parecon.selfmanagement.schulze import Matrix, schulze_tiers

__all__ = ["COUNTERS", "Counted", "Mark", "weight_sum"]

ZERO = Fraction(0)
K = TypeVar("K", bound=Hashable)
Mark = Fraction | int
"""A score, a number of dots or an approval; whole marks are ints (fast to hash and add)."""


@dataclass(frozen=True)
class Counted:
    """A checked ballot: its weight per ballot and its marks per option."""

    ballot: Ballot
    weight: Fraction
    marks: Mapping[str, Mark]


def _groups(
    counted: Sequence[Counted], key: Callable[[Counted], K]
) -> tuple[dict[K, list[int]], int]:
    """Ballots with equal ``key`` merged: key → [weight × scale, ballots], and the scale.

    Weights are summed as integers over their common denominator ``scale``
    (exact, and many times faster than adding fractions one by one).
    """
    scale = lcm(*{c.weight.denominator for c in counted}) if counted else 1
    acc: dict[K, list[int]] = {}
    for c in counted:
        k = key(c)
        cell = acc.get(k)
        if cell is None:
            cell = acc[k] = [0, 0]
        cell[0] += c.weight.numerator * (scale // c.weight.denominator) * c.ballot.count
        cell[1] += c.ballot.count
    return acc, scale


def weight_sum(counted: Sequence[Counted]) -> Fraction:
    """Σ weight × count, exactly, summed as integers over the common denominator."""
    scale = lcm(*{c.weight.denominator for c in counted}) if counted else 1
    total = sum(
        c.weight.numerator * (scale // c.weight.denominator) * c.ballot.count for c in counted
    )
    return Fraction(total, scale)


def _top(totals: Sequence[OptionTotal]) -> tuple[tuple[str, ...], ...]:
    """Options in tiers of equal weighted total, highest first."""
    values = sorted({t.weighted for t in totals}, reverse=True)
    return tuple(tuple(t.option for t in totals if t.weighted == v) for v in values)


def _totals(
    options: Sequence[str], weighted: Mapping[str, Fraction], unweighted: Mapping[str, Fraction]
) -> tuple[OptionTotal, ...]:
    whole = sum(weighted.values(), ZERO)
    return tuple(
        OptionTotal(o, weighted[o], unweighted[o], weighted[o] / whole if whole else ZERO)
        for o in options
    )


def _passes(share: Fraction, threshold: Fraction | None, strict: bool) -> bool:
    if threshold is None:
        return True
    return share > threshold if strict else share >= threshold


def count_choices(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    groups, scale = _groups(counted, lambda c: (c.ballot.choice or "", c.weight.numerator > 0))
    weighted = dict.fromkeys(opts, ZERO)
    unweighted = dict.fromkeys(opts, ZERO)
    heads_with_say = dict.fromkeys(opts, 0)
    for (name, has_say), (w, n) in groups.items():
        weighted[name] += Fraction(w, scale)
        unweighted[name] += n
        if has_say:
            heads_with_say[name] += n
    reasons = [
        Reason(c.ballot.voter, c.ballot.choice or "", c.ballot.reason.strip())
        for c in counted
        if c.ballot.reason.strip()
    ]
    totals = _totals(opts, weighted, unweighted)
    meaning = {c.name: c.meaning for c in choices}
    agreement = tuple(Level(o, meaning[o], weighted[o], unweighted[o]) for o in opts)
    by = {
        k: sum((weighted[o] for o in opts if meaning[o] == k), ZERO)
        for k in ("for", "against", "block")
    }
    decided = by["for"] + by["against"]
    share = by["for"] / decided if decided else ZERO
    winner: str | None = None
    ranking: tuple[tuple[str, ...], ...] = ()
    outcome: Outcome
    if not turnout.quorum_met:
        outcome = "no_quorum"
    elif turnout.weight_cast == 0:
        outcome = "no_votes"
    elif m.tally == "consent":
        if by["block"] > 0:
            outcome = "blocked"
        else:
            outcome = "adopted" if decided and _passes(share, threshold, m.strict) else "rejected"
    elif m.tally == "leaning":
        outcome = (
            "supported"
            if by["for"] > by["against"]
            else "opposed"
            if by["against"] > by["for"]
            else "divided"
        )
    elif m.tally == "opt_in":
        assert rules.goal is not None
        have = Fraction(heads_with_say["in"]) if rules.goal_by == "heads" else weighted["in"]
        outcome = "filled" if have >= exact(rules.goal) else "unfilled"
    else:
        outcome, winner, ranking = _majority(opts, meaning, weighted, threshold, m.strict)
    if m.tally == "majority" and outcome in ("no_quorum", "no_votes"):
        ranking = _top([t for t in totals if meaning[t.option] != "neutral"])
    return DecisionResult(
        m.name,
        opts,
        outcome,
        winner,
        ranking,
        totals,
        agreement,
        turnout,
        threshold,
        tuple(reasons),
        subject=rules.subject,
    )


def _majority(
    opts: tuple[str, ...],
    meaning: Mapping[str, str],
    weighted: Mapping[str, Fraction],
    threshold: Fraction | None,
    strict: bool,
) -> tuple[Outcome, str | None, tuple[tuple[str, ...], ...]]:
    """A motion passes or fails; between candidates, one reaches the share or none does."""
    ranked = [o for o in opts if meaning[o] != "neutral"]
    decided = sum((weighted[o] for o in ranked), ZERO)
    ranking = _top([OptionTotal(o, weighted[o], ZERO, ZERO) for o in ranked])
    motion = set(ranked) == {"yes", "no"} and meaning["no"] == "against"
    top = ranking[0] if ranking and decided else ()
    reached = bool(top) and _passes(weighted[top[0]] / decided, threshold, strict)
    winner = top[0] if reached and len(top) == 1 else None
    if motion:
        return ("adopted" if winner == "yes" else "rejected"), winner, ranking
    if winner is None:
        return ("tie" if reached else "no_majority"), None, ranking
    return "chosen", winner, ranking


def count_ranked(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    index = {o: i for i, o in enumerate(opts)}
    n = len(opts)
    groups, scale = _groups(counted, lambda c: c.ballot.ranking)
    di = [[0] * n for _ in range(n)]
    hi = [[0] * n for _ in range(n)]
    first_i = [0] * n
    first_heads = dict.fromkeys(opts, ZERO)
    levels_i: dict[tuple[int, int], list[int]] = {}
    for ranking_, (w, heads) in groups.items():
        bottom = len(ranking_)
        rank = [bottom] * n
        for position, tier in enumerate(ranking_):
            for o in tier:
                rank[index[o]] = position
        for i in range(n):
            cell = levels_i.setdefault((i, rank[i] + 1), [0, 0])
            cell[0] += w
            cell[1] += heads
            ri, row, hrow = rank[i], di[i], hi[i]
            for j in range(n):
                if ri < rank[j]:
                    row[j] += w
                    hrow[j] += heads
        for o in ranking_[0]:
            first_i[index[o]] += w
            first_heads[o] += heads
    d: Matrix = [[Fraction(x, scale) for x in row] for row in di]
    first = {o: Fraction(first_i[i], scale) for i, o in enumerate(opts)}
    levels = {
        (opts[i], pos): [Fraction(w, scale), Fraction(h)] for (i, pos), (w, h) in levels_i.items()
    }
    totals = _totals(opts, first, first_heads)
    agreement = tuple(
        Level(o, str(pos), v[0], v[1])
        for (o, pos), v in sorted(levels.items(), key=lambda kv: (index[kv[0][0]], kv[0][1]))
    )
    ranking = schulze_tiers(opts, d)
    outcome: Outcome
    if not turnout.quorum_met:
        outcome = "no_quorum"
    elif turnout.weight_cast == 0:
        outcome = "no_votes"
    else:
        outcome = "chosen" if len(ranking[0]) == 1 else "tie"
    winner = ranking[0][0] if outcome == "chosen" else None
    pairwise = {(a, b): d[index[a]][index[b]] for a in opts for b in opts if a != b}
    pairwise_heads = {(a, b): hi[index[a]][index[b]] for a in opts for b in opts if a != b}
    return DecisionResult(
        m.name,
        opts,
        outcome,
        winner,
        ranking,
        totals,
        agreement,
        turnout,
        threshold,
        pairwise=pairwise,
        pairwise_heads=pairwise_heads,
        subject=rules.subject,
    )


def count_marks(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    floor: Mark = rules.scores[0] if m.marks == "score" else 0
    scale = lcm(*{c.weight.denominator for c in counted}) if counted else 1
    levels_i: dict[tuple[str, Mark], list[int]] = {}
    for c in counted:
        w = c.weight.numerator * (scale // c.weight.denominator) * c.ballot.count
        for o in opts:
            cell = levels_i.get((o, v := c.marks.get(o, floor)))
            if cell is None:
                cell = levels_i[(o, v)] = [0, 0]
            cell[0] += w
            cell[1] += c.ballot.count
    levels = {k: [Fraction(w, scale), Fraction(h)] for k, (w, h) in levels_i.items()}
    weighted: dict[str, Fraction] = dict.fromkeys(opts, ZERO)
    unweighted: dict[str, Fraction] = dict.fromkeys(opts, ZERO)
    for (o, mark), (weight, heads) in levels.items():
        weighted[o] += mark * weight
        unweighted[o] += mark * heads
    totals = _totals(opts, weighted, unweighted)
    index = {o: i for i, o in enumerate(opts)}
    agreement = tuple(
        Level(o, str(v), w[0], w[1])
        for (o, v), w in sorted(levels.items(), key=lambda kv: (index[kv[0][0]], kv[0][1]))
    )
    ranking = _top(totals) if opts else ()
    outcome: Outcome
    if not turnout.quorum_met:
        outcome = "no_quorum"
    elif turnout.weight_cast == 0:
        outcome = "no_votes"
    else:
        outcome = "chosen" if ranking and len(ranking[0]) == 1 else "tie"
    winner = ranking[0][0] if outcome == "chosen" else None
    return DecisionResult(
        m.name,
        opts,
        outcome,
        winner,
        ranking,
        totals,
        agreement,
        turnout,
        threshold,
        subject=rules.subject,
    )


COUNTERS = {"choice": count_choices, "ranking": count_ranked, "marks": count_marks}
