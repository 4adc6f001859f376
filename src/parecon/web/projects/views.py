"""Project and event pages: open to everyone; newcomers join by e-mail."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.members.models import Member
from parecon.web.polls import arithmetic
from parecon.web.polls.forms import zones
from parecon.web.polls.selectors import member_zone
from parecon.web.projects import selectors, services
from parecon.web.projects.models import Event, Project, Status
from parecon.web.site.outcomes import error_text


def chapter_page(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    is_member = permissions.is_member(request.user, chapter)
    return render(
        request,
        "projects/chapter.html",
        {
            "chapter": chapter,
            "is_member": is_member,
            "projects": Project.objects.filter(chapter=chapter),
            "events": Event.objects.filter(
                chapter=chapter, ends_at__gte=datetime.now().astimezone() - timedelta(days=1)
            ),
            "stats": selectors.newcomer_stats(chapter) if is_member else None,
            "zone": member_zone(request.user, "UTC"),
            "zones": zones(),
        },
    )


@require_POST
@login_required
def new_project(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    p = request.POST
    try:
        project = services.create_project(
            request.user,
            chapter,
            title=p.get("title", ""),
            goal=p.get("goal", ""),
            description=p.get("description", ""),
            thread_url=p.get("thread_url", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("projects:chapter", slug=slug)
    return redirect("projects:project", pk=project.pk)


@require_POST
@login_required
def new_event(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    p = request.POST
    try:
        zone = arithmetic.check_zone(p.get("zone", "UTC"))
        try:
            local = datetime.fromisoformat(p.get("starts_at", ""))
            minutes = int(p.get("minutes") or 120)
            capacity = int(p["capacity"]) if p.get("capacity") else None
        except ValueError:
            raise ValidationError(
                _("Give a start, a length in minutes and a capacity as numbers.")
            ) from None
        if not 15 <= minutes <= 7 * 24 * 60:
            raise ValidationError({"minutes": _("An event lasts 15 minutes to a week.")})
        start = arithmetic.option_instant(local, zone, "starts_at")
        project = Project.objects.filter(pk=p.get("project") or 0, chapter=chapter).first()
        event = services.create_event(
            request.user,
            chapter,
            title=p.get("title", ""),
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            zone=zone,
            place=p.get("place", ""),
            capacity=capacity,
            description=p.get("description", ""),
            project=project,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("projects:chapter", slug=slug)
    return redirect("projects:event", pk=event.pk)


def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("chapter"), pk=pk)
    committed = project.participants.filter(status=Status.GOING).select_related(
        "member", "newcomer"
    )
    is_member = permissions.is_member(request.user, project.chapter)
    mine = is_member and committed.filter(member=request.user).exists()  # type: ignore[misc]
    return render(
        request,
        "projects/project.html",
        {
            "project": project,
            "committed": committed,
            "is_member": is_member,
            "mine": mine,
            "tasks": project.tasks.select_related("assignee"),
            "events": project.events.all(),
            "assignees": [c.member for c in committed if c.member is not None],
            "today": date.today(),
        },
    )


@require_POST
@login_required
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    services.commit(request.user, project, request.POST.get("withdraw") != "1")
    return redirect("projects:project", pk=pk)


@require_POST
@login_required
def project_task(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    p = request.POST
    assignee_id = p.get("assignee", "")
    try:
        try:
            due = date.fromisoformat(p.get("due_on", ""))
        except ValueError:
            raise ValidationError({"due_on": _("Give the due date.")}) from None
        services.add_project_task(
            request.user,
            project,
            title=p.get("title", ""),
            assignee=Member.objects.filter(pk=assignee_id).first()
            if assignee_id.isdigit()
            else None,
            due_on=due,
            hours=p.get("hours") or 1,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("projects:project", pk=pk)


def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("chapter", "project"), pk=pk)
    rows = event.participants.select_related("member", "newcomer")
    mine = rows.filter(member_id=request.user.pk).first() if request.user.is_authenticated else None
    return render(
        request,
        "projects/event.html",
        {
            "event": event,
            "going": [r for r in rows if r.status == Status.GOING],
            "waiting": [r for r in rows if r.status == Status.WAITING],
            "mine": mine,
            "zone": member_zone(request.user, event.zone),
        },
    )


@require_POST
@login_required
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    try:
        row = services.rsvp(request.user, event)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, row.get_status_display())
    return redirect("projects:event", pk=pk)


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    try:
        services.cancel_rsvp(request.user, event)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("projects:event", pk=pk)


def _join(request: HttpRequest, target: Event | Project, back: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("projects:confirm", args=["TOKEN"])).replace(
        "TOKEN", "{token}"
    )
    try:
        services.join_by_email(
            target, request.POST.get("name", ""), request.POST.get("email", ""), url
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Check your e-mail: open the link in it to confirm."))
    return redirect(back, pk=target.pk)


@require_POST
def event_join(request: HttpRequest, pk: int) -> HttpResponse:
    return _join(request, get_object_or_404(Event, pk=pk), "projects:event")


@require_POST
def project_join(request: HttpRequest, pk: int) -> HttpResponse:
    return _join(request, get_object_or_404(Project, pk=pk), "projects:project")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST confirms (link scanners only GET)."""
    row = services.pending_for_token(token)
    if row is None:
        raise Http404
    if request.method == "POST":
        try:
            row = services.confirm(token)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request, _("Confirmed: %(status)s.") % {"status": row.get_status_display()}
        )
        if row.event_id:
            return redirect("projects:event", pk=row.event_id)
        return redirect("projects:project", pk=row.project_id)
    target = row.event or row.project
    response = render(request, "projects/confirm.html", {"row": row, "target": target})
    # The token stays off other sites; "no-referrer" would also send "Origin: null" with
    # the page's own POST, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
