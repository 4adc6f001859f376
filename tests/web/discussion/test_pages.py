"""The discussion's pages: wrong users refused with nothing written, escaping, sizes, badge."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parecon.web.discussion import services
from parecon.web.discussion.models import Flag, Notification, Post, PostRevision, Thread

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Thread.objects.count(),
        Post.objects.count(),
        PostRevision.objects.count(),
        Flag.objects.count(),
        Flag.objects.filter(outcome="open").count(),
        Post.objects.filter(hidden_at__isnull=False).count(),
        Notification.objects.filter(read_at__isnull=True).count(),
    )


@pytest.fixture
def thread(people: Any) -> Thread:
    thread, _found = services.start_thread(people.alice, people.chapter, title="Bread", body="Hi")
    services.reply(people.bob, thread, body="Hello")
    return thread


def _writes(people: Any, thread: Thread) -> list[tuple[str, dict[str, str], Any]]:
    """Every write page with the payload that succeeds for the right member."""
    opening = thread.posts.get(is_opening=True)
    reply = thread.posts.get(is_opening=False)
    flag = Flag.objects.create(post=reply, flagged_by=people.founder, reason="check")
    return [
        (
            reverse("discussion:chapter", args=[people.chapter.slug]),
            {"title": "T", "body": "B"},
            people.alice,
        ),
        (
            reverse("discussion:chapter", args=[people.chapter.slug]),
            {"title": "T", "body": "B", "announcement": "on"},
            people.facilitator,
        ),
        (reverse("discussion:reply", args=[thread.pk]), {"body": "more"}, people.alice),
        (
            reverse("discussion:edit", args=[opening.pk]),
            {"title": "Bread!", "body": "Hi!"},
            people.alice,
        ),
        (reverse("discussion:flag", args=[reply.pk]), {"reason": "rude"}, people.alice),
        (reverse("discussion:dismiss", args=[flag.pk]), {}, people.mediator),
        (reverse("discussion:hide", args=[reply.pk]), {"reason": "rude"}, people.mediator),
    ]


def test_every_write_page_refuses_the_wrong_users(people: Any, thread: Thread, login: Any) -> None:
    for url, payload, right in _writes(people, thread):
        before = _counts()
        events = _event_count()
        anonymous = Client().post(url, payload)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], url
        assert login(people.stranger).post(url, payload).status_code == 403, url
        # A plain member of the chapter, where a role or authorship is needed.
        plain = people.bob if right in (people.alice, people.mediator, people.facilitator) else None
        if url.endswith(("/reply/",)) or "/flag/" in url:
            plain = None  # any member may reply or flag
        if right is people.alice and "/in/" in url:
            plain = None  # any member may start a thread
        if plain is not None:
            assert login(plain).post(url, payload).status_code == 403, url
        assert _counts() == before and _event_count() == events, url
        ok = login(right).post(url, payload)
        assert ok.status_code == 302, (url, ok.content[:500])
        assert _counts() != before or _event_count() != events, url


def _event_count() -> int:
    from parecon.web.history.models import Event

    return Event.objects.count()


def test_reading_pages_refuse_anonymous_and_outsiders(
    people: Any, thread: Thread, login: Any
) -> None:
    opening = thread.posts.get(is_opening=True)
    for url in (
        reverse("discussion:chapter", args=[people.chapter.slug]),
        reverse("discussion:thread", args=[thread.pk]),
        reverse("discussion:history", args=[opening.pk]),
    ):
        assert Client().get(url).status_code == 302
        assert login(people.stranger).get(url).status_code == 403
        assert login(people.bob).get(url).status_code == 200
    flags = reverse("discussion:flags", args=[people.chapter.slug])
    assert login(people.bob).get(flags).status_code == 403
    assert login(people.mediator).get(flags).status_code == 200


def test_posts_escape_html_and_scripts(people: Any, login: Any) -> None:
    script = "<script>alert(1)</script><img src=x onerror=alert(2)> @bob-baker"
    client = login(people.alice)
    response = client.post(
        reverse("discussion:chapter", args=[people.chapter.slug]),
        {"title": script, "body": script},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'<a class="mention" href="/members/{people.bob.pk}/">@bob-baker</a>' in page
    listing = client.get(reverse("discussion:chapter", args=[people.chapter.slug])).content.decode()
    assert "<script>alert(1)" not in listing
    notes = login(people.bob).get(reverse("discussion:notifications")).content.decode()
    assert "<script>alert(1)" not in notes and "mentioned you" in notes


def test_oversized_post_gets_a_clear_message(people: Any, thread: Thread, login: Any) -> None:
    before = _counts()
    response = login(people.alice).post(
        reverse("discussion:reply", args=[thread.pk]), {"body": "x" * 10_001}
    )
    assert response.status_code == 400
    assert "at most 10000 characters (it has 10001)" in response.content.decode()
    assert _counts() == before


def test_edit_history_page_shows_every_version(people: Any, thread: Thread, login: Any) -> None:
    opening = thread.posts.get(is_opening=True)
    client = login(people.alice)
    client.post(reverse("discussion:edit", args=[opening.pk]), {"title": "Bread", "body": "v2"})
    client.post(reverse("discussion:edit", args=[opening.pk]), {"title": "Bread", "body": "v3"})
    page = login(people.bob).get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert "edited (3 versions)" in page
    history = (
        login(people.bob).get(reverse("discussion:history", args=[opening.pk])).content.decode()
    )
    assert all(f"Version {n}" in history for n in (1, 2, 3))
    assert "<p>Hi</p>" in history and "<p>v2</p>" in history and "<p>v3</p>" in history


def test_hidden_post_shows_its_reason_to_its_author_only(
    people: Any, thread: Thread, login: Any
) -> None:
    reply = thread.posts.get(is_opening=False)
    services.hide_post(people.mediator, reply, reason="Be kind")
    url = reverse("discussion:thread", args=[thread.pk])
    mine = login(people.bob).get(url).content.decode()
    assert "Be kind" in mine and "Hello" in mine
    theirs = login(people.alice).get(url).content.decode()
    assert "Hidden by the chapter" in theirs and "Be kind" not in theirs and "Hello" not in theirs
    log = (
        login(people.alice)
        .get(reverse("chapters:log", args=[people.chapter.slug]))
        .content.decode()
    )
    assert "Be kind" in log


def test_unread_badge_counts_and_polls(people: Any, thread: Thread, login: Any) -> None:
    client = login(people.alice)
    badge = client.get(reverse("discussion:badge")).content.decode()
    assert 'hx-trigger="every 10s"' in badge and ">1<" in badge.replace(" ", "")
    home = client.get(reverse("site:home")).content.decode()
    assert 'id="unread"' in home
    client.post(reverse("discussion:read"))
    assert "badge unread" not in client.get(reverse("discussion:badge")).content.decode()
    # Opening the thread reads its notifications too.
    services.reply(people.bob, thread, body="again")
    assert "badge unread" in client.get(reverse("discussion:badge")).content.decode()
    client.get(reverse("discussion:thread", args=[thread.pk]))
    assert "badge unread" not in client.get(reverse("discussion:badge")).content.decode()
    assert Client().get(reverse("discussion:badge")).status_code == 200


def test_chapter_page_links_to_threads(people: Any, login: Any) -> None:
    page = login(people.alice).get(reverse("chapters:detail", args=[people.chapter.slug]))
    assert reverse("discussion:chapter", args=[people.chapter.slug]) in page.content.decode()


def test_mediator_sees_the_flag_queue_and_hides(people: Any, thread: Thread, login: Any) -> None:
    reply = thread.posts.get(is_opening=False)
    login(people.alice).post(reverse("discussion:flag", args=[reply.pk]), {"reason": "rude"})
    client = login(people.mediator)
    assert (
        "rude"
        in client.get(reverse("discussion:flags", args=[people.chapter.slug])).content.decode()
    )
    client.post(reverse("discussion:hide", args=[reply.pk]), {"reason": ""})
    reply.refresh_from_db()
    assert not reply.is_hidden  # a reason is needed
    client.post(reverse("discussion:hide", args=[reply.pk]), {"reason": "rude indeed"})
    reply.refresh_from_db()
    assert reply.is_hidden
