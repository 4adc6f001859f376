"""Write cases of the discussion's routes for the authorisation sweep.

The sweep's world has an admin, a plain member (a note-taker), an outsider from Madrid
and a newcomer in no chapter; :func:`_world` adds a mediator and the threads, posts and
flags the writes act on, once per world, before any snapshot is taken.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.web.authorization import api_write, page_reads, page_write

page_reads(
    "discussion:thread",
    "discussion:history",
    "discussion:flags",
    "discussion:notifications",
    "discussion:badge",
)

MEMBERS = ("anonymous", "outsider")  # any member may do it: only non-members are wrong


def _world(w: Any) -> SimpleNamespace:
    if hasattr(w, "discussion"):
        return w.discussion  # type: ignore[no-any-return]
    from django.utils import timezone

    from parecon.web.chapters.services import grant_role
    from parecon.web.discussion import services
    from parecon.web.members.models import Member

    admin, plain = w.users["admin"], w.users["plain"]
    mediator = Member.objects.create_user("mediator@example.org", "pw", name="Mediator")
    from parecon.web.chapters.services import join

    join(mediator, w.chapter)
    now = timezone.now()
    grant_role(
        admin,
        w.chapter,
        mediator,
        "mediator",
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=30),
    )
    client = Client()
    client.force_login(mediator)
    w.users["mediator"], w.clients["mediator"] = mediator, client
    thread, _found = services.start_thread(plain, w.chapter, title="Sweep", body="by plain")
    by_admin, _found = services.reply(admin, thread, body="by admin")  # notifies plain
    by_plain, _found = services.reply(plain, thread, body="flagged by admin")
    hidden, _found = services.reply(admin, thread, body="hidden")
    services.hide_post(mediator, hidden, reason="sweep")
    flag = services.flag_post(admin, by_plain, reason="sweep")
    w.discussion = SimpleNamespace(
        thread=thread,
        opening=thread.posts.get(is_opening=True),
        by_admin=by_admin,
        hidden=hidden,
        flag=flag,
    )
    return w.discussion  # type: ignore[no-any-return]


@page_write("discussion:chapter", right="plain", wrong=MEMBERS)
def _start(w: Any) -> tuple[str, dict[str, Any]]:
    _world(w)
    return reverse("discussion:chapter", args=[w.chapter.slug]), {"title": "T", "body": "B"}


@page_write("discussion:reply", right="plain", wrong=MEMBERS)
def _reply(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:reply", args=[_world(w).thread.pk]), {"body": "more"}


@page_write("discussion:edit", right="plain", wrong=(*MEMBERS, "admin"))
def _edit(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:edit", args=[_world(w).opening.pk]), {
        "title": "Sweep!",
        "body": "edited",
    }


@page_write("discussion:flag", right="plain", wrong=MEMBERS)
def _flag(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:flag", args=[_world(w).by_admin.pk]), {"reason": "rude"}


@page_write("discussion:hide", right="mediator")
def _hide(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:hide", args=[_world(w).by_admin.pk]), {"reason": "rude"}


@page_write("discussion:unhide", right="mediator")
def _unhide(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:unhide", args=[_world(w).hidden.pk]), {}


@page_write("discussion:dismiss", right="mediator")
def _dismiss(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("discussion:dismiss", args=[_world(w).flag.pk]), {}


@page_write("discussion:read", right="plain", wrong=("anonymous",))  # one's own
def _read(w: Any) -> tuple[str, dict[str, Any]]:
    _world(w)
    return reverse("discussion:read"), {}


@api_write("POST", "/api/threads", right="plain", wrong=MEMBERS)
def _api_start(w: Any) -> tuple[str, dict[str, Any]]:
    _world(w)
    return "/api/threads", {"chapter": w.chapter.slug, "title": "T", "body": "B"}


@api_write("POST", "/api/threads/{thread_id}/replies", right="plain", wrong=MEMBERS)
def _api_reply(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/{_world(w).thread.pk}/replies", {"body": "more"}


@api_write("PATCH", "/api/threads/posts/{post_id}", right="plain", wrong=(*MEMBERS, "admin"))
def _api_edit(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/posts/{_world(w).opening.pk}", {"body": "edited"}


@api_write("POST", "/api/threads/posts/{post_id}/flag", right="plain", wrong=MEMBERS)
def _api_flag(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/posts/{_world(w).by_admin.pk}/flag", {"reason": "rude"}


@api_write("POST", "/api/threads/posts/{post_id}/hide", right="mediator")
def _api_hide(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/posts/{_world(w).by_admin.pk}/hide", {"reason": "rude"}


@api_write("POST", "/api/threads/notifications/read", right="plain", wrong=("anonymous",))
def _api_read(w: Any) -> tuple[str, dict[str, Any]]:
    _world(w)
    return "/api/threads/notifications/read", {}


@api_write("POST", "/api/threads/posts/{post_id}/unhide", right="mediator")
def _api_unhide(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/posts/{_world(w).hidden.pk}/unhide", {}


@api_write("POST", "/api/threads/flags/{flag_id}/dismiss", right="mediator")
def _api_dismiss(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/threads/flags/{_world(w).flag.pk}/dismiss", {}
