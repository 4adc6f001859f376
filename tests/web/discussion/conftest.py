"""Fixtures of the discussion's tests: a chapter with a facilitator, a mediator and members."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from parecon.web.chapters.models import Role
from parecon.web.chapters.services import grant_role


@dataclass
class People:
    chapter: Any
    founder: Any
    facilitator: Any
    mediator: Any
    alice: Any
    bob: Any
    stranger: Any
    other_chapter: Any


@pytest.fixture
def people(
    chapter: Any, other_chapter: Any, make_member: Callable[..., Any], term: dict[str, Any]
) -> People:
    facilitator = make_member("Fay Facil")
    mediator = make_member("Meda Tor")
    alice = make_member("Alice Liddell")
    bob = make_member("Bob Baker")
    stranger = make_member("Stranger Madrid", city=3117735)
    grant_role(chapter.founder, chapter, facilitator, Role.FACILITATOR, **term)
    grant_role(chapter.founder, chapter, mediator, Role.MEDIATOR, **term)
    return People(
        chapter, chapter.founder, facilitator, mediator, alice, bob, stranger, other_chapter
    )
