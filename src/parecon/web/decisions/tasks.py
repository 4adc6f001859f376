"""Background work of decisions (django-tasks): the review reminders."""

from __future__ import annotations

from django_tasks import task

from parecon.web.decisions.reviews import send_review_reminders as remind


@task()
def send_review_reminders() -> int:
    """Remind chapters of the decisions whose review date has come."""
    return remind()
