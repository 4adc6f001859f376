"""How the JSON API knows who is calling: a session (with CSRF) or an API token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from parecon.web.members.models import Member


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pc_…`` with a member's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        from parecon.web.members.services import member_for_token

        found = member_for_token(token)
        if found is None:
            return None
        member, api_token = found
        request.user = member
        request.api_token = api_token  # type: ignore[attr-defined]
        return member


class MemberSession(SessionAuth):
    """Django's session, with Ninja's CSRF check, for the pages' own scripts."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_active", False):
            return None
        return user


AUTH = [TokenAuth(), MemberSession()]


def writer(request: HttpRequest) -> Member:
    """The calling member, refusing a read-only token for a write."""
    token = getattr(request, "api_token", None)
    if token is not None and token.scope != "write":
        raise PermissionDenied(_("This API token is read-only."))
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    return user
