"""Fixtures of the meetings tests: a Barcelona chapter with a facilitator and a poll."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

SAN_DIEGO = 5391811


@pytest.fixture
def facilitator(chapter: Any, make_member: Callable[..., Any], term: dict[str, Any]) -> Any:
    from parecon.web.chapters import services

    f = make_member("Fran Facilitator")
    services.grant_role(chapter.founder, chapter, f, "facilitator", **term)
    return f


@pytest.fixture
def note_taker(chapter: Any, make_member: Callable[..., Any], term: dict[str, Any]) -> Any:
    from parecon.web.chapters import services

    n = make_member("Nora Notes")
    services.grant_role(chapter.founder, chapter, n, "note_taker", **term)
    return n


@pytest.fixture
def poll(chapter: Any, facilitator: Any) -> Any:
    """Three times around the end of summer time in Madrid (31 Oct 2027)."""
    from parecon.web.polls import services

    return services.create_poll(
        facilitator,
        chapter,
        title="Chapter meeting",
        zone="Europe/Madrid",
        options=[
            (datetime(2027, 10, 30, 19, 0), 90),
            (datetime(2027, 11, 1, 19, 0), 90),
            (datetime(2027, 11, 2, 9, 30), 60),
        ],
    )


def option_ids(poll: Any) -> list[int]:
    return list(poll.options.order_by("starts_at").values_list("pk", flat=True))
