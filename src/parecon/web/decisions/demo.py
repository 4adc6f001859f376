"""The demo's decisions: one that affects the bakery's neighbours more than the rest of
the chapter (consent), and the choice of the next teach-in topic (ranked), both voted."""

from __future__ import annotations

from parecon.web.chapters.models import Chapter
from parecon.web.decisions import services
from parecon.web.members.models import Member


def demo_step(people: dict[str, Member]) -> None:
    barcelona = Chapter.objects.get(geonameid=3128760)
    ada, bruno, carla, dan, elena = (people[k] for k in ("ada", "bruno", "carla", "dan", "elena"))
    neighbours = {people[k].pk: "1" for k in ("ada", "bruno", "carla")}
    oven = services.propose(
        ada,
        barcelona,
        services.Proposal(
            title="Bake at night during the summer heat",
            body=(
                "The bakery would bake from 3 to 7 a.m. in July and August. Its neighbours "
                "on Carrer de Verdi are affected most (noise, deliveries); the rest of the "
                "chapter less."
            ),
            method="consent",
            listed=tuple(neighbours.items()),
            levels=("1/4",),
        ),
    )
    services.open_voting(ada, oven)
    services.cast(ada, oven, {"choice": "consent"})
    services.cast(bruno, oven, {"choice": "consent"})
    services.cast(carla, oven, {"choice": "object", "reason": "Deliveries before 6 a.m. are loud."})
    services.cast(dan, oven, {"choice": "consent"})
    topic = services.propose(
        elena,
        barcelona,
        services.Proposal(
            title="Topic of the next teach-in",
            method="ranked",
            options=("Participatory planning", "Balanced job complexes", "Remuneration for effort"),
        ),
    )
    services.open_voting(elena, topic)
    services.cast(
        elena, topic, {"ranking": [["Balanced job complexes"], ["Participatory planning"]]}
    )
    services.cast(
        dan,
        topic,
        {
            "ranking": [
                ["Participatory planning"],
                ["Balanced job complexes", "Remuneration for effort"],
            ]
        },
    )
    services.cast(
        ada, topic, {"ranking": [["Participatory planning"], ["Remuneration for effort"]]}
    )
