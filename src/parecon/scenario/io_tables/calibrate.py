"""From a national input-output table to an economy of councils that reproduces it.

At unit prices (quantities are base-year money's worth) a Cobb-Douglas worker
council buys ``x_i = b_i z`` of each input, so ``b_i = Z_ij / X_j``: the table's
input coefficients. Each industry's compensation rows become labour types,
rents natural resources, imports a fixed supply of imports, and emissions
(satellite accounts) pollutant inputs at a base permit price. What is left of
value added (operating surplus and net taxes) is split: ``1 − margin_share``
buys the industry's capital stock (a resource fixed for the year, whose price
is its opportunity cost), ``margin_share`` stays with the worker councils as
effort (``c/k``) and surplus (``1 − θ``). ``a`` and ``S`` are then set so the
closed form gives exactly ``X_j`` at unit prices with effort 1.

Households' final demand becomes consumer councils with varied tastes whose
totals equal the table (columns rescaled exactly); government final demand
becomes public goods, produced by a public workplace of each industry with the
same technology; investment, exports and stock building are fixed demands of
the development plan (stock run-downs a fixed supply). Emissions are capped by
the national federation at ``cap_factor`` times the base year, its credits
shared by every consumer council.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from parecon.engine import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Community,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
    Population,
    SubmittedProposals,
)
from parecon.engine.closed_economy import close_economy
from parecon.engine.gaps import gaps
from parecon.engine.populations import affect_consumers
from parecon.exceptions import ValidationError
from parecon.scenario.io_tables.table import FloatArray, IOTable

__all__ = ["Calibration", "Reproduction", "economy_from_table", "reproduction"]


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
        Smallest ``1 − Σb`` allowed; industries with less are scaled down
        (and will not reproduce the table exactly: see :func:`reproduction`).
    effort_share : float
        Part of the margin that is effort (``c/k``).
    k : float
        Disutility exponent of effort.
    pollutant_price : float, optional
        Base-year permit price per unit emitted; default: emissions cost 0.5 %
        of gross output.
    cap_factor : float
        National cap on each pollutant relative to base-year emissions.
    closed : bool
        Consumer councils' members supply the labour and budgets are
        effort-based allowances (equal ratings) instead of fixed incomes.
    heterogeneity : float
        Spread (log-normal sigma) of consumer councils' tastes and budgets.
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
    cap_factor: float = 1.0
    closed: bool = False
    heterogeneity: float = 0.3
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("margin_share", "effort_share"):
            if not 0 < getattr(self, name) < 1:
                raise ValidationError(f"{name} must be in (0, 1)", "calibration")
        if not 0 < self.min_margin < 1 or self.k <= 0 or self.cap_factor < 0:
            raise ValidationError("need 0 < min_margin < 1, k > 0, cap_factor >= 0", "calibration")
        if self.consumers < 1 or self.workplaces < 1:
            raise ValidationError("need at least one consumer council and workplace", "calibration")


@dataclass(frozen=True)
class _Producers:
    output: list[int]
    industry: list[int]
    size: list[float]


def economy_from_table(table: IOTable, cal: Calibration = Calibration()) -> Economy:
    """An economy whose proposals at unit prices reproduce ``table``."""
    n = table.n
    gov = table.final("government")
    hh = table.final("households")
    names: list[str] = list(table.sectors)
    cats = [int(GoodCategory.PRIVATE if hh[i] > 0 else GoodCategory.INTERMEDIATE) for i in range(n)]
    public = {int(i): len(names) + k for k, i in enumerate(np.flatnonzero(gov > 0))}
    names += [f"{table.sectors[i]} (public)" for i in public]
    cats += [int(GoodCategory.PUBLIC)] * len(public)

    def add(name: str, cat: GoodCategory) -> int:
        names.append(name)
        cats.append(int(cat))
        return len(names) - 1

    labour = {
        r: add(f"labour: {r}", GoodCategory.LABOUR)
        for r, (kind, _) in table.value_added.items()
        if kind == "labour"
    }
    resources = {
        r: add(f"resource: {r}", GoodCategory.RESOURCE)
        for r, (kind, _) in table.value_added.items()
        if kind == "resources"
    }
    capital = [add(f"capital: {s}", GoodCategory.RESOURCE) for s in table.sectors]
    imports = add("imports", GoodCategory.RESOURCE)
    pollutants = {e: add(e, GoodCategory.POLLUTANT) for e in table.emissions}
    n_goods = len(names)
    x = table.output
    b = np.zeros((n, n_goods))
    b[:, :n] = (table.intermediate / x[None, :]).T
    for r, g in labour.items():
        b[:, g] = table.value_added[r][1] / x
    for r, g in resources.items():
        b[:, g] = table.value_added[r][1] / x
    b[:, imports] = table.imports / x
    total_emissions = {e: float(v.sum()) for e, (_, v) in table.emissions.items()}
    if pollutants and cal.pollutant_price is None:
        base_price = 0.005 * float(x.sum()) / max(sum(total_emissions.values()), 1e-300)
    else:
        base_price = cal.pollutant_price or 1.0
    for e, g in pollutants.items():
        b[:, g] = base_price * table.emissions[e][1] / x
    left = 1.0 - b.sum(axis=1)
    margin = np.maximum(cal.margin_share * left, cal.min_margin)
    b_capital = np.maximum(left - margin, 0.0)
    scale = np.minimum(1.0, (1.0 - margin) / np.maximum(b.sum(axis=1), 1e-300))
    b *= scale[:, None]
    b[np.arange(n), capital] = b_capital
    ck = margin * cal.effort_share
    producers = _producers(table, cal, public)
    rows = np.asarray(producers.industry)
    size = np.asarray(producers.size)
    bb = b[rows]
    c = ck[rows] * cal.k
    s = c * size / cal.k
    sum_b = bb.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        b_log_b = np.where(bb > 0, bb * np.log(np.where(bb > 0, bb, 1.0)), 0.0).sum(axis=1)
    a = np.exp((1.0 - sum_b) * np.log(size) - b_log_b)
    workers = CobbDouglasWorkers(
        output=np.asarray(producers.output, dtype=np.intp),
        a=a,
        c=c,
        k=np.full(len(rows), cal.k),
        s=s,
        inputs=sp.csr_array(bb),
    )
    populations: list[Population] = [_consumers(table, cal, public, imports, n_goods), workers]
    supply = {imports: float(table.imports.sum() + sum(table.final_imports.values()))}
    for r, g in {**labour, **resources}.items():
        supply[g] = float(table.value_added[r][1].sum())
    for j, g in enumerate(capital):
        supply[g] = float(b_capital[j] * x[j])
    fixed_demand = np.zeros(n_goods)
    for kind in ("investment", "inventories", "exports"):
        fixed_demand[:n] += table.final(kind)
        if kind != "exports":
            fixed_demand[imports] += table.final_imports.get(kind, 0.0)
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
            g: (cal.cap_factor * total_emissions[e] * scale_of(table, e, scale), base_price, 0.0)
            for e, g in pollutants.items()
        }
        populations = affect_consumers(
            populations, [Community("national federation", everyone, caps)], n_goods
        )
    goods = Goods(tuple(names), np.asarray(cats, np.int8))
    metadata = {
        "source": table.source,
        "unit": table.unit,
        "industries": n,
        "pollutant_base_price": base_price if pollutants else None,
    }
    economy = Economy(goods, tuple(populations), np.ones(n_goods), _name(table), metadata)
    if cal.closed:
        economy = _closed(economy, labour, supply, cal)
    return economy


def scale_of(table: IOTable, emission: str, scale: FloatArray) -> float:
    """Share of base-year emissions still bought after scaling industries down."""
    v = table.emissions[emission][1]
    return float((v * scale).sum() / v.sum()) if v.sum() > 0 else 1.0


def _name(table: IOTable) -> str:
    return table.source.replace("\\", "/").rstrip("/").split("/")[-1].split(".")[0] or "io"


def _producers(table: IOTable, cal: Calibration, public: dict[int, int]) -> _Producers:
    out = _Producers([], [], [])
    gov = table.final("government")
    for j in range(table.n):
        count = cal.workplaces
        if cal.workplace_size and table.employment is not None:
            count = int(
                np.clip(np.ceil(table.employment[j] / cal.workplace_size), 1, cal.max_workplaces)
            )
        for good, amount in ((j, table.output[j] - gov[j]), (public.get(j), gov[j])):
            if good is None or amount <= 1e-12 * table.output[j]:
                continue
            out.output.extend([good] * count)
            out.industry.extend([j] * count)
            out.size.extend([amount / count] * count)
    return out


def _consumers(
    table: IOTable, cal: Calibration, public: dict[int, int], imports: int, n_goods: int
) -> CobbDouglasConsumers:
    rng = np.random.default_rng(cal.seed)
    hh = table.final("households")
    totals = np.concatenate(
        [
            hh,
            [table.final("government")[i] for i in public],
            [
                table.final_imports.get("households", 0.0)
                + table.final_imports.get("government", 0.0)
            ],
        ]
    )
    goods = np.concatenate([np.arange(table.n), list(public.values()), [imports]]).astype(np.intp)
    keep = totals > 0
    goods, totals = goods[keep], totals[keep]
    m = cal.consumers
    budget = rng.lognormal(0.0, cal.heterogeneity, m)
    taste = rng.lognormal(0.0, cal.heterogeneity, (m, len(goods)))
    spending = budget[:, None] * taste * totals[None, :]
    spending *= (totals / spending.sum(axis=0))[None, :]
    is_public = np.array([g in public.values() for g in goods])
    return CobbDouglasConsumers(
        income=spending.sum(axis=1),
        goods=goods,
        exponents=spending / spending.sum(axis=1, keepdims=True),
        public=is_public,
        n_sharing=m,
        total_goods=n_goods,
    )


def _closed(
    economy: Economy, labour: dict[str, int], supply: dict[int, float], cal: Calibration
) -> Economy:
    """Members of consumer councils supply the labour in proportion to their budgets."""
    budgets = np.concatenate(
        [p.income for p in economy.populations if isinstance(p, CobbDouglasConsumers)]
    )
    if not labour:
        raise ValidationError("the table has no compensation rows: no labour to close over")
    hours = np.zeros((len(budgets), economy.n_goods))
    for g in labour.values():
        hours[:, g] = supply[g] * budgets / budgets.sum()
    return close_economy(economy, budgets, hours)


@dataclass(frozen=True)
class Reproduction:
    """How well the calibrated economy reproduces its table at the first round."""

    max_relative_error: float
    where: str
    max_gap: float
    worst_good: str


def reproduction(economy: Economy, table: IOTable) -> Reproduction:
    """Largest relative error of outputs, input flows and final demand at unit prices."""
    prices = economy.initial_prices
    (workers,) = economy.populations_of(CobbDouglasWorkers)
    assert isinstance(workers, CobbDouglasWorkers)
    n = table.n
    props = workers.proposals(prices)
    z = np.asarray(props.supply.sum(axis=1)).ravel()
    industry = np.array(
        [
            economy.goods.names.index(economy.goods.names[g].removesuffix(" (public)"))
            for g in workers.output
        ]
    )
    output = np.bincount(industry, z, minlength=n)
    flows = (
        (
            sp.csr_array((np.ones(len(industry)), (industry, np.arange(len(industry)))))
            @ props.demand
        )
        .toarray()[:, :n]
        .T
    )
    out_err = np.abs(output - table.output) / table.output
    mask = table.intermediate > 0
    flow_err = np.where(
        mask, np.abs(flows - table.intermediate) / np.where(mask, table.intermediate, 1), 0
    )
    worst = (float(out_err.max()), f"output of {table.sectors[int(np.argmax(out_err))]!r}")
    i, j = np.unravel_index(int(np.argmax(flow_err)), flow_err.shape)
    if flow_err[i, j] > worst[0]:
        worst = (float(flow_err[i, j]), f"row {table.sectors[i]!r}, column {table.sectors[j]!r}")
    response = economy.respond(prices)
    gap = gaps(response.supply, response.demand)
    g = int(np.argmax(gap))
    return Reproduction(worst[0], worst[1], float(gap[g]), economy.goods.names[g])
