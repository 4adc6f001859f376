"""The database itself refuses to change ratings, household choices and allowances.

As for the history: PostgreSQL refuses UPDATE and DELETE of a row (TRUNCATE, which
test runs use, stays possible); SQLite refuses UPDATE (its flush is a DELETE that no
trigger can tell apart, so there the models refuse deletes).
"""

from django.db import migrations

TABLES = (
    "effort_effortrating",
    "effort_householdchoice",
    "effort_allowancerun",
    "effort_allowance",
)


def _sqlite() -> list[str]:
    out = []
    for t in TABLES:
        out.append(
            f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
            f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
        )
    return out


def _postgres() -> list[str]:
    out = [
        """CREATE OR REPLACE FUNCTION effort_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'effort rows are append-only'; END $$ LANGUAGE plpgsql"""
    ]
    for t in TABLES:
        out.append(
            f"CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t} "
            "FOR EACH ROW EXECUTE FUNCTION effort_refuse()"
        )
    return out


DROP_SQLITE = [f"DROP TRIGGER {t}_no_update" for t in TABLES]
DROP_POSTGRES = [f"DROP TRIGGER {t}_no_change ON {t}" for t in TABLES] + [
    "DROP FUNCTION effort_refuse()"
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("effort", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite(), "postgresql": _postgres()}),
            _run({"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRES}),
        )
    ]
