"""Hours logs name their task by a link to the workplace's ``jobs.Task``.

The free text of earlier logs moves to ``task_text``; where it names a task of the
log's workplace (the same name, ignoring case and surrounding spaces; a live task
before a retired one, then the oldest) the log links to that task and the text is
cleared; text that names no task is kept as it was. Going back writes each linked
task's name into the text again.
"""

from typing import Any

from django.db import migrations, models


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def link_tasks(apps: Any, schema_editor: Any) -> None:
    HoursLog = apps.get_model("effort", "HoursLog")
    Task = apps.get_model("jobs", "Task")
    logs = HoursLog.objects.exclude(task_text="").select_related("period")
    councils = {log.period.council_id for log in logs}
    named: dict[tuple[int, str], tuple[bool, int]] = {}  # → (retired, task id)
    for task in Task.objects.filter(council_id__in=councils).order_by("pk"):
        key = (task.council_id, _key(task.name))
        retired = task.retired_at is not None
        if key not in named or (named[key][0] and not retired):
            named[key] = (retired, task.pk)
    changed = []
    for log in logs:
        found = named.get((log.period.council_id, _key(log.task_text)))
        if found is not None:
            log.task_id = found[1]
            log.task_text = ""
            changed.append(log)
    HoursLog.objects.bulk_update(changed, ["task", "task_text"], batch_size=1000)


def unlink_tasks(apps: Any, schema_editor: Any) -> None:
    HoursLog = apps.get_model("effort", "HoursLog")
    changed = []
    for log in HoursLog.objects.filter(task__isnull=False).select_related("task"):
        log.task_text = log.task_text or log.task.name[:200]
        changed.append(log)
    HoursLog.objects.bulk_update(changed, ["task_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("effort", "0002_append_only"),
        ("jobs", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.RenameField("hourslog", "task", "task_text"),
        migrations.AlterField(
            model_name="hourslog",
            name="task_text",
            field=models.CharField(blank=True, max_length=200, verbose_name="other work"),
        ),
        migrations.AddField(
            model_name="hourslog",
            name="task",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="hours_logs",
                to="jobs.task",
                verbose_name="task",
            ),
        ),
        migrations.RunPython(link_tasks, unlink_tasks),
    ]
