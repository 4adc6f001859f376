"""The database itself refuses to update ratings, hours and a balance's results."""

from django.db import migrations

TABLES = ("jobs_taskrating", "jobs_weeklyhours", "jobs_assignment", "jobs_personcomplex")
SQLITE = [
    f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
       BEGIN SELECT RAISE(ABORT, '{t} rows are append-only'); END"""
    for t in TABLES
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION jobs_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'these rows are append-only'; END $$ LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
           FOR EACH ROW EXECUTE FUNCTION jobs_refuse_update()"""
        for t in TABLES
    ),
]
DROP_SQLITE = [f"DROP TRIGGER {t}_no_update" for t in TABLES]
DROP_POSTGRES = [
    *(f"DROP TRIGGER {t}_no_update ON {t}" for t in TABLES),
    "DROP FUNCTION jobs_refuse_update()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_adopt_follow_ups")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}),
        )
    ]
