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
Issue 9 added the families a real board will meet (their constructors are in
``benchmarks/convergence_families.py``): DEP-like 3000/3000 × 10 economies
opening at ``700 · e^N(0, σ)`` good by good (σ = 1, 2), CES consumers with
σ from 0.2 to 10, unequal incomes and workplace sizes (log-normal, σ = 1),
100 and 300 goods per category with one producer per good, near-constant
returns (θ ∈ [0.95, 0.99], from starts ``e^N(0, 0.5)`` off the clearing
prices; inputs and effort scaled, or only the inputs), two pollutants (one
priced by a community, one capped), Brazil from ``e^N(0, 2)``, councils driven
through the board as submissions (sluggish, fixed, noisy, absent, mixed),
and economies drawn at random across all of these ("drawn": sizes, goods,
tastes, inequality and start all random, seeded; a second draw from another
seed, and Brazil and CES σ = 10 from far starts with fresh seeds, check that the
rule is not tuned to the first).
Prints a Markdown table; the last column says how the runs to 0.1% ended.

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

try:  # run from the repository root (tests) or as a script (this folder on the path)
    from benchmarks.convergence_families import (
        RealCouncils,
        ces_tastes,
        far_start,
        income_inequality,
        near_constant_returns,
        one_producer_per_good,
        plan_with_real_councils,
        polluted_with_caps,
        size_inequality,
    )
except ModuleNotFoundError:
    from convergence_families import (
        RealCouncils,
        ces_tastes,
        far_start,
        income_inequality,
        near_constant_returns,
        one_producer_per_good,
        plan_with_real_councils,
        polluted_with_caps,
        size_inequality,
    )  # type: ignore[no-redef]

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
    """Brazil 2019 opening at prices ``exp(N(0, sigma))`` (seeds 0–4; the far
    rows draw their own starts from seeds 10–14)."""
    economy = economy_from_table(read_pymrio(BRAZIL))
    starts = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        starts.append(economy.with_prices(np.exp(rng.normal(0.0, sigma, economy.n_goods))))
    return starts


def brazil_far_seeds(sigma: float, first: int) -> list[Economy]:
    """Brazil 2019 opening ``e^N(0, sigma)`` around the table's prices (seeds
    ``first`` to ``first + 4``)."""
    return [far_start(b, sigma, first + i) for i, b in enumerate(brazil(0.0))]


def run(
    economy: Economy, rule: str, tolerance: float, state: object = None, **kw: object
) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return PlanningProcedure(rule, tolerance=tolerance, max_rounds=MAX_ROUNDS, **kw).run(  # type: ignore[arg-type]
            economy, rule_state=state
        )


Case = Callable[[Economy, str], tuple[dict[float, int | None], Economy, object]]
ENDINGS: dict[str, int] = {}
"""How the runs of the current row to 0.1% ended (status: count)."""


def _ended(status: str) -> None:
    ENDINGS[status] = ENDINGS.get(status, 0) + 1


def plain(scale: float = 1.0, **kw: object) -> Case:
    def case(economy: Economy, rule: str) -> tuple[dict[float, int | None], Economy, object]:
        if scale != 1.0:
            economy = economy.with_prices(economy.initial_prices * scale)
        deep = run(economy, rule, 0.001, **kw)
        _ended(deep.status)  # type: ignore[attr-defined]
        plan = run(economy, rule, 0.03, **kw)
        return deep.rounds_to, economy, plan  # type: ignore[attr-defined]

    return case


class _Last:
    """The last round of a board, read like a plan (prices, supply)."""

    def __init__(self, board: object) -> None:
        last = board.history[-1]  # type: ignore[attr-defined]
        self.prices, self.supply = last.prices, last.supply


def real(councils: RealCouncils) -> Case:
    """Every council submits through the board, behaving as ``councils`` says."""

    def case(economy: Economy, rule: str) -> tuple[dict[float, int | None], Economy, object]:
        deep = plan_with_real_councils(economy, councils, 0, rule=rule, max_rounds=MAX_ROUNDS)
        _ended(deep.status)
        plan = plan_with_real_councils(
            economy, councils, 0, rule=rule, tolerance=0.03, max_rounds=MAX_ROUNDS
        )
        return deep.rounds_to, economy, _Last(plan)

    return case


def off_equilibrium(economy: Economy, sigma: float, seed: int) -> Economy:
    """Opening ``e^N(0, sigma)`` off the clearing prices."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clearing = solve_equilibrium(economy).prices
    return far_start(economy.with_prices(clearing), sigma, seed)


def drawn(count: int, seed: int = 900) -> list[Economy]:
    """Economies drawn at random across the families (sizes, goods per category,
    CES σ, income and size inequality, start), seeded: cases nobody tuned for."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        g = int(rng.integers(2, 31))
        n_w = int(rng.integers(max(3 * g, 300), 6001))
        n_c = int(rng.integers(300, 6001))
        economy = generate_economy(EconomySpec(n_c, n_w, g), seed=seed + i)
        economy = ces_tastes(economy, float(np.exp(rng.uniform(np.log(0.2), np.log(10.0)))))
        economy = income_inequality(economy, float(rng.uniform(0.0, 1.5)), seed + i)
        economy = size_inequality(economy, float(rng.uniform(0.0, 1.5)), seed + i)
        out.append(far_start(economy, float(rng.uniform(0.0, 2.0)), seed + i))
    return out


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
    _ended(deep.status)  # type: ignore[attr-defined]
    plan = run(second, rule, 0.03, state)
    return deep.rounds_to, second, plan  # type: ignore[attr-defined]


def measure(name: str, economies: list[Economy], case: Case) -> list[str]:
    lines = []
    for rule in RULES:
        ENDINGS.clear()
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
        endings = ", ".join(f"{n} {status}" for status, n in sorted(ENDINGS.items()))
        lines.append(
            f"| {name} | {rule} | {len(economies)} | "
            + " | ".join(cells)
            + f" | {np.mean(errors):.2g} / {max(errors):.2g}"
            + f" | {np.mean(plan_errors):.2g} / {max(plan_errors):.2g} | {endings} |"
        )
    return lines


Factory = Callable[[], list[Economy]]


def cases(quick: bool) -> list[tuple[str, Factory, Case]]:
    """Every row of the study: name, economies (built when the row runs), case.

    Issue 9's families first, then the rows of the earlier studies."""

    def base(seed: int = 1) -> Economy:
        return generate_economy(EconomySpec(3000, 3000, 10), seed=seed)

    def brazil_far(sigma: float) -> Factory:
        return lambda: brazil_far_seeds(sigma, 10)

    seeds = range(2) if quick else range(3)
    mixed = RealCouncils(sluggish=0.2, fixed=0.05, noisy=0.1, absent=0.1)
    return [
        ("Brazil 2019 (IO), start σ=1", brazil_far(1.0), from_table),
        ("Brazil 2019 (IO), start σ=2", brazil_far(2.0), from_table),
        ("far start 700·e^N(0,1)", lambda: [far_start(base(), 1.0, s) for s in range(10)], plain()),
        ("far start 700·e^N(0,2)", lambda: [far_start(base(), 2.0, s) for s in range(10)], plain()),
        *[
            (
                f"CES σ={sigma:g}",
                (lambda x: lambda: [ces_tastes(base(s), x) for s in seeds])(sigma),
                plain(),
            )
            for sigma in (0.2, 0.5, 2.0, 5.0, 10.0)
        ],
        (
            "CES σ=5, far start e^N(0,2)",
            lambda: [far_start(ces_tastes(base(s), 5.0), 2.0, s) for s in seeds],
            plain(),
        ),
        (
            "CES σ=10, far start e^N(0,2)",
            lambda: [far_start(ces_tastes(base(20 + s), 10.0), 2.0, 20 + s) for s in seeds],
            plain(),
        ),
        ("incomes e^N(0,1)", lambda: [income_inequality(base(), 1.0, s) for s in seeds], plain()),
        (
            "workplace sizes e^N(0,1)",
            lambda: [size_inequality(base(), 1.0, s) for s in seeds],
            plain(),
        ),
        ("100 goods/category, one producer each", lambda: [one_producer_per_good(100, 0)], plain()),
        ("300 goods/category, one producer each", lambda: [one_producer_per_good(300, 0)], plain()),
        (
            "near-constant returns θ∈[0.95,0.99], e^N(0,0.5) off",
            lambda: [
                off_equilibrium(near_constant_returns(base(), 0.95, 0.99, s), 0.5, s) for s in seeds
            ],
            plain(),
        ),
        (
            "same, only exponents scaled",
            lambda: [
                off_equilibrium(
                    near_constant_returns(base(), 0.95, 0.99, s, exponents_only=True), 0.5, s
                )
                for s in seeds
            ],
            plain(),
        ),
        (
            "pollution: community-priced + capped",
            lambda: [polluted_with_caps(base(), s) for s in seeds],
            plain(),
        ),
        (
            "real councils: 50% sluggish (halfway)",
            lambda: [base()],
            real(RealCouncils(sluggish=0.5)),
        ),
        ("real councils: 10% fixed", lambda: [base()], real(RealCouncils(fixed=0.1))),
        ("real councils: 10% noisy ±5%", lambda: [base()], real(RealCouncils(noisy=0.1))),
        (
            "real councils: 20% absent half the rounds",
            lambda: [base()],
            real(RealCouncils(absent=0.2)),
        ),
        ("real councils: mixed", lambda: [base()], real(mixed)),
        ("drawn (random families)", lambda: drawn(4 if quick else 10), plain()),
        ("drawn, a second draw (seed 4242)", lambda: drawn(4 if quick else 8, 4242), plain()),
        ("Brazil 2019 (IO), start σ=2, seeds 50–54", lambda: brazil_far_seeds(2.0, 50), from_table),
        ("DEP dep1 (shared)", lambda: list(dep_economies()), plain()),
        ("generated", lambda: list(generated(quick)), plain()),
        ("dep2 (20% θ>1, pequod mode)", _dep2s, plain()),
        ("DEP, prices ×10", lambda: list(dep_economies()), plain(10.0)),
        ("DEP, prices ×0.1", lambda: list(dep_economies()), plain(0.1)),
        ("3000/3000×30 and 10k/10k×50", lambda: list(in_between(quick)), plain()),
        ("same, prices ×10", lambda: list(in_between(quick)), plain(10.0)),
        ("same, prices ×0.1", lambda: list(in_between(quick)), plain(0.1)),
        ("generated, prices ×10", lambda: list(generated(quick)), plain(10.0)),
        ("generated, prices ×0.1", lambda: list(generated(quick)), plain(0.1)),
        ("DEP year two", lambda: list(dep_economies()), year_two),
        (
            "DEP, revision limits",
            lambda: list(dep_economies()),
            plain(revision_limits=RevisionLimits()),
        ),
        ("Brazil 2019 (IO), start σ=0.1", lambda: brazil(0.1), from_table),
        ("Brazil 2019 (IO), start σ=0.2", lambda: brazil(0.2), from_table),
        ("Brazil 2019 (IO), start σ=0.5", lambda: brazil(0.5), from_table),
    ]


def _dep2s() -> list[Economy]:
    return [dep2(e, seed=i) for i, e in enumerate(dep_economies("pequod"))]


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
    head = "| economies | rule | n | " + " | ".join(f"to {t:.1%}" for t in THRESHOLDS)
    print(head + " | price error | plan error | runs to 0.1% ended |")
    print("|" + "---|" * (6 + len(THRESHOLDS)))
    for name, economies, case in cases(args.quick):
        if args.only and args.only.lower() not in name.lower():
            continue
        for line in measure(name, economies(), case):
            print(line, flush=True)
    print(f"\ncells: mean / max rounds; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
