"""Existing follow-ups of meetings and projects become one-off tasks of their chapter."""

from django.db import migrations


def adopt(apps, schema_editor):  # type: ignore[no-untyped-def]
    FollowUpTask = apps.get_model("meetings", "FollowUpTask")
    Task = apps.get_model("jobs", "Task")
    for f in FollowUpTask.objects.filter(task__isnull=True).order_by("id"):
        Task.objects.create(
            chapter_id=f.chapter_id,
            kind="one_off",
            name=f.title,
            description=f.description,
            hours=f.hours,
            due_on=f.due_on,
            assignee_id=f.assignee_id,
            follow_up=f,
            created_by_id=f.created_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
