"""Background work of time polls (django-tasks): the reminder before a deadline."""

from __future__ import annotations

from django_tasks import task

from parecon.web.polls import services


@task()
def send_poll_reminders() -> int:
    """Remind invitees of polls closing within a day; returns how many e-mails went out."""
    return services.send_reminders()
