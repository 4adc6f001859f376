"""Treasury pages: the open books, requests and approvals, the monthly report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.decisions.models import Decision
from parecon.web.members.models import Member
from parecon.web.site.outcomes import attempt_then_redirect
from parecon.web.treasury import budget_selectors, selectors, services
from parecon.web.treasury.chapter_report import ChapterReport, check_period, default_period
from parecon.web.treasury.chapter_report import chapter_report as build_chapter_report
from parecon.web.treasury.models import Account, DuesChoice, DuesScale, Entry


def _me(request: HttpRequest) -> Member:
    user = request.user
    assert isinstance(user, Member)
    return user


def _chapter(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    services.books(chapter)
    return chapter


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError as exc:
        raise ValidationError({"date": _("Not a date: %(v)s") % {"v": text}}) from exc


def _done(
    request: HttpRequest, slug: str, action: Callable[[], object], message: str
) -> HttpResponse:
    return attempt_then_redirect(request, reverse("treasury:home", args=[slug]), action, message)


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    me = _me(request)
    scale = DuesScale.objects.filter(chapter=chapter).first()
    budget = budget_selectors.adopted_budget(chapter, timezone.localdate())
    return render(
        request,
        "treasury/home.html",
        {
            "chapter": chapter,
            "balances": selectors.balances(chapter),
            "entries": Entry.objects.filter(chapter=chapter).select_related(
                "created_by", "approved_by"
            )[:100],
            "pending": Entry.objects.filter(chapter=chapter, status=Entry.Status.PENDING),
            "treasurer": services.may_keep_books(me, chapter),
            "assets": Account.objects.filter(chapter=chapter, kind="asset"),
            "incomes": Account.objects.filter(chapter=chapter, kind="income"),
            "expenses": Account.objects.filter(chapter=chapter, kind="expense"),
            "decisions": Decision.objects.filter(chapter=chapter, status="closed"),
            "limit": services.books(chapter).decision_limit,
            "scale": scale,
            "my_band": DuesChoice.objects.filter(scale=scale, member=me).first() if scale else None,
            "today": timezone.localdate(),
            "in_balance": selectors.books_balance(chapter) == 0,
            "budget": budget,
            "against": budget_selectors.against_budget(budget) if budget else [],
        },
    )


@require_POST
@login_required
def income(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    p = request.POST
    return _done(
        request,
        slug,
        lambda: services.record_income(
            _me(request),
            chapter,
            kind=p.get("kind", ""),
            amount=p.get("amount", ""),
            into=p.get("into", "0"),
            source=p.get("source", "0"),
            on=_day(p.get("date", "")),
            description=p.get("description", ""),
        ),
        _("Income recorded."),
    )


@require_POST
@login_required
def expense(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    p = request.POST
    return _done(
        request,
        slug,
        lambda: services.request_expense(
            _me(request),
            chapter,
            amount=p.get("amount", ""),
            pay_from=p.get("pay_from", "0"),
            category=p.get("category", "0"),
            purpose=p.get("purpose", ""),
            on=_day(p.get("date", "")),
            description=p.get("description", ""),
            receipt=request.FILES.get("receipt"),
        ),
        _("Your request waits for the treasurer's approval."),
    )


@require_POST
@login_required
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    entry = get_object_or_404(Entry, pk=pk, chapter=chapter)
    raw = request.POST.get("decision", "")
    decision = Decision.objects.filter(pk=raw, chapter=chapter).first() if raw.isdigit() else None
    return _done(
        request,
        slug,
        lambda: services.approve_expense(_me(request), entry, decision),
        _("Approved and in the books."),
    )


@require_POST
@login_required
def refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    entry = get_object_or_404(Entry, pk=pk, chapter=chapter)
    return _done(
        request,
        slug,
        lambda: services.refuse_expense(_me(request), entry, request.POST.get("reason", "")),
        _("Refused."),
    )


@require_POST
@login_required
def correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    entry = get_object_or_404(Entry, pk=pk, chapter=chapter)
    return _done(
        request,
        slug,
        lambda: services.correct(_me(request), entry, request.POST.get("reason", "")),
        _("Corrected by a reversing entry."),
    )


@require_POST
@login_required
def band(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    scale = DuesScale.objects.filter(chapter=chapter).first()
    if scale is None:
        raise Http404
    return _done(
        request,
        slug,
        lambda: services.choose_band(_me(request), scale, request.POST.get("band", "")),
        _("Your band is saved; only you can see it."),
    )


@require_POST
@login_required
def statement(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    upload = request.FILES.get("statement")

    def run() -> None:
        if upload is None:
            raise ValidationError(_("Choose a CSV file."))
        try:
            text = upload.read(2_000_000).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The statement is not UTF-8 text.")) from exc
        services.import_statement(
            _me(request), chapter, request.POST.get("bank", "0"), text, "statement.csv"
        )

    return _done(request, slug, run, _("Statement imported."))


def _report(request: HttpRequest, slug: str) -> selectors.MonthlyReport:
    chapter = _chapter(request, slug)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    return selectors.monthly_report(chapter, year, month)


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "treasury/report.html", {"report": _report(request, slug)})


@login_required
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from weasyprint import HTML

    r = _report(request, slug)
    html = render_to_string(
        "treasury/report.html", {"report": r, "printing": True}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="treasury-{r.year}-{r.month:02d}.pdf"'
    return response


@login_required
def journal(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    response = HttpResponse(selectors.journal_csv(chapter), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal.csv"'
    return response


def _period(request: HttpRequest) -> tuple[date, date]:
    """The report's period from ``?from=&until=`` (the quarter so far by default); a
    bad one is said once and the default shown."""
    first, last = default_period(timezone.localdate())
    try:
        if request.GET.get("from"):
            first = date.fromisoformat(request.GET["from"])
        if request.GET.get("until"):
            last = date.fromisoformat(request.GET["until"])
        check_period(first, last)
    except ValueError:
        messages.error(request, _("from/until: a date is written YYYY-MM-DD."))
        return default_period(timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return default_period(timezone.localdate())
    return first, last


def _chapter_report(request: HttpRequest, slug: str) -> ChapterReport:
    chapter = _chapter(request, slug)
    first, last = _period(request)
    return build_chapter_report(chapter, first, last)


@login_required
def chapter_report(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "treasury/chapter_report.html", {"report": _chapter_report(request, slug)}
    )


@login_required
def chapter_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from weasyprint import HTML

    r = _chapter_report(request, slug)
    html = render_to_string(
        "treasury/chapter_report.html", {"report": r, "printing": True}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="chapter-report-{r.first}-{r.last}.pdf"'
    )
    return response
