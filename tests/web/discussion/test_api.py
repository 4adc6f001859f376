"""``/api/threads``: the same rules as the pages, through JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from parecon.web.discussion.models import Flag, Notification, Post, Thread

pytestmark = pytest.mark.django_db


def _call(client: Client, method: str, path: str, body: Any = None) -> Any:
    kwargs: dict[str, Any] = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(f"/api/threads{path}", **kwargs)


def _state() -> tuple[int, ...]:
    return (
        Thread.objects.count(),
        Post.objects.count(),
        Flag.objects.count(),
        Post.objects.filter(hidden_at__isnull=False).count(),
        sum(len(p.body) for p in Post.objects.all()),
    )


def test_thread_life_through_the_api(people: Any, login: Any) -> None:
    alice, bob = login(people.alice), login(people.bob)
    created = _call(
        alice,
        "post",
        "",
        {"chapter": people.chapter.slug, "title": "T", "body": "Hi @bob-baker @zed"},
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["unresolved_mentions"] == ["zed"] and data["post"]["mentions"] == [people.bob.pk]
    tid, pid = data["thread"]["id"], data["post"]["id"]
    assert [t["id"] for t in _call(bob, "get", f"?chapter={people.chapter.slug}").json()] == [tid]
    reply = _call(bob, "post", f"/{tid}/replies", {"body": "Hello"})
    assert reply.status_code == 201
    edited = _call(alice, "patch", f"/posts/{pid}", {"body": "Hi again", "title": "T2"})
    assert edited.status_code == 200 and edited.json()["post"]["body"] == "Hi again"
    revisions = _call(bob, "get", f"/posts/{pid}/revisions").json()
    assert [(r["number"], r["body"]) for r in revisions] == [
        (1, "Hi @bob-baker @zed"),
        (2, "Hi again"),
    ]
    detail = _call(bob, "get", f"/{tid}").json()
    assert detail["title"] == "T2" and len(detail["posts"]) == 2
    notes = _call(bob, "get", "/notifications?unread=true").json()
    assert [n["kind"] for n in notes] == ["mention"]
    read = _call(bob, "post", "/notifications/read", {})
    assert read.json() == {"marked": 1, "unread": 0}
    rid = reply.json()["post"]["id"]
    assert _call(alice, "post", f"/posts/{rid}/flag", {"reason": "rude"}).status_code == 201
    hidden = _call(login(people.mediator), "post", f"/posts/{rid}/hide", {"reason": "kind words"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    seen_by_alice = _call(alice, "get", f"/{tid}").json()["posts"][1]
    assert seen_by_alice["body"] is None and seen_by_alice["hidden_reason"] is None
    seen_by_bob = _call(bob, "get", f"/{tid}").json()["posts"][1]
    assert seen_by_bob["body"] == "Hello" and seen_by_bob["hidden_reason"] == "kind words"


def test_every_api_write_refuses_the_wrong_users(people: Any, login: Any) -> None:
    from parecon.web.discussion import services

    thread, _found = services.start_thread(people.alice, people.chapter, title="T", body="B")
    reply, _found = services.reply(people.bob, thread, body="R")
    opening = thread.posts.get(is_opening=True)
    writes = [
        ("post", "", {"chapter": people.chapter.slug, "title": "x", "body": "y"}, None),
        (
            "post",
            "",
            {"chapter": people.chapter.slug, "title": "x", "body": "y", "announcement": True},
            people.alice,
        ),
        ("post", f"/{thread.pk}/replies", {"body": "y"}, None),
        ("patch", f"/posts/{opening.pk}", {"body": "changed"}, people.bob),
        ("post", f"/posts/{reply.pk}/flag", {"reason": "r"}, None),
        ("post", f"/posts/{reply.pk}/hide", {"reason": "r"}, people.alice),
    ]
    for method, path, body, plain in writes:
        before = _state()
        assert _call(Client(), method, path, body).status_code in (401, 403), path
        assert _call(login(people.stranger), method, path, body).status_code == 403, path
        if plain is not None:
            assert _call(login(plain), method, path, body).status_code == 403, path
        assert _state() == before, path


def test_api_refuses_oversized_text_and_read_only_tokens(people: Any, login: Any) -> None:
    from parecon.web.members.services import create_token

    too_long = _call(
        login(people.alice),
        "post",
        "",
        {"chapter": people.chapter.slug, "title": "t", "body": "x" * 10_001},
    )
    assert too_long.status_code == 422 and "10000" in too_long.content.decode()
    _token, raw = create_token(people.alice, "read only", "read")
    response = Client().post(
        "/api/threads",
        data=json.dumps({"chapter": people.chapter.slug, "title": "t", "body": "b"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403 and not Thread.objects.exists()
    assert Notification.objects.count() == 0


def test_mediators_list_dismiss_and_unhide_through_the_api(people: Any, login: Any) -> None:
    from parecon.web.discussion import services

    thread, _found = services.start_thread(people.alice, people.chapter, title="T", body="B")
    post, _found = services.reply(people.bob, thread, body="R")
    flag = services.flag_post(people.alice, post, reason="why")
    slug = people.chapter.slug
    assert _call(login(people.alice), "get", f"/flags?chapter={slug}").status_code == 403
    mediator = login(people.mediator)
    flags = _call(mediator, "get", f"/flags?chapter={slug}").json()
    assert [(f["id"], f["reason"], f["body"]) for f in flags] == [(flag.pk, "why", "R")]
    assert _call(mediator, "post", f"/flags/{flag.pk}/dismiss").json()["outcome"] == "dismissed"
    assert _call(mediator, "get", f"/flags?chapter={slug}").json() == []
    services.hide_post(people.mediator, post, reason="no")
    shown = _call(mediator, "post", f"/posts/{post.pk}/unhide")
    assert shown.status_code == 200 and not shown.json()["hidden"]


def test_huge_ids_are_refused_not_a_server_error(people: Any, login: Any) -> None:
    client = login(people.alice)
    huge = 2**70
    assert _call(client, "post", "/notifications/read", {"ids": [huge]}).status_code == 422
    assert _call(client, "get", f"/{huge}").status_code == 422
    assert _call(client, "post", f"/posts/{huge}/flag", {"reason": "r"}).status_code == 422
