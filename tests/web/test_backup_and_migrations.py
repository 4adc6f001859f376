"""Safety of data: backups round-trip; migrations are complete, reversible and keep data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parecon.web.backup import BackupError, create_backup, restore_backup
from parecon.web.chapters.models import Chapter, Membership
from parecon.web.history.models import Event
from parecon.web.members.models import Member


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(make_member: Any, tmp_path: Path) -> None:
    make_member("Kept One")
    make_member("Kept Two", city=3117735)
    before = (
        sorted(Member.objects.values_list("email", "name")),
        Chapter.objects.count(),
        Membership.objects.count(),
        Event.objects.count(),
    )
    archive = create_backup(tmp_path / "backup.tar.gz")
    make_member("Added After The Backup")
    assert Member.objects.count() == 3
    from django.core.cache import cache

    cache.set("parecon:read-before-the-restore", 1)
    manifest = restore_backup(archive)
    # Pages cached at the log's later position must not be served for the restored one.
    assert cache.get("parecon:read-before-the-restore") is None
    assert manifest["vendor"] == connection.vendor
    after = (
        sorted(Member.objects.values_list("email", "name")),
        Chapter.objects.count(),
        Membership.objects.count(),
        Event.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_backup_refuses_bad_targets_and_archives(tmp_path: Path) -> None:
    existing = tmp_path / "exists.tar.gz"
    existing.write_text("x")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(existing)
    with pytest.raises(BackupError, match="not a parecon backup"):
        restore_backup(existing)
    with pytest.raises(BackupError, match="no such file"):
        restore_backup(tmp_path / "missing.tar.gz")


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_history_trigger_migration_keeps_existing_events() -> None:
    """The migration before the triggers made events; after it they are kept, and frozen."""
    executor = MigrationExecutor(connection)
    executor.migrate([("history", "0002_initial")])
    old_apps = executor.loader.project_state([("history", "0002_initial")]).apps
    OldEvent = old_apps.get_model("history", "Event")
    OldEvent.objects.create(verb="test.made", summary="made before the triggers")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Event.objects.filter(verb="test.made").count() == 1
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE history_event SET summary = 'changed'")


@pytest.mark.django_db(transaction=True)
def test_platform_migrations_reverse_and_reapply() -> None:
    executor = MigrationExecutor(connection)
    apps_ = ["chapters", "history", "members"]
    targets = [(app, None) for app in apps_]
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Member.objects.count() == 0
