"""Write cases of the treasury for the authorisation sweep."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

page_reads(
    "treasury:home",
    "treasury:report",
    "treasury:report_pdf",
    "treasury:journal",
    "treasury:budgets",
    "treasury:budget",
    "treasury:chapter_report",
    "treasury:chapter_report_pdf",
)


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
    w.decision = d
    _budgets(w)


def _budgets(w: Any) -> None:
    """An open budget where the plain member proposes, and one that fits, to adopt."""
    from parecon.web.treasury import budget_services as b

    admin, plain = w.users["admin"], w.users["plain"]
    today = timezone.localdate()

    def plan(name: str, starts: Any) -> Any:
        return b.open_budget(
            admin,
            w.chapter,
            name=name,
            starts=starts,
            ends=starts + timezone.timedelta(days=30),
            expected_income="50.00",
            lines=[b.LineSpec("Bread", "2.00", w.food.pk)],
        )

    w.budget = plan("Open budget", today + timezone.timedelta(days=400))
    w.proposer = b.add_proposer(plain, w.budget, name="Plain's group", kind="group")
    b.propose(plain, w.proposer, {"0": "3"})
    w.fitting = plan("Fitting budget", today)
    b.propose(plain, b.add_proposer(plain, w.fitting, name="Bakers", kind="group"), {"0": "5"})
    b.close_round(admin, w.fitting)


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


BUDGET_LINE = {"line-0-name": "Tea", "line-0-cost": "1.00", "line-0-unit": "pot"}


@page_write("treasury:open_budget", right="admin", wrong=KEEPER)
def _open_budget(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:open_budget", args=[w.chapter.slug]), {
        "name": "Winter",
        "starts": "2030-01-01",
        "ends": "2030-03-31",
        "expected_income": "80",
        **BUDGET_LINE,
        "line-0-account": w.food.pk,
    }


@page_write("treasury:budget_proposer", right="plain", wrong=("anonymous", "outsider"))
def _budget_proposer(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:budget_proposer", args=[w.chapter.slug, w.budget.pk]), {
        "kind": "group",
        "name": "Leafleting group",
    }


OWNER_ONLY = ("anonymous", "outsider", "admin")


@page_write("treasury:budget_propose", right="plain", wrong=OWNER_ONLY)
def _budget_propose(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:budget_propose", args=[w.chapter.slug, w.budget.pk, w.proposer.pk]), {
        "q-0": "2"
    }


@page_write("treasury:budget_close", right="admin", wrong=KEEPER)
def _budget_close(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:budget_close", args=[w.chapter.slug, w.budget.pk]), {}


@page_write("treasury:budget_adopt", right="admin", wrong=KEEPER)
def _budget_adopt(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:budget_adopt", args=[w.chapter.slug, w.fitting.pk]), {
        "decision": w.decision.pk
    }


MEMBERS = ("anonymous", "outsider")


@api_write("POST", "/api/ledger/income", right="admin", wrong=KEEPER)
def _api_income(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/ledger/income", {
        "chapter": w.chapter.slug,
        "kind": "donation",
        "amount": "3.00",
        "into": w.bank.pk,
        "source": w.donations.pk,
    }


@api_write("POST", "/api/ledger/expenses", right="plain", wrong=MEMBERS)
def _api_expense(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/ledger/expenses", {
        "chapter": w.chapter.slug,
        "amount": "3.00",
        "pay_from": w.bank.pk,
        "category": w.food.pk,
        "description": "tea",
    }


@api_write("POST", "/api/ledger/{entry_id}/approve", right="admin", wrong=KEEPER)
def _api_approve(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/ledger/{w.expense.pk}/approve", {}


@api_write("POST", "/api/ledger/{entry_id}/refuse", right="admin", wrong=KEEPER)
def _api_refuse(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/ledger/{w.expense.pk}/refuse", {"reason": "no"}


@api_write("POST", "/api/ledger/{entry_id}/correct", right="admin", wrong=KEEPER)
def _api_correct(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/ledger/{w.posted.pk}/correct", {"reason": "typo"}


@api_write("POST", "/api/ledger/statements", right="admin", wrong=KEEPER)
def _api_statement(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/ledger/statements", {
        "chapter": w.chapter.slug,
        "bank": w.bank.pk,
        "csv": "date,description,amount\n2026-11-02,Dues,20.00\n",
    }


@api_write("PUT", "/api/ledger/dues", right="plain", wrong=MEMBERS)
def _api_band(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/ledger/dues", {"chapter": w.chapter.slug, "band": "low"}


@api_write("POST", "/api/budgets", right="admin", wrong=KEEPER)
def _api_open_budget(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/budgets", {
        "chapter": w.chapter.slug,
        "name": "Winter",
        "starts": "2030-01-01",
        "ends": "2030-03-31",
        "expected_income": "80",
        "lines": [{"name": "Tea", "unit_cost": "1.00", "account": w.food.pk}],
    }


@api_write("POST", "/api/budgets/{plan_id}/proposers", right="plain", wrong=MEMBERS)
def _api_proposer(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/budgets/{w.budget.pk}/proposers", {"kind": "group", "name": "Leafleters"}


@api_write("PUT", "/api/budgets/proposers/{proposer_id}/request", right="plain", wrong=OWNER_ONLY)
def _api_propose(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/budgets/proposers/{w.proposer.pk}/request", {"quantities": {"0": "2"}}


@api_write("POST", "/api/budgets/{plan_id}/close", right="admin", wrong=KEEPER)
def _api_close(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/budgets/{w.budget.pk}/close", {}


@api_write("POST", "/api/budgets/{plan_id}/adopt", right="admin", wrong=KEEPER)
def _api_adopt(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/budgets/{w.fitting.pk}/adopt", {"decision": w.decision.pk}


@page_write("treasury:budget_put", right="admin", wrong=KEEPER)
def _budget_put(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("treasury:budget_put", args=[w.chapter.slug, w.fitting.pk]), {}


@api_write("POST", "/api/budgets/{plan_id}/decision", right="admin", wrong=KEEPER)
def _api_budget_put(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/budgets/{w.fitting.pk}/decision", {}
