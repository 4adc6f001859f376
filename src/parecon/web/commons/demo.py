"""The demo's commons: a need met by another's offer, a loan, two allies on the map."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.commons import services
from parecon.web.commons.services import PostData
from parecon.web.members.models import Member


def demo_step(people: dict[str, Member]) -> None:
    chapter = Chapter.objects.get(geonameid=3128760)
    ada, bruno, dan, elena = people["ada"], people["bruno"], people["dan"], people["elena"]
    today = timezone.localdate()
    need = services.post(
        elena,
        chapter,
        PostData(
            kind="need",
            category="childcare",
            title="Someone to mind two children during Thursday's meeting",
            place="Ateneu, Gràcia",
            when="Thursday 19:00–21:00",
            urgency=3,
            use_my_city=elena.latitude is not None,
        ),
    )
    offer = services.post(
        dan,
        chapter,
        PostData(
            kind="offer",
            category="childcare",
            title="I can run a play corner at meetings",
            place="Gràcia",
            when="Thursdays",
            use_my_city=dan.latitude is not None,
        ),
    )
    services.accept(elena, need, offer)
    ladder = services.post(
        bruno,
        chapter,
        PostData(kind="offer", category="goods", title="A long ladder, on loan", is_loan=True),
    )
    borrow = services.post(
        ada, chapter, PostData(kind="need", category="goods", title="A ladder to hang the banner")
    )
    services.accept(ada, borrow, ladder, return_by=today + timedelta(days=7))
    services.post(
        dan,
        chapter,
        PostData(
            kind="offer",
            category="lift",
            title="A lift to the regional meeting",
            visibility="allied",
        ),
    )
    union = services.add_organisation(
        ada,
        chapter,
        name="CNT Barcelona",
        kind="union",
        does="A federation of unions; legal help for precarious workers.",
        contact="Carrer de Joaquín Costa 34",
        latitude=41.3836,
        longitude=2.1654,
    )
    services.add_organisation(
        elena,
        chapter,
        name="Sindicat de Llogateres",
        kind="tenants",
        does="Tenants organising against evictions and rent rises.",
        contact="info@example.org",
        latitude=41.4036,
        longitude=2.1744,
    )
    services.add_followup(
        ada,
        union,
        what="Ask about a joint teach-in on workplace councils",
        due=today + timedelta(days=10),
        assignee=dan.pk,
    )
    services.add_note(
        ada,
        union,
        "They run a weekly legal clinic on Tuesdays; newcomers with contract problems can go.",
    )
