"""The interface of a price rule and the registry that finds rules by name.

A price rule is what the Iteration Facilitation Board does between rounds:
from the prices it announced and the aggregate supply and demand it received,
it announces new prices. It sees nothing else; in particular no council's
utility or production parameters. Rules keep whatever memory they need in an
explicit state object that the board carries between rounds (and between
years), so a rule object itself holds only settings and can be shared.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from parecon.engine.goods import Goods
from parecon.engine.populations import FloatArray, ValueFlows
from parecon.exceptions import ValidationError

__all__ = ["PriceRule", "available_rules", "get_rule", "register_rule"]

_REGISTRY: dict[str, type[PriceRule]] = {}


class PriceRule(ABC):
    """Announces the next indicative prices from the last round's totals."""

    name: ClassVar[str]
    uses_flows: ClassVar[bool] = False
    """Whether the rule wants the round's :class:`ValueFlows` (the value-flow
    table of the councils' submitted proposals) passed to :meth:`update`; the
    procedure collects them only then."""
    stalls_on_noise: ClassVar[bool] = False
    """Whether gaps that stop halving while small say more about the councils
    than about the rule: true of a Newton-type rule, whose model promises much
    faster progress, not of fixed-step rules that always converge slowly. The
    board measures a noise floor only for such rules (see
    :class:`~parecon.engine.FacilitationBoard`)."""

    def bind(self, goods: Goods) -> PriceRule:
        """This rule for an economy with these goods (optional hook).

        A good's category (private, intermediate, resource, labour, public,
        pollutant) is public knowledge of the board, not a council parameter,
        so a rule may use it. The board calls this once, before the first
        round, when it knows the goods; the default ignores them. Rules that
        use them return a new object (rule objects may be shared).
        """
        return self

    def start(self, prices: FloatArray) -> Any:
        """The rule's state before the first round at ``prices``."""
        return None

    def effort_share(self, state: Any) -> float:
        """The unpriced (effort) share of producers' returns that the value
        flows are to assume this round (see :class:`ValueFlows`)."""
        return 0.0

    @abstractmethod
    def update(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: Any,
        flows: ValueFlows | None = None,
    ) -> tuple[FloatArray, Any]:
        """Next prices and state, given the totals proposed at ``prices``.

        All arrays have shape (n_goods,). ``flows`` is the value-flow table of
        the proposals, given only to rules with :attr:`uses_flows` (and may
        still be missing: a board that does not collect them). Must return
        finite, positive prices.
        """

    def finish(self, prices: FloatArray, supply: FloatArray, demand: FloatArray, state: Any) -> Any:
        """The state to carry into the next period, given the final round.

        Called once when planning stops (not after divergence). Rules whose
        memory pairs rounds must not pair rounds of different periods (the
        economy changed in between); this is where they condense it.
        """
        return state

    def __repr__(self) -> str:
        declared: dict[str, dataclasses.Field[Any]] = getattr(self, "__dataclass_fields__", {})
        names = [k for k, f in declared.items() if f.repr and k in vars(self)] or list(vars(self))
        settings = ", ".join(f"{k}={getattr(self, k)!r}" for k in names)
        return f"{type(self).__name__}({settings})"


def register_rule(cls: type[PriceRule]) -> type[PriceRule]:
    """Class decorator: make a rule available by its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def available_rules() -> list[str]:
    """Names of the registered rules."""
    return sorted(_REGISTRY)


def get_rule(rule: str | PriceRule, **settings: Any) -> PriceRule:
    """A rule object from a name (with settings) or the object itself."""
    if isinstance(rule, PriceRule):
        return rule
    try:
        cls = _REGISTRY[rule]
    except KeyError:
        raise ValidationError(
            f"unknown price rule {rule!r}; available: {', '.join(available_rules())}"
        ) from None
    return cls(**settings)
