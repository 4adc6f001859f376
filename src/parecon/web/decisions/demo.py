"""The demo's decisions: one that affects the bakery's neighbours more than the rest of
the chapter (consent), and the choice of the next teach-in topic (ranked), both voted;
Barcelona's vision statement with one amendment adopted and one under decision; a
change of the chapter's rules being voted on; a decision whose review date has come;
and a federated decision of Spain's chapter, counted per region."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.permissions import is_member
from parecon.web.chapters.services import join
from parecon.web.decisions import amendments, rules, services
from parecon.web.decisions.models import Decision
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

    _documents_rules_reviews_federation(people, barcelona)


VISION = [
    (
        "Who we are",
        "We are neighbours, workers and consumers of Barcelona who want an economy "
        "without bosses or markets.",
    ),
    (
        "What we do",
        "We plan the neighbourhood's bread, beer and pizza together with the workplaces "
        "that make them.",
    ),
    (
        "How we decide",
        "Each of us has a say in a decision in proportion to how much it affects us.",
    ),
    ("How we share the work", "We share the pleasant and the unpleasant tasks in rotation."),
]


def _everyone(decision: Decision, voters: list[Member], choice: str) -> None:
    for m in voters:
        services.cast(m, decision, {"choice": choice})


def _documents_rules_reviews_federation(people: dict[str, Member], barcelona: Chapter) -> None:
    ada, bruno, carla, dan, elena, farid, gloria, hugo = (
        people[k] for k in ("ada", "bruno", "carla", "dan", "elena", "farid", "gloria", "hugo")
    )
    vision = amendments.create_document(
        bruno, barcelona, title="Vision statement", type="vision", clauses=VISION
    )
    adopted = amendments.propose_amendment(
        carla,
        vision,
        "c2",
        "We plan the neighbourhood's bread, beer and pizza together with the workplaces "
        "that make them and the councils of those who eat and drink them.",
        reason="The consumers' councils plan too.",
    )
    services.open_voting(carla, adopted.decision)
    _everyone(adopted.decision, [ada, bruno, carla, dan, elena], "consent")
    services.close(carla, adopted.decision)
    pending = amendments.propose_amendment(
        hugo,
        vision,
        "c4",
        "We share the pleasant and the unpleasant tasks in rotation, so that every job "
        "complex is balanced.",
    )
    services.open_voting(hugo, pending.decision)

    current = rules.rule_set_of(rules.ensure_current(barcelona))
    change = rules.propose_rule_change(
        dan,
        barcelona,
        current.as_dict()
        | {"thresholds": {"qualified_majority": "3/4"}, "role_terms": {"facilitator": 91}},
        reason="Rules should be harder to change than ordinary decisions; terms of a season.",
    )
    services.open_voting(dan, change)
    _everyone(change, [dan, gloria], "yes")

    cleaning = services.propose(
        elena,
        barcelona,
        services.Proposal(title="Rotate the cleaning after Thursday meetings"),
    )
    services.open_voting(elena, cleaning)
    _everyone(cleaning, [elena, farid, gloria, hugo], "consent")
    cleaning = services.close(elena, cleaning)
    services.write_outcome(
        elena,
        cleaning,
        "Two members clean after each meeting, in alphabetical order.",
        timezone.localdate(),  # the review is due: the chapter page shows it
    )

    spain = barcelona.parent.parent if barcelona.parent else None
    if spain is None or not spain.children.exists():  # pragma: no cover - the gazetteer's tree
        return
    if not is_member(ada, spain):  # another step may have joined her already
        join(ada, spain)
    gathering = services.propose(
        ada,
        spain,
        services.Proposal(
            title="Hold the 2027 national gathering in Barcelona",
            body="Each region's members decide; each region weighs by its affected members.",
            method="majority",
            affected_units=(f"chapter:{spain.slug}",),
            levels=("1",),
            federated=True,
            closes_at=timezone.now() + timedelta(days=14),
        ),
    )
    services.open_voting(ada, gathering)
    _everyone(gathering, [ada, bruno, carla], "yes")
    _everyone(gathering, [dan], "no")
    _everyone(gathering, [people["ines"]], "no")
