"""Real objects for schemathesis' calls to the commons' API, so generated calls succeed.

Each call that changes a post, a loan or a follow-up gets a fresh one (a closed post
cannot be closed twice), made for the admin whose token the run uses.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

PREFIXES = ("/api/needs", "/api/offers", "/api/organisations")


def prepare(real: dict[str, Any], admin: Any, plain: Any, chapter: Any) -> None:
    from parecon.web.commons import services

    real["commons"] = {"admin": admin, "plain": plain, "chapter": chapter}
    real["commons"]["org"] = services.add_organisation(
        admin, chapter, name="Schema co-op", kind="coop"
    ).pk


def _post(who: Any, chapter: Any, kind: str, **extra: Any) -> int:
    from parecon.web.commons import services
    from parecon.web.commons.services import PostData

    return services.post(who, chapter, PostData(kind=kind, category="goods", title="x", **extra)).pk


def map_case(case: Any, real: dict[str, Any]) -> None:
    path = case.operation.path
    if "commons" not in real or not path.startswith(PREFIXES):
        return
    c = real["commons"]
    admin, plain, chapter = c["admin"], c["plain"], c["chapter"]
    params = case.path_parameters or {}
    if isinstance(case.query, dict) and "chapter" in case.query:
        case.query["chapter"] = chapter.slug
        case.query.pop("category", None)
    if isinstance(case.body, dict):
        if "chapter" in case.body:
            case.body["chapter"] = chapter.slug
        if "category" in case.body:
            case.body.update(category="goods", visibility="chapter", by_chapter=False)
            case.body.update(use_my_city=False, latitude=None, longitude=None)
        if path == "/api/organisations":
            case.body.update(kind="coop", name=f"Org {timezone.now().timestamp()}")
            case.body.update(latitude=None, longitude=None)
        if "assignee" in case.body:
            case.body["assignee"] = admin.pk
        if path.endswith("/evaluations"):
            case.body["evaluation"] = None
    if "post_id" in params:
        kind = "need" if path.startswith("/api/needs") else "offer"
        params["post_id"] = _post(admin, chapter, kind)
        if path.endswith("/matches") and isinstance(case.body, dict):
            case.body.update(offer=_post(plain, chapter, "offer"), return_by=None)
    if "match_id" in params:
        from parecon.web.commons import services
        from parecon.web.commons.models import Post

        need = Post.objects.get(pk=_post(admin, chapter, "need"))
        lent = Post.objects.get(pk=_post(plain, chapter, "offer", is_loan=True))
        back = timezone.localdate() + timedelta(days=3)
        params["match_id"] = services.accept(admin, need, lent, return_by=back).pk
    if "organisation_id" in params:
        params["organisation_id"] = c["org"]
    if "followup_id" in params:
        from parecon.web.commons import services
        from parecon.web.commons.models import Organisation

        org = Organisation.objects.get(pk=c["org"])
        due = timezone.localdate()
        params["followup_id"] = services.add_followup(
            admin, org, what="x", due=due, assignee=admin.pk
        ).pk
