"""From a national input-output table to an economy of councils that reproduces it.

At the opening prices (1 for every product, labour, resource and import: base-
year money's worth; each pollutant's own base price) a Cobb-Douglas worker
council buys ``x_i = b_i z`` of each input, so ``b_i = Z_ij / X_j``: the
table's input coefficients. Compensation rows become labour types, rents
natural resources, imports a fixed supply of imports, and emissions
(satellite accounts) pollutant inputs at their base permit price, so the
council emits exactly the table's emissions and pays ``price × emissions``
out of its surplus. What is left of value added (operating surplus and net
taxes, less emission charges) is split: ``1 − margin_share`` buys the
industry's capital stock (a resource fixed for the year, whose price is its
opportunity cost), ``margin_share`` stays with the worker councils as effort
(``c/k``) and surplus (``1 − θ``). ``a`` and ``S`` are then set so the closed
form gives exactly ``X_j`` at the opening prices with effort 1.

A council needs a margin of at least ``min_margin`` (``θ < 1``). An industry
whose table leaves less (domestic services, all compensation; refining in
years of controlled fuel prices, negative value added) is **supported by the
plan**: its council buys the share ``(1 − min_margin) / Σb`` of each input and
the plan delivers the rest of the same inputs as a fixed demand — the
subsidy in kind that the table's low surplus records. Every flow of the table
is reproduced exactly (council plus plan), and every market clears.

Households' final demand becomes consumer councils with varied tastes whose
totals equal the table (columns rescaled exactly); government final demand
becomes public goods, produced by a public workplace of each industry with the
same technology; investment, exports and stock building are fixed demands of
the development plan (stock run-downs a fixed supply). Emissions are capped by
the national federation at ``cap_factor`` times the base year, its credits
shared by every consumer council.

**Negligible flows** (:data:`NEGLIGIBLE`): one rule decides whether a good or
a council exists. A public good, a private good, a capital stock or a
household demand exists (with its producer and its users) when its amount
exceeds ``negligible`` times its industry's gross output; otherwise it is
left out with a :class:`~parecon.scenario.io_tables.table.TableWarning`
(government and household demand below it are delivered as fixed demand of
the plan instead), so no good is ever left with a user and no producer.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from parecon.engine import (
    Community,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
    Population,
    SubmittedProposals,
)
from parecon.engine.populations import affect_consumers
from parecon.exceptions import InvalidValueError
from parecon.scenario.io_tables.councils import (
    calibrated_consumers,
    calibrated_workers,
    closed_over_members,
)
from parecon.scenario.io_tables.pollutant_prices import pollutant_prices
from parecon.scenario.io_tables.reproduction import Reproduction, reproduction
from parecon.scenario.io_tables.table import IOTable, TableWarning

__all__ = ["NEGLIGIBLE", "Calibration", "Reproduction", "economy_from_table", "reproduction"]

NEGLIGIBLE = 1e-9
"""Flows up to this share of their industry's gross output are left out (with a
warning) rather than given a good, a producer and users of their own."""


@dataclass(frozen=True)
class Calibration:
    """Choices the table does not make.

    Attributes
    ----------
    consumers : int
        Consumer councils sharing household and government final demand.
    workplaces : int
        Worker councils per industry (and per public variant), equal shares.
    workplace_size : float, optional
        People per workplace; with employment data, overrides ``workplaces``
        (at most ``max_workplaces`` per industry).
    margin_share : float
        Share of operating surplus and net taxes left to councils as effort
        and surplus rather than paid for capital.
    min_margin : float
        Smallest margin ``1 − Σb`` a council keeps; the plan delivers the
        inputs of industries whose table leaves less (see the module notes).
    effort_share : float
        Part of the margin that is effort (``c/k``).
    k : float
        Disutility exponent of effort.
    pollutant_price : float, optional
        One base-year permit price per unit for every pollutant; default: one
        price per pollutant (see :func:`pollutant_prices`).
    emission_charges : float
        Default pricing: all emission charges together as a share of gross output.
    cap_factor : float
        National cap on each pollutant relative to base-year emissions.
    closed : bool
        Consumer councils' members supply the labour and budgets are
        effort-based allowances (equal ratings) instead of fixed incomes.
    heterogeneity : float
        Spread (log-normal sigma) of consumer councils' tastes and budgets.
    negligible : float
        Threshold of the negligible-flow rule, a share of the industry's output.
    seed : int
    """

    consumers: int = 100
    workplaces: int = 1
    workplace_size: float | None = None
    max_workplaces: int = 50
    margin_share: float = 0.5
    min_margin: float = 0.05
    effort_share: float = 0.25
    k: float = 3.5
    pollutant_price: float | None = None
    emission_charges: float = 0.005
    cap_factor: float = 1.0
    closed: bool = False
    heterogeneity: float = 0.3
    negligible: float = NEGLIGIBLE
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("margin_share", "effort_share"):
            if not 0 < getattr(self, name) < 1:
                raise InvalidValueError(f"{name} must be in (0, 1)", "calibration")
        if not 0 < self.min_margin < 1 or self.k <= 0 or self.cap_factor < 0:
            raise InvalidValueError(
                "need 0 < min_margin < 1, k > 0, cap_factor >= 0", "calibration"
            )
        if self.consumers < 1 or self.workplaces < 1:
            raise InvalidValueError(
                "need at least one consumer council and workplace", "calibration"
            )
        if not 0 <= self.cap_factor < np.inf:
            raise InvalidValueError(
                f"cap_factor must be finite and >= 0 (got {self.cap_factor:g})", "calibration"
            )
        if self.workplace_size is not None and not 0 < self.workplace_size < np.inf:
            raise InvalidValueError(
                f"workplace_size must be finite and > 0 people (got {self.workplace_size:g})",
                "calibration",
            )
        if self.pollutant_price is not None and not self.pollutant_price > 0:
            raise InvalidValueError("pollutant_price must be > 0", "calibration")
        if not 0 < self.emission_charges < 1 or not 0 <= self.negligible < 1e-3:
            raise InvalidValueError(
                "need 0 < emission_charges < 1 and 0 <= negligible < 1e-3", "calibration"
            )


class _Goods:
    """Names and categories of the economy's goods, as they are created."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.cats: list[int] = []

    def add(self, name: str, cat: GoodCategory) -> int:
        self.names.append(name)
        self.cats.append(int(cat))
        return len(self.names) - 1


def _left_out(table: IOTable, cal: Calibration, what: str, amount: float, instead: str) -> None:
    warnings.warn(
        TableWarning(
            f"{table.source}: {what}: {amount:.6g} {table.unit} is negligible (at most "
            f"{cal.negligible:g} of the industry's output); {instead}"
        ),
        stacklevel=3,
    )


def economy_from_table(table: IOTable, cal: Calibration = Calibration()) -> Economy:
    """An economy whose proposals at its opening prices reproduce ``table``."""
    n = table.n
    x = table.output
    tiny = cal.negligible * x
    gov = table.final("government").copy()
    hh = table.final("households").copy()
    moved = np.zeros(n)  # final demand delivered by the plan instead (negligible rule)
    for i in range(n):
        for vec, what in ((gov, "government"), (hh, "household")):
            if 0 < vec[i] <= tiny[i]:
                _left_out(
                    table,
                    cal,
                    f"{what} demand for {table.sectors[i]!r}",
                    float(vec[i]),
                    "delivered as a fixed demand of the plan",
                )
                moved[i] += vec[i]
                vec[i] = 0.0
    goods = _Goods()
    private = np.full(n, -1, dtype=np.intp)
    for i in range(n):
        if x[i] - gov[i] > tiny[i]:
            cat = GoodCategory.PRIVATE if hh[i] > 0 else GoodCategory.INTERMEDIATE
            private[i] = goods.add(table.sectors[i], cat)
    public = {int(i): -1 for i in np.flatnonzero(gov > tiny)}
    for i in public:
        public[i] = goods.add(f"{table.sectors[i]} (public)", GoodCategory.PUBLIC)
    labour = {
        r: goods.add(f"labour: {r}", GoodCategory.LABOUR)
        for r, (kind, v) in table.value_added.items()
        if kind == "labour" and v.sum() > 0
    }
    resources = {
        r: goods.add(f"resource: {r}", GoodCategory.RESOURCE)
        for r, (kind, v) in table.value_added.items()
        if kind == "resources" and v.sum() > 0
    }
    prices = pollutant_prices(table, cal)
    rows = np.flatnonzero(private >= 0)
    for i in np.flatnonzero(private < 0).tolist():
        uses = float(table.intermediate[i].sum())
        if uses > 0:
            _left_out(
                table,
                cal,
                f"intermediate uses of {table.sectors[i]!r} (all else is public)",
                uses,
                "left out of its users' technologies",
            )
    n_core = len(goods.names)
    # columns laid out as the economy's goods will be: [core, capital (n), imports, pollutants]
    b = np.zeros((n, n_core + n + 1 + len(prices)))
    b[:, private[rows]] = (table.intermediate[rows] / x[None, :]).T
    for r, g in labour.items():
        b[:, g] = table.value_added[r][1] / x
    for r, g in resources.items():
        b[:, g] = table.value_added[r][1] / x
    b[:, n_core + n] = b_imports = table.imports / x
    b_pollutants = {e: p * table.emissions[e][1] / x for e, p in prices.items()}
    for k, e in enumerate(prices):
        b[:, n_core + n + 1 + k] = b_pollutants[e]
    left = 1.0 - b.sum(axis=1)
    b = b[:, :n_core]
    margin = np.maximum(cal.margin_share * left, cal.min_margin)
    b_capital = left - margin
    no_capital = b_capital <= cal.negligible
    margin = np.where(no_capital & (left >= margin), left, margin)
    b_capital = np.where(no_capital, 0.0, b_capital)
    bought = 1.0 - left  # Σb before capital
    scale = np.where(left < margin, (1.0 - margin) / np.maximum(bought, 1e-300), 1.0)

    capital = np.full(n, -1, dtype=np.intp)
    for j in range(n):
        if not no_capital[j]:
            capital[j] = goods.add(f"capital: {table.sectors[j]}", GoodCategory.RESOURCE)
    imports = (
        goods.add("imports", GoodCategory.RESOURCE)
        if table.imports.sum() + sum(table.final_imports.values()) > 0
        else -1
    )
    pollutants = {e: goods.add(e, GoodCategory.POLLUTANT) for e in prices}
    n_goods = len(goods.names)
    full = np.zeros((n, n_goods))
    full[:, :n_core] = b
    if imports >= 0:
        full[:, imports] = b_imports
    for e, g in pollutants.items():
        full[:, g] = b_pollutants[e]
    delivered = ((1.0 - scale) * x) @ full  # what the plan delivers to supported industries
    full *= scale[:, None]
    has_capital = capital >= 0
    full[np.flatnonzero(has_capital), capital[has_capital]] = b_capital[has_capital]
    opening = np.ones(n_goods)
    for e, g in pollutants.items():
        opening[g] = prices[e]
    workers = calibrated_workers(table, cal, full, opening, margin, private, public)
    credits = sum(cal.cap_factor * prices[e] * float(table.emissions[e][1].sum()) for e in prices)
    consumers = calibrated_consumers(
        table, cal, hh, gov, private, public, imports, n_goods, credits
    )
    populations: list[Population] = [consumers, workers]
    supply: dict[int, float] = {}
    if imports >= 0:
        supply[imports] = float(table.imports.sum() + sum(table.final_imports.values()))
    for r, g in {**labour, **resources}.items():
        supply[g] = float(table.value_added[r][1].sum())
    for j in np.flatnonzero(has_capital).tolist():
        supply[int(capital[j])] = float(b_capital[j] * x[j])
    fixed_demand = delivered
    planned = moved.copy()
    for kind in ("investment", "inventories", "exports"):
        planned += table.final(kind)
        if kind != "exports" and imports >= 0:
            fixed_demand[imports] += table.final_imports.get(kind, 0.0)
    for i in range(n):
        if private[i] >= 0:
            fixed_demand[private[i]] += planned[i]
        elif planned[i] != 0:
            _left_out(
                table,
                cal,
                f"final demand for {table.sectors[i]!r} other than government",
                float(planned[i]),
                "left out",
            )
    stock = np.maximum(-fixed_demand, 0.0)
    for short in np.flatnonzero(stock):
        supply[int(short)] = supply.get(int(short), 0.0) + float(stock[short])
    populations.append(
        SubmittedProposals.dense(
            np.zeros((1, n_goods)), np.maximum(fixed_demand, 0.0)[None, :], np.zeros(n_goods, bool)
        )
    )
    keys = sorted(supply)
    populations.append(FixedSupply(np.asarray(keys), np.array([supply[k] for k in keys]), n_goods))
    if pollutants:
        everyone = list(range(cal.consumers))
        caps = {
            g: (cal.cap_factor * float(table.emissions[e][1].sum()), prices[e], 0.0)
            for e, g in pollutants.items()
        }
        # credits shared in proportion to spending: budget + credit = the table's spending
        federation = Community(
            "national federation", everyone, caps, shares=consumers.income.tolist()
        )
        populations = affect_consumers(populations, [federation], n_goods)
    supported = {table.sectors[j]: float(1.0 - scale[j]) for j in np.flatnonzero(scale < 1.0)}
    metadata = {
        "source": table.source,
        "unit": table.unit,
        "industries": n,
        "pollutant_base_price": dict(prices) if pollutants else None,
        "supported_by_plan": supported,
    }
    economy = Economy(
        Goods(tuple(goods.names), np.asarray(goods.cats, np.int8)),
        tuple(populations),
        opening,
        _name(table),
        metadata,
    )
    if cal.closed:
        economy = closed_over_members(economy, labour, supply)
    return economy


def _name(table: IOTable) -> str:
    return table.source.replace("\\", "/").rstrip("/").split("/")[-1].split(".")[0] or "io"
