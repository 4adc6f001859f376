"""The home page and small shared pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parecon.web.chapters.models import Chapter, Membership
from parecon.web.history.models import Event
from parecon.web.members.models import Member


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "site/landing.html",
            {"chapters": Chapter.objects.filter(level="city").count()},
        )
    chapters = Chapter.objects.filter(
        memberships__member=request.user, memberships__left_at__isnull=True
    ).order_by("name")
    events = (
        Event.objects.public().filter(chapter__in=chapters).select_related("actor", "chapter")[:15]
    )
    return render(request, "site/home.html", {"chapters": chapters, "events": events})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered as a logged-in member's language."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in ("en", "es"):
        Member.objects.filter(pk=user.pk).update(language=language)
    return response


def health(request: HttpRequest) -> HttpResponse:
    Membership.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
