"""Kinds of council populations the planning engine can plan with."""

from parecon.engine.populations.base import (
    FloatArray,
    Population,
    ProducerGroups,
    Proposals,
    Response,
    Role,
    ValueFlows,
    flows_from_proposals,
    returns_from_proposals,
)
from parecon.engine.populations.consumers import CESConsumers, CobbDouglasConsumers
from parecon.engine.populations.fixed import FixedSupply, SubmittedProposals
from parecon.engine.populations.pollution import (
    AffectedConsumers,
    Community,
    PermitSchedules,
    affect_consumers,
)
from parecon.engine.populations.workers import CobbDouglasWorkers, ReturnsMode

__all__ = [
    "AffectedConsumers",
    "CESConsumers",
    "CobbDouglasConsumers",
    "CobbDouglasWorkers",
    "Community",
    "FixedSupply",
    "FloatArray",
    "PermitSchedules",
    "Population",
    "ProducerGroups",
    "Proposals",
    "Response",
    "ReturnsMode",
    "Role",
    "SubmittedProposals",
    "ValueFlows",
    "affect_consumers",
    "flows_from_proposals",
    "returns_from_proposals",
]
