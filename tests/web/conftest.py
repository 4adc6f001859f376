"""Fixtures of the platform's tests: members, chapters, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parecon.web import gazetteer
from tests.web.browser import browser, page, phone  # noqa: F401 - fixtures

BARCELONA = 3128760
MADRID = 3117735


@pytest.fixture(scope="session", autouse=True)
def _warm_gazetteer() -> None:
    gazetteer.place(BARCELONA)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Nothing cached outlives a test: its database is rolled back and SQLite then hands
    out the same ids again, so a cached page of plan 1 would be another test's plan 1."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_member(db: Any) -> Callable[..., Any]:
    from allauth.account.models import EmailAddress

    from parecon.web.chapters.services import place_member
    from parecon.web.members.models import Member

    counter = iter(range(10_000))

    def make(name: str | None = None, city: int | None = BARCELONA, **extra: Any) -> Member:
        n = next(counter)
        email = extra.pop("email", f"member{n}@example.org")
        member = Member.objects.create_user(
            email, "a-long-test-password", name=name or f"Member {n}", **extra
        )
        EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
        if city is not None:
            place = gazetteer.place(city)
            assert place is not None
            place_member(member, place)
        return member

    return make


@pytest.fixture
def chapter(make_member: Callable[..., Any]) -> Any:
    """Barcelona's chapter, founded by its first member (its admin for a term)."""
    from parecon.web.chapters.models import Chapter

    founder = make_member("Founder")
    c = Chapter.objects.get(geonameid=BARCELONA)
    c.founder = founder  # type: ignore[attr-defined]
    return c


@pytest.fixture
def other_chapter(make_member: Callable[..., Any]) -> Any:
    from parecon.web.chapters.models import Chapter

    make_member("Madrid founder", city=MADRID)
    return Chapter.objects.get(geonameid=MADRID)


@pytest.fixture
def login() -> Callable[[Any], Client]:
    def make(member: Any) -> Client:
        client = Client(enforce_csrf_checks=False)
        client.force_login(member)
        return client

    return make


@pytest.fixture
def term() -> dict[str, Any]:
    now = timezone.now()
    return {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=30)}
