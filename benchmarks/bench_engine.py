"""Seconds per planning round and peak memory, against a streaming roofline.

For each size (half worker, half consumer councils; 10 or 100 goods per
category) this draws a DEP-like economy, plans a few rounds and reports:

- seconds per round (median over the rounds, councils' responses plus the
  board's price update);
- the roofline: the time NumPy needs just to read, once, the bytes a round
  reads (worker councils' arrays, consumers' precomputed weights), and the
  time to read every array of the economy once; the ratios per round/roofline;
- peak resident memory of the process (generation included).

Each size runs in its own process so peaks do not mix. Run:

    python benchmarks/bench_engine.py              # 6k, 60k, 600k, 6M councils
    python benchmarks/bench_engine.py --quick      # 6k and 60k only
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

SIZES = [
    (6_000, 10),
    (6_000, 100),
    (60_000, 10),
    (60_000, 100),
    (600_000, 10),
    (600_000, 100),
    (6_000_000, 10),
]


def _stream_seconds(arrays: list[np.ndarray], repeats: int = 5) -> float:
    """Best time to read every byte of ``arrays`` once (a memory-bound sum)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for a in arrays:
            np.add.reduce(a, axis=None)
        best = min(best, time.perf_counter() - start)
    return best


def _one(n_councils: int, goods: int, rounds: int, rule: str) -> dict[str, float]:
    from parecon.engine import CobbDouglasConsumers, CobbDouglasWorkers, PlanningProcedure
    from parecon.engine.generate import EconomySpec, generate_economy
    from parecon.exceptions import ConvergenceWarning

    start = time.perf_counter()
    economy = generate_economy(EconomySpec(n_councils // 2, n_councils // 2, goods), seed=1)
    generated = time.perf_counter() - start
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    consumers = next(p for p in economy.populations if isinstance(p, CobbDouglasConsumers))
    start = time.perf_counter()
    economy.respond(economy.initial_prices)  # first response builds cached derived arrays
    prepared = time.perf_counter() - start
    kappa, own, scale = workers._precompute()
    touched = [
        kappa,
        own,
        scale,
        workers.output,
        workers.inputs.data,
        workers.inputs.indices,
        workers.inputs.indptr,
        consumers.weights,
    ]
    everything = [
        consumers.income,
        consumers.exponents,
        workers.a,
        workers.c,
        workers.k,
        workers.s,
        workers.output,
        workers.inputs.data,
        workers.inputs.indices,
        workers.inputs.indptr,
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(rule, tolerance=1e-12, max_rounds=rounds).run(economy)
    per_round = float(np.median([r.seconds for r in result.history]))
    touched_s = _stream_seconds(touched)
    all_s = _stream_seconds(everything)
    return {
        "councils": n_councils,
        "goods_per_category": goods,
        "generate_s": generated,
        "first_response_s": prepared,
        "round_s": per_round,
        "touched_mb": sum(a.nbytes for a in touched) / 1e6,
        "roofline_touched_s": touched_s,
        "all_mb": sum(a.nbytes for a in everything) / 1e6,
        "roofline_all_s": all_s,
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 6k and 60k councils")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--rule", default="pequod")
    parser.add_argument("--one", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one[0], args.one[1], args.rounds, args.rule)))
        return
    sizes = [s for s in SIZES if s[0] <= 60_000] if args.quick else SIZES
    header = (
        "councils",
        "goods/cat",
        "ms/round",
        "roofline ms (round's bytes)",
        "ratio",
        "roofline ms (all bytes)",
        "ratio",
        "peak GB",
        "generate s",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for n, g in sizes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(n),
                str(g),
                "--rounds",
                str(args.rounds),
                "--rule",
                args.rule,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {n:,} | {g} | {1e3 * r['round_s']:.2f} | {1e3 * r['roofline_touched_s']:.2f} "
            f"| {r['round_s'] / r['roofline_touched_s']:.2f} | {1e3 * r['roofline_all_s']:.2f} "
            f"| {r['round_s'] / r['roofline_all_s']:.2f} | {r['peak_rss_gb']:.2f} "
            f"| {r['generate_s']:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
