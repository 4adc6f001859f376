"""What a page shows after it asks a service to act: the success message, or the
service's validation errors in words, as Django messages on the next page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def error_text(exc: ValidationError) -> str:
    """A refusal in words: every message, each field's prefixed by the field's name."""
    if hasattr(exc, "error_dict"):
        return " ".join(
            " ".join(messages_) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages_)}"
            for field, messages_ in exc.message_dict.items()
        )
    return " ".join(str(m) for m in exc.messages)


def flash_error(request: HttpRequest, exc: ValidationError) -> None:
    """Show a refusal as an error message on the next page."""
    messages.error(request, error_text(exc))


def attempt(request: HttpRequest, action: Callable[[], object], message: str) -> bool:
    """Run ``action``; flash ``message`` if it succeeds, its errors if it is refused.

    Permission errors are not caught: they become the 403 page."""
    try:
        action()
    except ValidationError as exc:
        flash_error(request, exc)
        return False
    messages.success(request, message)
    return True


def attempt_then_redirect(
    request: HttpRequest, to: str, action: Callable[[], object], message: str
) -> HttpResponse:
    """``attempt`` and go to ``to`` either way (the post/redirect/get of a form)."""
    attempt(request, action, message)
    return redirect(to)
