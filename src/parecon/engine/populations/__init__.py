"""Kinds of council populations the planning engine can plan with."""

from parecon.engine.populations.base import FloatArray, Population, Proposals, Response
from parecon.engine.populations.consumers import CESConsumers, CobbDouglasConsumers
from parecon.engine.populations.fixed import FixedSupply, SubmittedProposals
from parecon.engine.populations.workers import CobbDouglasWorkers, ReturnsMode

__all__ = [
    "CESConsumers",
    "CobbDouglasConsumers",
    "CobbDouglasWorkers",
    "FixedSupply",
    "FloatArray",
    "Population",
    "Proposals",
    "Response",
    "ReturnsMode",
    "SubmittedProposals",
]
