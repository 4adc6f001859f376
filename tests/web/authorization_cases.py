"""Write cases of the foundation's routes (members, chapters) for the sweep."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.authorization import api_write, page_reads, page_write

page_reads(
    "site:home",
    "site:health",
    "chapters:list",
    "chapters:detail",
    "chapters:members",
    "chapters:log",
    "members:profile",
    "members:photo",
    "members:near",
    "members:export",
    "members:places",
)


# --- chapters ---------------------------------------------------------------------
@page_write("chapters:join", right="plain", wrong=("anonymous",))
def _join(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:join", args=[w.other.slug]), {}


@page_write("chapters:leave", right="plain", wrong=("anonymous", "outsider"))
def _leave(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:leave", args=[w.chapter.slug]), {}


@page_write("chapters:edit", right="admin")
def _edit(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:edit", args=[w.chapter.slug]), {
        "description": "Rewritten by the sweep",
        "join_policy": "open",
    }


@page_write("chapters:invite", right="admin")
def _invite(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:invite", args=[w.chapter.slug]), {"email": "friend@example.org"}


@page_write("chapters:roles", right="admin")
def _grant(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:roles", args=[w.chapter.slug]), {
        "member": w.users["plain"].pk,
        "role": "treasurer",
    }


@page_write("chapters:revoke", right="admin")
def _revoke(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("chapters:revoke", args=[w.chapter.slug, w.grant.pk]), {"reason": "sweep"}


@page_write("chapters:decide_request", right="admin")
def _decide(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse(
        "chapters:decide_request", args=[w.chapter.slug, w.join_request.pk, "approve"]
    ), {}


@api_write("POST", "/api/chapters/{slug}/join", right="plain", wrong=("anonymous",))
def _api_join(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.other.slug}/join", {"reason": ""}


@api_write("POST", "/api/chapters/{slug}/leave", right="plain", wrong=("anonymous", "outsider"))
def _api_leave(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}/leave", {}


@api_write("PATCH", "/api/chapters/{slug}", right="admin")
def _api_edit(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}", {"description": "API edit", "join_policy": "open"}


@api_write("POST", "/api/chapters/{slug}/roles", right="admin")
def _api_grant(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}/roles", {
        "member_id": w.users["plain"].pk,
        "role": "mediator",
    }


@api_write("POST", "/api/chapters/{slug}/roles/{grant_id}/revoke", right="admin")
def _api_revoke(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}/roles/{w.grant.pk}/revoke", {"reason": "sweep"}


@api_write("POST", "/api/chapters/{slug}/requests/{request_id}/approve", right="admin")
def _api_approve(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}/requests/{w.join_request.pk}/approve", {}


@api_write("POST", "/api/chapters/{slug}/requests/{request_id}/decline", right="admin")
def _api_decline(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/chapters/{w.chapter.slug}/requests/{w.join_request.pk}/decline", {}


# --- members: one's own account; the "wrong" users are the anonymous visitor -------
@page_write("members:edit", right="plain", wrong=("anonymous",))
def _profile(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("members:edit"), {
        "name": "Renamed",
        "bio": "",
        "city": "",
        "language": "en",
        "digest": "weekly",
        "show_city": "organisation",
        "show_bio": "organisation",
        "show_photo": "chapter",
        "show_email": "chapter",
    }


@page_write("members:delete", right="plain", wrong=("anonymous",))
def _delete(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("members:delete"), {"confirm": "delete"}


@page_write("members:tokens", right="plain", wrong=("anonymous",))
def _token(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("members:tokens"), {"name": "script", "scope": "read"}


@page_write("members:revoke_token", right="plain", wrong=("anonymous", "outsider", "admin"))
def _revoke_token(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("members:revoke_token", args=[w.token.pk]), {}


@api_write("PATCH", "/api/members/me", right="plain", wrong=("anonymous",))
def _api_profile(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/members/me", {"bio": "written through the API"}
