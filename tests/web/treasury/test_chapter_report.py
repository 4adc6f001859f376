"""The chapter report counts what happened in its period, and the treasury's API."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from parecon.web.chapters.models import Chapter, Membership
from parecon.web.chapters.services import grant_role
from parecon.web.commons import services as commons
from parecon.web.decisions import services as decisions
from parecon.web.meetings.models import Attendance, FollowUpTask, Meeting
from parecon.web.projects.models import Project
from parecon.web.treasury import services
from parecon.web.treasury.chapter_report import chapter_report
from parecon.web.treasury.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(make_member: Any, term: dict[str, Any]) -> Any:
    """A chapter with a month of life: a meeting, a decision, a task, a need met, money."""
    founder = make_member("Founder")
    chapter = Chapter.objects.get(geonameid=3128760)
    treasurer, ana, ben = make_member("Treasurer"), make_member("Ana"), make_member("Ben")
    grant_role(founder, chapter, treasurer, "treasurer", **term)
    services.books(chapter)
    now = timezone.now()
    old = Membership.objects.get(chapter=chapter, member=founder)
    old.joined_at = now - timedelta(days=400)
    old.save()
    meeting = Meeting.objects.create(
        chapter=chapter,
        title="Monthly assembly",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3, hours=-2),
        zone="Europe/Madrid",
        created_by=founder,
    )
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in (ana, ben))
    d = decisions.propose(ana, chapter, decisions.Proposal(title="Paint the banner"))
    decisions.open_voting(ana, d)
    decisions.cast(ana, d, {"choice": "consent"})
    decisions.close(ana, d)
    project = Project.objects.create(chapter=chapter, title="Teach-in", goal="x", created_by=ana)
    FollowUpTask.objects.create(
        chapter=chapter,
        project=project,
        title="Book the room",
        due_on=timezone.localdate(),
        hours=Decimal("1.50"),
        done_at=now,
        created_by=ana,
    )
    need = commons.post(
        ana, chapter, commons.PostData(kind="need", category="lift", title="A lift")
    )
    offer = commons.post(ben, chapter, commons.PostData(kind="offer", category="lift", title="Car"))
    commons.accept(ana, need, offer)
    acc = {a.name: a.pk for a in Account.objects.filter(chapter=chapter)}
    services.record_income(
        treasurer,
        chapter,
        kind="dues",
        amount="40.00",
        into=acc["Bank"],
        source=acc["Dues"],
        on=timezone.localdate(),
        description="dues",
    )
    return chapter, treasurer, ana, ben, acc


def test_the_report_counts_the_period(lived: Any) -> None:
    chapter = lived[0]
    today = timezone.localdate()
    r = chapter_report(chapter, today - timedelta(days=30), today)
    assert (r.members, r.joined, r.left) == (4, 3, 0)  # the founder joined long before
    assert [(m.title, m.attended) for m in r.meetings] == [("Monthly assembly", 2)]
    assert [(d.title, d.outcome) for d in r.decisions] == [("Paint the banner", "adopted")]
    assert r.tasks_done == [("Teach-in", 1, Decimal("1.50"))]
    assert (r.needs_posted, r.offers_posted, r.needs_met) == (1, 1, 1)
    assert r.money.total_in == Decimal("40.00") and r.money.total_out == Decimal("0.00")
    before = chapter_report(chapter, date(2020, 1, 1), date(2020, 12, 31))
    assert (before.joined, before.meetings, before.decisions, before.needs_met) == (0, [], [], 0)
    assert before.money.total_in == 0
    with pytest.raises(ValidationError, match="ends before"):
        chapter_report(chapter, today, today - timedelta(days=1))


def _api(client: Client, method: str, path: str, body: Any = None) -> Any:
    r = client.generic(method, path, json.dumps(body or {}), content_type="application/json")
    return r.status_code, json.loads(r.content)


def test_the_treasury_through_the_api(lived: Any, login: Any) -> None:
    chapter, treasurer, ana, _ben, acc = lived
    keeper, member = login(treasurer), login(ana)
    status, entry = _api(
        member,
        "POST",
        "/api/ledger/expenses",
        {
            "chapter": chapter.slug,
            "amount": "12.00",
            "pay_from": acc["Bank"],
            "category": acc["Room"],
            "description": "room",
        },
    )
    assert status == 201 and entry["status"] == "pending" and entry["amount"] == "12.00"
    assert _api(member, "POST", f"/api/ledger/{entry['id']}/approve", {})[0] == 403
    status, entry = _api(keeper, "POST", f"/api/ledger/{entry['id']}/approve", {})
    assert status == 200 and entry["status"] == "posted"
    assert sorted(ln["amount"] for ln in entry["lines"]) == ["-12.00", "12.00"]
    status, held = _api(member, "GET", f"/api/accounts?chapter={chapter.slug}")
    assert {a["name"]: a["balance"] for a in held}["Bank"] == "28.00"
    assert (
        _api(
            member,
            "POST",
            "/api/ledger/expenses",
            {
                "chapter": chapter.slug,
                "amount": "1.234",
                "pay_from": acc["Bank"],
                "category": acc["Room"],
                "description": "x",
            },
        )[0]
        == 422
    )
    today = timezone.localdate()
    status, plan = _api(
        keeper,
        "POST",
        "/api/budgets",
        {
            "chapter": chapter.slug,
            "name": "API budget",
            "starts": (today + timedelta(days=100)).isoformat(),
            "ends": (today + timedelta(days=190)).isoformat(),
            "expected_income": "30",
            "lines": [{"name": "Room hours", "unit_cost": "10", "account": acc["Room"]}],
        },
    )
    assert status == 201 and plan["round"] == 1
    status, who = _api(member, "POST", f"/api/budgets/{plan['id']}/proposers", {"kind": "group"})
    assert status == 422 and "name" in who["detail"]
    status, who = _api(
        member, "POST", f"/api/budgets/{plan['id']}/proposers", {"kind": "group", "name": "G"}
    )
    status, plan = _api(
        member, "PUT", f"/api/budgets/proposers/{who['id']}/request", {"quantities": {"0": "2"}}
    )
    assert status == 200 and plan["requested"] == "20.00"
    status, closed = _api(keeper, "POST", f"/api/budgets/{plan['id']}/close")
    assert status == 200 and closed["fits"] and closed["demand"][0] == 20.0
    status, month = _api(
        member,
        "GET",
        f"/api/reports/monthly?chapter={chapter.slug}&year={today.year}&month={today.month}",
    )
    assert status == 200 and month["total_in"] == "40.00" and month["total_out"] == "12.00"
    since = (today - timedelta(days=30)).isoformat()
    status, report = _api(
        member, "GET", f"/api/reports/chapter?chapter={chapter.slug}&from={since}"
    )
    assert status == 200 and report["meetings"] == 1 and report["attendance"] == 2
    assert report["needs_met"] == 1 and report["money"]["total_out"] == "12.00"
    bad = f"/api/reports/chapter?chapter={chapter.slug}&from=2026-05-01&until=2026-04-01"
    assert _api(member, "GET", bad)[0] == 422
