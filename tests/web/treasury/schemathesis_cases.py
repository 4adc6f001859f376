"""Real objects for schemathesis' calls to the treasury's API, so generated calls succeed.

The admin whose token the run uses is made treasurer; each call that changes an entry
or a budget gets a fresh one (an approved expense cannot be approved twice, and
adopted budgets may not overlap, so each adopted one gets a year of its own).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

PREFIXES = ("/api/accounts", "/api/ledger", "/api/budgets", "/api/reports")
_YEARS = count(2100)


def prepare(real: dict[str, Any], admin: Any, plain: Any, chapter: Any) -> None:
    from parecon.web.chapters.services import grant_role
    from parecon.web.decisions import services as decisions
    from parecon.web.treasury import services
    from parecon.web.treasury.models import Account

    now = timezone.now()
    grant_role(admin, chapter, admin, "treasurer", starts_at=now, ends_at=now + timedelta(days=9))
    services.books(chapter)
    acc = {a.name: a.pk for a in Account.objects.filter(chapter=chapter)}
    d = decisions.propose(admin, chapter, decisions.Proposal(title="Treasury schema"))
    decisions.open_voting(admin, d)
    decisions.cast(admin, d, {"choice": "consent"})
    d = decisions.close(admin, d)
    services.set_dues_scale(admin, chapter, [{"name": "low", "monthly": "2"}], d)
    real["treasury"] = {
        "admin": admin,
        "plain": plain,
        "chapter": chapter,
        "acc": acc,
        "decision": d.pk,
    }


def _pending(t: dict[str, Any]) -> int:
    from parecon.web.treasury import services

    return services.request_expense(
        t["plain"],
        t["chapter"],
        amount="2.00",
        pay_from=t["acc"]["Bank"],
        category=t["acc"]["Food for meetings"],
        purpose="",
        on=timezone.localdate(),
        description="bread",
    ).pk


def _posted(t: dict[str, Any]) -> int:
    from parecon.web.treasury import services

    return services.record_income(
        t["admin"],
        t["chapter"],
        kind="donation",
        amount="2.00",
        into=t["acc"]["Bank"],
        source=t["acc"]["Donations"],
        on=timezone.localdate(),
        description="gift",
    ).pk


def _plan(t: dict[str, Any], *, fitting: bool = False) -> Any:
    from parecon.web.treasury import budget_services as b

    year = next(_YEARS)
    plan = b.open_budget(
        t["admin"],
        t["chapter"],
        name=f"Schema {year}",
        starts=date(year, 1, 1),
        ends=date(year, 3, 31),
        expected_income="50.00",
        lines=[b.LineSpec("Bread", "2.00", t["acc"]["Food for meetings"])],
    )
    proposer = b.add_proposer(t["admin"], plan, name="Schema group", kind="group")
    b.propose(t["admin"], proposer, {"0": "3"})
    if fitting:
        b.close_round(t["admin"], plan)
    return plan


def map_case(case: Any, real: dict[str, Any]) -> None:
    path = case.operation.path
    if "treasury" not in real or not path.startswith(PREFIXES):
        return
    t = real["treasury"]
    acc = t["acc"]
    params = case.path_parameters or {}
    body = case.body if isinstance(case.body, dict) else None
    if isinstance(case.query, dict):
        case.query.pop("from", None)
        case.query.pop("until", None)
    if "entry_id" in params:
        params["entry_id"] = _posted(t) if path.endswith("/correct") else _pending(t)
    if "plan_id" in params:
        params["plan_id"] = _plan(t, fitting=path.endswith(("/adopt", "/decision"))).pk
    if "proposer_id" in params:
        params["proposer_id"] = _plan(t).proposers.get().pk
    if body is None:
        return
    if path == "/api/ledger/income":
        body.update(kind="donation", amount="3.00", into=acc["Bank"], source=acc["Donations"])
    if path == "/api/ledger/expenses":
        body.update(amount="3.00", pay_from=acc["Bank"], category=acc["Food for meetings"])
        body["description"] = "tea"
    if path.endswith("/approve"):
        body["decision"] = None
    if "reason" in body:
        body["reason"] = "schema"
    if path == "/api/ledger/statements":
        body.update(bank=acc["Bank"], csv="date,description,amount\n2026-11-02,Dues,20.00\n")
    if path == "/api/ledger/dues":
        body["band"] = "low"
    if path == "/api/budgets":
        year = next(_YEARS)
        body.update(name="Schema budget", starts=f"{year}-01-01", ends=f"{year}-06-30")
        body.update(expected_income="40", tolerance=0.03, max_rounds=5)
        body["lines"] = [{"name": "Tea", "unit_cost": "1.00", "account": acc["Room"]}]
    if path.endswith("/proposers"):
        body.update(kind="group", name=f"Group {next(_YEARS)}", project=None, need=None)
    if path.endswith("/request"):
        body.update(quantities={"0": "1"}, contribution="0")
    if path.endswith("/adopt"):
        body["decision"] = t["decision"]
