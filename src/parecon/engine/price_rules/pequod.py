"""Pequod's price rule, as used for *Democratic Economic Planning* (2021).

Each good's price moves by a factor ``1 ± δ`` towards clearing, with
``δ = max(0.001, (1.05 − 0.5^{gap}) · |r_prev|)``, where ``gap`` is this
round's ``2|S−D|/(S+D)`` and ``r_prev`` last round's signed gap clipped to
±0.25 (0.25 before the first round). It reproduces Pequod's runs exactly;
it is also slow (about 19 rounds to 3%), which is what
:class:`~parecon.engine.price_rules.secant.SecantRule` fixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from parecon.engine.gaps import signed_gaps
from parecon.engine.populations import FloatArray, ValueFlows
from parecon.engine.price_rules.base import PriceRule, register_rule

__all__ = ["PequodRule", "TatonnementRule"]


@register_rule
@dataclass(repr=False)
class PequodRule(PriceRule):
    """Pequod's adaptive step; state is last round's clipped signed gap."""

    clip: float = 0.25
    floor: float = 0.001
    name: ClassVar[str] = "pequod"

    def start(self, prices: FloatArray) -> FloatArray:
        return np.full(prices.shape, self.clip)

    def update(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: FloatArray,
        flows: ValueFlows | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        signed = signed_gaps(supply, demand)
        delta = np.maximum(self.floor, (1.05 - 0.5 ** np.abs(signed)) * np.abs(state))
        factor = np.where(supply > demand, 1.0 - delta, np.where(demand > supply, 1.0 + delta, 1.0))
        return prices * factor, np.clip(signed, -self.clip, self.clip)


@register_rule
@dataclass(repr=False)
class TatonnementRule(PriceRule):
    """Walras's tâtonnement on log prices with a fixed step.

    ``ln p ← ln p − step · clip(signed gap, ±max_move)``. Simple and
    stateless; converges only when the step suits the economy.
    """

    step: float = 0.5
    max_move: float = 0.25
    name: ClassVar[str] = "tatonnement"

    def update(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: None,
        flows: ValueFlows | None = None,
    ) -> tuple[FloatArray, None]:
        move = np.clip(signed_gaps(supply, demand), -self.max_move, self.max_move)
        return prices * np.exp(-self.step * move), None
