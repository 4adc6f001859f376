"""Room decisions become decisions of the decisions app, counted by its engine.

Rows recorded before keep their text, method, counts and the outcome the room
announced: each becomes a closed Decision of the meeting's chapter with its room
ballots (one per choice with a count), and the room row points at it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CHOICES = {
    "consent": {
        "in_favour": "consent",
        "against": "object",
        "abstain": "abstain",
        "blocks": "block",
    },
    "majority": {"in_favour": "yes", "against": "no", "abstain": "abstain", "blocks": "block"},
}


def to_decisions(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoomDecision = apps.get_model("meetings", "RoomDecision")
    Decision = apps.get_model("decisions", "Decision")
    Ballot = apps.get_model("decisions", "Ballot")
    for row in RoomDecision.objects.select_related("meeting").order_by("pk"):
        method = {"qualified": "qualified_majority"}.get(row.method, row.method)
        mapping = CHOICES["consent" if method == "consent" else "majority"]
        counts = {f: getattr(row, f) for f in mapping}
        totals = [
            {"option": mapping[f], "weighted": str(n), "unweighted": str(n), "share": ""}
            for f, n in counts.items()
            if n
        ]
        decision = Decision.objects.create(
            chapter_id=row.meeting.chapter_id,
            title=row.text[:200],
            body=row.text,
            method=method,
            options=[] if method == "consent" else ["yes", "no", "abstain"],
            affected={"units": [], "listed": {}},
            weighting={"levels": ["1"], "combine": "max"},
            status="closed",
            created_by_id=row.recorded_by_id,
            opened_at=row.created_at,
            closed_at=row.created_at,
            result={"outcome": row.outcome, "totals": totals, "recorded_in_the_room": True},
        )
        for i, (field, n) in enumerate(counts.items(), start=1):
            if n:
                Ballot.objects.create(
                    decision=decision,
                    round=1,
                    label=f"room-1-{i}",
                    weight="1",
                    choice=mapping[field],
                    count=n,
                    source="room",
                    entered_by_id=row.recorded_by_id,
                )
        row.decision = decision
        row.save(update_fields=["decision"])
    if schema_editor.connection.vendor == "postgresql":
        # The rows made above have deferred FK checks; they must fire before the
        # schema changes that follow in this transaction (PostgreSQL refuses otherwise).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("meetings", "0004_agendaitem_decision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="roomdecision",
            name="decision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="decisions.decision",
            ),
        ),
        migrations.AddField(
            model_name="roomdecision",
            name="agenda_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="meetings.agendaitem",
            ),
        ),
        migrations.RunPython(to_decisions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="roomdecision", name="text"),
        migrations.RemoveField(model_name="roomdecision", name="method"),
        migrations.RemoveField(model_name="roomdecision", name="in_favour"),
        migrations.RemoveField(model_name="roomdecision", name="against"),
        migrations.RemoveField(model_name="roomdecision", name="abstain"),
        migrations.RemoveField(model_name="roomdecision", name="blocks"),
        migrations.RemoveField(model_name="roomdecision", name="outcome"),
        migrations.AlterField(
            model_name="roomdecision",
            name="decision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="decisions.decision",
            ),
        ),
        migrations.AddConstraint(
            model_name="roomdecision",
            constraint=models.UniqueConstraint(
                fields=("meeting", "decision"), name="taken_once_per_meeting"
            ),
        ),
    ]
