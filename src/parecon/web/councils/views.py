"""Council pages: parse the request, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import require_role
from parecon.web.councils import permissions, selectors, services
from parecon.web.councils.models import Council, CouncilLevel
from parecon.web.site.outcomes import error_text


def council_list(request: HttpRequest) -> HttpResponse:
    chapter = None
    if slug := request.GET.get("chapter"):
        chapter = get_object_or_404(Chapter, slug=slug)
    return render(
        request,
        "councils/list.html",
        {"councils": selectors.councils_of(chapter)[:500], "chapter": chapter},
    )


def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from parecon.web.planning.selectors import council_plan_history

    council = get_object_or_404(Council.objects.select_related("chapter", "parent"), slug=slug)
    is_member = permissions.is_council_member(request.user, council)
    return render(
        request,
        "councils/detail.html",
        {
            "council": council,
            "ancestors": council.ancestors(),
            "children": council.children.order_by("name"),
            "members": selectors.member_names(council),
            "facilitators": selectors.council_facilitators(council),
            "is_member": is_member,
            "can_join": request.user.is_authenticated and council.takes_members and not is_member,
            "history": council_plan_history(council),
            "plans": council.participations.select_related("plan").order_by("-plan__created_at"),
        },
    )


@login_required
def council_new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_role(request.user, chapter, Role.FACILITATOR, Role.ADMIN)
    federations = Council.objects.filter(
        chapter__in=[chapter, *chapter.ancestors()],
        level__in=(
            CouncilLevel.INDUSTRY,
            CouncilLevel.NEIGHBOURHOOD,
            CouncilLevel.CITY,
            CouncilLevel.REGION,
        ),
    )
    if request.method == "POST":
        parent = federations.filter(pk=request.POST.get("parent") or 0).first()
        try:
            council = services.create_council(
                request.user,  # type: ignore[arg-type]
                chapter,
                name=request.POST.get("name", ""),
                level=request.POST.get("level", ""),
                parent=parent,
                description=request.POST.get("description", ""),
                acts_for_chapter=request.POST.get("acts_for_chapter") == "on",
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Council founded, and recorded in the chapter's log."))
            return redirect("councils:detail", slug=council.slug)
    return render(
        request,
        "councils/new.html",
        {
            "chapter": chapter,
            "levels": CouncilLevel.choices,
            "federations": federations,
            "values": request.POST,
        },
    )


@require_POST
@login_required
def council_join(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    try:
        services.join_council(request.user, council)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Welcome to %(council)s.") % {"council": council})
    return redirect("councils:detail", slug=slug)


@require_POST
@login_required
def council_leave(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    try:
        services.leave_council(request.user, council)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("You left %(council)s.") % {"council": council})
    return redirect("councils:detail", slug=slug)
