"""``parecon jobs balance``, ``parecon jobs across`` and ``parecon effort allowances``."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from parecon.cli.errors import reports_errors
from parecon.exceptions import ConvergenceWarning, InputError
from parecon.scenario.work_calendar import calendar_file_names, person_calendar
from parecon.scenario.work_tables import (
    read_effort_ratings,
    read_needs,
    read_people,
    read_task_ratings,
    read_tasks,
    read_workplaces,
    write_table,
)
from parecon.work import (
    METHOD_HELP,
    METHODS,
    BalanceSettings,
    Workplace,
    aggregate_effort,
    allowances,
    balance,
    balance_across,
    rotation,
)

app = typer.Typer(rich_markup_mode=None)  # its commands, registered by name in parecon.cli.app

jobs = typer.Typer(help="Balanced job complexes.", no_args_is_help=True)
effort = typer.Typer(help="Effort and sacrifice ratings → allowances.", no_args_is_help=True)
app.add_typer(jobs, name="jobs")
app.add_typer(effort, name="effort")


def _chart(
    path: Path,
    people: tuple[str, ...],
    emp: np.ndarray,
    des: np.ndarray,
    mean_e: float,
    mean_d: float,
) -> None:
    import altair as alt
    import vl_convert as vlc

    data = alt.Data(  # type: ignore[no-untyped-call]
        values=[
            {"person": p, "empowerment": float(e), "desirability": float(d)}
            for p, e, d in zip(people, emp, des, strict=True)
        ]
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=60)
        .encode(
            x=alt.X("empowerment:Q", scale=alt.Scale(zero=False)),
            y=alt.Y("desirability:Q", scale=alt.Scale(zero=False)),
            tooltip=["person:N", "empowerment:Q", "desirability:Q"],
        )
    )
    marks = alt.Data(values=[{"e": mean_e, "d": mean_d}])  # type: ignore[no-untyped-call]
    rules = alt.Chart(marks)
    chart = (
        points
        + rules.mark_rule(strokeDash=[4, 4]).encode(x="e:Q")
        + rules.mark_rule(strokeDash=[4, 4]).encode(y="d:Q")
    ).properties(
        title="Each person's average empowerment and desirability (dashed: workplace means)"
    )
    path.write_text(vlc.vegalite_to_svg(chart.to_json()), encoding="utf-8")


METHODS_HELP = "; ".join(f"{m}: {METHOD_HELP[m]}" for m in METHODS)


def _first_monday(start: str) -> dt.date:
    """The rotation's first Monday: ``--start`` (which must be a Monday) or the next one."""
    if not start:
        today = dt.date.today()
        return today + dt.timedelta(days=(7 - today.weekday()) % 7)
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {start!r}", "option --start") from None
    if first.weekday() != 0:
        monday = first + dt.timedelta(days=7 - first.weekday())
        raise InputError(
            f"{first.isoformat()} is a {first.strftime('%A')}, not a Monday; the rotation "
            f"starts on a Monday (the next one is {monday.isoformat()})",
            "option --start",
        )
    return first


MAX_WEEKS = 520
"""Longest rotation cycle (ten years of weeks)."""


def _out_folder(out: Path) -> None:
    """Create the output folder, or say in one line why it cannot be."""
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder; name a folder for the outputs", "option --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "calendars").mkdir(exist_ok=True)
    except FileExistsError:
        raise InputError(
            "a file stands where a folder is needed (calendars/ or a parent)", f"option --out {out}"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot create the folder ({exc.strerror})", f"option --out {out}"
        ) from None


@jobs.command("balance")
@reports_errors
def balance_command(
    tasks: Annotated[Path, typer.Option(help="tasks.csv: task, shift_hours, shifts_per_week")],
    ratings: Annotated[
        Path, typer.Option(help="ratings.csv: rater, task, empowerment, desirability")
    ],
    people: Annotated[Path, typer.Option(help="people.csv: person, hours_owed, qualified")],
    out: Annotated[Path, typer.Option(help="Folder for the outputs.")] = Path("complexes"),
    band: Annotated[
        float, typer.Option(help="Largest distance of anyone's average from the mean.")
    ] = 0.5,
    desirability: Annotated[str, typer.Option(help="'band' or 'compensate'.")] = "band",
    method: Annotated[str, typer.Option(help=f"Method. {METHODS_HELP}.")] = "auto",
    max_tasks: Annotated[int | None, typer.Option(help="Most distinct tasks per person.")] = None,
    min_block: Annotated[
        float, typer.Option(help="Least hours a week of any task someone takes.")
    ] = 0.0,
    weeks: Annotated[int, typer.Option(help="Weeks in the rotation cycle.")] = 4,
    start: Annotated[
        str, typer.Option(help="First Monday of the rotation (YYYY-MM-DD; default: next Monday).")
    ] = "",
    time_limit: Annotated[
        float,
        typer.Option(
            help="Budget of the whole balancing, as deterministic work of about this many "
            "seconds on a quiet machine (the same result at any load)."
        ),
    ] = 60.0,
    work_limit: Annotated[
        float | None,
        typer.Option(
            min=1e-9,
            help="Deterministic work units (default: from --time-limit); with it, "
            "--time-limit is a hard wall-clock cap.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Balance job complexes; write complexes, rotation, calendars and a chart."""
    first = _first_monday(start)
    if not 1 <= weeks <= MAX_WEEKS:
        # Checked before balancing: the rotation and every calendar hold each week.
        raise InputError(f"must be within 1–{MAX_WEEKS} weeks (got {weeks})", "option --weeks")
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder; name a folder for the outputs", "option --out")
    task_table = read_tasks(tasks)
    emp, des, _ = read_task_ratings(ratings, task_table.names)
    folk = read_people(people, task_table.names)
    # People owing no hours this period (leave, sabbatical) get no complex and no calendar.
    working = np.flatnonzero(folk.hours_owed > 0)
    idle = [folk.names[i] for i in np.flatnonzero(folk.hours_owed <= 0)]
    if working.size == 0:
        raise InputError("everyone owes 0 hours; nothing to balance", people.name)
    wp = Workplace(
        task_table.names,
        task_table.shift_hours,
        task_table.shifts_per_week.astype(np.int64),
        emp.median,
        des.median,
        tuple(folk.names[i] for i in working),
        folk.hours_owed[working],
        folk.qualified[working],
        max_tasks=max_tasks,
        min_block_hours=min_block,
    )
    settings = BalanceSettings(
        band=band,
        desirability=desirability,  # type: ignore[arg-type]
        time_limit=time_limit,
        work_limit=work_limit,
        seed=seed,
    )
    with warnings.catch_warnings():
        # The status says it; the line below prints it once.
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = balance(wp, settings, method)
    summary = (
        f"{result.status} ({result.method}, {result.seconds:.2f} s): empowerment within "
        f"{result.band_empowerment:.2f} of {wp.mean_empowerment:.2f}, desirability within "
        f"{result.band_desirability:.2f} of {wp.mean_desirability:.2f}; objective "
        f"{result.objective:g}, bound {result.bound:g}, gap {result.gap:.2%}"
    )
    if result.shifts is None:
        typer.echo(f"no assignment found ({result.status}): {result.message}", err=True)
        typer.echo(
            "raise --time-limit, widen --band, or try another --method; nothing written",
            err=True,
        )
        raise typer.Exit(1)
    shifts = result.shifts
    assert result.empowerment is not None and result.desirability is not None
    _out_folder(out)
    write_table(
        out / "complexes.csv",
        ["person", "task", "shifts_per_week", "hours"],
        [
            (wp.people[i], wp.task_names[t], int(shifts[i, t]), float(result.hours[i, t]))
            for i, t in zip(*np.nonzero(shifts), strict=True)
        ],
    )
    write_table(
        out / "averages.csv",
        ["person", "empowerment", "desirability"],
        [
            (p, float(e), float(d))
            for p, e, d in zip(wp.people, result.empowerment, result.desirability, strict=True)
        ],
    )
    write_table(
        out / "task_ratings.csv",
        [
            "task",
            "empowerment",
            "empowerment_spread",
            "desirability",
            "desirability_spread",
            "raters",
            "outlier_ratings",
        ],
        [
            (
                t,
                float(emp.median[k]),
                float(emp.spread[k]),
                float(des.median[k]),
                float(des.spread[k]),
                int(emp.count[k]),
                int(emp.outliers[:, k].sum() + des.outliers[:, k].sum()),
            )
            for k, t in enumerate(wp.task_names)
        ],
    )
    cycle = rotation(shifts, wp.shifts_per_week.astype(float), weeks)
    write_table(
        out / "rotation.csv",
        ["week", "person", "task", "shifts"],
        [
            (w + 1, wp.people[i], wp.task_names[t], int(cycle[w, i, t]))
            for w, i, t in zip(*np.nonzero(cycle), strict=True)
        ],
    )
    cal = out / "calendars"
    files = calendar_file_names(wp.people)
    for i, (person, name) in enumerate(zip(wp.people, files, strict=True)):
        text = person_calendar(
            person, cycle[:, i, :], wp.task_names, wp.shift_hours, first, uid=name[:-4]
        )
        (cal / name).write_bytes(text.encode("utf-8"))
    write_table(
        out / "calendars.csv",
        ["person", "calendar"],
        [(p, f"calendars/{n}") for p, n in zip(wp.people, files, strict=True)],
    )
    _chart(
        out / "averages.svg",
        wp.people,
        result.empowerment,
        result.desirability,
        wp.mean_empowerment,
        wp.mean_desirability,
    )
    typer.echo(summary)
    if idle:
        typer.echo(f"owing 0 hours, so no complex or calendar: {', '.join(idle)}")
    typer.echo(
        f"wrote {out}/complexes.csv, averages.csv, rotation.csv, averages.svg, calendars.csv, "
        "calendars/"
    )
    if not result.in_band:
        typer.echo(
            f"warning: people outside the band ({result.message}); raise --time-limit, "
            "widen --band, or try another --method",
            err=True,
        )
        raise typer.Exit(1)


def _refuse_overwriting(inputs: dict[str, Path | None], outputs: dict[str, Path]) -> None:
    """Refuse outputs that name an input or each other before anything is read or
    written: the command would destroy its own data (or one output the other)."""
    seen: dict[Path, str] = {}
    for option, path in inputs.items():
        if path is not None:
            seen.setdefault(path.resolve(), option)
    for option, path in outputs.items():
        where = path.resolve()
        if where in seen:
            raise InputError(
                f"{option} and {seen[where]} both name {path}; writing it would overwrite "
                f"what {seen[where]} holds",
                f"option {option}",
            )
        seen[where] = option


@jobs.command("across")
@reports_errors
def across_command(
    workplaces: Annotated[
        Path, typer.Option(help="workplaces.csv: workplace, average, hours (empowerment 1–20)")
    ],
    out: Annotated[Path, typer.Option(help="CSV of hours exchanged.")] = Path("exchange.csv"),
    band: Annotated[
        float, typer.Option(min=0.0, help="Largest distance of a workplace from society's mean.")
    ] = 0.5,
    max_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Most of a workplace's hours sent elsewhere.")
    ] = 0.25,
) -> None:
    """Balance across workplaces: who works how many hours where, so every
    workplace's members come within BAND of society's average empowerment."""
    _refuse_overwriting({"--workplaces": workplaces}, {"--out": out})
    names, averages, hours = read_workplaces(workplaces)
    result = balance_across(averages, hours, band=band, max_share=max_share, names=names)
    rows = [
        (names[a], names[b], round(float(result.exchange[a, b]), 4))
        for a in range(len(names))
        for b in range(len(names))
        if a != b and result.exchange[a, b] > 1e-9
    ]
    write_table(out, ("members_of", "work_in", "hours_per_week"), rows)
    console = Console(highlight=False)
    table = Table(title=f"Society's mean {result.society_mean:.3g}, band {band:g}")
    for col in ("workplace", "before", "after"):
        table.add_column(col, justify="left" if col == "workplace" else "right")
    for name, before, after in zip(names, result.before, result.after, strict=True):
        table.add_row(name, f"{before:.3g}", f"{after:.3g}")
    console.print(table)
    console.print(f"{result.hours_moved:.4g} hours a week exchanged; wrote {out}")


@effort.command("allowances")
@reports_errors
def allowances_command(
    ratings: Annotated[Path, typer.Option(help="effort.csv: rater, ratee, rating (1–20)")],
    people: Annotated[Path, typer.Option(help="people.csv: person, hours_owed[, council]")],
    pool: Annotated[float, typer.Option(help="The workplace's allowance pool.")],
    needs: Annotated[Path | None, typer.Option(help="needs.csv: council, amount")] = None,
    cap_per_hour: Annotated[
        float | None, typer.Option(help="Flat cap on the pool per hour.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Per-person allowances.")] = Path("allowances.csv"),
    budgets: Annotated[Path, typer.Option(help="Consumer councils' budgets.")] = Path(
        "budgets.csv"
    ),
    method: Annotated[str, typer.Option(help="centred_median or mean.")] = "centred_median",
) -> None:
    """Aggregate effort ratings and share the pool; write allowances and council budgets."""
    if cap_per_hour is not None and not (np.isfinite(cap_per_hour) and cap_per_hour > 0):
        raise InputError(f"must be > 0 (got {cap_per_hour:g})", "option --cap-per-hour")
    _refuse_overwriting(
        {"--ratings": ratings, "--people": people, "--needs": needs},
        {"--out": out, "--budgets": budgets},
    )
    names, hours, councils = _people_hours(people)
    scores = aggregate_effort(read_effort_ratings(ratings, names), method=method, names=names)
    council_names = sorted(set(councils))
    result = allowances(
        hours,
        scores.intensity,
        pool,
        council_of=np.array([council_names.index(c) for c in councils]),
        n_councils=len(council_names),
        needs=read_needs(needs, council_names) if needs else None,
        cap_per_hour=cap_per_hour,
    )
    write_table(
        out,
        [
            "person",
            "council",
            "hours",
            "effort_score",
            "raters",
            "rating_q1",
            "rating_median",
            "rating_q3",
            "credits",
            "allowance",
            "ratio",
            "appeal",
        ],
        [
            (
                n,
                c,
                float(h),
                float(s),
                int(k),
                float(d[1]),
                float(d[2]),
                float(d[3]),
                float(cr),
                float(a),
                float(r),
                "yes" if ap else "",
            )
            for n, c, h, s, k, d, cr, a, r, ap in zip(
                names,
                councils,
                hours,
                scores.score,
                scores.count,
                scores.distribution,
                result.credits,
                result.effort_allowance,
                result.ratio,
                result.appeal,
                strict=True,
            )
        ],
    )
    write_table(
        budgets,
        ["council", "income"],
        [(c, float(b)) for c, b in zip(council_names, result.budgets, strict=True)],
    )
    typer.echo(
        f"shared {result.pool_capped - result.needs.sum():.2f} by effort and "
        f"{result.needs.sum():.2f} by need; {int(result.appeal.sum())} flagged for "
        f"appeal; wrote {out} and {budgets}"
    )


def _people_hours(path: Path) -> tuple[list[str], np.ndarray, list[str]]:
    from parecon.scenario.work_tables import _number, _rows

    names, hours, councils = [], [], []
    for line, row in _rows(path, ("person", "hours_owed")):
        if not row["person"]:
            raise InputError("empty person", f"{path.name}, line {line}, column 'person'")
        if row["person"] in names:
            raise InputError(
                f"person {row['person']!r} appears twice",
                f"{path.name}, line {line}, column 'person'",
            )
        names.append(row["person"])
        hours.append(_number(path, line, row, "hours_owed", lo=0))
        councils.append(row.get("council") or row["person"])
    return names, np.array(hours), councils
