"""``parecon import-io`` and ``parecon plan-io``: economies from national input-output tables."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console

from parecon.cli.errors import reports_errors
from parecon.cli.json_output import write_json_output
from parecon.engine import CobbDouglasWorkers, Economy, PlanningProcedure
from parecon.engine.linear_plan import linear_optimum
from parecon.engine.price_rules import DEFAULT_RULE
from parecon.exceptions import ConvergenceWarning, InfeasibleError, InputError
from parecon.scenario import save_economy
from parecon.scenario.io_tables import IOTable
from parecon.scenario.io_tables.calibrate import Calibration, economy_from_table, reproduction
from parecon.scenario.io_tables.table import TableWarning
from parecon.scenario.plan_file import accounts_document

app = typer.Typer(rich_markup_mode=None)  # its commands, registered by name in parecon.cli.app


def read_table(path: Path, region: str | None) -> IOTable:
    """A pymrio text folder, or IBGE's ``NN_tab1_YYYY.xls`` / ``NN_tab2_YYYY.xls``."""
    if path.is_dir():
        from parecon.scenario.io_tables.ibge import find_ibge
        from parecon.scenario.io_tables.pymrio_format import read_pymrio

        tables = find_ibge(path)
        if tables and not (path / "file_parameters.json").exists():
            shown = ", ".join(p.name for p in tables[:3]) + (" ..." if len(tables) > 3 else "")
            raise InputError(
                f"a folder of IBGE tables, not a pymrio folder: give one of its .xls "
                f"tables, e.g. {tables[0]} ({len(tables)} in all: {shown})",
                str(path),
            )
        return read_pymrio(path, region)
    if path.suffix.lower() == ".xls":
        from parecon.scenario.io_tables.ibge import read_ibge

        return read_ibge(path)
    if not path.exists():
        raise InputError("no such file or folder", str(path))
    raise InputError("expected a pymrio folder or an IBGE .xls table", str(path))


Region = Annotated[str | None, typer.Option(help="Region of a multi-regional pymrio system.")]
Consumers = Annotated[int, typer.Option(help="Consumer councils.")]
Workplaces = Annotated[int, typer.Option(help="Worker councils per industry.")]
Size = Annotated[float | None, typer.Option(help="People per workplace (needs employment data).")]
Closed = Annotated[
    bool, typer.Option("--closed", help="Members of consumer councils supply the labour.")
]
Cap = Annotated[float, typer.Option(help="Pollutant caps relative to the base year.")]
Seed = Annotated[int, typer.Option(min=0, help="Seed for consumer councils' tastes.")]


JsonOut = Annotated[
    str | None, typer.Option("--json", help="Write the report as JSON to a file ('-': stdout).")
]


def _calibrated(
    table_path: Path, region: str | None, **calibration: Any
) -> tuple[IOTable, Economy, list[str]]:
    """The table at ``table_path``, the economy calibrated to it, and what was cleaned or
    left out on the way (the readers' and the calibration's warnings, as lines)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TableWarning)
        table = read_table(table_path, region)
        economy = economy_from_table(table, Calibration(**calibration))
    notes = [str(w.message) for w in caught if issubclass(w.category, TableWarning)]
    for w in caught:
        if not issubclass(w.category, TableWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return table, economy, notes


def _print_notes(console: Console, notes: list[str], economy: Economy) -> None:
    shown = notes[:10]
    for note in shown:
        console.print(f"[yellow]warning:[/] {note}", markup=True)
    if len(notes) > len(shown):
        console.print(f"[yellow]warning:[/] ... and {len(notes) - len(shown)} more", markup=True)
    supported = economy.metadata.get("supported_by_plan") or {}
    if supported:
        console.print(
            f"{len(supported)} industr{'y' if len(supported) == 1 else 'ies'} below the "
            "councils' minimum margin, their inputs partly delivered by the plan: "
            + "; ".join(f"{k} {100 * v:.1f}%" for k, v in supported.items())
        )


@app.command("import-io")
@reports_errors
def import_io(
    table_path: Annotated[
        Path, typer.Argument(metavar="TABLE", help="pymrio folder or IBGE .xls.")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Economy file to write.")],
    region: Region = None,
    consumers: Consumers = 100,
    workplaces: Workplaces = 1,
    workplace_size: Size = None,
    closed: Closed = False,
    cap_factor: Cap = 1.0,
    seed: Seed = 0,
    json_out: JsonOut = None,
) -> None:
    """Build an economy of councils that reproduces TABLE at its opening prices."""
    table, economy, notes = _calibrated(
        table_path,
        region,
        consumers=consumers,
        workplaces=workplaces,
        workplace_size=workplace_size,
        closed=closed,
        cap_factor=cap_factor,
        seed=seed,
    )
    save_economy(economy, out)
    rep = reproduction(economy, table)
    console = Console(highlight=False, stderr=json_out == "-")
    _print_notes(console, notes, economy)
    console.print(
        f"wrote {out}: {table.n} industries, {economy.n_goods} goods, "
        f"{economy.n_councils:,} councils ({table.unit})"
    )
    console.print(
        f"first round at the opening prices: largest relative error "
        f"{rep.max_relative_error:.2e} ({rep.where}); largest gap {100 * rep.max_gap:.2e}% "
        f"({rep.worst_good})"
    )
    if json_out is not None:
        document = {
            "table": str(table_path),
            "economy": str(out),
            "unit": table.unit,
            "n_industries": table.n,
            "goods": economy.n_goods,
            "councils": economy.n_councils,
            "pollutant_base_price": economy.metadata.get("pollutant_base_price"),
            "supported_by_plan": economy.metadata.get("supported_by_plan") or {},
            "warnings": notes,
            **rep.as_dict(),
        }
        write_json_output(document, json_out)


@app.command("plan-io")
@reports_errors
def plan_io(
    table_path: Annotated[
        Path, typer.Argument(metavar="TABLE", help="pymrio folder or IBGE .xls.")
    ],
    region: Region = None,
    consumers: Consumers = 100,
    workplaces: Workplaces = 1,
    workplace_size: Size = None,
    closed: Closed = False,
    cap_factor: Cap = 1.0,
    seed: Seed = 0,
    perturb: Annotated[
        float,
        typer.Option(min=0.0, help="Open at prices drawn log-normally around 1 with this sigma."),
    ] = 0.2,
    rule: Annotated[str, typer.Option(help="Price rule.")] = DEFAULT_RULE,
    tolerance: Annotated[float, typer.Option(help="Stop when every gap is below this.")] = 0.01,
    max_rounds: Annotated[int, typer.Option(help="Round limit.")] = 200,
    json_out: JsonOut = None,
) -> None:
    """Plan TABLE's economy and compare the plan with the table and the LP optimum."""
    table, economy, notes = _calibrated(
        table_path,
        region,
        consumers=consumers,
        workplaces=workplaces,
        workplace_size=workplace_size,
        closed=closed,
        cap_factor=cap_factor,
        seed=seed,
    )
    rng = np.random.default_rng(seed)
    start = economy.with_prices(
        economy.initial_prices * np.exp(rng.normal(0.0, perturb, economy.n_goods))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(rule, tolerance=tolerance, max_rounds=max_rounds).run(start)
    report = compare(economy, table, result.prices)
    report.update(
        rule=rule,
        status=result.status,
        rounds=result.rounds,
        max_gap=result.max_gap,
        table=str(table_path),
        warnings=notes,
    )
    console = Console(highlight=False, stderr=json_out == "-")
    _print_notes(console, notes, economy)
    console.print(
        f"[bold]{economy.name}[/]: {table.n} industries, {economy.n_councils:,} councils; "
        f"{result.status} after {result.rounds} rounds (largest gap {100 * result.max_gap:.2f}%)"
    )
    console.print(
        f"plan vs table: gross output differs by at most {100 * report['max_output_change']:.2f}% "
        f"({report['max_output_change_at']}); prices {report['price_range'][0]:.3f}..."
        f"{report['price_range'][1]:.3f} (table: 1)"
    )
    if report["lp_status"] == "optimal":
        console.print(
            f"LP optimum of the linearised economy (HiGHS IPM): {report['lp_scale']:.4f} × "
            f"the plan's consumption (distance {100 * report['lp_distance']:.3f}%)"
        )
    else:
        console.print(f"LP comparison failed: {report['lp_error']}")
    accounts = report["accounts"]
    balance = accounts["balance"]
    console.print(
        f"value consumed {balance['consumed']:.6g} = budgets {balance['budgets']:.6g} + credits "
        f"{balance['credits']:.6g}; net product {balance['net_product']:.6g} "
        f"(imbalance {100 * balance['imbalance']:.3f}%)"
    )
    for p in accounts["pollutants"]:
        console.print(
            f"pollutant {p['good']}: price {p['price']:.4g}, emitted {p['emitted']:.6g}, "
            f"permitted {p['permitted']:.6g}; charges {p['charges']:.6g}, "
            f"credits {p['credits']:.6g}"
        )
    top = sorted(accounts["fixed_supplies"], key=lambda r: -r["price"])[:5]
    console.print(
        "highest opportunity cost of capital: "
        + "; ".join(f"{r['good'].removeprefix('capital: ')} {r['price']:.3f}" for r in top)
    )
    if json_out is not None:
        write_json_output(report, json_out)
    if not result.converged:
        raise typer.Exit(1)


def compare(economy: Economy, table: IOTable, prices: Any) -> dict[str, Any]:
    """The plan at ``prices`` against its table and against the LP optimum.

    The LP comparison can fail (a plan stopped at its tolerance can over-claim
    a fixed stock that the fixed demands alone need); then ``lp_status`` is
    ``"failed"``, ``lp_error`` says why and the plan's own figures stand.
    """
    n = table.n
    names = economy.goods.names
    sector = {s: j for j, s in enumerate(table.sectors)}
    # what the worker councils produce (not stock run-downs, a fixed supply of the same good)
    supply = sum(
        (pop.respond(prices).supply for pop in economy.populations_of(CobbDouglasWorkers)),
        np.zeros(economy.n_goods),
    )
    produced = np.zeros(n)
    for g, name in enumerate(names):
        j = sector.get(name.removesuffix(" (public)"))
        if j is not None:
            produced[j] += supply[g]
    change = np.abs(produced - table.output) / table.output
    report: dict[str, Any] = {
        "max_output_change": float(change.max()),
        "max_output_change_at": table.sectors[int(np.argmax(change))],
        "output": dict(zip(table.sectors, produced.tolist(), strict=True)),
        "output_change": dict(zip(table.sectors, change.tolist(), strict=True)),
        "price_range": [float(prices.min()), float(prices.max())],
        "accounts": accounts_document(economy, prices),
    }
    try:
        lp = linear_optimum(economy, prices)
    except InfeasibleError as exc:
        report.update(
            lp_status="failed", lp_error=str(exc), lp_scale=None, lp_distance=None, lp_seconds=None
        )
    else:
        report.update(
            lp_status="optimal",
            lp_error=None,
            lp_scale=lp.scale,
            lp_distance=lp.distance,
            lp_seconds=lp.seconds,
        )
    return report
