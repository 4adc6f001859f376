"""Could the default rule's second-order tables come from a sample of the councils?

Issue 9 asks an ``informed`` round to cost at most 1.5 ``pequod`` rounds at 600k and
6M councils. Most of the difference is the value flows' tables that the Jacobian
model reads (:func:`~parecon.engine.price_rules.informed.model_jacobian`): per
output good and input, ``Σ x_j b_ji`` for ``x = r, r w, r w'`` (by output), and the
input pairs ``Σ x_j b_ji b_jl`` for ``x = r w, r w'``. This study computes them
from a deterministic sample of the worker councils instead (the response and the
per-good sums stay exact) and measures what that does to the model and the rounds:

- ``every m-th``: every m-th producer of each good, weighted ``m`` (all tables);
- ``PPS by good``: systematic sampling proportional to ``r w`` within each good's
  producers, councils at least one step big taken whole, the others weighted
  ``τ / (r w)`` (all tables), the spending table's columns scaled back to the
  exact input totals;
- ``PPS pairs``: the same along an order sorted by output and input pattern, for
  the pairs only (by output exact).

For each design and step ``m`` it prints the relative error (Frobenius, and the
largest row's L1) of the whole economy's ``J0`` against the exact tables at the
opening prices, 30% off and ``e^N(0, 1)`` off, and the rounds to 3% / 0.1% of the
default rule from seven starts (opening prices, ×10, ×0.1, ``e^N(0, 1)`` two seeds,
``e^N(0, 2)``, unequal workplace sizes from ``e^N(0, 0.5)``); ``full`` is the
engine's exact tables. The samples are drawn in NumPy here (a study, not the
engine's path). Run:

    python benchmarks/study_sampled_tables.py [--councils 600000] [--steps 2,4,8]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from parecon.engine import CobbDouglasWorkers, Economy, PlanningProcedure
from parecon.engine.executors import ShardedResponder
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.kernels.cobb_douglas import flow_sums
from parecon.engine.populations.base import ValueFlows, effort_weights
from parecon.engine.populations.workers import _flows
from parecon.engine.price_rules.informed import model_jacobian
from parecon.exceptions import ConvergenceWarning

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convergence_families import far_start, size_inequality

FloatArray = np.ndarray
_FIELDS = (
    "spending",
    "revenue",
    "final",
    "fixed",
    "supply_response",
    "demand_response",
    "supply_slope",
    "demand_slope",
    "substitution",
)
Sampler = Callable[[CobbDouglasWorkers, FloatArray, int], tuple[FloatArray, FloatArray]]


def _systematic(size: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
    """Positions and weights of a systematic sample proportional to ``size``."""
    tau = size.sum() * m / size.size
    big = size >= tau
    for _ in range(3):  # the step over the councils not taken whole
        tau = size[~big].sum() / max(size.size / m - big.sum(), 1.0)
        big = size >= tau
    small = np.flatnonzero(~big)
    steps = np.floor(np.cumsum(size[small]) / tau + 0.5)
    picked = small[np.diff(np.concatenate([[0.0], steps])) > 0]
    positions = np.concatenate([np.flatnonzero(big), picked])
    weights = np.concatenate([np.ones(int(big.sum())), tau / size[picked]])
    return positions, weights


def every_mth(w: CobbDouglasWorkers, rw: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
    order = np.argsort(w.output, kind="stable")
    counts = np.bincount(w.output, minlength=w.n_goods)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = np.flatnonzero(rank % m == 0)
    taken = np.bincount(w.output[rows], minlength=w.n_goods)
    return rows, (counts / np.maximum(taken, 1))[w.output[rows]]


def pps_by_good(w: CobbDouglasWorkers, rw: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
    rows, weights = [], []
    for g in np.unique(w.output):
        members = np.flatnonzero(w.output == g)
        positions, mult = _systematic(rw[members], m)
        rows.append(members[positions])
        weights.append(mult)
    r, x = np.concatenate(rows), np.concatenate(weights)
    order = np.argsort(r)
    return r[order], x[order]


_PATTERN: dict[int, FloatArray] = {}


def pps_pattern(w: CobbDouglasWorkers, rw: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
    if id(w) not in _PATTERN:
        b, counts = w._b, np.diff(w._b.indptr)
        keys = [
            np.where(counts > t, b.indices[np.minimum(b.indptr[:-1] + t, b.nnz - 1)], -1)
            for t in range(int(counts.max()))
        ]
        _PATTERN[id(w)] = np.lexsort([*keys[::-1], w.output])
    order = _PATTERN[id(w)]
    positions, weights = _systematic(rw[order], m)
    rows = order[positions]
    back = np.argsort(rows)
    return rows[back], weights[back]


DESIGNS: dict[str, tuple[Sampler, bool]] = {
    "every m-th": (every_mth, False),
    "PPS by good": (pps_by_good, False),
    "PPS pairs": (pps_pattern, True),
}
"""Name: (sampler, pairs only)."""


def sampled_flows(
    w: CobbDouglasWorkers,
    prices: FloatArray,
    gamma: float,
    sampler: Sampler,
    m: int,
    pairs_only: bool,
) -> ValueFlows:
    n_goods = w.n_goods
    r = w._revenue(prices)
    wt, ww = effort_weights(w.margin, gamma)
    x = np.vstack([r, r * wt, r * ww])
    exact = np.stack([np.bincount(w.output, v, minlength=n_goods) for v in x])
    rows, weights = sampler(w, x[1], m)
    by_output, pairs = flow_sums(w.inputs[rows], w.output[rows], x[:, rows] * weights, 1)
    if pairs_only:
        by_output, _ = flow_sums(w.inputs, w.output, x, 1)
    else:
        columns = by_output[0].sum(axis=0)
        spent = np.asarray(w.inputs.T @ r)
        by_output[0] *= np.where(columns > 0, spent / np.where(columns > 0, columns, 1.0), 0.0)
    goods = np.stack([exact[0], exact[1] - exact[0], exact[2]])
    return _flows(goods, by_output, pairs, gamma)


SETTING: dict[str, object] = {"design": None, "m": 1}
_exact_respond_with_flows = CobbDouglasWorkers.respond_with_flows


def _respond_with_flows(
    self: CobbDouglasWorkers, prices: FloatArray, effort_share: float = 0.0
) -> tuple[object, ValueFlows]:
    if SETTING["design"] is None or self._stiff_returns() is not None:
        return _exact_respond_with_flows(self, prices, effort_share)
    response = self.respond(prices)
    if self._stiff_returns() is not None:
        return response, self.value_flows(prices, effort_share)
    sampler, pairs_only = DESIGNS[str(SETTING["design"])]
    m = int(SETTING["m"])  # type: ignore[call-overload]
    return response, sampled_flows(self, prices, effort_share, sampler, m, pairs_only)


def jacobian_errors(economy: Economy, steps: list[int]) -> None:
    w = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    rng = np.random.default_rng(0)
    base = np.asarray(economy.initial_prices)
    points = {
        "opening": base,
        "30% off": base * np.exp(rng.normal(0, 0.3, w.n_goods)),
        "e^N(0,1) off": base * np.exp(rng.normal(0, 1.0, w.n_goods)),
    }
    print(
        "| design | m | "
        + " | ".join(f"J0 error at {p} (Frobenius, worst row)" for p in points)
        + " |"
    )
    print("|---|---|" + "---|" * len(points))
    cells: dict[tuple[str, int], list[str]] = {}
    for prices in points.values():
        with ShardedResponder(economy) as councils:
            _, total = councils.respond_with_flows(prices, 0.02)
        exact = w.value_flows(prices, 0.02)
        want, _ = model_jacobian(total)
        for design, (sampler, pairs_only) in DESIGNS.items():
            for m in steps:
                sampled = sampled_flows(w, prices, 0.02, sampler, m, pairs_only)
                changed = {
                    f: getattr(total, f) - getattr(exact, f) + getattr(sampled, f) for f in _FIELDS
                }
                got, _ = model_jacobian(replace(total, **changed))
                frob = np.linalg.norm(got - want) / np.linalg.norm(want)
                row = np.max(np.abs(got - want).sum(axis=1) / np.abs(want).sum(axis=1))
                cells.setdefault((design, m), []).append(f"{frob:.1e}, {row:.1e}")
    for (design, m), values in cells.items():
        print(f"| {design} | {m} | " + " | ".join(values) + " |", flush=True)


def rounds(economy: Economy, steps: list[int]) -> None:
    starts = {
        "opening": economy,
        "×10": economy.with_prices(economy.initial_prices * 10),
        "×0.1": economy.with_prices(economy.initial_prices * 0.1),
        "e^N(0,1) s1": far_start(economy, 1.0, 1),
        "e^N(0,1) s2": far_start(economy, 1.0, 2),
        "e^N(0,2)": far_start(economy, 2.0, 1),
        "sizes σ=1, e^N(0,0.5)": far_start(size_inequality(economy, 1.0, 1), 0.5, 3),
    }
    runs = [("full", 1)] + [(d, m) for d in DESIGNS for m in steps]
    print("| start | " + " | ".join(d if d == "full" else f"{d} m={m}" for d, m in runs) + " |")
    print("|---|" + "---|" * len(runs))
    CobbDouglasWorkers.respond_with_flows = _respond_with_flows  # type: ignore[method-assign]
    try:
        for name, start in starts.items():
            cells = []
            for design, m in runs:
                SETTING.update(design=None if design == "full" else design, m=m)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    result = PlanningProcedure("informed", tolerance=0.001, max_rounds=60).run(
                        start
                    )
                cells.append(f"{result.rounds_to.get(0.03)} / {result.rounds_to.get(0.001)}")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    finally:
        CobbDouglasWorkers.respond_with_flows = _exact_respond_with_flows  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=600_000)
    parser.add_argument("--steps", default="2,4,8")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    economy = generate_economy(EconomySpec(args.councils // 2, args.councils // 2, 10), seed=1)
    jacobian_errors(economy, steps)
    print()
    rounds(economy, steps)


if __name__ == "__main__":
    main()
