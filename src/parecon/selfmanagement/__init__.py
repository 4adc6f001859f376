"""Self-management: decisions with a say in proportion to how much they affect you.

The pure decision library the platform and the CLI call (standard library
only): decision methods declared as data and counted by one engine with
weights (:func:`decide`), weights from rules over a tree of units
(:func:`weigh`), weight bands for anonymous ballots, federated decisions and
pull-down requests, versioned rule sets changed only by decision, and the
arithmetic of time polls.
"""

from __future__ import annotations

from parecon.selfmanagement.affected import (
    Affected,
    Unit,
    UnitTree,
    Weighting,
    WeightingRule,
    weigh,
)
from parecon.selfmanagement.ballot_csv import BallotFile, read_ballots, read_weights
from parecon.selfmanagement.ballots import Ballot, BallotError, parse_ranking
from parecon.selfmanagement.bands import WeightBand, WeightBands, weight_bands
from parecon.selfmanagement.decision_rules import DecisionRules, Quorum
from parecon.selfmanagement.exact import Weight, exact
from parecon.selfmanagement.federation import FederatedResult, PullDown, federate, pull_down
from parecon.selfmanagement.methods import METHODS, MOTION, Choice, Method, get_method
from parecon.selfmanagement.results import (
    DecisionResult,
    Level,
    OptionTotal,
    Outcome,
    Reason,
    Turnout,
)
from parecon.selfmanagement.rulesets import RuleSet, check_rule_change
from parecon.selfmanagement.schulze import schulze_tiers, strongest_paths
from parecon.selfmanagement.tally import decide
from parecon.selfmanagement.time_polls import (
    Answer,
    PollDay,
    PollSlot,
    TimeAnswer,
    TimeOption,
    TimeOptionScore,
    TimePollResult,
    count_time_poll,
    poll_grid,
)

__all__ = [
    "METHODS",
    "MOTION",
    "Affected",
    "Answer",
    "Ballot",
    "BallotError",
    "BallotFile",
    "Choice",
    "DecisionResult",
    "DecisionRules",
    "FederatedResult",
    "Level",
    "Method",
    "OptionTotal",
    "Outcome",
    "PollDay",
    "PollSlot",
    "PullDown",
    "Quorum",
    "Reason",
    "RuleSet",
    "TimeAnswer",
    "TimeOption",
    "TimeOptionScore",
    "TimePollResult",
    "Turnout",
    "Unit",
    "UnitTree",
    "Weight",
    "WeightBand",
    "WeightBands",
    "Weighting",
    "WeightingRule",
    "check_rule_change",
    "count_time_poll",
    "decide",
    "exact",
    "federate",
    "get_method",
    "parse_ranking",
    "poll_grid",
    "pull_down",
    "read_ballots",
    "read_weights",
    "schulze_tiers",
    "strongest_paths",
    "weigh",
    "weight_bands",
]
