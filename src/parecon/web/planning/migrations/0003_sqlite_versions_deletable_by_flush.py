"""SQLite's flush (tests, ``manage.py flush``) is a DELETE that no trigger can tell apart.

As for history events: there the database keeps refusing UPDATE and the model
refuses deletes; PostgreSQL keeps refusing both (its flush is a TRUNCATE).
"""

from django.db import migrations

DROP = "DROP TRIGGER IF EXISTS planning_version_no_delete"
RECREATE = """CREATE TRIGGER planning_version_no_delete BEFORE DELETE ON planning_proposalversion
   BEGIN SELECT RAISE(ABORT, 'proposal versions are append-only'); END"""


def _sqlite(sql: str):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_append_only_versions")]
    operations = [migrations.RunPython(_sqlite(DROP), _sqlite(RECREATE))]
