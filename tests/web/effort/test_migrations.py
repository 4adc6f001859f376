"""Hours logged as free text before tasks were linked: text naming a task of the log's
workplace links to it (case and spaces aside, a live task first); other text stays."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("effort", "0002_append_only"), ("jobs", "0003_append_only_triggers")]


def _migrate(targets: list[tuple[str, str]] | None) -> Any:
    if connection.vendor == "postgresql":  # deferred FK checks must fire before ALTER TABLE
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_free_text_hours_link_to_the_workplaces_tasks_by_name(
    chapter: Any, make_member: Any
) -> None:
    from parecon.web.councils import services as councils
    from parecon.web.effort.models import HoursLog

    founder = chapter.founder
    works = councils.create_council(founder, chapter, name="Works", level="workplace")
    other = councils.create_council(founder, chapter, name="Other works", level="workplace")
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Task = old.get_model("jobs", "Task")

    def task(council: Any, name: str, retired: bool = False) -> Any:
        return Task.objects.create(
            chapter_id=chapter.pk, council_id=council.pk, kind="recurring", name=name,
            shift_hours=2, shifts_per_week=1, created_by_id=founder.pk,
            retired_at=timezone.now() if retired else None,
        )  # fmt: skip

    old_ovens = task(works, "Ovens", retired=True)
    ovens = task(works, "Ovens")  # the live one wins over the older retired one
    baking = task(works, "Baking bread")
    task(other, "Deliveries")  # another workplace's task: never linked from Works
    period = old.get_model("effort", "EffortPeriod").objects.create(
        council_id=works.pk, name="Spring", plan_period="2027",
        starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31), created_by_id=founder.pk,
    )  # fmt: skip
    Log = old.get_model("effort", "HoursLog")
    texts = ("  baking   BREAD ", "ovens", "Deliveries", "mending the roof", "")
    for k, text in enumerate(texts):
        Log.objects.create(
            period=period, member_id=founder.pk, worked_on=date(2027, 1, 4 + k),
            hours=2.0 + k, task=text,
        )  # fmt: skip

    _migrate(None)
    rows = {r.hours: r for r in HoursLog.objects.all()}
    assert (rows[2.0].task_id, rows[2.0].task_text) == (baking.pk, "")
    assert (rows[3.0].task_id, rows[3.0].task_text) == (ovens.pk, "")
    assert ovens.pk != old_ovens.pk
    assert (rows[4.0].task_id, rows[4.0].task_text) == (None, "Deliveries")
    assert (rows[5.0].task_id, rows[5.0].task_text) == (None, "mending the roof")
    assert (rows[6.0].task_id, rows[6.0].task_text) == (None, "")
    assert rows[2.0].task_name == "Baking bread" and rows[5.0].task_name == "mending the roof"

    # going back writes the linked tasks' names into the text again
    executor = _migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("effort", "HoursLog")
    assert sorted(back.objects.values_list("hours", "task")) == [
        (2.0, "Baking bread"), (3.0, "Ovens"), (4.0, "Deliveries"),
        (5.0, "mending the roof"), (6.0, ""),
    ]  # fmt: skip
    _migrate(None)
