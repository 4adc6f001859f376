"""Plan the shipped national table (IBGE 2019, 12 industries) from perturbed prices.

Prints, per setting: rounds to 1%, largest gap, largest change of gross output
against the table, distance of the plan from the LP optimum (HiGHS IPM) and
the value imbalance. Run: ``python benchmarks/bench_io.py [--rule pequod]``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

from parecon.cli.io_commands import compare
from parecon.engine import PlanningProcedure
from parecon.exceptions import ConvergenceWarning
from parecon.scenario.io_tables.calibrate import Calibration, economy_from_table
from parecon.scenario.io_tables.pymrio_format import read_pymrio

TABLE = Path(__file__).resolve().parents[1] / "examples" / "io" / "brazil-2019"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rule", default="informed", help="price rule (default: informed)")
    args = parser.parse_args()
    table = read_pymrio(TABLE)
    settings = {
        "100 consumer councils, 1 workplace/industry": Calibration(),
        "1000 consumer councils, 50k people/workplace, closed": Calibration(
            consumers=1000, workplace_size=50_000, closed=True
        ),
    }
    for label, cal in settings.items():
        economy = economy_from_table(table, cal)
        for sigma in (0.1, 0.2, 0.5):
            rounds, gaps, out, dist, imb, secs = [], [], [], [], [], []
            for seed in range(5):
                rng = np.random.default_rng(seed)
                start = economy.with_prices(np.exp(rng.normal(0, sigma, economy.n_goods)))
                t0 = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    result = PlanningProcedure(args.rule, tolerance=0.01, max_rounds=300).run(start)
                secs.append(time.perf_counter() - t0)
                report = compare(economy, table, result.prices)
                rounds.append(result.rounds if result.converged else np.nan)
                gaps.append(result.max_gap)
                out.append(report["max_output_change"])
                # a diverged plan (pequod) has no LP optimum: lp_distance is None
                dist.append(np.nan if report["lp_distance"] is None else report["lp_distance"])
                imb.append(report["accounts"]["balance"]["imbalance"])
            print(
                f"{label}; {economy.n_councils} councils; start sigma {sigma}: rounds to 1% "
                f"{np.nanmean(rounds):.1f} (max {np.nanmax(rounds):.0f}, failed "
                f"{int(np.isnan(rounds).sum())}/5), gap {100 * max(gaps):.2f}%, output change "
                f"<= {100 * max(out):.2f}%, "
                f"LP distance {100 * min(dist):.2f}..{100 * max(dist):.2f}%, "
                f"imbalance <= {100 * max(np.abs(imb)):.2f}%, {1000 * np.mean(secs):.0f} ms"
            )


if __name__ == "__main__":
    main()
