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
