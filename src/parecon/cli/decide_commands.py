"""``parecon decide METHOD BALLOTS.csv``: the result of any decision method from paper ballots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from parecon.cli.errors import reports_errors
from parecon.cli.json_output import write_json_output
from parecon.exceptions import InputError, InvalidValueError
from parecon.selfmanagement import (
    METHODS,
    BallotError,
    DecisionResult,
    DecisionRules,
    Method,
    Quorum,
    decide,
    get_method,
    read_ballots,
    read_weights,
)

app = typer.Typer(rich_markup_mode=None)  # its commands, registered by name in parecon.cli.app

_OPTION_OF = {
    "threshold": "--threshold",
    "budget": "--budget",
    "goal": "--goal",
    "scores": "--min-score/--max-score",
    "quorum": "--quorum",
    "quorum weight": "--quorum",
    "quorum heads": "--quorum-heads",
}


def _show(result: DecisionResult, console: Console) -> None:
    table = Table(title=result.method, title_justify="left")
    if result.pairwise:
        table.caption = "totals: first places"
    for col in ("option", "weighted", "unweighted", "share"):
        table.add_column(col, justify="left" if col == "option" else "right")
    for t in result.totals:
        table.add_row(
            t.option, f"{float(t.weighted):g}", f"{float(t.unweighted):g}", f"{float(t.share):.1%}"
        )
    console.print(table)
    if result.ranking:
        console.print("ranking: " + " > ".join(" = ".join(tier) for tier in result.ranking))
    turnout = result.turnout
    line = f"turnout: weight {float(turnout.weight_cast):g}, {turnout.heads_cast} ballots"
    if turnout.weight_eligible is not None:
        line += f" of {float(turnout.weight_eligible):g} ({turnout.heads_eligible} voters)"
    console.print(line)
    for r in result.reasons:
        console.print(f"  {r.voter} ({r.choice}): {r.reason}")
    won = f", winner: {result.winner}" if result.winner else ""
    console.print(f"[bold]outcome: {result.outcome}{won}[/]")


DEFAULT_SCORES = DecisionRules().scores
"""The score range when neither bound is given (the core's)."""


def _refuse_unused(method: Method, given: dict[str, object]) -> None:
    """An option the method does not read is refused (as ``--threshold`` is by the
    core), not silently ignored: ``consent --budget 3`` counts no dots."""
    reads = {
        "--budget": method.marks == "dots",
        "--goal": method.tally == "opt_in",
        "--min-score": method.marks == "score",
        "--max-score": method.marks == "score",
    }
    for option, value in given.items():
        if value is not None and not reads[option]:
            raise InputError(f"{method.name} does not use {option}", f"option {option}")


@app.command("decide")
@reports_errors
def decide_command(
    method: Annotated[str, typer.Argument(metavar="METHOD", help=f"One of: {', '.join(METHODS)}.")],
    ballots: Annotated[
        Path,
        typer.Argument(
            metavar="BALLOTS.csv",
            help="Ballots CSV: voter, weight (optional), and ranking (ranked), one column "
            "per option (score, dot, approval) or choice and reason (the others).",
        ),
    ],
    weights: Annotated[
        Path | None,
        typer.Option(
            metavar="WEIGHTS.csv",
            help="Weights CSV (voter, weight): the electorate; then no weight column.",
        ),
    ] = None,
    json_out: Annotated[
        str | None,
        typer.Option("--json", help="Write the result as JSON ('-' for standard output)."),
    ] = None,
    threshold: Annotated[
        str | None, typer.Option(help="Required share (majorities, consent): 0.6 or 2/3.")
    ] = None,
    quorum: Annotated[
        str | None, typer.Option(help="Share of the electorate's weight that must vote.")
    ] = None,
    quorum_heads: Annotated[
        str | None, typer.Option(help="Share of the electorate's voters that must vote.")
    ] = None,
    budget: Annotated[int | None, typer.Option(help="Dots each voter may spend (dot).")] = None,
    goal: Annotated[float | None, typer.Option(help="How many are needed (count).")] = None,
    min_score: Annotated[int | None, typer.Option(help="Lowest score (score; default 0).")] = None,
    max_score: Annotated[int | None, typer.Option(help="Highest score (score; default 5).")] = None,
) -> None:
    """Count paper ballots by any method; print the weighted and unweighted result."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r} (known: {', '.join(METHODS)})", "METHOD")
    _refuse_unused(
        get_method(method),
        {"--budget": budget, "--goal": goal, "--min-score": min_score, "--max-score": max_score},
    )
    electorate = None
    if weights is not None:
        electorate, _ = read_weights(weights)
    sheet = read_ballots(ballots, method, weights_given=weights is not None)
    rules = DecisionRules(
        quorum=Quorum(quorum, quorum_heads),
        threshold=threshold,
        budget=budget,
        goal=goal,
        scores=(
            DEFAULT_SCORES[0] if min_score is None else min_score,
            DEFAULT_SCORES[1] if max_score is None else max_score,
        ),
    )
    try:
        result = decide(
            method, sheet.ballots, options=sheet.options, electorate=electorate, rules=rules
        )
    except BallotError as exc:
        if exc.field == "voter" and weights is not None:
            exc = BallotError(f"not in {weights.name}", exc.voter, exc.field)
        raise sheet.locate(exc) from None
    except InvalidValueError as exc:
        option = _OPTION_OF.get(exc.where or "")
        if exc.where in ("quorum",):
            raise InputError(
                "a quorum needs --weights WEIGHTS.csv (the electorate)", "option --quorum"
            ) from None
        raise InputError(exc.problem, f"option {option}" if option else exc.where) from None
    to_stdout = json_out == "-"
    if not to_stdout:
        _show(result, Console(highlight=False))
    if json_out is not None:
        doc = result.as_dict()
        doc["ballots"] = str(ballots)
        doc["weights"] = None if weights is None else str(weights)
        write_json_output(doc, json_out)
