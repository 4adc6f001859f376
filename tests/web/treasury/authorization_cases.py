"""Write cases of the treasury for the authorisation sweep."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import WORLD_HOOKS, page_reads, page_write

page_reads("treasury:home", "treasury:report", "treasury:report_pdf", "treasury:journal")


def _books(w: Any) -> None:
    from parecon.web.treasury import services
    from parecon.web.treasury.models import Account

    services.books(w.chapter)
    w.bank = Account.objects.get(chapter=w.chapter, name="Bank")
    w.food = Account.objects.get(chapter=w.chapter, name="Food for meetings")
    w.donations = Account.objects.get(chapter=w.chapter, name="Donations")
    # The founding admin is the treasurer; the plain member asks for money.
    from parecon.web.chapters.services import grant_role

    now = timezone.now()
    grant_role(
        w.users["admin"],
        w.chapter,
        w.users["admin"],
        "treasurer",
        starts_at=now,
        ends_at=now + timezone.timedelta(days=9),
    )
    w.expense = services.request_expense(
        w.users["plain"],
        w.chapter,
        amount="5.00",
        pay_from=w.bank.pk,
        category=w.food.pk,
        purpose="",
        on=timezone.localdate(),
        description="bread",
    )
    w.posted = services.record_income(
        w.users["admin"],
        w.chapter,
        kind="donation",
        amount="9.00",
        into=w.bank.pk,
        source=w.donations.pk,
        on=timezone.localdate(),
        description="gift",
    )

    from parecon.web.decisions import services as decisions

    d = decisions.propose(w.users["admin"], w.chapter, decisions.Proposal(title="dues"))
    decisions.open_voting(w.users["admin"], d)
    decisions.cast(w.users["admin"], d, {"choice": "consent"})
    d = decisions.close(w.users["admin"], d)
    services.set_dues_scale(w.users["admin"], w.chapter, [{"name": "low", "monthly": "2"}], d)


WORLD_HOOKS.append(_books)


@page_write("treasury:band", right="plain", wrong=("anonymous", "outsider"))
def _band(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:band", args=[w.chapter.slug]), {"band": "low"}


KEEPER = ("anonymous", "outsider", "plain")


@page_write("treasury:income", right="admin", wrong=KEEPER)
def _income(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:income", args=[w.chapter.slug]), {
        "kind": "donation",
        "amount": "3.00",
        "into": w.bank.pk,
        "source": w.donations.pk,
        "description": "x",
    }


@page_write("treasury:expense", right="plain", wrong=("anonymous", "outsider"))
def _expense(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:expense", args=[w.chapter.slug]), {
        "amount": "3.00",
        "pay_from": w.bank.pk,
        "category": w.food.pk,
        "description": "tea",
    }


@page_write("treasury:approve", right="admin", wrong=KEEPER)
def _approve(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:approve", args=[w.chapter.slug, w.expense.pk]), {}


@page_write("treasury:refuse", right="admin", wrong=KEEPER)
def _refuse(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:refuse", args=[w.chapter.slug, w.expense.pk]), {"reason": "no"}


@page_write("treasury:correct", right="admin", wrong=KEEPER)
def _correct(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:correct", args=[w.chapter.slug, w.posted.pk]), {"reason": "typo"}


@page_write("treasury:statement", right="admin", wrong=KEEPER)
def _statement(w: Any) -> tuple[str, dict[str, Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"date,description,amount\n2026-11-02,Dues,20.00\n"
    return reverse("treasury:statement", args=[w.chapter.slug]), {
        "bank": w.bank.pk,
        "statement": SimpleUploadedFile("s.csv", csv, content_type="text/csv"),
    }
