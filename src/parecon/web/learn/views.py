"""Learn pages: public reads (no login), the introduction as HTML and PDF, explainers."""

from __future__ import annotations

import math
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parecon.web.learn import selectors

Document = Literal["summary", "guide"]
TEXT_LANGUAGES = ("en", "es")


def text_language() -> str:
    """The request's language if the introduction is written in it, else English."""
    lang = (get_language() or "en")[:2]
    return lang if lang in TEXT_LANGUAGES else "en"


def document_context(kind: Document) -> dict[str, object]:
    lang = text_language()
    return {
        "kind": kind,
        "document": f"learn/{lang}/{kind}.html",
        "readings": f"learn/{lang}/readings.html",
        "figure": selectors.planning_figure(),
        "rules": {run.rule: run for run in selectors.rule_comparison()},
        "rules_svg": rules_svg(),
    }


def rules_svg() -> str:
    """Figure 2: rounds each price rule took (built by learn.charts, every text escaped)."""
    from django.utils.safestring import mark_safe

    from parecon.web.learn.charts import bars_svg

    runs = selectors.rule_comparison()
    labels = [_("Pequod's rule") if r.rule == "pequod" else _("default rule") for r in runs]
    title = _("Rounds to a feasible plan (tolerance 0.03), same economy and opening prices")
    return mark_safe(bars_svg(labels, [float(r.rounds) for r in runs], title, decimals=0))


def document_html(request: HttpRequest, kind: Document) -> str:
    """The stand-alone HTML the PDF is printed from (its own print stylesheet)."""
    return render_to_string("learn/print.html", document_context(kind), request=request)


def _pdf(request: HttpRequest, kind: Document) -> HttpResponse:
    from weasyprint import HTML

    html = document_html(request, kind)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"parecon-{kind}-{text_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def index(request: HttpRequest) -> HttpResponse:
    """The Learn page, with links to start a game in the visitor's chapters."""
    from parecon.web.chapters.models import Chapter, Membership

    chapters: list[Chapter] = []
    if request.user.is_authenticated:
        ids = Membership.objects.active().filter(member=request.user).values("chapter_id")
        chapters = list(Chapter.objects.filter(pk__in=ids).order_by("name"))
    return render(request, f"learn/{text_language()}/index.html", {"chapters": chapters})


def summary(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/document.html", document_context("summary"))


def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/document.html", document_context("guide"))


def summary_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "summary")


def guide_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "guide")


def parse_prices(request: HttpRequest) -> tuple[list[float], list[str]]:
    """The reader's prices (``p0``, ``p1``, …), defaulting to the economy's opening prices.

    Returns the prices and one located error per unreadable field; a field in
    error keeps its opening price so the page still shows an answer.
    """
    economy = selectors.tiny_economy()
    prices = [float(p) for p in economy.initial_prices]
    errors: list[str] = []
    for i, name in enumerate(economy.goods.names):
        raw = request.GET.get(f"p{i}", "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 < value <= 1e9):
            errors.append(
                _("Price of %(good)s: %(value)s is not a positive number up to 1,000,000,000.")
                % {"good": name, "value": raw[:40]}
            )
            continue
        prices[i] = value
    return prices, errors


def planning(request: HttpRequest) -> HttpResponse:
    """Participatory planning by hand: the reader announces prices, the councils answer."""
    prices, errors = parse_prices(request)
    market = selectors.market_at(prices)
    economy = selectors.tiny_economy()
    return render(
        request,
        "learn/planning.html",
        {
            "market": market,
            "errors": errors,
            "tolerance": selectors.FIGURE_TOLERANCE,
            "opening": float(economy.initial_prices[0]),
            "n_consumers": selectors.EXPLAINER_SPEC.n_consumers,
            "n_workers": selectors.EXPLAINER_SPEC.n_workers,
        },
        status=422 if errors else 200,
    )
