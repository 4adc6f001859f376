"""What a proposal costs at the indicative prices, and the checks before submitting.

Pure arithmetic on plain values (no database), so pages, the API, the close and
the benchmarks share it. Quantities are ``{"supply": {index: q}, "demand": {index: q}}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Quantities = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Summary:
    """A proposal in value at given prices.

    Consumers: ``cost`` (private goods at price, public goods at their shared
    cost), against ``budget``. Worker councils: ``benefit`` (social benefit of the
    outputs), ``cost`` (social cost of the inputs) and their ``ratio``.
    """

    kind: str
    cost: float
    benefit: float = 0.0
    budget: float | None = None
    public_share: float = 0.0
    problems: tuple[str, ...] = field(default=())

    @property
    def ratio(self) -> float | None:
        if self.kind != "worker" or self.cost <= 0:
            return None
        return self.benefit / self.cost

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.cost > self.budget * (1 + 1e-9)


def line_cost(price: float, quantity: float, public: bool, n_sharing: int) -> float:
    """A consumer council's cost of one request (a public good's cost is shared)."""
    return price * quantity / max(n_sharing, 1) if public else price * quantity


def summarise(
    kind: str,
    quantities: Quantities,
    prices: Sequence[float],
    public: Sequence[bool],
    *,
    budget: float | None = None,
    n_sharing: int = 1,
) -> Summary:
    if kind == "worker":
        benefit = sum(prices[int(g)] * q for g, q in quantities.get("supply", {}).items())
        cost = sum(prices[int(g)] * q for g, q in quantities.get("demand", {}).items())
        return Summary("worker", cost, benefit)
    cost = 0.0
    shared = 0.0
    for g, q in quantities.get("demand", {}).items():
        c = line_cost(prices[int(g)], q, public[int(g)], n_sharing)
        cost += c
        if public[int(g)]:
            shared += c
    return Summary("consumer", cost, budget=budget, public_share=shared)


def revision_problems(
    quantities: Quantities,
    previous: Quantities,
    limit: float,
    names: Mapping[int, str],
) -> list[str]:
    """Figures moved more than ``limit`` (a share) from the last counted proposal.

    Goods the last proposal did not name are free (a council may take up a good).
    """
    from django.utils.translation import gettext as _

    problems: list[str] = []
    for side in ("supply", "demand"):
        now = quantities.get(side, {})
        for good, before in previous.get(side, {}).items():
            if before <= 0:
                continue
            q = float(now.get(good, 0.0))
            low, high = before * (1 - limit), before * (1 + limit)
            if not low * (1 - 1e-9) <= q <= high * (1 + 1e-9):
                problems.append(
                    _(
                        "%(good)s: %(q)g is more than %(limit)s away from last round's "
                        "%(before)g; the plan allows %(low)g to %(high)g."
                    )
                    % {
                        "good": names.get(int(good), good),
                        "q": q,
                        "limit": f"{limit:.0%}",
                        "before": before,
                        "low": low,
                        "high": high,
                    }
                )
    return problems


def submission_problems(
    summary: Summary, quantities: Quantities, revisions: Sequence[str] = ()
) -> list[str]:
    """Why a proposal cannot be submitted as it is (empty list: it can)."""
    from django.utils.translation import gettext as _

    problems: list[str] = list(revisions)
    if summary.kind == "worker":
        if not any(q > 0 for q in quantities.get("supply", {}).values()):
            problems.append(_("Propose at least one output."))
        elif summary.ratio is not None and summary.ratio < 1:
            problems.append(
                _(
                    "Social benefit is below social cost (SB/SC = %(r).2f < 1): propose "
                    "fewer inputs or more outputs."
                )
                % {"r": summary.ratio}
            )
    elif summary.over_budget:
        problems.append(
            _("Over budget: the requests cost %(cost).2f, the budget is %(budget).2f.")
            % {"cost": summary.cost, "budget": summary.budget}
        )
    return problems


def parse_quantity(raw: str) -> float:
    """A quantity typed by a person: a finite number >= 0 (``ValueError`` otherwise)."""
    text = raw.strip().replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw.strip()
    if text == "":
        return 0.0
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    if value < 0:
        raise ValueError("negative")
    return value
