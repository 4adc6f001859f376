"""The participatory planning engine (pure core: NumPy and SciPy only).

Councils live in populations of arrays; the Iteration Facilitation Board
(:class:`FacilitationBoard`) announces indicative prices, sums proposals and
updates prices by a named rule until the plan is feasible. A simulation runs
all rounds at once (:class:`PlanningProcedure`); real rounds that last days
play one round at a time (:func:`play_round`) on a board kept between rounds
as a :class:`BoardState`.
"""

from parecon.engine.board import FacilitationBoard
from parecon.engine.board_state import BoardState
from parecon.engine.economy import Economy
from parecon.engine.gaps import gaps, signed_gaps
from parecon.engine.goods import GoodCategory, Goods
from parecon.engine.planning_round import play_round
from parecon.engine.populations import (
    AffectedConsumers,
    CESConsumers,
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Community,
    FixedSupply,
    Population,
    Proposals,
    Response,
    SubmittedProposals,
    ValueFlows,
)
from parecon.engine.price_rules import PriceRule, available_rules, get_rule, register_rule
from parecon.engine.procedure import PlanningProcedure, PlanResult, RoundRecord, plan

__all__ = [
    "AffectedConsumers",
    "BoardState",
    "CESConsumers",
    "CobbDouglasConsumers",
    "CobbDouglasWorkers",
    "Community",
    "Economy",
    "FacilitationBoard",
    "FixedSupply",
    "GoodCategory",
    "Goods",
    "PlanResult",
    "PlanningProcedure",
    "Population",
    "PriceRule",
    "Proposals",
    "Response",
    "RoundRecord",
    "SubmittedProposals",
    "ValueFlows",
    "available_rules",
    "gaps",
    "get_rule",
    "plan",
    "play_round",
    "register_rule",
    "signed_gaps",
]
