"""Benchmark: balancing 10/100/1000 workers with 12/60/200 task types.

Run: ``.venv/bin/python benchmarks/bench_jobs.py [--sizes 10,100,1000] [--monolithic]``.
Prints, per size, the method, status, achieved bands on both scales, the
objective, its bound and gap, and the wall time; ``--monolithic`` also runs
the whole-workplace MILP (HiGHS) and CP-SAT at the largest size with a
short time limit, for comparison.
"""

from __future__ import annotations

import argparse
import time

from parecon.exceptions import InfeasibleError
from parecon.work import BalanceSettings, balance, synthetic_workplace
from parecon.work.formulation import build_model

SIZES = {10: 12, 100: 60, 1000: 200}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--band", type=float, default=0.5)
    ap.add_argument("--time-limit", type=float, default=55.0)
    ap.add_argument("--monolithic", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        wp = synthetic_workplace(
            n, SIZES[n], seed=args.seed, qualified_share=0.6 if n <= 10 else 0.35
        )
        settings = BalanceSettings(band=args.band, time_limit=args.time_limit, seed=args.seed)
        start = time.perf_counter()
        try:
            r = balance(wp, settings)
            print(
                f"{n:5d} workers {wp.n_tasks:3d} tasks {int(wp.shifts_per_week.sum()):6d} "
                f"shifts: {r.method} {r.status} bands {r.band_empowerment:.3f}/"
                f"{r.band_desirability:.3f} objective {r.objective:.0f} bound {r.bound:.0f} "
                f"gap {r.gap:.2%} in {r.seconds:.2f} s ({r.message})"
            )
        except InfeasibleError as exc:
            print(f"{n:5d} workers: no assignment after {time.perf_counter() - start:.1f} s: {exc}")
        if args.monolithic and n == max(SIZES):
            from parecon.work._cpsat import solve_cpsat
            from parecon.work._highs import solve_highs

            model = build_model(wp, settings)
            for name, out in (
                ("HiGHS MILP", solve_highs(model, time_limit=60)),
                ("CP-SAT", solve_cpsat(model, time_limit=60)),
            ):
                print(f"      monolithic {name}: {out.status} in {out.seconds:.1f} s")


if __name__ == "__main__":
    main()
