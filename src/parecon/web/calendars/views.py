"""Calendar pages: the member's feed link, the feeds themselves (ICS)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parecon.web.calendars import feeds, services
from parecon.web.calendars.models import FeedToken
from parecon.web.chapters.models import Chapter


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def my_feed(request: HttpRequest) -> HttpResponse:
    live = FeedToken.objects.filter(member=request.user, revoked_at__isnull=True).first()  # type: ignore[misc]
    raw = request.session.pop("new_feed_token", None)
    url = request.build_absolute_uri(reverse("calendars:feed", args=[raw])) if raw else None
    return render(
        request,
        "calendars/my_feed.html",
        {"live": live, "url": url, "sources": sorted(feeds.PERSONAL_SOURCES)},
    )


@require_POST
@login_required
def issue(request: HttpRequest) -> HttpResponse:
    request.session["new_feed_token"] = services.issue_feed_token(request.user)
    messages.success(request, _("Your new calendar link is below; the old one stopped working."))
    return redirect("calendars:mine")


@require_POST
@login_required
def revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_feed_token(request.user)
    messages.success(request, _("Your calendar link was revoked."))
    return redirect("calendars:mine")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    member = services.member_for_feed(token)
    if member is None:
        raise Http404
    body = feeds.render_ics(feeds.personal_entries(member), f"parecon: {member.display_name}")
    return ics_response(body, "parecon.ics")


@require_GET
def chapter_feed(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    body = feeds.render_ics(feeds.chapter_entries(chapter), f"parecon: {chapter.name}")
    return ics_response(body, f"{chapter.slug}.ics")
