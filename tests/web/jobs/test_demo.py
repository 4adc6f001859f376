"""The demo: the bakery rated its tasks and published complexes; chapter roles rotate."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_the_bakerys_complexes_and_a_roles_rotation() -> None:
    from parecon.web.chapters.models import RoleGrant
    from parecon.web.jobs.models import Balance, TaskRating
    from parecon.web.jobs.selectors import member_feed
    from parecon.web.site.demo import load_demo

    people = load_demo()
    published = Balance.objects.filter(published_at__isnull=False)
    bakery = published.filter(council__name="Forn Ada bakery").get()
    assert bakery.complexes.count() == 4 and TaskRating.objects.filter(task__council=bakery.council)
    roles = published.filter(council__isnull=True).get()
    assert roles.status == "done"
    grants = RoleGrant.objects.filter(source="rotation", source_ref=f"jobs.balance:{roles.pk}")
    assert {g.role for g in grants} == {
        "facilitator",
        "note_taker",
        "treasurer",
        "mediator",
        "admin",
    }
    assert list(member_feed(people["hugo"]))  # shifts in Hugo's personal feed
