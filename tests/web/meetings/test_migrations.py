"""Room decisions recorded before the decisions engine counted them become closed
decisions of the chapter, with their room ballots and the outcome announced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_old_room_decisions_become_closed_decisions(chapter: Any) -> None:
    from parecon.web.decisions.models import Decision
    from parecon.web.meetings.models import RoomDecision

    before = [("meetings", "0004_agendaitem_decision")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    start = datetime(2027, 2, 4, 18, tzinfo=UTC)
    meeting = old.get_model("meetings", "Meeting").objects.create(
        chapter_id=chapter.pk,
        title="Old meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        zone="UTC",
        created_by_id=chapter.founder.pk,
    )
    old.get_model("meetings", "RoomDecision").objects.create(
        meeting=meeting,
        text="Paint the hall",
        method="qualified",
        in_favour=7,
        against=2,
        abstain=1,
        outcome="adopted",
        recorded_by_id=chapter.founder.pk,
    )
    if connection.vendor == "postgresql":  # deferred FK checks must fire before ALTER TABLE
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    taken = RoomDecision.objects.get()
    decision = Decision.objects.get()
    assert taken.decision == decision and decision.chapter == chapter
    assert decision.method == "qualified_majority" and decision.status == "closed"
    assert decision.result["outcome"] == "adopted"
    assert sorted(decision.ballots.values_list("choice", "count", "source")) == [
        ("abstain", 1, "room"),
        ("no", 2, "room"),
        ("yes", 7, "room"),
    ]
