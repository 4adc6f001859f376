"""The demo's treasury: dues on a scale set by decision, a donation, an approved expense."""

from __future__ import annotations

from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.decisions import services as decisions
from parecon.web.members.models import Member
from parecon.web.treasury import services
from parecon.web.treasury.models import Account


def demo_step(people: dict[str, Member]) -> None:
    chapter = Chapter.objects.get(geonameid=3128760)
    ada, carla, elena = people["ada"], people["carla"], people["elena"]
    services.books(chapter)
    bank = Account.objects.get(chapter=chapter, name="Bank")
    today = timezone.localdate()
    services.record_income(
        carla,
        chapter,
        kind="donation",
        amount="250.00",
        into=bank.pk,
        source=Account.objects.get(chapter=chapter, name="Donations").pk,
        on=today,
        description="Donation from the Ateneu's bar collective",
    )
    scale = decisions.propose(
        ada, chapter, decisions.Proposal(title="Dues: 2, 5 or 10 a month by income")
    )
    decisions.open_voting(ada, scale)
    for who in ("ada", "bruno", "carla"):
        decisions.cast(people[who], scale, {"choice": "consent"})
    scale = decisions.close(ada, scale)
    services.set_dues_scale(
        ada,
        chapter,
        [
            {"name": "low income", "monthly": "2.00"},
            {"name": "middle", "monthly": "5.00"},
            {"name": "comfortable", "monthly": "10.00"},
        ],
        scale,
    )
    leaflets = services.request_expense(
        elena,
        chapter,
        amount="38.40",
        pay_from=bank.pk,
        category=Account.objects.get(chapter=chapter, name="Leaflets and materials").pk,
        purpose="Teach-in",
        on=today,
        description="300 leaflets for the teach-in",
    )
    services.approve_expense(carla, leaflets)
    services.request_expense(
        elena,
        chapter,
        amount="24.00",
        pay_from=bank.pk,
        category=Account.objects.get(chapter=chapter, name="Food for meetings").pk,
        purpose="Meetings",
        on=today,
        description="Bread and olives for Thursday's meeting",
    )


def budget_step(people: dict[str, Member]) -> None:
    """Next quarter's budget, planned in rounds by a working group, a project and a
    member's need from the needs board, then ratified by decision."""
    from datetime import date, timedelta
    from decimal import Decimal

    from parecon.web.commons import services as commons
    from parecon.web.projects.models import Project
    from parecon.web.treasury import budget_services as b
    from parecon.web.treasury.budgeting import BotProposer

    chapter = Chapter.objects.get(geonameid=3128760)
    ada, bruno, carla, elena = people["ada"], people["bruno"], people["carla"], people["elena"]
    acc = {a.name: a.pk for a in Account.objects.filter(chapter=chapter)}
    today = timezone.localdate()
    first_month = 3 * ((today.month - 1) // 3) + 4
    starts = date(today.year + (first_month > 12), (first_month - 1) % 12 + 1, 1)
    ends = date(starts.year + (starts.month > 9), (starts.month + 2) % 12 + 1, 1) - timedelta(1)
    plan = b.open_budget(
        carla,
        chapter,
        name="Next quarter's commons",
        starts=starts,
        ends=ends,
        expected_income="650.00",
        lines=[
            b.LineSpec("Room hours", "8.00", acc["Room"], "hour", "36"),
            b.LineSpec("Leaflets", "0.12", acc["Leaflets and materials"], "leaflet"),
            b.LineSpec("Food for meetings", "4.00", acc["Food for meetings"], "meeting"),
            b.LineSpec("Travel to the regional meeting", "35.00", acc["Travel"], "trip"),
            b.LineSpec("Fund for members in need", "1.00", acc["Mutual aid"], "euro"),
        ],
    )
    need = commons.post(
        bruno,
        chapter,
        commons.PostData(kind="need", category="other", title="Help with a bus pass this winter"),
    )
    project = Project.objects.filter(chapter=chapter).first()
    outreach = (
        b.add_proposer(ada, plan, name="", kind="project", project=project.pk)
        if project is not None
        else b.add_proposer(ada, plan, name="Outreach group", kind="group")
    )
    # Simulated answers to the announced prices: each wants so much and spends at
    # most its share, scaling its request down as the prices rise.
    proposers = [
        (
            b.add_proposer(elena, plan, name="Meetings working group", kind="group"),
            elena,
            BotProposer({0: Decimal(24), 2: Decimal(12), 1: Decimal(500)}, 320),
        ),
        (
            outreach,
            ada,
            BotProposer({0: Decimal(16), 1: Decimal(2000), 3: Decimal(4)}, 420, Decimal(60)),
        ),
        (
            b.add_proposer(bruno, plan, name="", kind="need", need=need.pk),
            bruno,
            BotProposer({4: Decimal(120)}, 150),
        ),
    ]
    lines = list(plan.lines.all())
    while plan.status == plan.Status.PLANNING:
        current = plan.rounds.filter(closed_at__isnull=True).first()
        if current is None:
            break
        for proposer, who, bot in proposers:
            q = bot.respond(lines, current.prices)
            b.propose(who, proposer, {str(i): str(v) for i, v in q.items()}, str(bot.contribution))
        b.close_round(carla, plan)
        plan.refresh_from_db()
    decision = decisions.propose(ada, chapter, decisions.Proposal(title=f"Adopt {plan.name}"))
    decisions.open_voting(ada, decision)
    for name in ("ada", "bruno", "carla"):
        decisions.cast(people[name], decision, {"choice": "consent"})
    b.adopt(carla, plan, decisions.close(ada, decision))
