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


def test_post_markup_escapes_names_and_reasons(people: Any, login: Any, make_member: Any) -> None:
    """The posts are written in Python, not by the template: what members typed is escaped."""
    eve = make_member("<b>Eve</b> O'Hara")
    thread, _found = services.start_thread(people.alice, people.chapter, title="T", body="Hi")
    post, _found = services.reply(eve, thread, body="<i>loud</i>")
    services.hide_post(people.mediator, post, reason="<script>no</script>")
    page = login(eve).get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt; O&#x27;Hara" in page and "<b>Eve" not in page
    assert "Reason: &lt;script&gt;no&lt;/script&gt;" in page and "<script>no" not in page
    assert "&lt;i&gt;loud&lt;/i&gt;" in page  # the author still reads their hidden post
    assert 'class="post hidden-post"' in page
