"""The explainers' pages: read the reader's numbers (GET), ask the core, render tables and charts.

Every field has a default, so a page always shows an answer; an unreadable field
keeps its default and is reported once, naming the field (status 422).
"""

from __future__ import annotations

import math
from fractions import Fraction

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from parecon.web.learn import explainers as ex
from parecon.web.learn.charts import bars_svg


def _numbers(
    request: HttpRequest,
    prefix: str,
    label: str,
    names: tuple[str, ...],
    defaults: tuple[float, ...],
    low: float,
    high: float,
    errors: list[str],
) -> list[float]:
    out = list(defaults)
    for i, name in enumerate(names):
        raw = request.GET.get(f"{prefix}{i}", "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            field = _("%(label)s of %(name)s") % {"label": label, "name": name} if name else label
            errors.append(
                _("%(field)s: %(value)s is not a number from %(low)g to %(high)g.")
                % {"field": field, "value": raw[:40], "low": low, "high": high}
            )
            continue
        out[i] = value
    return out


def _svg(svg: str) -> str:
    # Built by learn.charts with every text escaped.
    return mark_safe(svg)


def jobs(request: HttpRequest) -> HttpResponse:
    """Balanced job complexes: rate the bakery's tasks, set the band, see the complexes."""
    errors: list[str] = []
    empowerment = _numbers(
        request, "e", _("Empowerment"), ex.TASKS, ex.DEFAULT_EMPOWERMENT, 1, 20, errors
    )
    desirability = _numbers(
        request, "d", _("Desirability"), ex.TASKS, ex.DEFAULT_DESIRABILITY, 1, 20, errors
    )
    (band,) = _numbers(request, "band", _("Band"), ("",), (ex.DEFAULT_BAND,), 0.1, 10, errors)
    compensate = request.GET.get("compensate") == "1"
    found = ex.complexes(empowerment, desirability, band, compensate)
    result = found.result
    people = []
    chart = ""
    if result is not None and result.shifts is not None:
        hours = result.shifts * found.workplace.shift_hours[None, :]
        for i, name in enumerate(ex.BAKERS):
            people.append(
                {
                    "name": name,
                    "hours": [float(h) for h in hours[i]],
                    "empowerment": float(result.empowerment[i]),  # type: ignore[index]
                    "desirability": float(result.desirability[i]),  # type: ignore[index]
                }
            )
        chart = _svg(
            bars_svg(
                ex.BAKERS,
                [p["empowerment"] for p in people],  # type: ignore[misc]
                _("Average empowerment of each complex, with the band"),
                reference=found.mean_empowerment,
                band=band,
            )
        )
    tasks = [
        {"index": i, "name": t, "empowerment": empowerment[i], "desirability": desirability[i]}
        for i, t in enumerate(ex.TASKS)
    ]
    return render(
        request,
        "learn/jobs.html",
        {
            "tasks": tasks,
            "band": band,
            "compensate": compensate,
            "found": found,
            "result": result,
            "people": people,
            "chart": chart,
            "errors": errors,
            "task_hours": [h * s for h, s in zip(ex.SHIFT_HOURS, ex.SHIFTS_PER_WEEK, strict=True)],
        },
        status=422 if errors else 200,
    )


def effort(request: HttpRequest) -> HttpResponse:
    """Remuneration for effort and sacrifice: six coworkers' allowances from the core."""
    errors: list[str] = []
    names = ex.COWORKERS
    hours = _numbers(request, "h", _("Hours"), names, ex.DEFAULT_HOURS, 1, 60, errors)
    effort_seen = _numbers(request, "e", _("Effort"), names, ex.DEFAULT_EFFORT, 1, 20, errors)
    desirability = _numbers(
        request, "d", _("Desirability"), names, ex.DEFAULT_COMPLEX_DESIRABILITY, 1, 20, errors
    )
    clique = request.GET.get("clique") == "1"
    found = ex.remuneration(hours, effort_seen, desirability, clique)
    r = found.result
    rows = [
        {
            "index": i,
            "name": name,
            "hours": hours[i],
            "effort": effort_seen[i],
            "desirability": desirability[i],
            "score": float(found.effort.score[i]),
            "mean_score": float(found.plain_mean.score[i]),
            "intensity": float(found.effort.intensity[i]),
            "onerous": float(found.onerous[i]),
            "allowance": float(r.effort_allowance[i]),
            "per_hour": float(r.effort_allowance[i] / hours[i]),
            "ratio": float(r.ratio[i]),
            "appeal": bool(r.appeal[i]),
        }
        for i, name in enumerate(names)
    ]
    chart = _svg(
        bars_svg(
            names,
            [row["per_hour"] for row in rows],  # type: ignore[misc]
            _("Allowance per hour, with the average"),
            reference=r.pool_capped / sum(hours),
        )
    )
    return render(
        request,
        "learn/effort.html",
        {
            "rows": rows,
            "clique": clique,
            "pool": found.pool,
            "per_hour": ex.POOL_PER_HOUR,
            "chart": chart,
            "errors": errors,
            "leniency": list(zip(names, ex.LENIENCY, strict=True)),
        },
        status=422 if errors else 200,
    )


def _fraction(request: HttpRequest, field: str, choices: tuple[str, ...], default: str) -> str:
    value = request.GET.get(field, default)
    return value if value in choices else default


def affected(request: HttpRequest) -> HttpResponse:
    """Self-management by affectedness: change who is affected, see weights and result change."""
    chosen = (
        [u for u in ex.AFFECTABLE if request.GET.get(f"u-{u}") == "1"]
        if request.GET.get("set") == "1"
        else list(ex.DEFAULT_AFFECTED)
    )
    level = _fraction(request, "level", ex.LEVEL_CHOICES, "1/4")
    stake = _fraction(request, "stake", ex.STAKE_CHOICES, "1")
    errors: list[str] = []
    if not chosen:
        errors.append(_("Affected units: choose at least one unit the proposal affects."))
        chosen = list(ex.DEFAULT_AFFECTED)
    found = ex.affectedness(chosen, Fraction(level), Fraction(stake))
    members = [
        {
            "name": m,
            "unit": next(u.id for u in ex.UNITS if m in u.members),
            "vote": ex.VOTES[m],
            "weight": found.weights.get(m, Fraction(0)),
            "reasons": found.reasons.get(m, ()),
        }
        for m in ex.VOTES
    ]
    totals = {t.option: t for t in found.weighted.totals}
    equal = {t.option: t for t in found.equal.totals}
    chart = _svg(
        bars_svg(
            [_("yes, weighted"), _("no, weighted"), _("yes, one each"), _("no, one each")],
            [
                float(totals["yes"].share),
                float(totals["no"].share),
                float(equal["yes"].share),
                float(equal["no"].share),
            ],
            _("Share of the say: by affectedness and one person, one vote"),
            reference=0.5,
        )
    )
    return render(
        request,
        "learn/affected.html",
        {
            "units": [(u, u in chosen) for u in ex.AFFECTABLE],
            "level": level,
            "stake": stake,
            "levels": ex.LEVEL_CHOICES,
            "stakes": ex.STAKE_CHOICES,
            "members": members,
            "found": found,
            "totals": totals,
            "equal": equal,
            "chart": chart,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
