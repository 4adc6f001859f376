"""Real objects for schemathesis's calls to ``/api/threads`` (see test_api_schemathesis).

The calling admin is made facilitator and mediator; each operation on a post gets a
post it can succeed on (the admin's own to edit, another's to flag or hide, a hidden
one to show again), keyed by the operation's path.
"""

from __future__ import annotations

from typing import Any


def discussion_world(admin: Any, plain: Any, chapter: Any, term: dict[str, Any]) -> dict[str, Any]:
    from parecon.web.chapters.services import grant_role
    from parecon.web.discussion import services

    grant_role(admin, chapter, admin, "facilitator", **term)
    grant_role(admin, chapter, admin, "mediator", **term)
    thread, _found = services.start_thread(admin, chapter, title="Schema", body="by the admin")
    to_flag, _found = services.reply(plain, thread, body="to flag")
    to_hide, _found = services.reply(plain, thread, body="to hide")
    hidden, _found = services.reply(plain, thread, body="hidden")
    services.hide_post(admin, hidden, reason="schemathesis")
    flagged, _found = services.reply(admin, thread, body="flagged by plain")
    flag = services.flag_post(plain, flagged, reason="schemathesis")
    opening = thread.posts.get(is_opening=True)
    return {
        "thread_id": thread.pk,
        "post_id": opening.pk,
        "flag_id": flag.pk,
        "per_path": {
            "/api/threads/posts/{post_id}": {"post_id": opening.pk},
            "/api/threads/posts/{post_id}/flag": {"post_id": to_flag.pk},
            "/api/threads/posts/{post_id}/hide": {"post_id": to_hide.pk},
            "/api/threads/posts/{post_id}/unhide": {"post_id": hidden.pk},
        },
    }
