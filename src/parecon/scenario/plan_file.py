"""Plans as JSON documents (what ``parecon plan --json`` writes) and carrying one over.

The command line and the web platform both write plans with :func:`plan_document`,
the reference equilibrium with :func:`equilibrium_document`, and open next year's
plan from last year's with :func:`read_carry_over` and :func:`continue_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from parecon.engine import Economy, GoodCategory, PlanResult, get_rule
from parecon.engine.plan_accounts import economy_balance, factor_accounts, pollution_accounts
from parecon.engine.rule_state import check_state
from parecon.exceptions import InputError
from parecon.scenario.council_names import council_names
from parecon.scenario.files import read_document
from parecon.scenario.rule_state import state_from_json, state_to_json

if TYPE_CHECKING:
    from parecon.engine.equilibrium import EquilibriumResult

__all__ = [
    "Continuation",
    "PlanCarryOver",
    "accounts_document",
    "continue_plan",
    "equilibrium_document",
    "plan_document",
    "populations_document",
    "read_carry_over",
]


def populations_document(economy: Economy) -> list[dict[str, Any]]:
    """Each population's kind, council count and, where the file named them, names."""
    out = []
    for pop, names in zip(economy.populations, council_names(economy), strict=True):
        entry: dict[str, Any] = {"kind": pop.kind, "councils": pop.n_councils}
        if names is not None:
            entry["names"] = list(names)
        out.append(entry)
    return out


def plan_document(result: PlanResult, economy: Economy) -> dict[str, Any]:
    """A JSON-ready summary of ``result``; goods in the economy's order."""
    return {
        "economy": economy.name,
        "rule": result.rule,
        "converged": result.converged,
        "status": result.status,
        "message": result.message,
        "rounds": result.rounds,
        "tolerance": result.tolerance,
        "max_gap": result.max_gap,
        "rounds_to": {f"{k:g}": v for k, v in result.rounds_to.items()},
        "goods": list(economy.goods.names),
        "categories": [GoodCategory(int(c)).name.lower() for c in economy.goods.categories],
        "populations": populations_document(economy),
        "prices": result.prices.tolist(),
        "supply": result.supply.tolist(),
        "demand": result.demand.tolist(),
        "gaps": result.gaps.tolist(),
        "next_prices": result.next_prices.tolist(),
        "accounts": accounts_document(economy, result.prices),
        "rule_state": state_to_json(result.rule_state),
        "history": [
            {
                "round": r.round,
                "max_gap": r.max_gap,
                "seconds": r.seconds,
                "within_tolerance": r.within(result.tolerance),
            }
            for r in result.history
        ],
    }


def accounts_document(economy: Economy, prices: np.ndarray) -> dict[str, Any]:
    """The plan in value: fixed supplies at their opportunity cost, pollution, balance."""
    pollution = pollution_accounts(economy, prices)
    balance = economy_balance(economy, prices)
    return {
        "fixed_supplies": [
            vars(f)
            for f in factor_accounts(economy, prices, (GoodCategory.RESOURCE, GoodCategory.LABOUR))
        ],
        "pollutants": [vars(p) for p in pollution.pollutants],
        "community_credits": pollution.community_credits,
        "balance": {
            "budgets": balance.budgets,
            "credits": balance.credits,
            "consumed": balance.consumed,
            "net_product": balance.net_product,
            "imbalance": balance.imbalance,
        },
    }


@dataclass(frozen=True)
class PlanCarryOver:
    """What a finished plan hands to the next period: prices and the board's memory."""

    rule: str
    goods: tuple[str, ...]
    prices: np.ndarray
    rule_state: Any


def read_carry_over(path: str | Path) -> PlanCarryOver:
    """Read the prices and rule state of a plan written by ``parecon plan --json``."""
    doc = read_document(path)
    if not isinstance(doc, dict):
        raise InputError("not a plan file (expected a JSON object)", str(path))
    for key in ("rule", "goods", "prices"):
        if key not in doc:
            raise InputError(f"not a plan file: missing key {key!r}", str(path))
    goods = doc["goods"]
    if not (isinstance(goods, list) and all(isinstance(g, str) for g in goods)):
        raise InputError("'goods' must be a list of names", f"{path}: goods")
    bad_prices = InputError("'prices' must be one positive number per good", f"{path}: prices")
    try:
        prices = np.asarray(doc["prices"], dtype=np.float64)
    except (TypeError, ValueError):
        raise bad_prices from None
    if prices.shape != (len(goods),) or not (np.isfinite(prices) & (prices > 0)).all():
        raise bad_prices
    state = state_from_json(doc.get("rule_state"), f"{path}: rule_state")
    return PlanCarryOver(str(doc["rule"]), tuple(goods), prices, state)


def equilibrium_document(eq: EquilibriumResult, economy: Economy) -> dict[str, Any]:
    """The reference equilibrium as JSON: prices and quantities in the economy's order."""
    return {
        "economy": economy.name,
        "converged": eq.converged,
        "max_gap": eq.max_gap,
        "iterations": eq.iterations,
        "message": eq.message,
        "goods": list(economy.goods.names),
        "prices": eq.prices.tolist(),
        "supply": eq.supply.tolist(),
        "demand": eq.demand.tolist(),
    }


@dataclass(frozen=True)
class Continuation:
    """Next period's economy opening at last period's prices, with the board's memory."""

    economy: Economy
    rule_state: Any
    notes: tuple[str, ...]


def continue_plan(
    economy: Economy, carry: PlanCarryOver, rule: str, source: str = "the previous plan"
) -> Continuation:
    """Open ``economy`` where ``carry`` ended; its memory only if planned by ``rule``.

    The goods must be the same, in the same order; last period's prices are
    this period's opening prices whatever the rule.
    """
    if carry.goods != economy.goods.names:
        different = next(
            (
                f"good {i + 1} is {a!r} there and {b!r} here"
                for i, (a, b) in enumerate(zip(carry.goods, economy.goods.names, strict=False))
                if a != b
            ),
            f"{len(carry.goods)} goods there, {economy.n_goods} here",
        )
        raise InputError(f"plans other goods than {economy.name!r} ({different})", source)
    continued = economy.with_prices(carry.prices)
    price_rule = get_rule(rule)
    if carry.rule == price_rule.name:
        fresh = price_rule.bind(economy.goods).start(carry.prices)
        check_state(carry.rule_state, fresh, economy.n_goods, f"{source}: rule_state")
        return Continuation(continued, carry.rule_state, ())
    note = (
        f"{source} was planned with rule {carry.rule!r}; its memory is not used by "
        f"{rule!r} (its prices are)"
    )
    return Continuation(continued, None, (note,))
