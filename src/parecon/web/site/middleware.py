"""A logged-in member's chosen language wins over the browser's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class MemberLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", "") or "en"
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class RefuseNulCharacters:
    """A request whose text carries a NUL character is refused with a clear 400.

    No text a member writes contains one, PostgreSQL cannot store one, and letting it
    through would turn hostile input into a server error. Uploaded files (multipart
    bodies) are binary and are not inspected here.
    """

    MARKERS = (b"\\u0000", b"%00", b"\x00")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "").lower().encode()
        content_type = request.META.get("CONTENT_TYPE", "")
        body = b""
        if content_type.startswith(("application/json", "application/x-www-form-urlencoded")):
            body = request.body.lower()
        if any(marker in query or marker in body for marker in self.MARKERS):
            from django.http import JsonResponse

            message = "text may not contain NUL characters"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain")
        return self.get_response(request)
