"""The treasury's services and pages: approvals, corrections, dues, statements, reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.services import grant_role
from parecon.web.treasury import selectors, services
from parecon.web.treasury.models import Account, DuesChoice, Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(make_member: Any, term: dict[str, Any]) -> Any:
    founder = make_member("Founder")
    chapter = Chapter.objects.get(geonameid=3128760)
    treasurer = make_member("Treasurer")
    member = make_member("Member")
    grant_role(founder, chapter, treasurer, "treasurer", **term)
    services.books(chapter)

    class Books:
        pass

    b = Books()
    b.chapter, b.treasurer, b.member, b.founder = chapter, treasurer, member, founder  # type: ignore[attr-defined]
    b.bank = Account.objects.get(chapter=chapter, name="Bank")  # type: ignore[attr-defined]
    b.food = Account.objects.get(chapter=chapter, name="Food for meetings")  # type: ignore[attr-defined]
    b.donations = Account.objects.get(chapter=chapter, name="Donations")  # type: ignore[attr-defined]
    return b


def _expense(b: Any, amount: str, who: Any = None, **extra: Any) -> Entry:
    return services.request_expense(
        who or b.member,
        b.chapter,
        amount=amount,
        pay_from=b.bank.pk,
        category=b.food.pk,
        purpose="Meetings",
        on=timezone.localdate(),
        description="Bread",
        **extra,
    )


def test_income_expense_and_the_books_balance(books: Any) -> None:
    services.record_income(
        books.treasurer,
        books.chapter,
        kind="donation",
        amount="100.00",
        into=books.bank.pk,
        source=books.donations.pk,
        on=timezone.localdate(),
        description="gift",
    )
    e = _expense(books, "30.50")
    assert e.status == "pending" and not e.lines.exists()
    with pytest.raises(PermissionDenied):
        services.approve_expense(books.member, e)  # not the treasurer
    services.approve_expense(books.treasurer, e)
    held = dict((a.name, v) for a, v in selectors.balances(books.chapter))
    assert held["Bank"] == Decimal("69.50") and held["Food for meetings"] == Decimal("30.50")
    assert selectors.books_balance(books.chapter) == 0
    fix = services.correct(books.treasurer, e, "paid twice")
    assert fix.corrects_id == e.pk
    held = dict((a.name, v) for a, v in selectors.balances(books.chapter))
    assert held["Bank"] == Decimal("100.00")
    with pytest.raises(ValidationError, match="already corrected"):
        services.correct(books.treasurer, e, "again")


def test_nobody_approves_their_own_and_big_ones_need_a_decision(books: Any) -> None:
    own = _expense(books, "10.00", who=books.treasurer)
    with pytest.raises(PermissionDenied, match="own"):
        services.approve_expense(books.treasurer, own)
    big = _expense(books, "500.00")
    with pytest.raises(ValidationError, match="decision"):
        services.approve_expense(books.treasurer, big)
    from parecon.web.decisions import services as decisions

    d = decisions.propose(books.member, books.chapter, decisions.Proposal(title="Buy a projector"))
    decisions.open_voting(books.member, d)
    decisions.cast(books.member, d, {"choice": "consent"})
    d = decisions.close(books.member, d)
    assert services.approve_expense(books.treasurer, big, d).status == "posted"


def test_bad_amounts_and_receipts_are_refused(books: Any) -> None:
    for bad in ("-5", "0", "abc", "1.234"):
        with pytest.raises(ValidationError):
            _expense(books, bad)
    fake = SimpleUploadedFile("../../etc/passwd.pdf", b"<html>not a receipt</html>")
    with pytest.raises(ValidationError, match="PDF or a photo"):
        _expense(books, "5.00", receipt=fake)
    assert not Entry.objects.exists()
    pdf = SimpleUploadedFile("../../x.pdf", b"%PDF-1.4 tiny")
    e = _expense(books, "5.00", receipt=pdf)
    assert e.receipt.name == f"receipts/entry-{e.pk}.pdf"


def test_statement_import_names_the_bad_line(books: Any) -> None:
    text = "date,description,amount\n2026-11-02,Dues,20.00\n2026-11-03,Printer,-12.00\n"
    made = services.import_statement(books.treasurer, books.chapter, books.bank.pk, text)
    assert len(made) == 2 and selectors.books_balance(books.chapter) == 0
    bad = "date,description,amount\n2026-11-02,Dues,20.00\n2026-13-01,Oops,1\n"
    with pytest.raises(ValidationError, match="line 3, field date"):
        services.import_statement(books.treasurer, books.chapter, books.bank.pk, bad)
    assert Entry.objects.count() == 2  # nothing of the bad file was kept
    with pytest.raises(ValidationError, match="missing columns"):
        services.import_statement(books.treasurer, books.chapter, books.bank.pk, "a,b\n1,2\n")


def test_dues_bands_are_private(books: Any, login: Any) -> None:
    from parecon.web.decisions import services as decisions

    d = decisions.propose(books.member, books.chapter, decisions.Proposal(title="Dues scale"))
    decisions.open_voting(books.member, d)
    decisions.cast(books.member, d, {"choice": "consent"})
    d = decisions.close(books.member, d)
    scale = services.set_dues_scale(
        books.member,
        books.chapter,
        [{"name": "low", "monthly": "2"}, {"name": "high", "monthly": "10"}],
        d,
    )
    services.choose_band(books.member, scale, "high")
    assert DuesChoice.objects.get(member=books.member).band == "high"
    page = (
        login(books.treasurer)
        .get(reverse("treasury:home", args=[books.chapter.slug]))
        .content.decode()
    )
    assert 'value="high" selected' not in page  # the treasurer does not see the member's band
    mine = (
        login(books.member)
        .get(reverse("treasury:home", args=[books.chapter.slug]))
        .content.decode()
    )
    assert 'value="high" selected' in mine


def test_monthly_report_page_and_pdf(books: Any, login: Any) -> None:
    services.record_income(
        books.treasurer,
        books.chapter,
        kind="donation",
        amount="40.00",
        into=books.bank.pk,
        source=books.donations.pk,
        on=timezone.localdate(),
        description="gift",
    )
    services.approve_expense(books.treasurer, _expense(books, "12.00"))
    client = login(books.member)
    page = client.get(reverse("treasury:report", args=[books.chapter.slug])).content.decode()
    main = page.split("<main", 1)[1]
    assert "Meetings" in main and "40.00" in main and "28.00" in main, main[:3000]
    pdf = client.get(reverse("treasury:report_pdf", args=[books.chapter.slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    journal = client.get(reverse("treasury:journal", args=[books.chapter.slug])).content.decode()
    assert "Bread" in journal and "gift" in journal
