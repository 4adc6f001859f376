"""Price rules of the Iteration Facilitation Board, chosen by name."""

from parecon.engine.price_rules.base import PriceRule, available_rules, get_rule, register_rule
from parecon.engine.price_rules.pequod import PequodRule, TatonnementRule
from parecon.engine.price_rules.secant import SecantRule, SecantState

DEFAULT_RULE = "secant"
"""The rule the board uses unless told otherwise (``pequod`` reproduces DEP)."""

__all__ = [
    "DEFAULT_RULE",
    "PequodRule",
    "PriceRule",
    "SecantRule",
    "SecantState",
    "TatonnementRule",
    "available_rules",
    "get_rule",
    "register_rule",
]
