"""Price rules of the Iteration Facilitation Board, chosen by name."""

from parecon.engine.price_rules.base import PriceRule, available_rules, get_rule, register_rule
from parecon.engine.price_rules.informed import InformedRule, InformedState
from parecon.engine.price_rules.pequod import PequodRule, TatonnementRule
from parecon.engine.price_rules.secant import SecantRule, SecantState

DEFAULT_RULE = "informed"
"""The rule the board uses unless told otherwise (``pequod`` reproduces DEP;
``secant`` uses aggregate totals only)."""

__all__ = [
    "DEFAULT_RULE",
    "InformedRule",
    "InformedState",
    "PequodRule",
    "PriceRule",
    "SecantRule",
    "SecantState",
    "TatonnementRule",
    "available_rules",
    "get_rule",
    "register_rule",
]
