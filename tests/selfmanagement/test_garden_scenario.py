"""Issue 14's 'done when', in the library: a proposal that affects one neighbourhood more.

The chapter riverside has a neighbourhood group, north. Its garden proposal weighs the
north's members 1 and the rest of the chapter 0.25 (the chapter's rule); members vote by
consent and by ranked choice; the weights are those of examples/decisions/weights.csv,
so `parecon decide` on the same ballots gives the same result (tests/cli).
"""

from __future__ import annotations

from pathlib import Path

from parecon.selfmanagement import (
    Affected,
    RuleSet,
    Unit,
    UnitTree,
    WeightingRule,
    decide,
    read_ballots,
    read_weights,
    weigh,
    weight_bands,
)

EX = Path(__file__).resolve().parents[2] / "examples" / "decisions"
TREE = UnitTree(
    [
        Unit("riverside", members=("eli", "fay", "gus", "hal", "ida", "jo"), kind="chapter"),
        Unit("north", "riverside", ("ana", "ben", "cleo", "dev"), kind="neighbourhood"),
    ]
)
RULES = RuleSet(default_method="consent", weighting=WeightingRule(levels=(1, "0.25")))


def test_weights_from_the_chapters_rule_match_the_example_file() -> None:
    w = weigh(TREE, Affected(units=("north",)), RULES.weighting)
    assert w.weights == read_weights(EX / "weights.csv")[0]
    assert w.scope == "riverside"
    assert w.reasons["eli"] == ("in riverside, 1 level(s) above north",)


def test_consent_and_ranked_choice_weighted_and_not() -> None:
    w = weigh(TREE, Affected(units=("north",)), RULES.weighting)
    consent = read_ballots(EX / "consent.csv", "consent", weights_given=True)
    res = decide("consent", consent.ballots, electorate=w.weights, rules=RULES.decision_rules())
    assert res.outcome == "adopted" and len(res.reasons) == 2
    ranked = read_ballots(EX / "ranked.csv", "ranked", weights_given=True)
    weighted = decide("ranked", ranked.ballots, electorate=w.weights)
    heads = decide("ranked", ranked.ballots)
    assert weighted.winner == "north_lot" and heads.winner == "school_yard"


def test_anonymous_ballots_show_bands_not_weights() -> None:
    w = weigh(TREE, Affected(units=("north",)), RULES.weighting)
    bands = weight_bands(w.weights, min_size=3)
    assert [b.label for b in bands.bands] == ["0.25", "1"]  # both weights are shared by 3+
