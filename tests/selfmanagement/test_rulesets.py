"""Rule sets as versioned plain data, changed only by a decision valid under the current rules."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement import (
    Ballot,
    DecisionRules,
    Quorum,
    RuleSet,
    WeightingRule,
    check_rule_change,
    decide,
)

CURRENT = RuleSet(
    version=3,
    default_method="consent",
    quorum=Quorum(weight="0.5"),
    weighting=WeightingRule(levels=(1, "0.25"), stakes={"neighbours": "0.5"}),
    thresholds={"qualified_majority": "2/3", "consent": "0.5"},
    role_terms={"facilitator": 90, "treasurer": 365},
    change_method="qualified_majority",
)
PROPOSED = dataclasses.replace(CURRENT, version=4, role_terms={"facilitator": 60, "treasurer": 365})
ELECTORATE = {"a": 1, "b": 1, "c": 1, "d": 1}


def _vote(yes: int, no: int, rules: DecisionRules, method: str = "qualified_majority") -> object:
    ballots = [Ballot(v, choice="yes") for v in "abcd"[:yes]] + [
        Ballot(v, choice="no") for v in "abcd"[yes : yes + no]
    ]
    return decide(method, ballots, electorate=ELECTORATE, rules=rules)


def test_round_trip_through_plain_data_and_json() -> None:
    data = json.loads(json.dumps(CURRENT.as_dict()))
    again = RuleSet.from_dict(data)
    assert again.as_dict() == CURRENT.as_dict()
    assert again.fingerprint() == CURRENT.fingerprint() != PROPOSED.fingerprint()
    assert data["thresholds"] == {"consent": "0.5", "qualified_majority": "2/3"}
    assert again.threshold("qualified_majority") == Fraction(2, 3)


def test_a_change_adopted_under_the_current_rules_is_applied() -> None:
    rules = CURRENT.decision_rules("qualified_majority", subject=PROPOSED.fingerprint())
    assert check_rule_change(CURRENT, PROPOSED, _vote(3, 1, rules)) is PROPOSED


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("rejected", "not adopted"),
        ("other text", "another text"),
        ("other method", "by qualified_majority, not by majority"),
        ("lower share", "required share below"),
        ("no quorum rule", "turnout below"),
        ("skipped version", "next version must be 4"),
    ],
)
def test_invalid_changes_are_refused(case: str, problem: str) -> None:
    proposed, subject = PROPOSED, PROPOSED.fingerprint()
    rules = CURRENT.decision_rules("qualified_majority", subject=subject)
    if case == "rejected":
        decision = _vote(2, 2, rules)
    elif case == "other text":
        decision = _vote(3, 0, dataclasses.replace(rules, subject=CURRENT.fingerprint()))
    elif case == "other method":
        decision = _vote(3, 0, DecisionRules(quorum=rules.quorum, subject=subject), "majority")
    elif case == "lower share":
        decision = _vote(3, 1, dataclasses.replace(rules, threshold="0.5"))
    elif case == "no quorum rule":
        decision = _vote(1, 0, dataclasses.replace(rules, quorum=Quorum()))
    else:
        proposed = dataclasses.replace(PROPOSED, version=5)
        decision = _vote(3, 0, dataclasses.replace(rules, subject=proposed.fingerprint()))
    with pytest.raises(InvalidValueError, match=problem):
        check_rule_change(CURRENT, proposed, decision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"version": 0}, "rules, version"),
        ({"default_method": "lottery"}, "rules, default_method"),
        ({"thresholds": {"score": "0.5"}}, "rules, thresholds, 'score'"),
        ({"thresholds": {"majority": "1.5"}}, "rules, thresholds, 'majority'"),
        ({"role_terms": {"facilitator": 0}}, "rules, role_terms, 'facilitator'"),
        ({"quorum": {"weight": "x"}}, "quorum weight"),
        ({"weighting": {"levels": ["-1"]}}, "rules, weighting, levels[0]"),
        ({"colour": "red"}, "rules, colour"),
    ],
)
def test_bad_rule_data_names_the_field(data: dict[str, object], where: str) -> None:
    with pytest.raises(InvalidValueError) as err:
        RuleSet.from_dict(data)
    assert err.value.where == where
