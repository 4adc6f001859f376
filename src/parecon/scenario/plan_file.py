"""Plans as JSON documents: what ``parecon plan --json`` writes."""

from __future__ import annotations

from typing import Any

from parecon.engine import Economy, GoodCategory, PlanResult

__all__ = ["plan_document"]


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
        "prices": result.prices.tolist(),
        "supply": result.supply.tolist(),
        "demand": result.demand.tolist(),
        "gaps": result.gaps.tolist(),
        "next_prices": result.next_prices.tolist(),
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
