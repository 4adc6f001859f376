"""``parecon plan``, ``parecon generate``, ``parecon equilibrium``, ``parecon rules``.

Only Typer is imported at the top: the engine, the file formats, NumPy and the
chart renderer are imported inside the commands, so ``parecon plan --help``
starts in about the time Python takes to import Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from parecon.cli.errors import reports_errors

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from parecon.engine import Economy, PlanResult, RoundRecord

app = typer.Typer(rich_markup_mode=None)  # its commands, registered by name in parecon.cli.app

_MAX_ROWS = 30
RULES_DOCUMENTED = ("informed", "pequod", "secant", "tatonnement")
"""The price rules ``--rule``'s help names (a test checks the engine has these)."""
DEFAULT_RULE_DOCUMENTED = "informed"
"""The engine's default rule, as ``--rule``'s help states it (checked by a test)."""


def _goods_table(
    economy: Economy, prices: Any, supply: Any, demand: Any, gaps: Any, title: str
) -> Table:
    import numpy as np
    from rich.table import Table

    from parecon.engine import GoodCategory

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


def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def _returns_mode(returns: str) -> Any:
    """``--returns`` checked, so a typo is an error, never silently ignored."""
    from parecon.exceptions import InvalidValueError

    if returns not in ("refuse", "pequod"):
        raise InvalidValueError(f"--returns must be refuse or pequod, not {returns!r}")
    return returns


def _progress_line(record: RoundRecord, tolerance: float, n_goods: int) -> str:
    return (
        f"round {record.round:3d}  largest gap {100 * record.max_gap:8.3f}%  "
        f"goods within {100 * tolerance:g}%: {record.within(tolerance)}/{n_goods}  "
        f"({1000 * record.seconds:.1f} ms)"
    )


def _check_plan_options(
    tolerance: float,
    executor: str,
    workers: int | None,
    revision_limits: bool,
    limit_toward: float | None,
    limit_away: float | None,
    chart: Path | None,
    proposals: Path | None,
) -> None:
    """Refuse values out of range and options that do nothing without another, before planning."""
    from parecon.engine.executor_address import parse_executor
    from parecon.exceptions import InvalidValueError

    if tolerance >= 1:  # the engine refuses tolerance <= 0 itself
        raise InvalidValueError(
            f"tolerance must be < 1, a share of each good's mean flow (0.03 is 3%), "
            f"not {tolerance:g}: a gap of 1 is a supply three times demand",
            "--tolerance",
        )
    address = parse_executor(executor)
    if workers is not None and address.kind not in ("processes", "dask-local"):
        raise InvalidValueError(
            f"applies to --executor processes or dask, not {executor}", "--workers"
        )
    if not revision_limits:
        for name, value in (("--limit-toward", limit_toward), ("--limit-away", limit_away)):
            if value is not None:
                raise InvalidValueError("applies only with --revision-limits", name)
    if chart is not None:
        from parecon.scenario.plan_chart import check_chart_path

        check_chart_path(chart)
    if proposals is not None and proposals.exists() and not proposals.is_dir():
        raise InvalidValueError(
            "names an existing file; --proposals is a folder for quantities.csv and councils.csv",
            f"--proposals {proposals}",
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
        str,
        typer.Option(
            help=f"Price rule: {', '.join(RULES_DOCUMENTED)} (parecon rules lists them all)."
        ),
    ] = DEFAULT_RULE_DOCUMENTED,
    tolerance: Annotated[
        float, typer.Option(help="Stop when every gap is below this share (0 < T < 1).")
    ] = 0.03,
    max_rounds: Annotated[int, typer.Option(min=1, help="Round limit.")] = 100,
    executor: Annotated[
        str, typer.Option(help="local, processes, dask (local cluster) or dask://HOST:PORT.")
    ] = "local",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes for processes/dask.")
    ] = None,
    shards: Annotated[
        int | None, typer.Option(min=1, help="Shards of councils per population.")
    ] = None,
    returns: Annotated[
        str,
        typer.Option(help="Worker councils with θ >= 1: refuse, or pequod (as Pequod computes)."),
    ] = "refuse",
    budgets: Annotated[
        Path | None,
        typer.Option(
            help="budgets.csv (council, income) from parecon effort allowances: consumer "
            "councils' incomes, matched by council name."
        ),
    ] = None,
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
        float | None,
        typer.Option(
            help="With --revision-limits: largest move toward clearing, share of per-capita "
            "excess [default: 0.5]."
        ),
    ] = None,
    limit_away: Annotated[
        float | None,
        typer.Option(
            help="With --revision-limits: largest move away from clearing, share of "
            "per-capita excess [default: 0.25]."
        ),
    ] = None,
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
    _check_plan_options(
        tolerance, executor, workers, revision_limits, limit_toward, limit_away, chart, proposals
    )
    import warnings

    from parecon.engine import PlanningProcedure
    from parecon.engine.executor_address import open_executor, parse_executor
    from parecon.engine.revision_limits import RevisionLimits
    from parecon.exceptions import ConvergenceWarning, UnusedGoodsWarning
    from parecon.scenario import load_economy
    from parecon.scenario.budgets_file import read_budgets, with_budgets
    from parecon.scenario.plan_file import continue_plan, read_carry_over

    with warnings.catch_warnings(record=True) as loading:
        warnings.simplefilter("always", UnusedGoodsWarning)
        economy = load_economy(economy_path, returns=_returns_mode(returns))
    if budgets is not None:
        economy = with_budgets(economy, read_budgets(budgets), str(budgets))
    rule_state = None
    notes = [str(w.message) for w in loading]
    if continue_from is not None:
        carried = continue_plan(
            economy, read_carry_over(continue_from), rule, f"--continue-from {continue_from}"
        )
        economy, rule_state = carried.economy, carried.rule_state
        notes += carried.notes
    limits = (
        RevisionLimits(
            toward=0.5 if limit_toward is None else limit_toward,
            away=0.25 if limit_away is None else limit_away,
        )
        if revision_limits
        else None
    )
    procedure = PlanningProcedure(
        rule,
        tolerance=tolerance,
        max_rounds=max_rounds,
        n_shards=shards,
        revision_limits=limits,
        keep_proposals=proposals is not None,
    )
    to_stdout = json_out == "-"
    console = _console(to_stdout)
    console.print(
        f"[bold]{_escape(economy.name)}[/]: {economy.n_councils:,} councils, "
        f"{economy.n_goods} goods; rule [cyan]{procedure.rule.name}[/], "
        f"tolerance {100 * tolerance:g}%"
    )
    with open_executor(executor, workers) as pool, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if quiet:
            result = procedure.run(economy, pool, rule_state=rule_state)
        else:
            from rich.live import Live

            with Live(console=console, refresh_per_second=8, transient=True) as live:

                def show(record: RoundRecord) -> None:
                    live.update(_progress_line(record, tolerance, economy.n_goods))
                    console.print(_progress_line(record, tolerance, economy.n_goods))

                result = procedure.run(economy, pool, show, rule_state=rule_state)
    _report(console, economy, result, notes + [str(w.message) for w in caught])
    _write_plan_outputs(console, economy, result, json_out, proposals, chart)
    if parse_executor(executor).kind == "local":
        from parecon.cli.teardown import not_needed

        not_needed()  # everything is written, in this process: skip the interpreter's teardown
    if not result.converged:
        raise typer.Exit(1)


def _escape(text: str) -> str:
    """``text`` shown literally by Rich (an economy named ``[red]`` is not markup)."""
    from rich.markup import escape

    return escape(text)


def _write_plan_outputs(
    console: Console,
    economy: Economy,
    result: PlanResult,
    json_out: str | None,
    proposals: Path | None,
    chart: Path | None,
) -> None:
    from parecon.cli.json_output import write_json_output

    if json_out is not None:
        from parecon.scenario.plan_file import plan_document

        write_json_output(plan_document(result, economy), json_out)
        if json_out != "-":
            console.print(f"plan written to {_escape(json_out)}")
    if proposals is not None and result.proposals is not None:
        from parecon.scenario.council_names import council_names
        from parecon.scenario.proposals_file import write_proposals

        paths = write_proposals(result.proposals, economy, proposals, council_names(economy))
        console.print(f"proposals written to {_escape(', '.join(str(p) for p in paths))}")
    if chart is not None:
        from parecon.scenario.plan_chart import gap_chart, write_chart

        write_chart(gap_chart(result, f"{economy.name}: {result.rule}"), chart)
        console.print(f"chart written to {_escape(str(chart))}")


def _accounts_tables(economy: Economy, prices: Any) -> list[Table]:
    """Pollution (who pays, who is credited) and fixed supplies at their opportunity cost."""
    from rich.table import Table

    from parecon.engine.plan_accounts import factor_accounts, pollution_accounts

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
    console.print(f"[{colour}]{result.status}[/]: {_escape(result.message)}")
    console.print(f"rounds to every gap below {reached}")
    for note in notes:
        console.print(f"[yellow]warning:[/] {_escape(note)}")


@app.command()
@reports_errors
def generate(
    out: Annotated[
        Path, typer.Argument(help="Where to write the economy (.json, .json.gz or .npz).")
    ],
    consumers: Annotated[int, typer.Option(min=1, help="Consumer councils.")] = 3000,
    workers: Annotated[int, typer.Option(min=1, help="Worker councils.")] = 3000,
    goods_per_category: Annotated[
        int, typer.Option(min=1, help="Goods in each of the five categories.")
    ] = 10,
    near_constant_share: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of worker councils with +0.1 on every input exponent (DEP's dep2).",
        ),
    ] = 0.0,
    returns: Annotated[
        str, typer.Option(help="Worker councils with θ >= 1: refuse or pequod.")
    ] = "refuse",
    compress: Annotated[
        bool,
        typer.Option(help="Compress .npz columns (smaller files, several times slower to load)."),
    ] = False,
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed; the same seed gives the same economy.")
    ] = 0,
) -> None:
    """Write a random economy drawn as in Democratic Economic Planning."""
    from parecon.scenario.economy_writer import check_economy_path

    check_economy_path(out)
    from parecon.engine.generate import EconomySpec, generate_economy
    from parecon.scenario import save_economy

    spec = EconomySpec(
        consumers,
        workers,
        goods_per_category,
        near_constant_share=near_constant_share,
        returns=_returns_mode(returns),
    )
    economy = generate_economy(spec, seed=seed)
    save_economy(economy, out, compress=compress)
    _console(False).print(
        f"wrote {_escape(str(out))}: {consumers:,} consumer and {workers:,} worker councils, "
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
    from parecon.engine.generate import augment
    from parecon.scenario import load_economy, save_economy

    economy = augment(load_economy(economy_path), seed=seed)
    save_economy(economy, out)
    _console(False).print(
        f"wrote {_escape(str(out))}: {_escape(economy.name)}, year two, seed {seed}"
    )


@app.command()
@reports_errors
def equilibrium(
    economy_path: Annotated[Path, typer.Argument(metavar="ECONOMY")],
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write prices as JSON ('-' for standard output).")
    ] = None,
) -> None:
    """Print the exact clearing prices of ECONOMY (the reference equilibrium)."""
    import warnings

    from parecon.cli.json_output import write_json_output
    from parecon.engine.equilibrium import solve_equilibrium
    from parecon.engine.gaps import gaps
    from parecon.exceptions import ConvergenceWarning, UnusedGoodsWarning
    from parecon.scenario import load_economy
    from parecon.scenario.plan_file import equilibrium_document

    with warnings.catch_warnings(record=True) as loading:
        warnings.simplefilter("always", UnusedGoodsWarning)
        economy = load_economy(economy_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        eq = solve_equilibrium(economy)
    console = _console(json_out == "-")
    for w in loading:
        console.print(f"[yellow]warning:[/] {_escape(str(w.message))}")
    gap = gaps(eq.supply, eq.demand)
    table = _goods_table(economy, eq.prices, eq.supply, eq.demand, gap, "Reference equilibrium")
    console.print(table)
    console.print(_escape(eq.message))
    if json_out is not None:
        write_json_output(equilibrium_document(eq, economy), json_out)
    if not eq.converged:
        raise typer.Exit(1)


@app.command()
def rules() -> None:
    """List the price rules the facilitation board can use."""
    from parecon.engine.price_rules import DEFAULT_RULE, available_rules

    for name in available_rules():
        marker = " (default)" if name == DEFAULT_RULE else ""
        typer.echo(f"{name}{marker}")
