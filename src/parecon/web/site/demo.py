"""The demo community: chapters, members with roles, and their public log.

Loaded by ``parecon demo`` into a fresh data directory. Every member's password is
:data:`DEMO_PASSWORD`; their e-mail addresses are verified so they can log in at once.
Later apps add their own part of the demo through :data:`DEMO_STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from parecon.web import gazetteer
from parecon.web.chapters import services as chapters
from parecon.web.chapters.models import Chapter, JoinPolicy, Role
from parecon.web.members.models import Member
from parecon.web.site.demo_accounts import DEMO_PASSWORD, FACILITATOR_EMAIL


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    city: int  # GeoNames id
    bio: str = ""
    language: str = "en"


BARCELONA = 3128760
MADRID = 3117735
SAN_DIEGO = 5391811

PEOPLE = (
    DemoPerson("Ada Okafor", FACILITATOR_EMAIL, BARCELONA, "Baker, founder of the chapter."),
    DemoPerson("Bruno Ferrer", "bruno@demo.parecon.org", BARCELONA, "Brewer.", "es"),
    DemoPerson("Carla Puig", "carla@demo.parecon.org", BARCELONA, "Pizzaiola and treasurer."),
    DemoPerson("Dan Levi", "dan@demo.parecon.org", BARCELONA, "Nurse; mediates when asked."),
    DemoPerson("Elena Soler", "elena@demo.parecon.org", BARCELONA, "Teacher.", "es"),
    DemoPerson("Farid Haddad", "farid@demo.parecon.org", BARCELONA, "Cyclist courier."),
    DemoPerson("Gloria Martín", "gloria@demo.parecon.org", BARCELONA, "Retired electrician.", "es"),
    DemoPerson("Hugo Costa", "hugo@demo.parecon.org", BARCELONA, "Student of economics."),
    DemoPerson("Inés Romero", "ines@demo.parecon.org", MADRID, "Organiser in Madrid.", "es"),
    DemoPerson("Jon Park", "jon@demo.parecon.org", SAN_DIEGO, "Co-op developer in San Diego."),
)

#: Later apps append ``(name, function)`` steps that add their part of the demo.
DEMO_STEPS: list[tuple[str, Callable[[dict[str, Member]], None]]] = []


def _person(p: DemoPerson, password_hash: str) -> Member:
    from allauth.account.models import EmailAddress

    member = Member.objects.create_user(
        p.email, None, name=p.name, bio=p.bio, language=p.language, near_me=True
    )
    member.password = password_hash  # one Argon2 hash for everyone: same password
    member.save(update_fields=["password"])
    EmailAddress.objects.create(user=member, email=p.email, verified=True, primary=True)
    place = gazetteer.place(p.city)
    if place is None:  # pragma: no cover - the gazetteer ships these cities
        raise RuntimeError(f"the gazetteer has no city {p.city}")
    chapters.place_member(member, place)
    return member


@transaction.atomic
def load_demo() -> dict[str, Member]:
    """Create the demo community; refuses to run on a database that has members."""
    if Member.objects.exists():
        raise RuntimeError("the database already has members; the demo needs a fresh one")
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(DEMO_PASSWORD)
    people = {p.email.split("@")[0]: _person(p, password_hash) for p in PEOPLE}
    barcelona = Chapter.objects.get(geonameid=BARCELONA)
    ada = people["ada"]
    chapters.edit_chapter(
        ada,
        barcelona,
        description=(
            "We meet every other Thursday at the Ateneu. We plan the neighbourhood's "
            "bread, beer and pizza with two workplaces and three neighbourhood councils, "
            "share the chores in balanced rotation and decide by consent."
        ),
        join_policy=JoinPolicy.OPEN,
    )
    now = timezone.now()
    term = {"starts_at": now - timedelta(days=10), "ends_at": now + timedelta(days=80)}
    chapters.grant_role(ada, barcelona, people["ada"], Role.FACILITATOR, **term)
    chapters.grant_role(ada, barcelona, people["carla"], Role.TREASURER, **term)
    chapters.grant_role(ada, barcelona, people["dan"], Role.MEDIATOR, **term)
    chapters.grant_role(ada, barcelona, people["elena"], Role.NOTE_TAKER, **term)
    chapters.grant_role(ada, barcelona, people["bruno"], Role.ADMIN, **term)
    for _name, step in DEMO_STEPS:
        step(people)
    return people
