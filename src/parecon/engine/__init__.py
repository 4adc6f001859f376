"""The participatory planning engine (pure core: NumPy and SciPy only).

Councils live in populations of arrays; the Iteration Facilitation Board
(:class:`PlanningProcedure`) announces indicative prices, sums proposals and
updates prices by a named rule until the plan is feasible.
"""

from parecon.engine.board import FacilitationBoard
from parecon.engine.economy import Economy
from parecon.engine.gaps import gaps, signed_gaps
from parecon.engine.goods import GoodCategory, Goods
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
)
from parecon.engine.price_rules import PriceRule, available_rules, get_rule, register_rule
from parecon.engine.procedure import PlanningProcedure, PlanResult, RoundRecord, plan

__all__ = [
    "AffectedConsumers",
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
    "available_rules",
    "gaps",
    "get_rule",
    "plan",
    "register_rule",
    "signed_gaps",
]
