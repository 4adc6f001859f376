"""``parecon plan``, ``parecon generate``, ``parecon equilibrium``, ``parecon rules``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from parecon.cli.app import app
from parecon.cli.charts import gap_chart, write_chart
from parecon.cli.errors import reports_errors
from parecon.cli.executors import open_executor
from parecon.cli.json_output import write_json_output
from parecon.engine import Economy, GoodCategory, PlanningProcedure, PlanResult, RoundRecord
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.gaps import gaps
from parecon.engine.generate import EconomySpec, augment, generate_economy
from parecon.engine.plan_accounts import factor_accounts, pollution_accounts
from parecon.engine.populations import ReturnsMode
from parecon.engine.price_rules import DEFAULT_RULE, available_rules, get_rule
from parecon.engine.revision_limits import RevisionLimits
from parecon.exceptions import ConvergenceWarning, ValidationError
from parecon.scenario import load_economy, save_economy
from parecon.scenario.plan_file import plan_document, read_carry_over
from parecon.scenario.proposals_file import write_proposals

_MAX_ROWS = 30


def _goods_table(
    economy: Economy, prices: Any, supply: Any, demand: Any, gaps: Any, title: str
) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("good", "category", "price", "supply", "demand", "gap"):
        table.add_column(col, justify="left" if col in ("good", "category") else "right")
    order = (
        np.argsort(-np.asarray(gaps), kind="stable")[:_MAX_ROWS]
        if len(economy.goods) > _MAX_ROWS
        else range(len(economy.goods))
    )
    for g in order:
        table.add_row(
            economy.goods.names[g],
            GoodCategory(int(economy.goods.categories[g])).name.lower(),
            f"{prices[g]:.4g}",
            f"{supply[g]:.6g}",
            f"{demand[g]:.6g}",
            f"{100 * gaps[g]:.2f}%",
        )
    if len(economy.goods) > _MAX_ROWS:
        table.caption = f"the {_MAX_ROWS} goods with the largest gaps of {len(economy.goods)}"
    return table


def _returns_mode(returns: str) -> ReturnsMode:
    """``--returns`` checked, so a typo is an error, never silently ignored."""
    if returns not in ("refuse", "pequod"):
        raise ValidationError(f"--returns must be refuse or pequod, not {returns!r}")
    return returns  # type: ignore[return-value]


def _progress_line(record: RoundRecord, tolerance: float, n_goods: int) -> str:
    return (
        f"round {record.round:3d}  largest gap {100 * record.max_gap:8.3f}%  "
        f"goods within {100 * tolerance:g}%: {record.within(tolerance)}/{n_goods}  "
        f"({1000 * record.seconds:.1f} ms)"
    )


@app.command()
@reports_errors
def plan(
    economy_path: Annotated[
        Path,
        typer.Argument(
            metavar="ECONOMY",
            help="Economy file (.json, .json.gz, .toml or .npz; parecon's or Pequod's format).",
        ),
    ],
    rule: Annotated[
        str, typer.Option(help=f"Price rule: {', '.join(available_rules())}.")
    ] = DEFAULT_RULE,
    tolerance: Annotated[float, typer.Option(help="Stop when every gap is below this.")] = 0.03,
    max_rounds: Annotated[int, typer.Option(help="Round limit.")] = 100,
    executor: Annotated[
        str, typer.Option(help="local, processes, dask (local cluster) or dask://HOST:PORT.")
    ] = "local",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes for processes/dask.")
    ] = None,
    shards: Annotated[int | None, typer.Option(help="Shards of councils per population.")] = None,
    returns: Annotated[
        str,
        typer.Option(help="Worker councils with θ >= 1: refuse or pequod (Pequod format only)."),
    ] = "refuse",
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write the plan as JSON ('-' for standard output).")
    ] = None,
    chart: Annotated[
        Path | None, typer.Option(help="Chart of the largest gap per round (.svg, .png or .html).")
    ] = None,
    revision_limits: Annotated[
        bool,
        typer.Option(
            "--revision-limits",
            help="Bound councils' revisions as in Looking Forward (from round 3 for "
            "consumer councils, 4 for worker councils).",
        ),
    ] = False,
    limit_toward: Annotated[
        float, typer.Option(help="Largest move toward clearing, share of per-capita excess.")
    ] = 0.5,
    limit_away: Annotated[
        float, typer.Option(help="Largest move away from clearing, share of per-capita excess.")
    ] = 0.25,
    proposals: Annotated[
        Path | None,
        typer.Option(
            help="Folder for every council's final proposal (quantities.csv, councils.csv)."
        ),
    ] = None,
    continue_from: Annotated[
        Path | None,
        typer.Option(
            help="A plan written by --json last period: open at its prices and carry the "
            "board's memory over (same goods; the memory only with the same rule)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Plan ECONOMY by rounds of proposals and indicative prices."""
    options = {"returns": returns} if _returns_mode(returns) != "refuse" else {}
    economy = load_economy(economy_path, **options)
    rule_state = None
    notes: list[str] = []
    if continue_from is not None:
        carry = read_carry_over(continue_from)
        if carry.goods != economy.goods.names:
            raise ValidationError(
                f"{continue_from} plans other goods than {economy_path} "
                f"({len(carry.goods)} vs {economy.n_goods})"
            )
        economy = economy.with_prices(carry.prices)
        if carry.rule == get_rule(rule).name:
            rule_state = carry.rule_state
        else:
            notes.append(
                f"{continue_from} was planned with rule {carry.rule!r}; its memory "
                f"is not used by {rule!r} (its prices are)"
            )
    limits = RevisionLimits(toward=limit_toward, away=limit_away) if revision_limits else None
    procedure = PlanningProcedure(
        rule,
        tolerance=tolerance,
        max_rounds=max_rounds,
        n_shards=shards,
        revision_limits=limits,
        keep_proposals=proposals is not None,
    )
    to_stdout = json_out == "-"
    console = Console(stderr=to_stdout, highlight=False)
    console.print(
        f"[bold]{economy.name}[/]: {economy.n_councils:,} councils, "
        f"{economy.n_goods} goods; rule [cyan]{procedure.rule.name}[/], "
        f"tolerance {100 * tolerance:g}%"
    )
    with open_executor(executor, workers) as pool, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if quiet:
            result = procedure.run(economy, pool, rule_state=rule_state)
        else:
            with Live(console=console, refresh_per_second=8, transient=True) as live:

                def show(record: RoundRecord) -> None:
                    live.update(_progress_line(record, tolerance, economy.n_goods))
                    console.print(_progress_line(record, tolerance, economy.n_goods))

                result = procedure.run(economy, pool, show, rule_state=rule_state)
    _report(console, economy, result, notes + [str(w.message) for w in caught])
    if json_out is not None:
        write_json_output(plan_document(result, economy), json_out)
        if not to_stdout:
            console.print(f"plan written to {json_out}")
    if proposals is not None and result.proposals is not None:
        paths = write_proposals(result.proposals, economy, proposals)
        console.print(f"proposals written to {', '.join(str(p) for p in paths)}")
    if chart is not None:
        write_chart(gap_chart(result, f"{economy.name}: {result.rule}"), chart)
        console.print(f"chart written to {chart}")
    if not result.converged:
        raise typer.Exit(1)


def _accounts_tables(economy: Economy, prices: Any) -> list[Table]:
    """Pollution (who pays, who is credited) and fixed supplies at their opportunity cost."""
    tables = []
    pollution = pollution_accounts(economy, prices)
    if pollution.pollutants:
        table = Table(title="Pollutants: polluters pay, affected communities are credited")
        for col in ("pollutant", "price", "emitted", "permitted", "charges", "credits"):
            table.add_column(col, justify="left" if col == "pollutant" else "right")
        for p in pollution.pollutants:
            table.add_row(
                p.good,
                f"{p.price:.4g}",
                f"{p.emitted:.6g}",
                f"{p.permitted:.6g}",
                f"{p.charges:.6g}",
                f"{p.credits:.6g}",
            )
        for name, credit in sorted(pollution.community_credits.items()):
            table.add_row(f"  credited to {name}", "", "", "", "", f"{credit:.6g}")
        tables.append(table)
    factors = factor_accounts(economy, prices)
    if factors and len(factors) <= _MAX_ROWS:
        table = Table(title="Resources and capital fixed for the year (opportunity cost)")
        for col in ("good", "supply", "used", "price", "value"):
            table.add_column(col, justify="left" if col == "good" else "right")
        for f in factors:
            table.add_row(
                f.good, f"{f.supply:.6g}", f"{f.used:.6g}", f"{f.price:.4g}", f"{f.value:.6g}"
            )
        tables.append(table)
    return tables


def _report(console: Console, economy: Economy, result: PlanResult, notes: list[str]) -> None:
    console.print(
        _goods_table(
            economy,
            result.prices,
            result.supply,
            result.demand,
            result.gaps,
            f"Plan after {result.rounds} rounds",
        )
    )
    for table in _accounts_tables(economy, result.prices):
        console.print(table)
    reached = ", ".join(
        f"{100 * k:g}%: {v if v is not None else '-'}" for k, v in result.rounds_to.items()
    )
    colour = "green" if result.converged else "yellow"
    console.print(f"[{colour}]{result.status}[/]: {result.message}")
    console.print(f"rounds to every gap below {reached}")
    for note in notes:
        console.print(f"[yellow]warning:[/] {note}")


@app.command()
@reports_errors
def generate(
    out: Annotated[
        Path, typer.Argument(help="Where to write the economy (.json, .json.gz or .npz).")
    ],
    consumers: Annotated[int, typer.Option(help="Consumer councils.")] = 3000,
    workers: Annotated[int, typer.Option(help="Worker councils.")] = 3000,
    goods_per_category: Annotated[
        int, typer.Option(help="Goods in each of the five categories.")
    ] = 10,
    near_constant_share: Annotated[
        float,
        typer.Option(
            help="Share of worker councils with +0.1 on every input exponent (DEP's dep2)."
        ),
    ] = 0.0,
    returns: Annotated[
        str, typer.Option(help="Worker councils with θ >= 1: refuse or pequod.")
    ] = "refuse",
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed; the same seed gives the same economy.")
    ] = 0,
) -> None:
    """Write a random economy drawn as in Democratic Economic Planning."""
    spec = EconomySpec(
        consumers,
        workers,
        goods_per_category,
        near_constant_share=near_constant_share,
        returns=_returns_mode(returns),
    )
    economy = generate_economy(spec, seed=seed)
    save_economy(economy, out)
    Console(highlight=False).print(
        f"wrote {out}: {consumers:,} consumer and {workers:,} worker councils, "
        f"{economy.n_goods} goods, seed {seed}"
    )


@app.command("augment")
@reports_errors
def augment_command(
    economy_path: Annotated[Path, typer.Argument(metavar="ECONOMY")],
    out: Annotated[Path, typer.Argument(help="Where to write next year's economy.")],
    seed: Annotated[int, typer.Option(min=0, help="Random seed of the changes.")] = 0,
) -> None:
    """Draw next year's economy as DEP does: small changes to every council.

    Worker councils' input exponents grow by one of 0, 0.001, ..., 0.004 and
    consumer councils' exponents change by one of -0.002, ..., 0.002. Plan it
    with --continue-from last year's plan to start from last year's prices.
    """
    economy = augment(load_economy(economy_path), seed=seed)
    save_economy(economy, out)
    Console(highlight=False).print(f"wrote {out}: {economy.name}, year two, seed {seed}")


@app.command()
@reports_errors
def equilibrium(
    economy_path: Annotated[Path, typer.Argument(metavar="ECONOMY")],
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write prices as JSON ('-' for standard output).")
    ] = None,
) -> None:
    """Print the exact clearing prices of ECONOMY (the reference equilibrium)."""
    economy = load_economy(economy_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        eq = solve_equilibrium(economy)
    console = Console(stderr=json_out == "-", highlight=False)
    gap = gaps(eq.supply, eq.demand)
    table = _goods_table(economy, eq.prices, eq.supply, eq.demand, gap, "Reference equilibrium")
    console.print(table)
    console.print(eq.message)
    if json_out is not None:
        doc = {
            "converged": eq.converged,
            "max_gap": eq.max_gap,
            "iterations": eq.iterations,
            "goods": list(economy.goods.names),
            "prices": eq.prices.tolist(),
            "supply": eq.supply.tolist(),
            "demand": eq.demand.tolist(),
        }
        write_json_output(doc, json_out)
    if not eq.converged:
        raise typer.Exit(1)


@app.command()
def rules() -> None:
    """List the price rules the facilitation board can use."""
    for name in available_rules():
        marker = " (default)" if name == DEFAULT_RULE else ""
        typer.echo(f"{name}{marker}")
