"""The councils of an economy calibrated to a table (see :mod:`.calibrate`).

Worker councils get ``a`` and ``S`` so that each produces its share of its
industry's output at the opening prices; consumer councils spend the table's
household and government final demand; in a closed economy the members of
consumer councils supply the labour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parecon.engine import CobbDouglasConsumers, CobbDouglasWorkers, Economy
from parecon.engine.closed_economy import close_economy, consumer_blocks
from parecon.engine.populations import AffectedConsumers
from parecon.exceptions import InvalidValueError
from parecon.scenario.io_tables.table import FloatArray, IOTable

if TYPE_CHECKING:
    from parecon.scenario.io_tables.calibrate import Calibration

__all__ = ["calibrated_consumers", "calibrated_workers", "closed_over_members"]


def calibrated_workers(
    table: IOTable,
    cal: Calibration,
    b: FloatArray,
    opening: FloatArray,
    margin: FloatArray,
    private: NDArray[np.intp],
    public: dict[int, int],
) -> CobbDouglasWorkers:
    """Each industry's workplaces (private and public variant) with ``a`` and ``S`` set
    so that each produces its share of the table's output at the opening prices.

    At unit output price and input prices ``p`` the closed form gives
    ``(1 − θ) ln z = ln a − (c/k) ln S' + Σ b ln(b/p)`` with ``S' = S k / c``;
    ``S = c·size/k`` and ``ln a = (1 − Σb) ln size − Σ b ln(b/p)`` make ``z = size``.
    """
    gov = table.final("government")
    output: list[int] = []
    industry: list[int] = []
    size: list[float] = []
    for j in range(table.n):
        count = cal.workplaces
        if cal.workplace_size and table.employment is not None:
            count = int(
                np.clip(np.ceil(table.employment[j] / cal.workplace_size), 1, cal.max_workplaces)
            )
        for good, amount in (
            (int(private[j]), table.output[j] - gov[j]),
            (public.get(j, -1), gov[j]),
        ):
            if good < 0:
                continue
            output.extend([good] * count)
            industry.extend([j] * count)
            size.extend([amount / count] * count)
    rows = np.asarray(industry, dtype=np.intp)
    sizes = np.asarray(size)
    bb = b[rows]
    ck = margin * cal.effort_share
    c = ck[rows] * cal.k
    s = c * sizes / cal.k
    sum_b = bb.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(bb > 0, bb / opening[None, :], 1.0)
        b_log_b = np.where(bb > 0, bb * np.log(ratio), 0.0).sum(axis=1)
    a = np.exp((1.0 - sum_b) * np.log(sizes) - b_log_b)
    return CobbDouglasWorkers(
        output=np.asarray(output, dtype=np.intp),
        a=a,
        c=c,
        k=np.full(len(rows), cal.k),
        s=s,
        inputs=sp.csr_array(bb),
    )


def calibrated_consumers(
    table: IOTable,
    cal: Calibration,
    hh: FloatArray,
    gov: FloatArray,
    private: NDArray[np.intp],
    public: dict[int, int],
    imports: int,
    n_goods: int,
    credits: float = 0.0,
) -> CobbDouglasConsumers:
    """Households' and government's final demand as consumer councils.

    Councils spend their budget plus their share of the permit ``credits``
    (proportional to their spending), so budgets are the table's spending less
    the credits and the opening demand is the table's.
    """
    rng = np.random.default_rng(cal.seed)
    has = private >= 0
    final_imports = table.final_imports.get("households", 0.0) + table.final_imports.get(
        "government", 0.0
    )
    totals = np.concatenate(
        [hh[has], [gov[i] for i in public], [final_imports] if imports >= 0 else []]
    )
    goods = np.concatenate(
        [private[has], list(public.values()), [imports] if imports >= 0 else []]
    ).astype(np.intp)
    keep = totals > 0
    goods, totals = goods[keep], totals[keep]
    m = cal.consumers
    budget = rng.lognormal(0.0, cal.heterogeneity, m)
    taste = rng.lognormal(0.0, cal.heterogeneity, (m, len(goods)))
    spending = budget[:, None] * taste * totals[None, :]
    spending *= (totals / spending.sum(axis=0))[None, :]
    is_public = np.array([g in public.values() for g in goods])
    total = spending.sum()
    if credits >= total:
        raise InvalidValueError(
            f"permit credits {credits:.6g} exceed households' spending {total:.6g}: lower "
            "emission_charges or pollutant_price",
            "calibration",
        )
    income = spending.sum(axis=1)
    if credits > 0:
        income = income * (1.0 - credits / total)
    return CobbDouglasConsumers(
        income=income,
        goods=goods,
        exponents=spending / spending.sum(axis=1, keepdims=True),
        public=is_public,
        n_sharing=m,
        total_goods=n_goods,
    )


def closed_over_members(
    economy: Economy, labour: dict[str, int], supply: dict[int, float]
) -> Economy:
    """Members of consumer councils supply the labour in proportion to their budgets."""
    incomes: list[FloatArray] = []
    for _, pop in consumer_blocks(economy):
        block = pop.consumers if isinstance(pop, AffectedConsumers) else pop
        if isinstance(block, CobbDouglasConsumers):
            incomes.append(block.income)
    budgets = np.concatenate(incomes)
    if not labour:
        raise InvalidValueError("the table has no compensation rows: no labour to close over")
    hours = np.zeros((len(budgets), economy.n_goods))
    for g in labour.values():
        hours[:, g] = supply[g] * budgets / budgets.sum()
    return close_economy(economy, budgets, hours)
