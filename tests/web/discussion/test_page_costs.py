"""A thread's page and a reply: queries that do not grow with the posts or the people."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parecon.web.discussion import services
from parecon.web.discussion.models import Notification, Thread

pytestmark = pytest.mark.django_db


def _queries(call: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured.captured_queries), response


def _varied_posts(people: Any, thread: Thread, n: int, members: list[Any]) -> None:
    """``n`` replies by several members: some mention someone, some are edited, one hidden."""
    for i in range(n):
        author = members[i % len(members)]
        body = f"Reply {i} for @alice-liddell" if i % 3 == 0 else f"Reply {i}"
        post, _found = services.reply(author, thread, body=body)
        if i % 4 == 0:
            services.edit_post(author, post, body=body + " (edited)")
        if i == 1:
            services.hide_post(people.mediator, post, reason="Off topic")


@pytest.mark.parametrize("viewer", ["alice", "mediator"])
def test_thread_page_queries_do_not_grow_with_its_posts(
    people: Any, login: Any, make_member: Any, viewer: str
) -> None:
    others = [people.bob, people.facilitator, *(make_member(f"Poster {i}") for i in range(6))]
    thread, _found = services.start_thread(people.alice, people.chapter, title="Oven", body="Hi")
    _varied_posts(people, thread, 4, others)
    client = login(getattr(people, viewer))
    url = reverse("discussion:thread", args=[thread.pk])
    client.get(url)  # the first read marks the notifications read (a write)
    few, _response = _queries(lambda: client.get(url))
    _varied_posts(people, thread, 40, others)
    client.get(url)
    many, response = _queries(lambda: client.get(url))
    assert many == few <= 12
    page = response.content.decode()
    assert page.count('class="mention"') == 2 + 14  # every third reply of each batch
    assert page.count("edited (2 versions)") == 1 + 10  # every fourth
    assert ("Off topic" in page) == (viewer == "mediator")  # the reason only for mediators


def test_reply_queries_do_not_grow_with_the_thread_or_its_participants(
    people: Any, login: Any, make_member: Any
) -> None:
    thread, _found = services.start_thread(people.alice, people.chapter, title="Mill", body="Hi")
    services.reply(people.bob, thread, body="First")
    client = login(people.facilitator)
    url = reverse("discussion:reply", args=[thread.pk])
    few, response = _queries(lambda: client.post(url, {"body": "A reply"}))
    assert response.status_code == 302
    posters = [make_member(f"Poster {i}") for i in range(12)]
    _varied_posts(people, thread, 36, posters)
    notified_before = Notification.objects.filter(kind="reply").count()
    many, response = _queries(lambda: client.post(url, {"body": "Another reply"}))
    assert response.status_code == 302
    assert many == few <= 15
    # Everyone who took part but the replier: Alice (the author), Bob and the 12 posters.
    assert Notification.objects.filter(kind="reply").count() - notified_before == 14
