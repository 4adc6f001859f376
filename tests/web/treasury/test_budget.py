"""The participatory chapter budget: rounds on the planning board until the requests
fit the expected income, adoption by decision, spending checked against the lines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.services import grant_role
from parecon.web.commons import services as commons
from parecon.web.decisions import services as decisions
from parecon.web.treasury import budget_selectors, budget_services, budgeting, services
from parecon.web.treasury.models import Account, BudgetPlan, Proposer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member: Any, term: dict[str, Any]) -> Any:
    founder = make_member("Founder")
    chapter = Chapter.objects.get(geonameid=3128760)
    treasurer, ana, ben = make_member("Treasurer"), make_member("Ana"), make_member("Ben")
    grant_role(founder, chapter, treasurer, "treasurer", **term)
    services.books(chapter)

    class W:
        pass

    w: Any = W()
    w.chapter, w.treasurer, w.ana, w.ben, w.founder = chapter, treasurer, ana, ben, founder
    w.acc = {a.name: a for a in Account.objects.filter(chapter=chapter)}
    return w


def _open(w: Any, income: str = "1000.00") -> BudgetPlan:
    today = timezone.localdate()
    return budget_services.open_budget(
        w.treasurer,
        w.chapter,
        name="Next quarter",
        starts=today,
        ends=today + timedelta(days=90),
        expected_income=income,
        lines=[
            budget_services.LineSpec("Room hours", "10.00", w.acc["Room"].pk, "hour", "40"),
            budget_services.LineSpec("Leaflets", "0.10", w.acc["Leaflets and materials"].pk),
            budget_services.LineSpec("Meeting food", "5.00", w.acc["Food for meetings"].pk),
            budget_services.LineSpec("Regional trip", "60.00", w.acc["Travel"].pk, "trip"),
        ],
    )


def _adopted_decision(w: Any, title: str = "Adopt the budget") -> Any:
    d = decisions.propose(w.ana, w.chapter, decisions.Proposal(title=title))
    decisions.open_voting(w.ana, d)
    decisions.cast(w.ana, d, {"choice": "consent"})
    return decisions.close(w.ana, d)


BOTS = (
    budgeting.BotProposer({0: Decimal(20), 1: Decimal(1000), 2: Decimal(6), 3: Decimal(2)}, 500),
    budgeting.BotProposer({0: Decimal(20), 1: Decimal(3000), 2: Decimal(6), 3: Decimal(3)}, 500),
    budgeting.BotProposer({0: Decimal(10), 2: Decimal(6), 3: Decimal(4)}, 500),
)


def test_a_budget_planned_with_bots_converges_to_fit_the_income(world: Any) -> None:
    plan = _open(world)
    lines = list(plan.lines.all())
    proposers = [
        budget_services.add_proposer(world.ana, plan, name=f"Group {i}", kind="group")
        for i in range(3)
    ]
    first_demand = None
    n = 0
    while n < plan.max_rounds:
        n += 1
        current = plan.rounds.get(closed_at__isnull=True)
        for bot, proposer in zip(BOTS, proposers, strict=True):
            q = bot.respond(lines, current.prices)
            budget_services.propose(world.ana, proposer, {str(i): str(v) for i, v in q.items()})
        closed = budget_services.close_round(world.treasurer, plan)
        first_demand = first_demand or closed.demand[0]
        if closed.fits:
            break
    assert closed.fits and 2 < n < 12, n
    assert first_demand > 1300  # the first requests were well over the income
    assert closed.demand[0] <= 1000 * 1.03 and closed.prices[0] > 1.0  # money became dearer
    assert not plan.rounds.filter(closed_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="adopted decision"):
        budget_services.adopt(
            world.treasurer,
            plan,
            decisions.propose(world.ana, world.chapter, decisions.Proposal(title="not voted")),
        )
    with pytest.raises(PermissionDenied):
        budget_services.adopt(world.ana, plan, _adopted_decision(world))
    plan = budget_services.adopt(world.treasurer, plan, _adopted_decision(world))
    amounts = {ln.name: ln.amount for ln in plan.lines.all()}
    assert sum(amounts.values()) <= Decimal("1030.00") and amounts["Room hours"] > 0
    assert budget_selectors.adopted_budget(world.chapter, timezone.localdate()) == plan


def test_spending_shows_against_the_budget_and_beyond_it_needs_a_decision(world: Any) -> None:
    plan = _open(world, income="100.00")
    p = budget_services.add_proposer(world.ana, plan, name="Meetings", kind="group")
    budget_services.propose(world.ana, p, {"2": "4"}, "0")  # 4 meals at 5.00
    assert budget_services.close_round(world.treasurer, plan).fits
    budget_services.adopt(world.treasurer, plan, _adopted_decision(world))
    food = world.acc["Food for meetings"]

    def ask(amount: str) -> Any:
        return services.request_expense(
            world.ben,
            world.chapter,
            amount=amount,
            pay_from=world.acc["Bank"].pk,
            category=food.pk,
            purpose="Meetings",
            on=timezone.localdate(),
            description="Bread",
        )

    services.approve_expense(world.treasurer, ask("15.00"))
    rows = {r.account.name: r for r in budget_selectors.against_budget(plan)}
    assert rows["Food for meetings"].budgeted == Decimal("20.00")
    assert rows["Food for meetings"].left == Decimal("5.00")
    over = ask("6.00")
    with pytest.raises(ValidationError, match="5.00 left for Food for meetings"):
        services.approve_expense(world.treasurer, over)
    services.approve_expense(world.treasurer, over, _adopted_decision(world, "More bread"))
    travel = services.request_expense(
        world.ben,
        world.chapter,
        amount="1.00",
        pay_from=world.acc["Bank"].pk,
        category=world.acc["Mutual aid"].pk,
        purpose="",
        on=timezone.localdate(),
        description="x",
    )
    with pytest.raises(ValidationError, match="0.00 left for Mutual aid"):
        services.approve_expense(world.treasurer, travel)  # no line: unbudgeted
    # Outside the budget's period the old rule holds.
    later = services.request_expense(
        world.ben,
        world.chapter,
        amount="1.00",
        pay_from=world.acc["Bank"].pk,
        category=food.pk,
        purpose="",
        on=timezone.localdate() + timedelta(days=200),
        description="later",
    )
    services.approve_expense(world.treasurer, later)


def test_who_may_do_what_and_bad_input(world: Any, make_member: Any) -> None:
    with pytest.raises(PermissionDenied):
        budget_services.open_budget(
            world.ana,
            world.chapter,
            name="x",
            starts=date(2027, 1, 1),
            ends=date(2027, 3, 31),
            expected_income="10",
            lines=[budget_services.LineSpec("a", "1", world.acc["Room"].pk)],
        )
    with pytest.raises(ValidationError, match="line 1"):
        budget_services.open_budget(
            world.treasurer,
            world.chapter,
            name="x",
            starts=date(2027, 1, 1),
            ends=date(2027, 3, 31),
            expected_income="10",
            lines=[budget_services.LineSpec("a", "1", world.acc["Bank"].pk)],  # not spending
        )
    assert not BudgetPlan.objects.exists()
    plan = _open(world)
    p = budget_services.add_proposer(world.ana, plan, name="Group", kind="group")
    with pytest.raises(PermissionDenied):
        budget_services.propose(world.ben, p, {"0": "1"})
    with pytest.raises(ValidationError, match="Leaflets"):
        budget_services.propose(world.ana, p, {"1": "-3"})
    with pytest.raises(ValidationError, match="No line 9"):
        budget_services.propose(world.ana, p, {"9": "1"})
    with pytest.raises(ValidationError, match="Nobody"):
        budget_services.close_round(world.treasurer, plan)
    with pytest.raises(PermissionDenied):
        budget_services.close_round(world.ana, plan)


def test_a_need_from_the_needs_board_proposes_for_its_member(world: Any) -> None:
    need = commons.post(
        world.ana, world.chapter, commons.PostData(kind="need", category="goods", title="A pass")
    )
    plan = _open(world)
    with pytest.raises(PermissionDenied):
        budget_services.add_proposer(world.ben, plan, name="", kind="need", need=need.pk)
    p = budget_services.add_proposer(world.ana, plan, name="", kind="need", need=need.pk)
    assert p.name == "A pass" and p.kind == Proposer.Kind.NEED


def test_a_budget_put_to_the_chapter_is_ratified_by_that_decision(world: Any) -> None:
    plan = _open(world, income="100.00")
    p = budget_services.add_proposer(world.ana, plan, name="Meetings", kind="group")
    budget_services.propose(world.ana, p, {"2": "4"})
    with pytest.raises(ValidationError, match="fit"):
        budget_services.put_to_chapter(world.treasurer, plan)  # the round is still open
    budget_services.close_round(world.treasurer, plan)
    with pytest.raises(PermissionDenied):
        budget_services.put_to_chapter(world.ana, plan)
    d = budget_services.put_to_chapter(world.treasurer, plan)
    assert "Meeting food: 20.00" in d.body and d.chapter == world.chapter
    with pytest.raises(ValidationError, match="already before"):
        budget_services.put_to_chapter(world.treasurer, plan)
    with pytest.raises(ValidationError, match="the decision it was put to"):
        budget_services.adopt(world.treasurer, plan, _adopted_decision(world))
    with pytest.raises(ValidationError, match="adopted decision"):
        budget_services.adopt(world.treasurer, plan, d)  # not voted yet
    decisions.open_voting(world.treasurer, d)  # who proposed it opens the vote
    decisions.cast(world.ana, d, {"choice": "consent"})
    d = decisions.close(world.treasurer, d)
    assert budget_services.adopt(world.treasurer, plan, d).status == "adopted"
