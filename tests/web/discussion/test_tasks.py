"""Background work: digests by django-tasks, the ``send_digests`` command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from parecon.web.discussion import services
from parecon.web.discussion.tasks import send_digests
from parecon.web.members.models import Member

pytestmark = pytest.mark.django_db


def _set(member: Any, digest: str, last: Any) -> None:
    Member.objects.filter(pk=member.pk).update(digest=digest, last_digest_at=last)


def test_digest_is_sent_when_due_with_what_is_new(people: Any) -> None:
    now = timezone.now()
    for m in Member.objects.all():
        _set(m, "none", None)
    _set(people.alice, "daily", now - timedelta(days=2))
    _set(people.bob, "weekly", now - timedelta(days=2))  # not due for five more days
    thread, _found = services.start_thread(
        people.founder, people.chapter, title="Cleaning rota", body="Who takes May?"
    )
    services.reply(people.founder, thread, body="@alice-liddell could you?")
    mail.outbox.clear()
    assert send_digests.enqueue().return_value == 1
    assert [m.to for m in mail.outbox] == [[people.alice.email]]
    body = mail.outbox[0].body
    assert "daily digest" in mail.outbox[0].subject and "Cleaning rota" in body
    assert "/threads/notifications/" in body
    people.alice.refresh_from_db()
    assert people.alice.last_digest_at is not None and people.alice.last_digest_at > now
    # Run again at once: nothing is due, nothing is sent twice.
    mail.outbox.clear()
    assert send_digests.enqueue().return_value == 0 and not mail.outbox


def test_weekly_digest_after_a_week_and_nothing_new_sends_nothing(people: Any) -> None:
    now = timezone.now()
    for m in Member.objects.all():
        _set(m, "none", None)
    _set(people.bob, "weekly", now - timedelta(days=8))
    mail.outbox.clear()
    assert send_digests.enqueue().return_value == 0 and not mail.outbox
    people.bob.refresh_from_db()
    assert people.bob.last_digest_at is not None and people.bob.last_digest_at > now
    _set(people.bob, "weekly", now - timedelta(days=8))
    services.start_thread(people.alice, people.chapter, title="Beer", body="New kettle")
    assert send_digests.enqueue().return_value == 1
    assert "weekly digest" in mail.outbox[0].subject and "Beer" in mail.outbox[0].body


def test_digest_in_the_members_language(people: Any) -> None:
    for m in Member.objects.all():
        _set(m, "none", None)
    Member.objects.filter(pk=people.bob.pk).update(language="es")
    _set(people.bob, "daily", None)
    services.start_thread(people.alice, people.chapter, title="Pan", body="Hola")
    send_digests.enqueue()
    assert "resumen diario" in mail.outbox[0].subject.lower()


def test_send_digests_command_enqueues_the_task(people: Any) -> None:
    for m in Member.objects.all():
        _set(m, "none", None)
    _set(people.alice, "daily", None)
    services.start_thread(people.bob, people.chapter, title="Soup", body="Tonight")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "send_digests enqueued" in out.getvalue() and "SUCCESSFUL" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[people.alice.email]]


def test_erased_and_inactive_members_get_no_digest(people: Any) -> None:
    for m in Member.objects.all():
        _set(m, "none", None)
    _set(people.alice, "daily", None)
    Member.objects.filter(pk=people.alice.pk).update(is_active=False)
    services.start_thread(people.bob, people.chapter, title="Soup", body="Tonight")
    assert send_digests.enqueue().return_value == 0


def test_a_digest_the_mail_server_refuses_is_retried_next_time(
    people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    for m in Member.objects.all():
        _set(m, "none", None)
    _set(people.alice, "daily", None)
    services.start_thread(people.bob, people.chapter, title="Soup", body="Tonight")

    def refuse(self: Any, messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    assert send_digests.enqueue().return_value == 0
    assert Member.objects.get(pk=people.alice.pk).last_digest_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    assert send_digests.enqueue().return_value == 1 and len(mail.outbox) == 1
