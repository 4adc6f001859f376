"""How well a calibrated economy reproduces its table at the opening prices.

The opening round's proposals are compared with the table industry by
industry: gross output, every intermediate flow, imports, compensation and
other value-added rows bought as goods, and emissions. The inputs of an
industry supported by the plan are its council's plus the plan's deliveries,
which come in the same proportions (``supported_by_plan`` in the economy's
metadata); the opening gaps check that those deliveries are really in the
plan's fixed demand, because any shortfall would leave a market uncleared.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from parecon.engine import CobbDouglasWorkers, Economy
from parecon.engine.gaps import gaps
from parecon.scenario.io_tables.table import FloatArray, IOTable

__all__ = ["IndustryFit", "Reproduction", "reproduction"]


@dataclass(frozen=True)
class IndustryFit:
    """One industry at the opening prices against its column of the table."""

    industry: str
    output: float
    reproduced: float
    output_error: float
    flow_error: float
    worst_input: str
    from_plan: float


@dataclass(frozen=True)
class Reproduction:
    """How well the calibrated economy reproduces its table at the first round."""

    max_relative_error: float
    where: str
    max_gap: float
    worst_good: str
    industries: tuple[IndustryFit, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """For JSON reports: the largest error and gap, and the fit of every industry."""
        return {
            "max_relative_error": self.max_relative_error,
            "where": self.where,
            "max_gap": self.max_gap,
            "worst_good": self.worst_good,
            "industries": [asdict(f) for f in self.industries],
        }


def _relative(got: FloatArray, want: FloatArray) -> FloatArray:
    mask = want > 0
    err: FloatArray = np.where(mask, np.abs(got - want) / np.where(mask, want, 1.0), 0.0)
    return err


def reproduction(economy: Economy, table: IOTable) -> Reproduction:
    """Largest relative error of outputs and input flows, and the opening gaps."""
    prices = economy.initial_prices
    (workers,) = economy.populations_of(CobbDouglasWorkers)
    assert isinstance(workers, CobbDouglasWorkers)
    n = table.n
    names = economy.goods.names
    index = {name: g for g, name in enumerate(names)}
    sector = {s: j for j, s in enumerate(table.sectors)}
    props = workers.proposals(prices)
    z = np.asarray(props.supply.sum(axis=1)).ravel()
    industry = np.array([sector[names[g].removesuffix(" (public)")] for g in workers.output])
    output = np.asarray(np.bincount(industry, z, minlength=n), dtype=float)
    group = sp.csr_array(
        (np.ones(len(industry)), (industry, np.arange(len(industry)))), (n, len(industry))
    )
    flows = (group @ props.demand).toarray()  # (industries, goods)
    supported = economy.metadata.get("supported_by_plan") or {}
    from_plan = np.array([float(supported.get(s, 0.0)) for s in table.sectors])
    flows /= (1.0 - from_plan)[:, None]
    wanted: list[tuple[str, int, FloatArray]] = []  # (row name, good, table row over industries)
    for i, s in enumerate(table.sectors):
        if s in index:
            wanted.append((s, index[s], table.intermediate[i]))
    if "imports" in index:
        wanted.append(("imports", index["imports"], table.imports))
    for r, (kind, v) in table.value_added.items():
        prefix = {"labour": "labour: ", "resources": "resource: "}.get(kind)
        if prefix and prefix + r in index:
            wanted.append((r, index[prefix + r], v))
    for e, (_, v) in table.emissions.items():
        if e in index:
            wanted.append((e, index[e], v))
    out_err = _relative(output, table.output)
    fits: list[IndustryFit] = []
    worst = (-1.0, "")
    for j, s in enumerate(table.sectors):
        errs = [
            (float(_relative(flows[j, g : g + 1], row[j : j + 1])[0]), r) for r, g, row in wanted
        ]
        flow_err, worst_input = max(errs, default=(0.0, ""))
        fits.append(
            IndustryFit(
                s,
                float(table.output[j]),
                float(output[j]),
                float(out_err[j]),
                flow_err,
                worst_input,
                float(from_plan[j]),
            )
        )
        if out_err[j] > worst[0]:
            worst = (float(out_err[j]), f"output of {s!r}")
        if flow_err > worst[0]:
            worst = (flow_err, f"row {worst_input!r}, column {s!r}")
    response = economy.respond(prices)
    gap = gaps(response.supply, response.demand)
    g = int(np.argmax(gap))
    return Reproduction(worst[0], worst[1], float(gap[g]), names[g], tuple(fits))
