"""Councils: founding, federations, one worker council each, council-scoped roles, pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from parecon.web.chapters.permissions import has_role
from parecon.web.councils import services
from parecon.web.councils.models import Council, CouncilMembership
from parecon.web.councils.permissions import can_facilitate, is_council_member
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(chapter: Any, make_member: Any, term: dict[str, Any]) -> Any:
    from parecon.web.chapters.services import grant_role

    m = make_member("Fran")
    grant_role(chapter.founder, chapter, m, "facilitator", **term)
    return m


def test_federations_nest_by_kind_and_rank(chapter: Any, facilitator: Any) -> None:
    city = services.create_council(facilitator, chapter, name="City", level="city")
    hood = services.create_council(
        facilitator, chapter, name="Gràcia", level="neighbourhood", parent=city
    )
    assert hood.kind == "consumer" and hood.ancestors() == [city]
    with pytest.raises(ValidationError, match="cannot be part of"):
        services.create_council(facilitator, chapter, name="Bakery", level="workplace", parent=city)
    with pytest.raises(ValidationError, match="cannot be part of"):
        services.create_council(facilitator, chapter, name="Up", level="region", parent=hood)
    assert Event.objects.filter(verb="council.created").count() == 2


def test_only_facilitators_or_admins_found_councils(
    chapter: Any, other_chapter: Any, make_member: Any
) -> None:
    plain = make_member("Plain")
    stranger = other_chapter.memberships.first().member
    for who in (plain, stranger):
        with pytest.raises(PermissionDenied):
            services.create_council(who, chapter, name="X", level="workplace")
    assert not Council.objects.exists()
    with pytest.raises(ValidationError, match="a name"):
        services.create_council(chapter.founder, chapter, name=" ", level="workplace")
    with pytest.raises(ValidationError, match="Unknown level"):
        services.create_council(chapter.founder, chapter, name="X", level="galaxy")


def test_one_worker_council_and_many_consumer_councils(
    chapter: Any, facilitator: Any, make_member: Any, other_chapter: Any
) -> None:
    bakery = services.create_council(facilitator, chapter, name="Bakery", level="workplace")
    mill = services.create_council(facilitator, chapter, name="Mill", level="workplace")
    home = services.create_council(facilitator, chapter, name="Home", level="household")
    hood = services.create_council(facilitator, chapter, name="Hood", level="neighbourhood")
    m = make_member("Maria")
    for c in (bakery, home, hood):
        services.join_council(m, c)
    with pytest.raises(ValidationError, match="leave it first"):
        services.join_council(m, mill)
    with pytest.raises(ValidationError, match="already a member"):
        services.join_council(m, home)
    stranger = other_chapter.memberships.first().member
    with pytest.raises(PermissionDenied):
        services.join_council(stranger, home)
    services.leave_council(m, bakery)
    services.join_council(m, mill)
    assert CouncilMembership.objects.active().filter(member=m).count() == 3
    assert CouncilMembership.objects.filter(member=m).count() == 4  # the left one is kept


def test_a_chapter_acting_as_a_council_has_its_members(
    chapter: Any, facilitator: Any, make_member: Any
) -> None:
    acting = services.create_council(
        facilitator, chapter, name="Barcelona", level="city", acts_for_chapter=True
    )
    assert is_council_member(facilitator, acting)
    with pytest.raises(ValidationError, match="federation"):
        services.join_council(make_member(), acting)
    with pytest.raises(ValidationError, match="already acts"):
        services.create_council(
            facilitator, chapter, name="Twice", level="city", acts_for_chapter=True
        )


def test_council_role_is_a_role_grant_held_in_the_council_only(
    chapter: Any, facilitator: Any, make_member: Any
) -> None:
    food = services.create_council(facilitator, chapter, name="Food", level="industry")
    bakery = services.create_council(
        facilitator, chapter, name="Bakery", level="workplace", parent=food
    )
    mill = services.create_council(facilitator, chapter, name="Mill", level="workplace")
    m = make_member("Baker")
    with pytest.raises(PermissionDenied):  # only the chapter's admins grant roles
        services.grant_council_role(facilitator, food, m, "facilitator")
    grant = services.grant_council_role(chapter.founder, food, m, "facilitator")
    assert grant.council == food and grant.chapter == chapter
    assert can_facilitate(m, food) and can_facilitate(m, bakery)  # federated below
    assert not can_facilitate(m, mill)
    assert not has_role(m, chapter, "facilitator")  # not a chapter-wide facilitator
    assert can_facilitate(facilitator, mill)  # chapter facilitators facilitate every council
    with pytest.raises(ValidationError, match="not a member of Bakery"):
        services.grant_council_role(chapter.founder, bakery, m, "facilitator")


def test_council_pages(chapter: Any, facilitator: Any, login: Any, make_member: Any) -> None:
    client = login(facilitator)
    response = client.post(
        reverse("councils:new", args=[chapter.slug]), {"name": "Forn", "level": "workplace"}
    )
    council = Council.objects.get(name="Forn")
    assert response["Location"] == reverse("councils:detail", args=[council.slug])
    m = make_member("Joiner")
    joiner = login(m)
    joiner.post(reverse("councils:join", args=[council.slug]))
    page = joiner.get(reverse("councils:detail", args=[council.slug])).content.decode()
    assert "Joiner" in page and "Leave this council" in page
    listing = joiner.get(reverse("councils:list") + f"?chapter={chapter.slug}").content.decode()
    assert "Forn" in listing
