"""The database itself refuses to change history rows.

PostgreSQL refuses UPDATE and DELETE of a row (TRUNCATE, the operator's wholesale
reset that test runs use, stays possible). SQLite refuses UPDATE; its flush is a
DELETE that no trigger can tell apart, so there the model refuses deletes.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER history_event_no_update BEFORE UPDATE ON history_event
       BEGIN SELECT RAISE(ABORT, 'history events are append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION history_event_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'history events are append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER history_event_no_change BEFORE UPDATE OR DELETE ON history_event
       FOR EACH ROW EXECUTE FUNCTION history_event_refuse()""",
]
DROP_SQLITE = ["DROP TRIGGER history_event_no_update"]
DROP_POSTGRES = [
    "DROP TRIGGER history_event_no_change ON history_event",
    "DROP FUNCTION history_event_refuse()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("history", "0002_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}),
        )
    ]
