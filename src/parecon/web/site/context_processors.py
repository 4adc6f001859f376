"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, object]:
    """django-csp's per-request nonce under the name django-htmx's tags read."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
