"""One engine that counts every method of :data:`METHODS` with weights.

:func:`decide` checks the ballots (a :class:`BallotError` names voter and
field), measures turnout against the quorum, sums weight × mark per option
and turns the totals into an outcome. A voter with weight 0 changes no
weighted number; multiplying every weight by a constant changes no outcome,
ranking or share; with equal weights each method is its textbook version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from parecon.exceptions import ValidationError
from parecon.selfmanagement.ballots import Ballot, BallotError, ballot_weight, check_voters
from parecon.selfmanagement.decision_rules import DecisionRules
from parecon.selfmanagement.exact import Weight, exact
from parecon.selfmanagement.methods import MOTION, Choice, Method, get_method
from parecon.selfmanagement.results import (
    DecisionResult,
    Level,
    OptionTotal,
    Outcome,
    Reason,
    Turnout,
)
from parecon.selfmanagement.schulze import Matrix, schulze_tiers

__all__ = ["decide"]

ZERO = Fraction(0)


@dataclass(frozen=True)
class _Counted:
    """A checked ballot: its weight per ballot and its marks per option."""

    ballot: Ballot
    weight: Fraction
    marks: Mapping[str, Fraction]


def _electorate(electorate: Mapping[str, Weight] | None) -> dict[str, Fraction] | None:
    if electorate is None:
        return None
    out = {}
    for voter, w in electorate.items():
        try:
            out[voter] = exact(w, "weight")
        except ValueError as exc:
            raise ValidationError(str(exc), f"electorate, voter {voter!r}") from None
        if out[voter] < 0:
            raise ValidationError(
                f"weight must be >= 0 (got {out[voter]})", f"electorate, voter {voter!r}"
            )
    return out


def _choices(
    method: Method, options: Sequence[str] | None, ballots: Sequence[Ballot]
) -> tuple[Choice, ...]:
    """The choices a choice ballot may name: the method's, or the decision's options."""
    if method.choices:
        return method.choices
    if options is None:
        seen = {b.choice for b in ballots if b.choice}
        if seen <= {c.name for c in MOTION}:
            return MOTION
        return tuple(Choice(o, "neutral" if o == "abstain" else "for") for o in sorted(seen))
    if set(options) <= {c.name for c in MOTION} and {"yes", "no"} <= set(options):
        return tuple(c for c in MOTION if c.name in options)
    return tuple(Choice(o, "neutral" if o == "abstain" else "for") for o in options)


def _options(
    method: Method, options: Sequence[str] | None, ballots: Sequence[Ballot]
) -> tuple[str, ...]:
    if options is not None:
        opts = tuple(options)
    elif method.ballot == "ranking":
        opts = tuple(dict.fromkeys(o for b in ballots for tier in b.ranking for o in tier))
    else:
        opts = tuple(dict.fromkeys(o for b in ballots for o in b.marks))
    if len(set(opts)) != len(opts):
        raise ValidationError("an option is listed twice", "options")
    if any(not o.strip() for o in opts):
        raise ValidationError("an empty option", "options")
    return opts


def _marks(
    method: Method, b: Ballot, options: tuple[str, ...], rules: DecisionRules
) -> dict[str, Fraction]:
    """Check one ballot against the method; its marks per option (choices: 1 for the choice)."""
    if method.ballot == "choice":
        if b.ranking or b.marks:
            raise BallotError(f"{method.name} ballots hold a choice only", b.voter, "choice")
        return {}
    if method.ballot == "ranking":
        if not b.ranking:
            raise BallotError("empty ranking", b.voter, "ranking")
        seen: set[str] = set()
        for tier in b.ranking:
            for o in tier:
                if o not in options:
                    raise BallotError(f"unknown option {o!r}", b.voter, "ranking")
                if o in seen:
                    raise BallotError(f"option {o!r} ranked twice", b.voter, "ranking")
                seen.add(o)
        return {}
    out: dict[str, Fraction] = {}
    for o, raw in b.marks.items():
        if o not in options:
            raise BallotError(f"unknown option {o!r}", b.voter, o)
        try:
            v = exact(raw, "mark")
        except ValueError as exc:
            raise BallotError(str(exc), b.voter, o) from None
        if method.marks == "score":
            lo, hi = rules.scores
            if not lo <= v <= hi:
                raise BallotError(f"score must be within {lo}–{hi} (got {v})", b.voter, o)
        elif method.marks == "approval":
            if v not in (0, 1):
                raise BallotError(f"approval must be 0 or 1 (got {v})", b.voter, o)
        else:
            if v < 0 or v.denominator != 1:
                raise BallotError(f"dots must be whole numbers >= 0 (got {v})", b.voter, o)
        out[o] = v
    if method.marks == "dots":
        assert rules.budget is not None
        spent = sum(out.values(), ZERO)
        if spent > rules.budget:
            raise BallotError(f"{spent} dots exceed the budget of {rules.budget}", b.voter, "marks")
    return out


def _check_choice(b: Ballot, choices: tuple[Choice, ...]) -> Choice:
    names = [c.name for c in choices]
    if not b.choice:
        raise BallotError(f"no choice (one of: {', '.join(names)})", b.voter, "choice")
    c = next((c for c in choices if c.name == b.choice), None)
    if c is None:
        raise BallotError(
            f"unknown choice {b.choice!r} (one of: {', '.join(names)})", b.voter, "choice"
        )
    if c.reason == "required" and not b.reason.strip():
        raise BallotError(f"a {c.name} must give its reason", b.voter, "reason")
    return c


def _check_rules(method: Method, rules: DecisionRules) -> None:
    if method.marks == "dots" and (rules.budget is None or rules.budget < 1):
        raise ValidationError("a dot vote needs a budget of at least one dot", "budget")
    if method.tally == "opt_in":
        if rules.goal is None:
            raise ValidationError("a count needs a goal (how many are needed)", "goal")
        try:
            goal = exact(rules.goal, "goal")
        except ValueError as exc:
            raise ValidationError(str(exc), "goal") from None
        if goal <= 0:
            raise ValidationError(f"must be > 0 (got {goal})", "goal")
    lo, hi = rules.scores
    if method.marks == "score" and not lo < hi:
        raise ValidationError(
            f"the score range must run from low to high (got {lo}–{hi})", "scores"
        )
    if rules.threshold is not None and method.threshold is None:
        raise ValidationError(f"{method.name} takes no required share", "threshold")
    rules.quorum.weight_share  # noqa: B018 — checks the shares
    rules.quorum.head_share  # noqa: B018
    rules.threshold_share  # noqa: B018


def _turnout(
    counted: Sequence[_Counted], electorate: Mapping[str, Fraction] | None, rules: DecisionRules
) -> Turnout:
    weight_cast = sum((c.weight * c.ballot.count for c in counted), ZERO)
    heads_cast = sum(c.ballot.count for c in counted)
    if electorate is None:
        if rules.quorum.required:
            raise ValidationError(
                "a quorum needs the electorate (who may vote, with weights)", "quorum"
            )
        return Turnout(weight_cast, heads_cast, None, None, True)
    eligible = sum(electorate.values(), ZERO)
    heads = len(electorate) + sum(c.ballot.count for c in counted if c.ballot.count != 1)
    met = True
    ws, hs = rules.quorum.weight_share, rules.quorum.head_share
    if ws:
        met = met and weight_cast >= ws * eligible and weight_cast > 0
    if hs:
        met = met and heads_cast >= hs * heads
    return Turnout(weight_cast, heads_cast, eligible, heads, met)


def decide(
    method: str | Method,
    ballots: Sequence[Ballot],
    *,
    options: Sequence[str] | None = None,
    electorate: Mapping[str, Weight] | None = None,
    rules: DecisionRules | None = None,
) -> DecisionResult:
    """Count ``ballots`` by ``method``.

    ``options`` are the decision's options (candidates, or a motion's
    ``yes``/``no``/``abstain``); without them, the options the ballots name.
    Consent, advice, sense check and count have their own fixed choices.
    ``electorate`` maps every voter who may vote to their weight (needed for
    a quorum); ballots without a weight take it from there.
    """
    m = get_method(method)
    rules = rules or DecisionRules()
    _check_rules(m, rules)
    check_voters(ballots)
    weights = _electorate(electorate)
    choices = _choices(m, options, ballots) if m.ballot == "choice" else ()
    opts = tuple(c.name for c in choices) if choices else _options(m, options, ballots)
    counted = []
    for b in ballots:
        w = ballot_weight(b, weights)
        marks = _marks(m, b, opts, rules)
        if m.ballot == "choice":
            _check_choice(b, choices)
        counted.append(_Counted(b, w, marks))
    turnout = _turnout(counted, weights, rules)
    threshold = rules.threshold_share if rules.threshold is not None else m.threshold
    counter = {"choice": _count_choices, "ranking": _count_ranked, "marks": _count_marks}[m.ballot]
    return counter(m, opts, choices, counted, turnout, threshold, rules)


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


def _count_choices(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[_Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    weighted = dict.fromkeys(opts, ZERO)
    unweighted = dict.fromkeys(opts, ZERO)
    heads_with_say = dict.fromkeys(opts, 0)
    reasons = []
    for c in counted:
        name = c.ballot.choice or ""
        weighted[name] += c.weight * c.ballot.count
        unweighted[name] += c.ballot.count
        if c.weight > 0:
            heads_with_say[name] += c.ballot.count
        if c.ballot.reason.strip():
            reasons.append(Reason(c.ballot.voter, name, c.ballot.reason.strip()))
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


def _count_ranked(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[_Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    index = {o: i for i, o in enumerate(opts)}
    n = len(opts)
    d: Matrix = [[ZERO] * n for _ in range(n)]
    heads: list[list[Fraction]] = [[ZERO] * n for _ in range(n)]
    first = dict.fromkeys(opts, ZERO)
    first_heads = dict.fromkeys(opts, ZERO)
    levels: dict[tuple[str, int], list[Fraction]] = {}
    for c in counted:
        w = c.weight * c.ballot.count
        rank = {}
        for position, tier in enumerate(c.ballot.ranking):
            for o in tier:
                rank[index[o]] = position
        bottom = len(c.ballot.ranking)
        for o in opts:
            pos = rank.get(index[o], bottom)
            cell = levels.setdefault((o, pos + 1), [ZERO, ZERO])
            cell[0] += w
            cell[1] += c.ballot.count
        for o in c.ballot.ranking[0]:
            first[o] += w
            first_heads[o] += c.ballot.count
        for i in range(n):
            ri = rank.get(i, bottom)
            for j in range(n):
                if i != j and ri < rank.get(j, bottom):
                    d[i][j] += w
                    heads[i][j] += c.ballot.count
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
        subject=rules.subject,
    )


def _count_marks(
    m: Method,
    opts: tuple[str, ...],
    choices: tuple[Choice, ...],
    counted: Sequence[_Counted],
    turnout: Turnout,
    threshold: Fraction | None,
    rules: DecisionRules,
) -> DecisionResult:
    weighted = dict.fromkeys(opts, ZERO)
    unweighted = dict.fromkeys(opts, ZERO)
    levels: dict[tuple[str, Fraction], list[Fraction]] = {}
    floor = Fraction(rules.scores[0]) if m.marks == "score" else ZERO
    for c in counted:
        for o in opts:
            v = c.marks.get(o, floor)
            weighted[o] += c.weight * c.ballot.count * v
            unweighted[o] += c.ballot.count * v
            cell = levels.setdefault((o, v), [ZERO, ZERO])
            cell[0] += c.weight * c.ballot.count
            cell[1] += c.ballot.count
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
