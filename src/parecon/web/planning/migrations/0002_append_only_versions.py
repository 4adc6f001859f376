"""The database itself refuses to update or delete proposal versions (SQLite and PostgreSQL)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER planning_version_no_update BEFORE UPDATE ON planning_proposalversion
       BEGIN SELECT RAISE(ABORT, 'proposal versions are append-only'); END""",
    """CREATE TRIGGER planning_version_no_delete BEFORE DELETE ON planning_proposalversion
       BEGIN SELECT RAISE(ABORT, 'proposal versions are append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION planning_version_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'proposal versions are append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER planning_version_no_change BEFORE UPDATE OR DELETE ON planning_proposalversion
       FOR EACH ROW EXECUTE FUNCTION planning_version_refuse()""",
]
DROP_SQLITE = ["DROP TRIGGER planning_version_no_update", "DROP TRIGGER planning_version_no_delete"]
DROP_POSTGRES = [
    "DROP TRIGGER planning_version_no_change ON planning_proposalversion",
    "DROP FUNCTION planning_version_refuse()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}),
        )
    ]
