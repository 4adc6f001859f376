"""Properties of the weighted count (hypothesis), for every method.

* a voter with weight 0 never changes a weighted result (a head-count quorum aside);
* multiplying every weight by a constant changes no outcome, ranking or share;
* with equal weights each method is its textbook unweighted version.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.selfmanagement import (
    METHODS,
    Ballot,
    DecisionResult,
    DecisionRules,
    Quorum,
    decide,
    strongest_paths,
)

OPTIONS = ("a", "b", "c", "d")
MOTION = ("yes", "no", "abstain")
BUDGET = 5
ALL = sorted(METHODS)

weights = st.fractions(min_value=0, max_value=4, max_denominator=6)
positive = st.fractions(min_value=Fraction(1, 6), max_value=4, max_denominator=6)


@st.composite
def ranking(draw: st.DrawFn) -> tuple[tuple[str, ...], ...]:
    order = draw(st.permutations(OPTIONS))
    keep = draw(st.integers(1, len(OPTIONS)))
    tiers: list[list[str]] = []
    for o in order[:keep]:
        if tiers and draw(st.booleans()):
            tiers[-1].append(o)
        else:
            tiers.append([o])
    return tuple(tuple(t) for t in tiers)


@st.composite
def ballot(draw: st.DrawFn, method: str, voter: str, weight: Fraction | None) -> Ballot:
    m = METHODS[method]
    if m.ballot == "ranking":
        return Ballot(voter, weight, ranking=draw(ranking()))
    if m.ballot == "marks":
        chosen = draw(st.lists(st.sampled_from(OPTIONS), unique=True))
        if m.marks == "score":
            marks = {o: draw(st.integers(0, 5)) for o in chosen}
        elif m.marks == "approval":
            marks = {o: draw(st.integers(0, 1)) for o in chosen}
        else:
            marks, left = {}, BUDGET
            for o in chosen:
                marks[o] = draw(st.integers(0, left))
                left -= marks[o]
        return Ballot(voter, weight, marks=marks)
    names = [c.name for c in m.choices] if m.choices else list(MOTION)
    choice = draw(st.sampled_from(names))
    return Ballot(
        voter,
        weight,
        choice=choice,
        reason=draw(st.sampled_from(["", "because"])) or ("must" if choice == "block" else ""),
    )


def options_of(method: str) -> tuple[str, ...] | None:
    m = METHODS[method]
    if m.ballot == "choice":
        return None if m.choices else MOTION
    return OPTIONS


@st.composite
def case(
    draw: st.DrawFn, method: str, w: Any = weights
) -> tuple[list[Ballot], DecisionRules, dict[str, Fraction]]:
    n = draw(st.integers(0, 7))
    ballots = [draw(ballot(method, f"v{i}", draw(w))) for i in range(n)]
    electorate = {b.voter: Fraction(b.weight or 0) for b in ballots}
    for k in range(draw(st.integers(0, 2))):  # members who did not vote
        electorate[f"absent{k}"] = draw(w)
    quorum = draw(st.sampled_from([Quorum(), Quorum(weight="0.5"), Quorum(weight="2/3")]))
    rules = DecisionRules(
        quorum=quorum,
        budget=BUDGET if method == "dot" else None,
        goal=draw(st.integers(1, 3)) if method == "count" else None,
        threshold=draw(st.sampled_from([None, "0.4", "0.6"]))
        if METHODS[method].threshold
        else None,
    )
    return ballots, rules, electorate


def count(
    method: str, ballots: list[Ballot], rules: DecisionRules, electorate: dict[str, Fraction]
) -> DecisionResult:
    return decide(method, ballots, options=options_of(method), electorate=electorate, rules=rules)


def weighted_view(r: DecisionResult) -> tuple[Any, ...]:
    return (
        r.outcome,
        r.winner,
        r.ranking,
        tuple((t.option, t.weighted, t.share) for t in r.totals),
        sorted((lv.option, lv.level, lv.weighted) for lv in r.agreement if lv.weighted),
        dict(r.pairwise),
        r.turnout.weight_cast,
        r.turnout.weight_eligible,
        r.turnout.quorum_met,
    )


@pytest.mark.parametrize("method", ALL)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_voter_with_weight_zero_changes_no_weighted_result(
    method: str, data: st.DataObject
) -> None:
    ballots, rules, electorate = data.draw(case(method))
    before = count(method, ballots, rules, electorate)
    extra = data.draw(ballot(method, "nobody", Fraction(0)))
    after = count(method, [*ballots, extra], rules, {**electorate, "nobody": Fraction(0)})
    assert weighted_view(after) == weighted_view(before)


@pytest.mark.parametrize("method", ALL)
@settings(max_examples=40, deadline=None)
@given(
    data=st.data(), factor=st.fractions(min_value=Fraction(1, 7), max_value=50, max_denominator=7)
)
def test_scaling_every_weight_changes_nothing(
    method: str, data: st.DataObject, factor: Fraction
) -> None:
    ballots, rules, electorate = data.draw(case(method))
    scaled = [dataclasses.replace(b, weight=Fraction(b.weight or 0) * factor) for b in ballots]
    a = count(method, ballots, rules, electorate)
    b = count(method, scaled, rules, {v: w * factor for v, w in electorate.items()})
    assert (a.outcome, a.winner, a.ranking) == (b.outcome, b.winner, b.ranking)
    assert [t.share for t in a.totals] == [t.share for t in b.totals]
    assert [t.weighted * factor for t in a.totals] == [t.weighted for t in b.totals]
    assert {k: v * factor for k, v in a.pairwise.items()} == dict(b.pairwise)
    assert a.turnout.quorum_met == b.turnout.quorum_met


# --- textbook versions (heads, no weights) -----------------------------------------------


def textbook_schulze_winners(ballots: list[Ballot]) -> set[str]:
    """Wikipedia's pseudocode: d by counting heads, p by Floyd–Warshall, potential winners."""
    rank = [{o: i for i, tier in enumerate(b.ranking) for o in tier} for b in ballots]
    d = {
        (x, y): sum(1 for r in rank if r.get(x, 99) < r.get(y, 99))
        for x in OPTIONS
        for y in OPTIONS
    }
    p = {(x, y): d[x, y] if x != y and d[x, y] > d[y, x] else 0 for x in OPTIONS for y in OPTIONS}
    for k in OPTIONS:
        for i in OPTIONS:
            for j in OPTIONS:
                if len({i, j, k}) == 3:
                    p[i, j] = max(p[i, j], min(p[i, k], p[k, j]))
    return {x for x in OPTIONS if all(p[x, y] >= p[y, x] for y in OPTIONS)}


def textbook(
    method: str, ballots: list[Ballot], rules: DecisionRules
) -> tuple[str | None, set[str]]:
    """(outcome where the textbook gives one, the set of top options)."""
    m = METHODS[method]
    if not ballots:
        return "no_votes", set()
    if m.ballot == "ranking":
        return None, textbook_schulze_winners(ballots)
    if m.ballot == "marks":
        sums = {o: sum(Fraction(b.marks.get(o, 0)) for b in ballots) for o in OPTIONS}
        best = max(sums.values())
        return None, {o for o, s in sums.items() if s == best}
    votes = Counter(b.choice for b in ballots)
    if method == "consent":
        if votes["block"]:
            return "blocked", set()
        share = Fraction(rules.threshold or "1/2")
        return (
            "adopted"
            if votes["consent"] > share * (votes["consent"] + votes["object"])
            else "rejected"
        ), set()
    if method in ("advice", "sense_check"):
        pro, con = (
            (votes["support"], votes["concern"])
            if method == "advice"
            else (votes["looks_good"], votes["concerned"])
        )
        return ("supported" if pro > con else "opposed" if con > pro else "divided"), set()
    if method == "count":
        return ("filled" if votes["in"] >= Fraction(rules.goal or 0) else "unfilled"), set()
    decided = votes["yes"] + votes["no"]
    if method == "majority":
        share = Fraction(rules.threshold or "1/2")
        passed = votes["yes"] > share * decided and votes["yes"] > votes["no"]
    else:
        share = Fraction(rules.threshold or "2/3")
        passed = decided > 0 and votes["yes"] >= share * decided and votes["yes"] > votes["no"]
    return ("adopted" if passed else "rejected"), set()


@pytest.mark.parametrize("method", ALL)
@settings(max_examples=50, deadline=None)
@given(data=st.data(), weight=positive)
def test_equal_weights_give_the_textbook_result(
    method: str, data: st.DataObject, weight: Fraction
) -> None:
    ballots, rules, _ = data.draw(case(method, st.just(None)))
    rules = dataclasses.replace(rules, quorum=Quorum())
    heads = decide(method, ballots, options=options_of(method), rules=rules)
    weighted = decide(
        method,
        [dataclasses.replace(b, weight=weight) for b in ballots],
        options=options_of(method),
        rules=rules,
    )
    assert (heads.outcome, heads.winner, heads.ranking) == (
        weighted.outcome,
        weighted.winner,
        weighted.ranking,
    )
    outcome, top = textbook(method, ballots, rules)
    if outcome is not None:
        assert heads.outcome == outcome
    if top:
        assert set(heads.ranking[0]) == top
        assert heads.winner == (next(iter(top)) if len(top) == 1 else None)
    for t in heads.totals:
        assert t.unweighted == t.weighted  # weight 1 each


@settings(max_examples=60, deadline=None)
@given(
    choices=st.lists(st.sampled_from([*OPTIONS, "abstain"]), max_size=9),
    weight=positive,
)
def test_majority_between_candidates_is_the_textbook_absolute_majority(
    choices: list[str], weight: Fraction
) -> None:
    ballots = [Ballot(f"v{i}", weight, choice=c) for i, c in enumerate(choices)]
    res = decide("majority", ballots, options=[*OPTIONS, "abstain"])
    votes = Counter(c for c in choices if c != "abstain")
    decided = sum(votes.values())
    winners = [o for o in OPTIONS if 2 * votes[o] > decided]
    assert res.winner == (winners[0] if winners else None)
    if decided:
        assert res.outcome == ("chosen" if winners else "no_majority")


@settings(max_examples=40, deadline=None)
@given(data=st.data(), method=st.sampled_from(["majority", "ranked", "score", "consent"]))
def test_federation_of_one_unit_is_a_direct_decision_and_scales(
    data: st.DataObject, method: str
) -> None:
    from parecon.selfmanagement import federate

    ballots, rules, _ = data.draw(case(method, positive))
    rules = dataclasses.replace(rules, quorum=Quorum())
    direct = decide(method, ballots, options=options_of(method), rules=rules)
    one = federate(
        method,
        {"u": ballots},
        {"u": data.draw(st.integers(1, 50))},
        options=options_of(method),
        rules=rules,
    )
    assert (one.result.outcome, one.result.winner, one.result.ranking) == (
        direct.outcome,
        direct.winner,
        direct.ranking,
    )
    two = data.draw(case(method, positive))[0]
    sizes = (data.draw(st.integers(1, 9)), data.draw(st.integers(1, 9)))
    k = data.draw(st.integers(2, 5))
    a = federate(
        method,
        {"u": ballots, "v": two},
        {"u": sizes[0], "v": sizes[1]},
        options=options_of(method),
        rules=rules,
    )
    b = federate(
        method,
        {"u": ballots, "v": two},
        {"u": k * sizes[0], "v": k * sizes[1]},
        options=options_of(method),
        rules=rules,
    )
    assert (a.result.outcome, a.result.winner, a.result.ranking) == (
        b.result.outcome,
        b.result.winner,
        b.result.ranking,
    )


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_weighted_condorcet_winner_always_wins(data: st.DataObject) -> None:
    ballots, _, _ = data.draw(case("ranked", positive))
    res = decide("ranked", ballots, options=OPTIONS)
    beats_all = [
        a
        for a in OPTIONS
        if all(res.pairwise[(a, b)] > res.pairwise[(b, a)] for b in OPTIONS if b != a)
    ]
    if beats_all:
        assert res.winner == beats_all[0] and res.ranking[0] == (beats_all[0],)
    index = {o: i for i, o in enumerate(OPTIONS)}
    d = [[res.pairwise.get((a, b), Fraction(0)) for b in OPTIONS] for a in OPTIONS]
    p = strongest_paths(d)
    for upper, tier in enumerate(res.ranking):  # nothing below a tier beats it by paths
        for lower_tier in res.ranking[upper + 1 :]:
            for a in tier:
                for b in lower_tier:
                    assert p[index[a]][index[b]] >= p[index[b]][index[a]]
