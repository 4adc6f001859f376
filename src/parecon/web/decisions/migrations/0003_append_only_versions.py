"""The database refuses to change a rule-set or document version once written.

As for the history: UPDATE is refused on SQLite and PostgreSQL, DELETE on PostgreSQL
(TRUNCATE, the test runs' reset, stays possible); the models refuse deletes too.
"""

from django.db import migrations

TABLES = ("decisions_rulesetversion", "decisions_documentversion")
SQLITE = [
    f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
        BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END"""
    for t in TABLES
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION decisions_version_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'versions are append-only'; END $$ LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t}
            FOR EACH ROW EXECUTE FUNCTION decisions_version_refuse()"""
        for t in TABLES
    ),
]
DROP_SQLITE = [f"DROP TRIGGER {t}_no_update" for t in TABLES]
DROP_POSTGRES = [
    *(f"DROP TRIGGER {t}_no_change ON {t}" for t in TABLES),
    "DROP FUNCTION decisions_version_refuse()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_rules_documents_federation_reviews")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}),
        )
    ]
