"""Each method on small hand-counted cases: consent blocks, majorities, quorum edges, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement import Ballot, BallotError, DecisionRules, Quorum, decide


def _c(
    voter: str, choice: str, weight: Fraction | int | float | None = None, reason: str = ""
) -> Ballot:
    return Ballot(voter, weight, choice=choice, reason=reason)


# --- consent -----------------------------------------------------------------------------


def test_consent_adopted_with_objections_shown() -> None:
    res = decide(
        "consent", [_c("a", "consent"), _c("b", "consent"), _c("c", "object", reason="too soon")]
    )
    assert res.outcome == "adopted"
    assert [(r.voter, r.choice, r.reason) for r in res.reasons] == [("c", "object", "too soon")]
    assert res.total("object").weighted == 1 and res.total("consent").share == Fraction(2, 3)


def test_one_block_blocks_however_many_consent() -> None:
    ballots = [_c(f"v{i}", "consent") for i in range(50)] + [
        _c("x", "block", 0.25, "breaks the by-laws")
    ]
    res = decide("consent", ballots)
    assert res.outcome == "blocked"
    assert res.reasons[-1].reason == "breaks the by-laws"


def test_a_block_must_give_its_reason() -> None:
    with pytest.raises(BallotError, match="must give its reason") as err:
        decide("consent", [_c("a", "consent"), _c("b", "block", reason="   ")])
    assert (err.value.voter, err.value.field) == ("b", "reason")
    assert str(err.value) == "voter 'b', field 'reason': a block must give its reason"


def test_block_without_a_say_does_not_block() -> None:
    assert decide("consent", [_c("a", "consent"), _c("b", "block", 0, "no")]).outcome == "adopted"


def test_consent_needs_more_consent_than_objection_by_default() -> None:
    even = [_c("a", "consent"), _c("b", "object")]
    assert decide("consent", even).outcome == "rejected"
    assert (
        decide("consent", even, rules=DecisionRules(threshold=Fraction(1, 3))).outcome == "adopted"
    )
    assert decide("consent", [_c("a", "abstain")]).outcome == "rejected"


# --- quorum ------------------------------------------------------------------------------

ELECTORATE = {"a": 1, "b": 1, "c": 1, "d": Fraction(1, 4), "e": Fraction(1, 4), "f": Fraction(1, 2)}
# total weight 4, six voters


@pytest.mark.parametrize(
    ("voters", "quorum", "met"),
    [
        (["a", "b"], Quorum(weight="0.5"), True),  # exactly half the weight: met
        (["a", "d", "e"], Quorum(weight="0.5"), False),  # 1.5 of 4
        (["a", "d", "e", "f"], Quorum(weight="0.5"), True),  # 2 of 4
        (["d", "e", "f"], Quorum(heads="0.5"), True),  # 3 of 6 voters, 1 of 4 weight
        (["d", "e", "f"], Quorum(weight="0.5", heads="0.5"), False),
        (["a", "b"], Quorum(heads="0.5"), False),
        (["a", "b", "c"], Quorum(weight=1), False),
        (list(ELECTORATE), Quorum(weight=1, heads=1), True),
    ],
)
def test_quorum_edges(voters: list[str], quorum: Quorum, met: bool) -> None:
    ballots = [_c(v, "consent") for v in voters]
    res = decide("consent", ballots, electorate=ELECTORATE, rules=DecisionRules(quorum=quorum))
    assert res.turnout.quorum_met is met
    assert res.outcome == ("adopted" if met else "no_quorum")
    assert res.turnout.weight_eligible == 4 and res.turnout.heads_eligible == 6


def test_abstentions_count_for_quorum_and_a_block_without_quorum_is_no_quorum() -> None:
    rules = DecisionRules(quorum=Quorum(weight="0.5"))
    ballots = [_c("a", "abstain"), _c("b", "consent")]
    assert decide("consent", ballots, electorate=ELECTORATE, rules=rules).outcome == "adopted"
    blocked = [_c("a", "block", reason="x")]
    assert decide("consent", blocked, electorate=ELECTORATE, rules=rules).outcome == "no_quorum"


def test_a_weighted_quorum_of_an_electorate_without_weight_is_never_met() -> None:
    res = decide(
        "consent",
        [_c("z", "consent")],
        electorate={"z": 0},
        rules=DecisionRules(quorum=Quorum(weight="0.1")),
    )
    assert res.outcome == "no_quorum"


def test_quorum_needs_the_electorate() -> None:
    with pytest.raises(InvalidValueError, match="needs the electorate"):
        decide("consent", [_c("a", "consent")], rules=DecisionRules(quorum=Quorum(weight="0.5")))


def test_electorate_checks_voters_and_weights() -> None:
    with pytest.raises(BallotError, match="not in the electorate") as err:
        decide("consent", [_c("zed", "consent")], electorate=ELECTORATE)
    assert err.value.field == "voter"
    with pytest.raises(BallotError, match="differs from the electorate"):
        decide("consent", [_c("a", "consent", 2)], electorate=ELECTORATE)
    assert decide(
        "consent", [_c("d", "consent")], electorate=ELECTORATE
    ).turnout.weight_cast == Fraction(1, 4)


# --- advice, sense check ------------------------------------------------------------------


def test_advice_and_sense_check_lean() -> None:
    advice = [_c("a", "support"), _c("b", "concern", 2, "cost"), _c("c", "abstain")]
    assert decide("advice", advice).outcome == "opposed"
    assert decide("advice", advice[:1] + advice[2:]).outcome == "supported"
    check = [_c("a", "looks_good"), _c("b", "concerned"), _c("c", "not_sure", 5)]
    assert decide("sense_check", check).outcome == "divided"
    levels = {lv.option: lv.level for lv in decide("sense_check", check).agreement}
    assert levels == {"looks_good": "for", "not_sure": "neutral", "concerned": "against"}


# --- majorities ------------------------------------------------------------------------------


def test_simple_majority_of_a_motion_needs_more_than_half() -> None:
    assert decide("majority", [_c("a", "yes"), _c("b", "no")]).outcome == "rejected"
    res = decide("majority", [_c("a", "yes"), _c("b", "no"), _c("c", "abstain", 9)])
    assert res.outcome == "rejected" and res.winner is None  # abstentions don't decide
    res = decide("majority", [_c("a", "yes", 1.5), _c("b", "no")])
    assert res.outcome == "adopted" and res.winner == "yes"
    assert res.ranking == (("yes",), ("no",))


def test_qualified_majority_reaches_two_thirds_exactly() -> None:
    ballots = [_c("a", "yes", "0.5"), _c("b", "yes", "0.5"), _c("c", "no", "0.5")]
    assert decide("qualified_majority", ballots).outcome == "adopted"  # 2/3 exactly, with 0.5s
    ballots[1] = _c("b", "yes", "0.49")
    assert decide("qualified_majority", ballots).outcome == "rejected"
    rules = DecisionRules(threshold="0.75")
    just_under = [*ballots[:1], _c("c", "no", "0.1667")]  # 0.5 / 0.6667 < 3/4
    assert decide("qualified_majority", just_under, rules=rules).outcome == "rejected"
    assert decide("qualified_majority", just_under).outcome == "adopted"
    just_over = [*ballots[:1], _c("c", "no", "0.1666")]
    assert decide("qualified_majority", just_over, rules=rules).outcome == "adopted"


def test_majority_between_candidates() -> None:
    ballots = [_c("a", "x"), _c("b", "x"), _c("c", "y"), _c("d", "z")]
    res = decide("majority", ballots, options=["x", "y", "z"])
    assert res.outcome == "no_majority"  # x has half, not more
    ballots.append(_c("e", "x", Fraction(1, 10)))
    res = decide("majority", ballots, options=["x", "y", "z"])
    assert res.outcome == "chosen" and res.winner == "x"
    assert res.ranking == (("x",), ("y", "z"))
    even = [_c("a", "x"), _c("b", "x"), _c("c", "y"), _c("d", "y")]
    res = decide(
        "qualified_majority", even, options=["x", "y"], rules=DecisionRules(threshold="0.5")
    )
    assert res.outcome == "tie" and res.winner is None


def test_unknown_choice_names_voter_and_field() -> None:
    with pytest.raises(BallotError, match="unknown choice 'maybe'") as err:
        decide("majority", [_c("a", "maybe")], options=["yes", "no", "abstain"])
    assert (err.value.voter, err.value.field) == ("a", "choice")
    with pytest.raises(BallotError, match="no choice"):
        decide("consent", [Ballot("a")])


def test_voting_twice_is_refused() -> None:
    with pytest.raises(BallotError, match="votes twice"):
        decide("consent", [_c("a", "consent"), _c("a", "block", reason="changed my mind")])


# --- score, dot, approval --------------------------------------------------------------------


def test_score_sums_weight_times_score_and_blank_is_lowest() -> None:
    ballots = [
        Ballot("a", 1, marks={"x": 5, "y": 1}),
        Ballot("b", Fraction(1, 4), marks={"x": 0, "y": 5}),
        Ballot("c", Fraction(1, 4), marks={"y": 5}),
    ]
    res = decide("score", ballots, options=["x", "y"])
    assert (res.total("x").weighted, res.total("y").weighted) == (5, Fraction(7, 2))
    assert (res.total("x").unweighted, res.total("y").unweighted) == (5, 11)
    assert res.winner == "x"
    dist = {(lv.option, lv.level): lv.weighted for lv in res.agreement}
    assert dist[("x", "0")] == Fraction(1, 2) and dist[("y", "5")] == Fraction(1, 2)
    with pytest.raises(BallotError, match="within 0–5") as err:
        decide("score", [Ballot("a", marks={"x": 6})], options=["x"])
    assert err.value.field == "x"
    wide = decide(
        "score",
        [Ballot("a", marks={"x": -2})],
        options=["x", "y"],
        rules=DecisionRules(scores=(-2, 2)),
    )
    assert wide.outcome == "tie"  # a blank is the lowest score, as x's -2
    assert wide.total("y").weighted == -2


def test_dot_budget_is_validated() -> None:
    rules = DecisionRules(budget=3)
    res = decide(
        "dot",
        [Ballot("a", marks={"x": 2, "y": 1}), Ballot("b", 2, marks={"y": 3})],
        options=["x", "y"],
        rules=rules,
    )
    assert res.winner == "y" and res.total("y").weighted == 7
    with pytest.raises(BallotError, match="4 dots exceed the budget of 3") as err:
        decide("dot", [Ballot("a", marks={"x": 2, "y": 2})], options=["x", "y"], rules=rules)
    assert err.value.voter == "a"
    with pytest.raises(BallotError, match="whole numbers"):
        decide("dot", [Ballot("a", marks={"x": 0.5})], options=["x"], rules=rules)
    with pytest.raises(InvalidValueError, match="needs a budget"):
        decide("dot", [Ballot("a", marks={"x": 1})], options=["x"])


def test_approval_is_zero_or_one() -> None:
    res = decide(
        "approval",
        [Ballot("a", marks={"x": 1, "y": 1}), Ballot("b", marks={"y": 1})],
        options=["x", "y"],
    )
    assert res.ranking == (("y",), ("x",))
    with pytest.raises(BallotError, match="0 or 1"):
        decide("approval", [Ballot("a", marks={"x": 2})], options=["x"])
    with pytest.raises(BallotError, match="unknown option 'q'"):
        decide("approval", [Ballot("a", marks={"q": 1})], options=["x"])


# --- count / opt-in -------------------------------------------------------------------------


def test_count_we_need_three_volunteers() -> None:
    rules = DecisionRules(goal=3)
    ballots = [_c("a", "in"), _c("b", "in"), _c("c", "out"), _c("d", "in", 0)]
    assert decide("count", ballots, rules=rules).outcome == "unfilled"  # weight 0 is no volunteer
    ballots.append(_c("e", "in", "0.25"))
    assert decide("count", ballots, rules=rules).outcome == "filled"
    by_weight = DecisionRules(goal=3, goal_by="weight")
    assert decide("count", ballots, rules=by_weight).outcome == "unfilled"  # 2.25 of 3
    with pytest.raises(InvalidValueError, match="needs a goal"):
        decide("count", ballots)


# --- paper batches, rules -------------------------------------------------------------------


def test_paper_batches_count_as_their_number_of_ballots() -> None:
    room = [Ballot("room", 1, choice="yes", count=12), Ballot("room-no", 1, choice="no", count=5)]
    online = [_c("a", "no"), _c("b", "no")]
    res = decide("majority", room + online, electorate={"a": 1, "b": 1})
    assert res.total("yes").unweighted == 12 and res.total("no").unweighted == 7
    assert res.outcome == "adopted"
    with pytest.raises(BallotError, match="needs its own weight"):
        decide("majority", [Ballot("room", choice="yes", count=3)], electorate={"a": 1})
    with pytest.raises(BallotError, match="whole number >= 1"):
        decide("majority", [Ballot("room", choice="yes", count=0)])


def test_a_required_share_only_where_the_method_has_one() -> None:
    with pytest.raises(InvalidValueError, match="score takes no required share"):
        decide("score", [Ballot("a", marks={"x": 1})], rules=DecisionRules(threshold="0.5"))
    with pytest.raises(InvalidValueError, match="within 0–1"):
        decide("majority", [_c("a", "yes")], rules=DecisionRules(threshold=2))
    with pytest.raises(ValueError, match="unknown method 'lottery'"):
        decide("lottery", [])


def test_no_votes_and_bad_weights() -> None:
    assert decide("ranked", [], options=["a", "b"]).outcome == "no_votes"
    assert decide("consent", [_c("a", "block", 0, "x")]).outcome == "no_votes"
    with pytest.raises(BallotError, match="finite number") as err:
        decide("consent", [_c("a", "consent", float("nan"))])
    assert err.value.field == "weight"
    with pytest.raises(BallotError, match=">= 0"):
        decide("consent", [_c("a", "consent", -1)])


def test_paper_batches_merge_with_online_ballots_under_an_electorate() -> None:
    electorate = {"a": 1, "b": 1, "room-north": 1, "room-region": Fraction(1, 4)}
    ballots = [
        _c("a", "no"),
        Ballot("room-north", choice="yes", count=3),
        Ballot("room-region", choice="no", count=8),
        Ballot("late-table", Fraction(1, 2), choice="yes", count=2),
    ]
    res = decide(
        "majority", ballots, electorate=electorate, rules=DecisionRules(quorum=Quorum(heads="0.9"))
    )
    assert res.total("yes").weighted == 4 and res.total("no").weighted == 3
    assert res.turnout.weight_eligible == 1 + 1 + 3 + 2 + 1
    assert (res.turnout.heads_cast, res.turnout.heads_eligible) == (14, 15)
    assert res.outcome == "adopted"
