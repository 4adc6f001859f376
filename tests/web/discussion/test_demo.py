"""The demo community shows the discussion: threads, a mention, an announcement, a hidden post."""

from __future__ import annotations

import pytest
from django.core import mail

from parecon.web.discussion.models import Notification, Post, Thread
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


def test_demo_has_threads_announcement_and_a_hidden_post() -> None:
    from parecon.web.site.demo import load_demo

    people = load_demo()
    assert Thread.objects.filter(kind="announcement").count() == 1
    assert Thread.objects.filter(chapter__level="country").exists()
    hidden = Post.objects.get(hidden_at__isnull=False)
    assert hidden.author == people["bruno"] and hidden.hidden_by == people["dan"]
    assert Event.objects.filter(verb="discussion.hidden", public=True).exists()
    assert Notification.objects.filter(member=people["carla"], kind="mention").exists()
    # The announcement went by e-mail to Barcelona's other members, Bruno's in Spanish.
    to_bruno = next(m for m in mail.outbox if m.to == [people["bruno"].email])
    assert to_bruno.subject.startswith("[parecon] Anuncio en Barcelona")
    assert hidden.revisions.count() == 1 and Post.objects.filter(edited_at__isnull=False).exists()
