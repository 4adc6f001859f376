"""Seconds per planning round and peak memory, against a streaming roofline.

For each size (half worker, half consumer councils; 10 or 100 goods per
category) this draws a DEP-like economy, saves it as ``.npz`` and loads it
back, then plans a few rounds with ``pequod`` and with the default rule
``informed`` on the same loaded economy, side by side, and reports:

- the load time of the ``.npz`` (``load_economy``);
- seconds per round (median over the rounds after the first: councils'
  responses, for ``informed`` also the proposals' value flows, plus the
  board's price update) for each rule, and their ratio (issue 9's target for
  ``informed``/``pequod``: 1.5 at 600k and 6M councils);
- the councils' work alone of an ``informed`` round (response and value flows)
  against a ``pequod`` round's (response), in the one pass the engine makes and in
  the two passes it replaced, interleaved in the same process;
- the first round of each rule, with its one-off costs (derived arrays,
  compiling or loading Numba kernels, Cobb-Douglas consumers' constant tables);
- the roofline: the time NumPy needs just to read, once, the bytes a round
  reads (worker councils' arrays, consumers' precomputed weights), and the
  time to read every array of the economy once; the ratio pequod round/roofline;
- peak resident memory of the process (generation included).

Each size runs in its own process so peaks do not mix. The load average is
printed before and after: on a shared machine only the ratios of one run mean
anything, and ``--threads 1`` (Numba's kernels on one thread) keeps the other
jobs from stalling a thread team, which slows the two rules unequally. Run:

    python benchmarks/bench_engine.py              # 6k, 60k, 600k, 6M councils
    python benchmarks/bench_engine.py --quick      # 6k and 60k only
    python benchmarks/bench_engine.py --sizes 600000:10,6000000:10 [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
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


def _rounds(economy: object, rule: str, rounds: int) -> tuple[float, float]:
    """First round's seconds and the median of the others, planning ``rounds`` rounds."""
    from parecon.engine import PlanningProcedure
    from parecon.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(rule, tolerance=1e-12, max_rounds=rounds).run(economy)  # type: ignore[arg-type]
    seconds = [r.seconds for r in result.history]
    return seconds[0], float(np.median(seconds[1:] if len(seconds) > 1 else seconds))


def _passes(economy: object, repeats: int = 9) -> tuple[float, float]:
    """The councils' work of an ``informed`` round against a ``pequod`` round's, in one
    pass (``respond_with_flows``) and in the two passes it replaced (``respond`` then
    ``value_flows``): medians of ``repeats`` interleaved runs at the same prices."""
    from parecon.engine.executors import ShardedResponder

    prices = np.asarray(economy.initial_prices)  # type: ignore[attr-defined]
    with ShardedResponder(economy) as councils:  # type: ignore[arg-type]
        runs = {
            "pequod": lambda: councils.respond(prices),
            "one": lambda: councils.respond_with_flows(prices, 0.02),
            "two": lambda: (councils.respond(prices), councils.value_flows(prices, 0.02)),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        for run in runs.values():
            run()  # compiled, constants computed
        for _ in range(repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
    median = {name: float(np.median(t)) for name, t in times.items()}
    return median["one"] / median["pequod"], median["two"] / median["pequod"]


def _one(n_councils: int, goods: int, rounds: int, rules: list[str]) -> dict[str, float]:
    import tempfile
    from pathlib import Path

    from parecon.engine import CobbDouglasConsumers, CobbDouglasWorkers
    from parecon.engine.generate import EconomySpec, generate_economy
    from parecon.scenario import load_economy, save_economy

    start = time.perf_counter()
    drawn = generate_economy(EconomySpec(n_councils // 2, n_councils // 2, goods), seed=1)
    generated = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "economy.npz"
        save_economy(drawn, path)
        del drawn
        start = time.perf_counter()
        economy = load_economy(path)
        loaded = time.perf_counter() - start
    out: dict[str, float] = {
        "councils": n_councils,
        "goods_per_category": goods,
        "generate_s": generated,
        "load_s": loaded,
    }
    for rule in rules:
        first, per_round = _rounds(economy, rule, rounds)
        out[f"{rule}_first_s"], out[f"{rule}_round_s"] = first, per_round
    out["one_pass"], out["two_passes"] = _passes(economy)
    workers = next(p for p in economy.populations if isinstance(p, CobbDouglasWorkers))
    consumers = next(p for p in economy.populations if isinstance(p, CobbDouglasConsumers))
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
    out.update(
        touched_mb=sum(a.nbytes for a in touched) / 1e6,
        roofline_touched_s=_stream_seconds(touched),
        all_mb=sum(a.nbytes for a in everything) / 1e6,
        roofline_all_s=_stream_seconds(everything),
        peak_rss_gb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 6k and 60k councils")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--rules", default="pequod,informed", help="comma-separated")
    parser.add_argument("--sizes", help="councils:goods_per_category,... (default: all)")
    parser.add_argument("--threads", type=int, help="Numba threads (default: all cores)")
    parser.add_argument("--one", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rules = args.rules.split(",")
    if args.one:
        print(json.dumps(_one(args.one[0], args.one[1], args.rounds, rules)))
        return
    sizes = [s for s in SIZES if s[0] <= 60_000] if args.quick else SIZES
    if args.sizes:
        sizes = [(int(a), int(b)) for a, b in (x.split(":") for x in args.sizes.split(","))]
    header = [
        "councils",
        "goods/cat",
        "load s",
        *(f"{r} ms/round" for r in rules),
        *([f"{rules[1]}/{rules[0]}"] if len(rules) > 1 else []),
        "councils' work informed/pequod: one pass",
        "two passes",
        *(f"{r} first round ms" for r in rules),
        "roofline ms (round's bytes)",
        f"{rules[0]}/roofline",
        "roofline ms (all bytes)",
        "peak GB",
        "generate s",
    ]
    env = dict(os.environ)
    if args.threads:
        env["NUMBA_NUM_THREADS"] = str(args.threads)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
                "--rules",
                args.rules,
            ],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if out.returncode != 0:
            print(f"| {n:,} | {g} | failed: {out.stderr.strip().splitlines()[-1]} |", flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        per_round = [r[f"{rule}_round_s"] for rule in rules]
        ratio = [f"{per_round[1] / per_round[0]:.2f}"] if len(rules) > 1 else []
        cells = [
            f"{n:,}",
            str(g),
            f"{r['load_s']:.2f}",
            *(f"{1e3 * x:.2f}" for x in per_round),
            *ratio,
            f"{r['one_pass']:.2f}",
            f"{r['two_passes']:.2f}",
            *(f"{1e3 * r[f'{rule}_first_s']:.1f}" for rule in rules),
            f"{1e3 * r['roofline_touched_s']:.2f}",
            f"{per_round[0] / r['roofline_touched_s']:.2f}",
            f"{1e3 * r['roofline_all_s']:.2f}",
            f"{r['peak_rss_gb']:.2f}",
            f"{r['generate_s']:.1f}",
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
