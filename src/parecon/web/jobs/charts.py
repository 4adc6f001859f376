"""The complexes chart: each person's two averages against the band, as SVG geometry.

The template (``jobs/_chart.svg.html``) draws what this computes; every text goes
through the template's escaping and nothing is styled inline (CSP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parecon.web.jobs.models import Balance, PersonComplex

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 360, 56, 16, 16, 44


@dataclass(frozen=True)
class Dot:
    """One person's dot (``member_id`` set: named when shown), or a group's."""

    x: float
    y: float
    label: str
    inside: bool
    member_id: int | None = None


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    band_x: float
    band_y: float
    band_w: float
    band_h: float
    mean_x: float
    mean_y: float
    dots: list[Dot]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int
    bottom: float
    top: int
    right: float


#: Above this many people, people whose dots would overlap (the same cell of
#: :data:`CELL` pixels) share one dot that says how many they are.
MAX_DOTS = 150
CELL = 6.0


@dataclass(frozen=True)
class Point:
    """One person's averages (a plain row: the chart needs no model instances)."""

    name: str
    empowerment: float
    desirability: float
    member_id: int | None = None


def balance_points(balance: Balance) -> list[Point]:
    """Every person's averages in ``balance``, in one query of plain values."""
    from parecon.web.members.models import FORMER_MEMBER

    rows = balance.complexes.order_by("member__name", "member_id").values_list(
        "member__name", "member__erased_at", "empowerment", "desirability", "member_id"
    )
    return [Point(str(FORMER_MEMBER) if gone else n, e, d, m) for n, gone, e, d, m in rows]


#: Finished balances' charts by (balance, when it finished, language). A balance's
#: complexes are written once, when it finishes, so its geometry never changes; the
#: names on people's own dots may, and are read again each time (:func:`_named`).
_CHARTS: dict[tuple[int, float, str], Chart | None] = {}


def balance_chart(balance: Balance) -> Chart | None:
    """:func:`complexes_chart` of a finished balance, from plain values, computed once
    per process; the people named as they are now."""
    if balance.finished_at is None:
        return None
    key = (balance.pk, balance.finished_at.timestamp(), get_language() or "")
    if key not in _CHARTS:
        if len(_CHARTS) > 32:
            _CHARTS.clear()
        _CHARTS[key] = complexes_chart(balance, balance_points(balance))
    chart = _CHARTS[key]
    return _named(chart) if chart is not None else None


def _named(chart: Chart) -> Chart:
    """``chart`` with each person's dot labelled by their current name (one query)."""
    from parecon.web.members.models import FORMER_MEMBER, Member

    ids = [d.member_id for d in chart.dots if d.member_id is not None]
    names = {
        pk: str(FORMER_MEMBER) if gone else name
        for pk, name, gone in Member.objects.filter(pk__in=ids).values_list(
            "pk", "name", "erased_at"
        )
    }
    dots = [
        d
        if d.member_id is None
        else replace(d, label=f"{names.get(d.member_id, '')}: {d.label.rpartition(': ')[2]}")
        for d in chart.dots
    ]
    return replace(chart, dots=dots)


def complexes_chart(balance: Balance, rows: Sequence[PersonComplex | Point]) -> Chart | None:
    """Empowerment (x) against desirability (y), the band a rectangle round the means."""
    if not rows or balance.mean_empowerment is None or balance.mean_desirability is None:
        return None
    me, md, band = balance.mean_empowerment, balance.mean_desirability, balance.band
    xs = [r.empowerment for r in rows] + [me - band, me + band]
    ys = [r.desirability for r in rows] + [md - band, md + band]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(v: float) -> float:
        return round(LEFT + (v - x0) / (x1 - x0) * plot_w, 1)

    def py(v: float) -> float:
        return round(TOP + (y1 - v) / (y1 - y0) * plot_h, 1)

    def ticks(lo: float, hi: float, at: object) -> list[Tick]:
        step = max(1, round((hi - lo) / 5))
        first = int(lo) + 1
        return [Tick(at(v), str(v)) for v in range(first, int(hi) + 1, step)]  # type: ignore[operator]

    def name(r: PersonComplex | Point) -> str:
        return r.name if isinstance(r, Point) else r.member.display_name

    def inside(e: float, d: float) -> bool:
        return abs(e - me) <= band + 1e-9 and abs(d - md) <= band + 1e-9

    dots = [
        Dot(
            px(r.empowerment),
            py(r.desirability),
            f"{name(r)}: {r.empowerment:.2f}, {r.desirability:.2f}",
            inside(r.empowerment, r.desirability),
            r.member_id,
        )
        for r in rows
    ]
    if len(dots) > MAX_DOTS:
        dots = _grouped(rows, dots)
    return Chart(
        WIDTH,
        HEIGHT,
        px(me - band),
        py(md + band),
        round(px(me + band) - px(me - band), 1),
        round(py(md - band) - py(md + band), 1),
        px(me),
        py(md),
        dots,
        ticks(x0, x1, px),
        ticks(y0, y1, py),
        LEFT,
        HEIGHT - BOTTOM,
        TOP,
        WIDTH - RIGHT,
    )


def _grouped(rows: Sequence[PersonComplex | Point], dots: list[Dot]) -> list[Dot]:
    """One dot per cell of :data:`CELL` pixels (and side of the band), saying how many."""
    cells: dict[tuple[int, int, bool], list[int]] = {}
    for k, dot in enumerate(dots):
        cells.setdefault((int(dot.x // CELL), int(dot.y // CELL), dot.inside), []).append(k)
    out: list[Dot] = []
    for (_cx, _cy, inside), members in sorted(cells.items()):
        first = dots[members[0]]
        if len(members) == 1:
            out.append(first)
            continue
        e = sum(rows[k].empowerment for k in members) / len(members)
        d = sum(rows[k].desirability for k in members) / len(members)
        x = round(sum(dots[k].x for k in members) / len(members), 1)
        y = round(sum(dots[k].y for k in members) / len(members), 1)
        label = _("%(n)d people: about %(e).2f, %(d).2f") % {"n": len(members), "e": e, "d": d}
        out.append(Dot(x, y, label, inside))
    return out
