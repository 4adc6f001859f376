"""The demo's evaluation: Barcelona's members rate a local bakery co-op."""

from __future__ import annotations

from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member

RATINGS = {
    "ada": (8, 7, 7, 5, 6, 7),
    "bruno": (9, 6, 8, 4, 5, 8),
    "carla": (7, 8, 6, 6, 4, 6),
    "dan": (8, 5, 7, 5, 6, 7),
    "elena": (6, 7, 9, 7, 5, 6),
}
EVIDENCE = {
    "ada": {"equity": "Pay is by hours; the bakers at night get a 20% addition."},
    "carla": {"ecological_balance": "Flour comes from 300 km away; the ovens are gas."},
    "elena": {"self_management": "Monthly assembly of all twelve workers; customers not asked."},
}


def demo_evaluations(people: dict[str, Member]) -> None:
    from parecon.web.evaluations import services
    from parecon.web.evaluations.values import KEYS

    barcelona = Chapter.objects.get(geonameid=3128760)
    e = services.create_evaluation(
        people["ada"],
        barcelona,
        institution="Forn Cooperatiu del Raval",
        kind="coop",
        description="A workers' bakery co-operative of twelve, supplying three neighbourhoods.",
    )
    for who, scores in RATINGS.items():
        notes = EVIDENCE.get(who, {})
        services.rate(
            people[who], e, {k: (s, notes.get(k, "")) for k, s in zip(KEYS, scores, strict=True)}
        )


def register_demo() -> None:
    from parecon.web.site.demo import DEMO_STEPS

    if not any(name == "evaluations" for name, _step in DEMO_STEPS):
        DEMO_STEPS.append(("evaluations", demo_evaluations))
