"""Plan national tables from perturbed prices: Brazil 2019, the IBGE series, pymrio regions.

``brazil`` (default): the shipped table (IBGE 2019, 12 industries); per setting,
rounds to 1%, largest gap, largest change of gross output against the table,
distance of the plan from the LP optimum (HiGHS IPM) and the value imbalance.
``ibge``: every table of the IBGE series that iotbr ships (needs ``pip install
iotbr``): layout, cleaned negatives, industries supported by the plan,
reproduction error and opening gap, then a plan from prices e^N(0, 0.2) off:
rounds and largest output change. ``pymrio``: the six regions of
``examples/io/pymrio-test`` (two pollutants each), the same figures plus the
permit market at the opening prices.
Run: ``python benchmarks/bench_io.py [brazil|ibge|pymrio ...] [--rule pequod]``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from parecon.cli.io_commands import compare
from parecon.engine import PlanningProcedure
from parecon.exceptions import ConvergenceWarning
from parecon.scenario.io_tables.calibrate import Calibration, economy_from_table, reproduction
from parecon.scenario.io_tables.ibge import read_ibge
from parecon.scenario.io_tables.pymrio_format import read_pymrio
from parecon.scenario.io_tables.table import IOTable, TableWarning

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "io"
TABLE = EXAMPLES / "brazil-2019"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", default=["brazil"], help="brazil, ibge, pymrio")
    parser.add_argument("--rule", default="informed", help="price rule (default: informed)")
    args = parser.parse_args()
    for name in args.sets:
        {"brazil": brazil, "ibge": ibge, "pymrio": pymrio}[name](args.rule)


def _plan(economy: Any, table: IOTable, rule: str, seed: int = 0) -> tuple[str, float, str]:
    """Rounds to 1% from prices e^N(0, 0.2) off, largest output change, LP status."""
    rng = np.random.default_rng(seed)
    start = economy.with_prices(
        economy.initial_prices * np.exp(rng.normal(0.0, 0.2, economy.n_goods))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(rule, tolerance=0.01, max_rounds=300).run(start)
    report = compare(economy, table, result.prices)
    rounds = str(result.rounds) if result.converged else f"failed ({result.max_gap:.2f})"
    return rounds, report["max_output_change"], report["lp_status"]


def _calibrated(read: Any) -> tuple[IOTable, Any, int, float]:
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TableWarning)
        table = read()
        economy = economy_from_table(table)
    return table, economy, len(caught), time.perf_counter() - t0


def ibge(rule: str) -> None:
    try:
        import iotbr  # type: ignore[import-untyped]
    except ImportError:
        print("ibge: needs iotbr (pip install iotbr); skipped")
        return
    folder = Path(iotbr.__file__).parent / "IBGE"
    worst_err = worst_out = 0.0
    tables = sorted(folder.glob("*/*_tab1_*.xls"))
    for path in tables:
        table, economy, notes, secs = _calibrated(lambda p=path: read_ibge(p))
        rep = reproduction(economy, table)
        rounds, out, lp = _plan(economy, table, rule)
        worst_err, worst_out = max(worst_err, rep.max_relative_error), max(worst_out, out)
        supported = len(economy.metadata["supported_by_plan"])
        print(
            f"{path.name}: {table.n} industries, {notes} cleaned/left out, {supported} "
            f"supported by the plan; error {rep.max_relative_error:.1e}, gap "
            f"{rep.max_gap:.1e}; rounds to 1% {rounds}, output change <= {100 * out:.2f}%, "
            f"LP {lp}; read+calibrate {secs:.2f} s"
        )
    print(
        f"ibge: {len(tables)} tables; largest reproduction error {worst_err:.1e}, largest "
        f"output change of a plan {100 * worst_out:.2f}%"
    )


def pymrio(rule: str) -> None:
    from parecon.engine.plan_accounts import pollution_accounts

    for region in [f"reg{k}" for k in range(1, 7)]:
        table, economy, notes, _ = _calibrated(
            lambda r=region: read_pymrio(EXAMPLES / "pymrio-test", r)
        )
        rep = reproduction(economy, table)
        market = max(
            abs(a.emitted - a.permitted) / a.permitted
            for a in pollution_accounts(economy, economy.initial_prices).pollutants
        )
        prices = economy.metadata["pollutant_base_price"]
        for seed in range(3):
            rounds, out, lp = _plan(economy, table, rule, seed)
            print(
                f"pymrio-test {region} seed {seed}: {notes} left out; error "
                f"{rep.max_relative_error:.1e}, gap {rep.max_gap:.1e}, permit market "
                f"{100 * market:.1e}% off at base prices "
                + ", ".join(f"{p:.3g}" for p in prices.values())
                + f"; rounds to 1% {rounds}, output change <= {100 * out:.2f}%, LP {lp}"
            )


def brazil(rule: str) -> None:
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
                    result = PlanningProcedure(rule, tolerance=0.01, max_rounds=300).run(start)
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
