"""Background work of the discussion (django-tasks): announcement e-mails and digests.

The database backend's worker (started by ``parecon serve``) runs them; the tests use
the immediate backend. The platform's clock
(:mod:`parecon.web.site.clock`) runs :data:`send_digests` every 15 minutes;
``manage.py send_digests`` enqueues it by hand or from cron.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from parecon.web.discussion import selectors
from parecon.web.discussion.models import Thread
from parecon.web.discussion.services import chapter_members
from parecon.web.members.models import Digest, Member

logger = logging.getLogger(__name__)

#: How long after the last digest the next one is due, less one tick of the clock, so a
#: daily digest goes at about the same time every day (by the clock or by a daily cron).
PERIODS = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
JITTER = timedelta(minutes=15)


def site_url(path: str) -> str:
    return str(getattr(settings, "SITE_URL", "http://localhost:8000")).rstrip("/") + path


def _message(member: Member, template: str, context: dict[str, object]) -> mail.EmailMessage:
    with translation.override(member.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"discussion/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"discussion/email/{template}.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return mail.EmailMessage(
        prefix + " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [member.email]
    )


@task()
def email_announcement(thread_id: int) -> int:
    """E-mail an announcement to every current member of its chapter but its author."""
    thread = Thread.objects.select_related("chapter", "author").get(pk=thread_id)
    opening = thread.posts.filter(is_opening=True).first()
    url = site_url(reverse("discussion:thread", args=[thread.pk]))
    messages = [
        _message(
            m,
            "announcement",
            {"thread": thread, "post": opening, "url": url, "member": m},
        )
        for m in chapter_members(thread.chapter)
        if m.pk != thread.author_id
    ]
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


def due(member: Member, now: datetime) -> bool:
    period = PERIODS.get(member.digest)  # type: ignore[call-overload]
    if period is None:
        return False
    return member.last_digest_at is None or member.last_digest_at <= now - period + JITTER


@task()
def send_digests() -> int:
    """Send each member whose digest is due what happened since their last one.

    A member's ``last_digest_at`` is moved forward by a conditional update before the
    e-mail goes, so two workers running at once never send the same digest twice. A
    member with nothing new gets no e-mail (but the clock still moves).
    """
    now = timezone.now()
    sent = 0
    candidates = Member.objects.filter(
        digest__in=list(PERIODS), is_active=True, erased_at__isnull=True
    ).order_by("pk")
    notifications_url = site_url(reverse("discussion:notifications"))
    settings_url = site_url(reverse("members:edit"))
    with mail.get_connection() as connection:
        for member in candidates.iterator():
            if not due(member, now):
                continue
            period = PERIODS[member.digest]  # type: ignore[index]
            since = member.last_digest_at or now - period
            claimed = Member.objects.filter(
                pk=member.pk, last_digest_at=member.last_digest_at
            ).update(last_digest_at=now)
            if not claimed:
                continue
            digest = selectors.digest_for(member, since)
            if not digest:
                continue
            message = _message(
                member,
                "digest",
                {
                    "member": member,
                    "digest": digest,
                    "since": since,
                    "site": site_url(""),
                    "notifications_url": notifications_url,
                    "settings_url": settings_url,
                },
            )
            try:
                sent += connection.send_messages([message]) or 0
            except OSError:
                # The mail server refused: give the digest back to the next run.
                Member.objects.filter(pk=member.pk, last_digest_at=now).update(
                    last_digest_at=member.last_digest_at
                )
                logger.warning("digest for member %s not sent; will retry", member.pk)
    return sent
