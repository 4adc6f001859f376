"""parecon.selfmanagement's public names, pinned: changing them is a decision, not an accident."""

from __future__ import annotations

import parecon.selfmanagement as sm

PUBLIC = {
    "METHODS", "MOTION", "Affected", "Answer", "Ballot", "BallotError", "BallotFile",
    "Choice", "DecisionResult", "DecisionRules", "FederatedResult", "Level", "Method",
    "OptionTotal", "Outcome", "PollDay", "PollSlot", "PullDown", "Quorum", "Reason",
    "RuleSet", "TimeAnswer", "TimeOption", "TimeOptionScore", "TimePollResult", "Turnout",
    "Unit", "UnitTree", "Weight", "WeightBand", "WeightBands", "Weighting", "WeightingRule",
    "check_rule_change", "count_time_poll", "decide", "exact", "federate", "get_method",
    "parse_ranking", "poll_grid", "pull_down", "read_ballots", "read_weights",
    "schulze_tiers", "strongest_paths", "weigh", "weight_bands",
}  # fmt: skip


def test_public_names_are_pinned() -> None:
    assert set(sm.__all__) == PUBLIC
    for name in sm.__all__:
        assert hasattr(sm, name), f"__all__ lists missing {name}"


def test_every_declared_method_is_counted() -> None:
    assert set(sm.METHODS) == {
        "consent", "advice", "sense_check", "majority", "qualified_majority",
        "ranked", "score", "dot", "approval", "count",
    }  # fmt: skip
    for m in sm.METHODS.values():
        assert m.ballot in ("choice", "ranking", "marks")
        assert (m.ballot == "marks") == (m.marks is not None)
