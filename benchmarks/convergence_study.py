"""Convergence study: rounds to 10/5/3/1/0.1% per price rule, and price error.

Runs ``pequod``, ``secant`` and ``informed`` over the ten shared DEP economies and 50
generated ones (sizes from 300/300 councils with 5 goods per category to
30,000/30,000 with 100), plus robustness cases: DEP's "dep2" (20% of worker
councils with +0.1 on every input exponent, θ > 1, computed as Pequod does),
first prices ×10 and ×0.1 (on the DEP and the generated economies), the
in-between shapes 3000/3000 councils × 30 goods per category and
10,000/10,000 × 50 (five seeds each, also from ×10 and ×0.1), year two
(DEP's augment, from last year's prices and the carried-over rule state),
Looking Forward's revision limits, and a real input-output economy: IBGE's
Brazil 2019 table (12 industries, ``examples/io/brazil-2019``) calibrated into
councils, from log-normal opening prices around the table's (σ = 0.1, 0.2,
0.5; five seeds each). Its industries are close to constant returns (supply
elasticities 10–30) and coupled by the Leontief structure.
Prints a Markdown table.

    .venv/bin/python benchmarks/convergence_study.py [--quick]

Rounds are those of a run to 0.1% (at most ``MAX_ROUNDS``; a threshold never
reached counts as ``MAX_ROUNDS + 1`` and is flagged with ``>``). The price
error is ``max |ln p / p*|`` against :func:`solve_equilibrium` for the plan a
run with the default tolerance (3%) stops at: the plan people would get;
the plan error is ``max |S / S* − 1|`` of that plan's supply against the
supply at the equilibrium.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from parecon.engine import CobbDouglasWorkers, Economy, PlanningProcedure
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.generate import EconomySpec, augment, generate_economy
from parecon.engine.revision_limits import RevisionLimits
from parecon.exceptions import ConvergenceWarning
from parecon.scenario.io_tables.calibrate import economy_from_table
from parecon.scenario.io_tables.pymrio_format import read_pymrio
from parecon.scenario.pequod import economy_from_pequod

PEQUOD = Path(__file__).resolve().parents[2] / "shared" / "data" / "pequod"
BRAZIL = Path(__file__).resolve().parents[1] / "examples" / "io" / "brazil-2019"
THRESHOLDS = (0.10, 0.05, 0.03, 0.01, 0.001)
MAX_ROUNDS = 60
RULES = ("pequod", "secant", "informed")
SIZES = [
    (300, 300, 5),
    (600, 600, 5),
    (1500, 1500, 10),
    (3000, 3000, 10),
    (3000, 3000, 20),
    (6000, 6000, 20),
    (6000, 6000, 50),
    (15000, 15000, 50),
    (30000, 30000, 50),
    (30000, 30000, 100),
]
BETWEEN = [(3000, 3000, 30), (10000, 10000, 50)]
"""In-between shapes: fewer worker councils per good than DEP's (33 and 67 per
produced good against 100), so the aggregate responses are less linear."""


def dep_economies(returns: str = "refuse") -> Iterator[Economy]:
    for i in range(1, 11):
        document = json.loads(gzip.decompress((PEQUOD / f"dep1ex{i:02d}.json.gz").read_bytes()))
        yield economy_from_pequod(document, name=f"dep1ex{i:02d}", returns=returns)  # type: ignore[arg-type]


def dep2(economy: Economy, seed: int) -> Economy:
    """DEP's dep2: 20% of worker councils get +0.1 on every input exponent."""
    rng = np.random.default_rng(seed)
    populations = []
    for pop in economy.populations:
        if isinstance(pop, CobbDouglasWorkers):
            chosen = rng.random(pop.n_councils) < 0.2
            rows = np.repeat(np.arange(pop.n_councils), np.diff(pop.inputs.indptr))
            b = sp.csr_array(pop.inputs, copy=True)
            b.data = b.data + 0.1 * chosen[rows]
            pop = replace(pop, inputs=b, returns="pequod")
        populations.append(pop)
    return economy.with_populations(populations)


def generated(quick: bool) -> Iterator[Economy]:
    seeds = range(1) if quick else range(5)
    for n_c, n_w, g in SIZES:
        for seed in seeds:
            yield generate_economy(EconomySpec(n_c, n_w, g), seed=100 + seed)


def in_between(quick: bool) -> Iterator[Economy]:
    seeds = range(2) if quick else range(5)
    for n_c, n_w, g in BETWEEN:
        for seed in seeds:
            yield generate_economy(EconomySpec(n_c, n_w, g), seed=300 + seed)


def brazil(sigma: float) -> list[Economy]:
    """Brazil 2019 opening at prices ``exp(N(0, sigma))`` (seeds 0–4)."""
    economy = economy_from_table(read_pymrio(BRAZIL))
    starts = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        starts.append(economy.with_prices(np.exp(rng.normal(0.0, sigma, economy.n_goods))))
    return starts


def run(
    economy: Economy, rule: str, tolerance: float, state: object = None, **kw: object
) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return PlanningProcedure(rule, tolerance=tolerance, max_rounds=MAX_ROUNDS, **kw).run(  # type: ignore[arg-type]
            economy, rule_state=state
        )


Case = Callable[[Economy, str], tuple[dict[float, int | None], Economy, object]]


def plain(scale: float = 1.0, **kw: object) -> Case:
    def case(economy: Economy, rule: str) -> tuple[dict[float, int | None], Economy, object]:
        if scale != 1.0:
            economy = economy.with_prices(economy.initial_prices * scale)
        deep = run(economy, rule, 0.001, **kw)
        plan = run(economy, rule, 0.03, **kw)
        return deep.rounds_to, economy, plan  # type: ignore[attr-defined]

    return case


def from_table(economy: Economy, rule: str) -> tuple[dict[float, int | None], Economy, object]:
    """Like :func:`plain`; the reference equilibrium is sought from the table's
    unit prices (from a perturbed start Newton can fail on these economies)."""
    reached, _, result = plain()(economy, rule)
    return reached, economy.with_prices(np.ones(economy.n_goods)), result


def year_two(economy: Economy, rule: str) -> tuple[dict[float, int | None], Economy, object]:
    first = run(economy, rule, 0.001)
    second = augment(economy, seed=7, prices=first.prices)  # type: ignore[attr-defined]
    state = first.rule_state  # type: ignore[attr-defined]
    deep = run(second, rule, 0.001, state)
    plan = run(second, rule, 0.03, state)
    return deep.rounds_to, second, plan  # type: ignore[attr-defined]


def measure(name: str, economies: list[Economy], case: Case) -> list[str]:
    lines = []
    for rule in RULES:
        rounds: list[list[int]] = [[] for _ in THRESHOLDS]
        errors, plan_errors = [], []
        for economy in economies:
            reached, scored, plan = case(economy, rule)
            for i, t in enumerate(THRESHOLDS):
                rounds[i].append(reached[t] or MAX_ROUNDS + 1)
            eq = solve_equilibrium(scored)
            errors.append(float(np.abs(np.log(plan.prices / eq.prices)).max()))  # type: ignore[attr-defined]
            supplied = np.maximum(eq.supply, 1e-300)
            plan_errors.append(float(np.abs(plan.supply / supplied - 1.0).max()))  # type: ignore[attr-defined]
        cells = []
        for r in rounds:
            top = max(r)
            flag = ">" if top > MAX_ROUNDS else ""
            cells.append(f"{np.mean(r):.1f} / {flag}{min(top, MAX_ROUNDS)}")
        lines.append(
            f"| {name} | {rule} | {len(economies)} | "
            + " | ".join(cells)
            + f" | {np.mean(errors):.2g} / {max(errors):.2g}"
            + f" | {np.mean(plan_errors):.2g} / {max(plan_errors):.2g} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one seed per generated size")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--rules", help="comma-separated rules (default: all three)")
    args = parser.parse_args()
    if args.rules:
        global RULES
        RULES = tuple(args.rules.split(","))
    started = time.perf_counter()
    deps = list(dep_economies())
    gens = list(generated(args.quick))
    betweens = list(in_between(args.quick))
    dep2s = [dep2(e, seed=i) for i, e in enumerate(dep_economies("pequod"))]
    head = "| economies | rule | n | " + " | ".join(f"to {t:.1%}" for t in THRESHOLDS)
    print(head + " | price error | plan error |")
    print("|" + "---|" * (5 + len(THRESHOLDS)))
    cases: list[tuple[str, list[Economy], Case]] = [
        ("DEP dep1 (shared)", deps, plain()),
        ("generated", gens, plain()),
        ("dep2 (20% θ>1, pequod mode)", dep2s, plain()),
        ("DEP, prices ×10", deps, plain(10.0)),
        ("DEP, prices ×0.1", deps, plain(0.1)),
        ("3000/3000×30 and 10k/10k×50", betweens, plain()),
        ("same, prices ×10", betweens, plain(10.0)),
        ("same, prices ×0.1", betweens, plain(0.1)),
        ("generated, prices ×10", gens, plain(10.0)),
        ("generated, prices ×0.1", gens, plain(0.1)),
        ("DEP year two", deps, year_two),
        ("DEP, revision limits", deps, plain(revision_limits=RevisionLimits())),
        ("Brazil 2019 (IO), start σ=0.1", brazil(0.1), from_table),
        ("Brazil 2019 (IO), start σ=0.2", brazil(0.2), from_table),
        ("Brazil 2019 (IO), start σ=0.5", brazil(0.5), from_table),
    ]
    for name, economies, case in cases:
        if args.only and args.only.lower() not in name.lower():
            continue
        for line in measure(name, economies, case):
            print(line, flush=True)
    print(f"\ncells: mean / max rounds; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
