"""What a page shows after it asks a service to act: the success message, or the
service's validation errors in words, as Django messages on the next page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def attempt(request: HttpRequest, action: Callable[[], object], message: str) -> bool:
    """Run ``action``; flash ``message`` if it succeeds, its errors if it is refused.

    Permission errors are not caught: they become the 403 page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return False
    messages.success(request, message)
    return True


def attempt_then_redirect(
    request: HttpRequest, to: str, action: Callable[[], object], message: str
) -> HttpResponse:
    """``attempt`` and go to ``to`` either way (the post/redirect/get of a form)."""
    attempt(request, action, message)
    return redirect(to)
