"""Federated decisions: units decide, the federation weighs them by who is affected.

Each member unit counts its own ballots under the same method and rules (its
result is kept and shown). The federation then counts every unit's ballots
together, scaled so that each unit's ballots weigh, in all, as much as the
unit's number of affected members: a unit's internal weights decide how its
say is shared among its voters, its affected members how much say it has. A
unit without quorum has no say. A federation's quorum counts units: by
weight, the share of affected members in units that reached their quorum; by
heads, the share of units that did.

A federation's decision can instead be *pulled down* to a direct vote of all
affected members when a set share of its member units asks (:func:`pull_down`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.ballots import Ballot, ballot_weight
from parecon.selfmanagement.decision_rules import DecisionRules, Quorum
from parecon.selfmanagement.exact import Weight, exact
from parecon.selfmanagement.methods import Method, get_method
from parecon.selfmanagement.results import DecisionResult, Turnout
from parecon.selfmanagement.tally import choices_for, decide

__all__ = ["FederatedResult", "PullDown", "federate", "pull_down"]


@dataclass(frozen=True)
class FederatedResult:
    """The federation's ``result``, each unit's own result, and each unit's share of the say."""

    result: DecisionResult
    units: Mapping[str, DecisionResult]
    say: Mapping[str, Fraction]


def federate(
    method: str | Method,
    unit_ballots: Mapping[str, Sequence[Ballot]],
    affected: Mapping[str, int],
    *,
    options: Sequence[str] | None = None,
    electorates: Mapping[str, Mapping[str, Weight]] | None = None,
    rules: DecisionRules | None = None,
) -> FederatedResult:
    """Aggregate units' results in proportion to their ``affected`` members."""
    m = get_method(method)
    rules = rules or DecisionRules()
    if set(unit_ballots) - set(affected):
        missing = sorted(set(unit_ballots) - set(affected))
        raise InvalidValueError("no count of affected members", f"unit {missing[0]!r}")
    for unit, n in affected.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidValueError(
                f"affected members must be a whole number >= 0 (got {n!r})", f"unit {unit!r}"
            )
    if options is None:  # one set of options for every unit: all the ballots name
        every = [b for bs in unit_ballots.values() for b in bs]
        if m.ballot == "choice":
            options = None if m.choices else tuple(c.name for c in choices_for(m, None, every))
        elif m.ballot == "ranking":
            options = tuple(dict.fromkeys(o for b in every for t in b.ranking for o in t))
        else:
            options = tuple(dict.fromkeys(o for b in every for o in b.marks))
    results: dict[str, DecisionResult] = {}
    say: dict[str, Fraction] = {}
    combined: list[Ballot] = []
    for unit in affected:
        ballots = unit_ballots.get(unit, ())
        electorate = None if electorates is None else electorates.get(unit)
        if rules.quorum.required and electorate is None:
            raise InvalidValueError("a quorum needs the unit's electorate", f"unit {unit!r}")
        try:
            res = decide(m, ballots, options=options, electorate=electorate, rules=rules)
        except InvalidValueError as exc:
            raise InvalidValueError(
                exc.problem, f"unit {unit!r}, {exc.where}" if exc.where else f"unit {unit!r}"
            ) from None
        results[unit] = res
        exact_weights = None if electorate is None else {v: exact(x) for v, x in electorate.items()}
        cast = res.turnout.weight_cast
        if res.outcome == "no_quorum" or cast == 0:
            say[unit] = Fraction(0)
            continue
        say[unit] = Fraction(affected[unit])
        scale = Fraction(affected[unit]) / cast
        for b in ballots:
            w = ballot_weight(b, exact_weights)
            combined.append(dataclasses.replace(b, voter=f"{unit}/{b.voter}", weight=w * scale))
    whole = dataclasses.replace(rules, quorum=Quorum())
    result = decide(m, combined, options=options, rules=whole)
    units_counted = [u for u in affected if say[u] > 0]
    total_affected = sum(affected.values())
    met = True
    ws, hs = rules.quorum.weight_share, rules.quorum.head_share
    if ws:
        met = met and sum(affected[u] for u in units_counted) >= ws * total_affected
    if hs:
        met = met and len(units_counted) >= hs * len(affected)
    turnout = Turnout(
        result.turnout.weight_cast,
        result.turnout.heads_cast,
        Fraction(total_affected),
        sum(r.turnout.heads_eligible or 0 for r in results.values())
        if electorates is not None
        else None,
        met,
    )
    result = dataclasses.replace(result, turnout=turnout)
    if not met:
        result = dataclasses.replace(result, outcome="no_quorum", winner=None)
    return FederatedResult(result, results, say)


@dataclass(frozen=True)
class PullDown:
    """Units asking for a direct vote, how many must ask, and whether enough did."""

    requesting: tuple[str, ...]
    needed: Fraction
    met: bool


def pull_down(requests: Collection[str], member_units: Collection[str], share: Weight) -> PullDown:
    """Whether ``requests`` from ``member_units`` reach ``share`` of them (0–1]."""
    try:
        s = exact(share, "share")
    except ValueError as exc:
        raise InvalidValueError(str(exc), "pull-down share") from None
    if not 0 < s <= 1:
        raise InvalidValueError(f"must be within 0–1, above 0 (got {s})", "pull-down share")
    units = set(member_units)
    for r in requests:
        if r not in units:
            raise InvalidValueError("is not a member unit of the federation", f"request from {r!r}")
    asking = tuple(sorted(set(requests)))
    needed = s * len(units)
    return PullDown(asking, needed, bool(asking) and len(asking) >= needed)
