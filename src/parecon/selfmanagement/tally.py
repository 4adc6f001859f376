"""One engine that counts every method of :data:`METHODS` with weights.

:func:`decide` checks the ballots (a :class:`BallotError` names voter and
field), measures turnout against the quorum, sums weight × mark per option
and turns the totals into an outcome. A voter with weight 0 changes no
weighted number; multiplying every weight by a constant changes no outcome,
ranking or share; with equal weights each method is its textbook version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.ballots import Ballot, BallotError, ballot_weight, check_voters
from parecon.selfmanagement.counts import COUNTERS, Counted, Mark, weight_sum
from parecon.selfmanagement.decision_rules import DecisionRules
from parecon.selfmanagement.exact import Weight, exact
from parecon.selfmanagement.methods import MOTION, Choice, Method, get_method
from parecon.selfmanagement.results import DecisionResult, Turnout

__all__ = ["choices_for", "decide"]

ZERO = Fraction(0)


def _electorate(electorate: Mapping[str, Weight] | None) -> dict[str, Fraction] | None:
    if electorate is None:
        return None
    out = {}
    for voter, w in electorate.items():
        try:
            out[voter] = exact(w, "weight")
        except ValueError as exc:
            raise InvalidValueError(str(exc), f"electorate, voter {voter!r}") from None
        if out[voter] < 0:
            raise InvalidValueError(
                f"weight must be >= 0 (got {out[voter]})", f"electorate, voter {voter!r}"
            )
    return out


def choices_for(
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
        raise InvalidValueError("an option is listed twice", "options")
    if any(not o.strip() for o in opts):
        raise InvalidValueError("an empty option", "options")
    return opts


def _marks(
    method: Method, b: Ballot, options: tuple[str, ...], rules: DecisionRules
) -> dict[str, Mark]:
    """Check one ballot against the method; its marks per option (none for choices, rankings)."""
    if method.ballot == "choice":
        if b.ranking or b.marks:
            raise BallotError(f"{method.name} ballots hold a choice only", b.voter, "choice")
        return {}
    if method.ballot == "ranking":
        if not b.ranking:
            raise BallotError("empty ranking", b.voter, "ranking")
        seen: set[str] = set()
        for tier in b.ranking:
            if not tier:
                raise BallotError("an empty place in the ranking", b.voter, "ranking")
            for o in tier:
                if o not in options:
                    raise BallotError(f"unknown option {o!r}", b.voter, "ranking")
                if o in seen:
                    raise BallotError(f"option {o!r} ranked twice", b.voter, "ranking")
                seen.add(o)
        return {}
    out: dict[str, Mark] = {}
    for o, raw in b.marks.items():
        if o not in options:
            raise BallotError(f"unknown option {o!r}", b.voter, o)
        v: Mark
        if type(raw) is int:  # the common case, kept an int: fast to compare, hash and add
            v = raw
        else:
            try:
                f = exact(raw, "mark")
            except ValueError as exc:
                raise BallotError(str(exc), b.voter, o) from None
            v = f.numerator if f.denominator == 1 else f
        if method.marks == "score":
            lo, hi = rules.scores
            if not lo <= v <= hi:
                raise BallotError(f"score must be within {lo}–{hi} (got {v})", b.voter, o)
        elif method.marks == "approval":
            if v not in (0, 1):
                raise BallotError(f"approval must be 0 or 1 (got {v})", b.voter, o)
        else:
            if v < 0 or not isinstance(v, int):
                raise BallotError(f"dots must be whole numbers >= 0 (got {v})", b.voter, o)
        out[o] = v
    if method.marks == "dots":
        assert rules.budget is not None
        spent = sum(out.values(), ZERO)
        if spent > rules.budget:
            raise BallotError(f"{spent} dots exceed the budget of {rules.budget}", b.voter, "marks")
    return out


def _check_choice(b: Ballot, choices: Mapping[str, Choice]) -> Choice:
    c = choices.get(b.choice or "")
    if c is None:
        names = ", ".join(choices)
        problem = f"unknown choice {b.choice!r}" if b.choice else "no choice"
        raise BallotError(f"{problem} (one of: {names})", b.voter, "choice")
    if c.reason == "required" and not b.reason.strip():
        raise BallotError(f"a {c.name} must give its reason", b.voter, "reason")
    return c


def _check_rules(method: Method, rules: DecisionRules) -> None:
    if method.marks == "dots" and (rules.budget is None or rules.budget < 1):
        raise InvalidValueError("a dot vote needs a budget of at least one dot", "budget")
    if method.tally == "opt_in":
        if rules.goal is None:
            raise InvalidValueError("a count needs a goal (how many are needed)", "goal")
        try:
            goal = exact(rules.goal, "goal")
        except ValueError as exc:
            raise InvalidValueError(str(exc), "goal") from None
        if goal <= 0:
            raise InvalidValueError(f"must be > 0 (got {goal})", "goal")
    lo, hi = rules.scores
    if method.marks == "score" and not lo < hi:
        raise InvalidValueError(
            f"the score range must run from low to high (got {lo}–{hi})", "scores"
        )
    if rules.threshold is not None and method.threshold is None:
        raise InvalidValueError(f"{method.name} takes no required share", "threshold")
    rules.check()


def _turnout(
    counted: Sequence[Counted], electorate: Mapping[str, Fraction] | None, rules: DecisionRules
) -> Turnout:
    weight_cast = weight_sum(counted)
    heads_cast = sum(c.ballot.count for c in counted)
    if electorate is None:
        if rules.quorum.required:
            raise InvalidValueError(
                "a quorum needs the electorate (who may vote, with weights)", "quorum"
            )
        return Turnout(weight_cast, heads_cast, None, None, True)
    # batches of paper ballots add their voters to the electorate (a listed label once)
    eligible = sum(electorate.values(), ZERO)
    heads = len(electorate)
    for c in counted:
        if c.ballot.count != 1:
            listed = c.ballot.voter in electorate
            eligible += c.weight * (c.ballot.count - listed)
            heads += c.ballot.count - listed
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
    choices = choices_for(m, options, ballots) if m.ballot == "choice" else ()
    opts = tuple(c.name for c in choices) if choices else _options(m, options, ballots)
    counted = []
    by_name = {c.name: c for c in choices}
    for b in ballots:
        w = ballot_weight(b, weights)
        marks = _marks(m, b, opts, rules)
        if m.ballot == "choice":
            _check_choice(b, by_name)
        counted.append(Counted(b, w, marks))
    turnout = _turnout(counted, weights, rules)
    threshold = rules.threshold_share if rules.threshold is not None else m.threshold
    return COUNTERS[m.ballot](m, opts, choices, counted, turnout, threshold, rules)
