"""Submitting outside a test's wrapping transaction, as a server request does.

pytest-django runs each test inside a transaction, where ``select_for_update`` always
works; a request has none of its own, and PostgreSQL refuses a row lock outside one.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_locks_the_proposal_in_its_own_transaction(coop: Any) -> None:
    from parecon.web.planning import services
    from parecon.web.planning.models import Proposal

    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    services.save_draft(coop.north_member, draft, {("demand", 0): ("30", 0)})
    version = services.submit(coop.north_member, draft)
    assert Proposal.objects.get(pk=draft.pk).counted_id == version.pk


def _first(queries: list[str], table: str) -> int:
    """Index of the first statement that reads ``table``'s row by id (as a lock does)."""
    head = f'FROM "{table}"'
    return next(i for i, sql in enumerate(queries) if head in sql and f'"{table}"."id" =' in sql)


def test_every_writer_of_a_draft_locks_the_round_then_the_proposal(coop: Any) -> None:
    """Saving, accepting a suggestion and submitting take the round's row before the
    proposal's, as the close does (it locks the round, then the plan, then proposals):
    in opposite orders PostgreSQL aborts one of two such transactions as a deadlock.
    The locks name their own rows only (``FOR UPDATE OF``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parecon.web.planning import services

    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    writes = {
        "save": lambda: services.save_draft(coop.north_member, draft, {("demand", 0): ("30", 0)}),
        "suggestion": lambda: services.accept_suggestion(
            coop.north_member, draft, {"demand": {"0": 20.0}}
        ),
        "submit": lambda: services.submit(coop.north_member, draft),
    }
    for name, write in writes.items():
        with CaptureQueriesContext(connection) as captured:
            write()
        queries = [q["sql"] for q in captured.captured_queries]
        assert _first(queries, "planning_round") < _first(queries, "planning_proposal"), name
        if connection.vendor == "postgresql":
            locks = [q for q in queries if "FOR UPDATE" in q]
            assert 'FOR UPDATE OF "planning_round"' in locks[0], name
            assert 'FOR UPDATE OF "planning_proposal"' in locks[1], name
