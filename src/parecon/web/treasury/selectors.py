"""Reading the books: balances, the journal, the monthly report."""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from parecon.csv_cells import formula_safe as _cell
from parecon.web.chapters.models import Chapter
from parecon.web.treasury.ledger import CENT
from parecon.web.treasury.models import Account, Entry, Line


def _cents(value: object) -> Decimal:
    """A database sum as exact cents (SQLite's sums drop the trailing zeros)."""
    return Decimal(str(value or 0)).quantize(CENT)


def balances(chapter: Chapter, until: date | None = None) -> list[tuple[Account, Decimal]]:
    """Every account with its balance (income and equity as positive numbers)."""
    lines = Line.objects.filter(entry__chapter=chapter, entry__status=Entry.Status.POSTED)
    if until is not None:
        lines = lines.filter(entry__date__lte=until)
    sums = dict(
        lines.values("account").annotate(total=Sum("amount")).values_list("account", "total")
    )
    out = []
    for account in Account.objects.filter(chapter=chapter):
        total = _cents(sums.get(account.pk))
        out.append((account, -total if account.kind in ("income", "equity") else total))
    return out


def books_balance(chapter: Chapter) -> Decimal:
    """The sum of every posted line: zero, always."""
    total = Line.objects.filter(
        entry__chapter=chapter, entry__status=Entry.Status.POSTED
    ).aggregate(t=Sum("amount"))["t"]
    return _cents(total)


@dataclass(frozen=True)
class MonthlyReport:
    chapter: Chapter
    year: int
    month: int
    income: list[tuple[str, Decimal]]
    spending: list[tuple[str, Decimal]]
    money_held: list[tuple[str, Decimal]]
    total_in: Decimal
    total_out: Decimal


def monthly_report(chapter: Chapter, year: int, month: int) -> MonthlyReport:
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    lines = Line.objects.filter(
        entry__chapter=chapter, entry__status=Entry.Status.POSTED, entry__date__range=(first, last)
    )
    income = [
        (row["account__name"], -_cents(row["total"]))
        for row in lines.filter(account__kind="income")
        .values("account__name")
        .annotate(total=Sum("amount"))
        .order_by("account__name")
    ]
    spending = [
        (row["entry__purpose"] or row["account__name"], _cents(row["total"]))
        for row in lines.filter(account__kind="expense")
        .values("entry__purpose", "account__name")
        .annotate(total=Sum("amount"))
        .order_by("entry__purpose", "account__name")
    ]
    held = [(a.name, b) for a, b in balances(chapter, until=last) if a.kind == "asset"]
    return MonthlyReport(
        chapter,
        year,
        month,
        income,
        spending,
        held,
        sum((v for _n, v in income), Decimal("0.00")),
        sum((v for _n, v in spending), Decimal("0.00")),
    )


def journal_csv(chapter: Chapter) -> str:
    """Every posted line as CSV, for the books."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["entry", "date", "kind", "description", "purpose", "account", "debit", "credit"])
    for line in (
        Line.objects.filter(entry__chapter=chapter, entry__status=Entry.Status.POSTED)
        .select_related("entry", "account")
        .order_by("entry__date", "entry_id", "id")
    ):
        e = line.entry
        w.writerow(
            [
                e.pk,
                e.date.isoformat(),
                e.kind,
                _cell(e.description),
                _cell(e.purpose),
                line.account.name,
                line.amount if line.amount > 0 else "",
                -line.amount if line.amount < 0 else "",
            ]
        )
    return out.getvalue()
