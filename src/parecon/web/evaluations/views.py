"""Evaluation pages: the library, rating, comparing, the one-page summary (HTML, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.evaluations import selectors, services
from parecon.web.evaluations.models import Evaluation, Kind, Rating
from parecon.web.evaluations.values import VALUES
from parecon.web.site.outcomes import error_text

MAX_COMPARED = 6


@login_required
def library(request: HttpRequest) -> HttpResponse:
    mine = Chapter.objects.filter(
        memberships__member_id=request.user.pk or 0, memberships__left_at__isnull=True
    )
    return render(
        request,
        "evaluations/library.html",
        {
            "evaluations": Evaluation.objects.select_related("chapter", "forked_from")[:300],
            "my_chapters": mine,
            "kinds": Kind.choices,
        },
    )


@require_POST
@login_required
def new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    try:
        e = services.create_evaluation(
            request.user,
            chapter,
            institution=request.POST.get("institution", ""),
            kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("evaluations:library")
    return redirect("evaluations:detail", pk=e.pk)


def _context(e: Evaluation) -> dict[str, object]:
    return {
        "evaluation": e,
        "summary": selectors.summary(e),
        "raters": selectors.raters(e),
        "chart": selectors.chart([e]),
        "evidence": Rating.objects.filter(evaluation=e).exclude(evidence="").order_by("value"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Evaluation.objects.select_related("chapter", "forked_from"), pk=pk)
    context = _context(e)
    can_rate = permissions.is_member(request.user, e.chapter)
    mine = {r.value: r for r in Rating.objects.filter(evaluation=e, member=request.user)}  # type: ignore[misc]
    context.update(
        {
            "can_rate": can_rate,
            "form_values": [(v, mine.get(v.key)) for v in VALUES],
            "scores": range(11),
            "fork_chapters": Chapter.objects.filter(
                memberships__member_id=request.user.pk or 0, memberships__left_at__isnull=True
            ).exclude(pk=e.chapter_id),
        }
    )
    return render(request, "evaluations/detail.html", context)


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Evaluation, pk=pk)
    p = request.POST
    ratings = {
        v.key: (p.get(f"score-{v.key}", ""), p.get(f"evidence-{v.key}", ""))
        for v in VALUES
        if p.get(f"score-{v.key}", "") != ""
    }
    try:
        services.rate(request.user, e, ratings)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("evaluations:detail", pk=pk)


@require_POST
@login_required
def fork(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Evaluation, pk=pk)
    chapter = get_object_or_404(Chapter, slug=request.POST.get("chapter", ""))
    copy = services.fork(request.user, e, chapter)
    return redirect("evaluations:detail", pk=copy.pk)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdigit()][:MAX_COMPARED]
    found = {e.pk: e for e in Evaluation.objects.filter(pk__in=ids).select_related("chapter")}
    chosen = [found[i] for i in ids if i in found]
    return render(
        request,
        "evaluations/compare.html",
        {
            "chosen": chosen,
            "chart": selectors.chart(chosen) if chosen else None,
            "table": [(e, selectors.summary(e)) for e in chosen],
            "all": Evaluation.objects.select_related("chapter")[:300],
            "ids": ids,
        },
    )


@require_GET
@login_required
def summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Evaluation.objects.select_related("chapter"), pk=pk)
    return render(request, "evaluations/summary.html", _context(e))


@require_GET
@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same summary as a one-page PDF (WeasyPrint, imported only here)."""
    e = get_object_or_404(Evaluation.objects.select_related("chapter"), pk=pk)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # pragma: no cover - WeasyPrint or Pango missing
        raise Http404("PDF rendering is not installed on this server") from None
    html = render_to_string("evaluations/summary_pdf.html", _context(e), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{e.pk}.pdf"'
    return response
