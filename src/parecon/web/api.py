"""The JSON API: one Django Ninja instance, one router per domain, under ``/api/``.

Every page's action is here too, with the same services behind it. Errors from the
services map to HTTP statuses: permission → 403, validation → 422, missing → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from parecon.web.site.api_auth import AUTH

api = NinjaAPI(
    title="parecon",
    version="1",
    description=(
        "The parecon platform's JSON API. Authenticate with a session (and its CSRF "
        "token) or with `Authorization: Bearer <token>` using a member's API token."
    ),
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


def _register() -> None:
    from parecon.web.chapters.api import router as chapters
    from parecon.web.commons.api import needs, offers, organisations
    from parecon.web.councils.api import router as councils
    from parecon.web.decisions.api import router as decisions
    from parecon.web.discussion.api import router as threads
    from parecon.web.effort.api import allowances, effort
    from parecon.web.evaluations.api import router as evaluations
    from parecon.web.jobs.api import complexes_router, swaps_router, tasks_router
    from parecon.web.learn.game_api import router as games
    from parecon.web.meetings.api import router as meetings
    from parecon.web.members.api import router as members
    from parecon.web.planning.api import plans, proposals, rounds
    from parecon.web.polls.api import router as polls
    from parecon.web.projects.api import events_router, projects_router
    from parecon.web.treasury.api import accounts, budgets, ledger, reports

    api.add_router("/members", members)
    api.add_router("/chapters", chapters)
    api.add_router("/councils", councils)
    api.add_router("/plans", plans)
    api.add_router("/rounds", rounds)
    api.add_router("/proposals", proposals)
    api.add_router("/threads", threads)
    api.add_router("/decisions", decisions)
    api.add_router("/polls", polls)
    api.add_router("/meetings", meetings)
    api.add_router("/projects", projects_router)
    api.add_router("/events", events_router)
    api.add_router("/evaluations", evaluations)
    api.add_router("/needs", needs)
    api.add_router("/offers", offers)
    api.add_router("/organisations", organisations)
    api.add_router("/tasks", tasks_router)
    api.add_router("/complexes", complexes_router)
    api.add_router("/swaps", swaps_router)
    api.add_router("/effort", effort)
    api.add_router("/allowances", allowances)
    api.add_router("/games", games)
    api.add_router("/accounts", accounts)
    api.add_router("/ledger", ledger)
    api.add_router("/budgets", budgets)
    api.add_router("/reports", reports)


_register()
