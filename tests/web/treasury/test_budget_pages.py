"""Budget and chapter-report pages, and their PDF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.services import grant_role
from parecon.web.treasury import services
from parecon.web.treasury.models import Account, BudgetPlan, Proposer

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_member: Any, term: dict[str, Any], client: Any) -> Any:
    founder = make_member("Founder")
    chapter = Chapter.objects.get(geonameid=3128760)
    treasurer, ana = make_member("Treasurer"), make_member("Ana")
    grant_role(founder, chapter, treasurer, "treasurer", **term)
    services.books(chapter)
    return chapter, treasurer, ana


def test_open_propose_close_on_the_pages(site: Any, client: Any) -> None:
    chapter, treasurer, ana = site
    room = Account.objects.get(chapter=chapter, name="Room")
    today = timezone.localdate()
    client.force_login(treasurer)
    r = client.post(
        reverse("treasury:open_budget", args=[chapter.slug]),
        {
            "name": "Spring",
            "starts": today.isoformat(),
            "ends": (today + timedelta(days=60)).isoformat(),
            "expected_income": "100",
            "line-0-name": "Room hours",
            "line-0-cost": "10",
            "line-0-unit": "hour",
            "line-0-capacity": "8",
            "line-0-account": room.pk,
        },
    )
    plan = BudgetPlan.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/budgets/{plan.pk}/")
    client.force_login(ana)
    client.post(
        reverse("treasury:budget_proposer", args=[chapter.slug, plan.pk]),
        {"kind": "group", "name": "Study group"},
    )
    who = Proposer.objects.get()
    client.post(
        reverse("treasury:budget_propose", args=[chapter.slug, plan.pk, who.pk]),
        {"q-0": "12"},  # 120 of 100, and 12 hours of 8
    )
    page = client.get(reverse("treasury:budget", args=[chapter.slug, plan.pk])).content.decode()
    assert "Study group" in page and "120.00" in page
    client.force_login(treasurer)
    client.post(reverse("treasury:budget_close", args=[chapter.slug, plan.pk]))
    assert plan.rounds.count() == 2 and not plan.rounds.get(number=1).fits
    page = client.get(reverse("treasury:budget", args=[chapter.slug, plan.pk])).content.decode()
    assert "Round 2 is open" in page


def test_bad_budget_form_says_where(site: Any, client: Any) -> None:
    chapter, treasurer, _ana = site
    client.force_login(treasurer)
    r = client.post(
        reverse("treasury:open_budget", args=[chapter.slug]),
        {"name": "x", "starts": "2027-01-01", "ends": "2027-13-01", "expected_income": "1"},
        follow=True,
    )
    assert "Not a date: 2027-13-01" in r.content.decode()
    assert not BudgetPlan.objects.exists()


def test_chapter_report_page_and_pdf(site: Any, client: Any) -> None:
    chapter, _treasurer, ana = site
    client.force_login(ana)
    url = reverse("treasury:chapter_report", args=[chapter.slug])
    page = client.get(url).content.decode()
    assert "members at the end of the period" in page
    bad = client.get(url + "?from=2026-02-30").content.decode()
    assert "a date is written YYYY-MM-DD" in bad
    pdf = client.get(reverse("treasury:chapter_report_pdf", args=[chapter.slug]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_treasury_page_shows_spending_against_the_adopted_budget(
    site: Any, client: Any
) -> None:
    from parecon.web.decisions import services as decisions
    from parecon.web.treasury import budget_services

    chapter, treasurer, ana = site
    food = Account.objects.get(chapter=chapter, name="Food for meetings")
    today = timezone.localdate()
    plan = budget_services.open_budget(
        treasurer,
        chapter,
        name="Now",
        starts=today,
        ends=today + timedelta(days=30),
        expected_income="50",
        lines=[budget_services.LineSpec("Bread", "2.00", food.pk)],
    )
    who = budget_services.add_proposer(ana, plan, name="Bakers", kind="group")
    budget_services.propose(ana, who, {"0": "5"})
    budget_services.close_round(treasurer, plan)
    d = decisions.propose(ana, chapter, decisions.Proposal(title="Adopt"))
    decisions.open_voting(ana, d)
    decisions.cast(ana, d, {"choice": "consent"})
    budget_services.adopt(treasurer, plan, decisions.close(ana, d))
    client.force_login(ana)
    page = client.get(reverse("treasury:home", args=[chapter.slug])).content.decode()
    assert 'id="against-budget"' in page and "Food for meetings" in page and "10.00" in page
