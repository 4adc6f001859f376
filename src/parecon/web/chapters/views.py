"""Chapter pages: parse the request, call a service, render."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters import permissions, services
from parecon.web.chapters.forms import (
    ChapterForm,
    GrantForm,
    InviteForm,
    JoinRequestForm,
    RevokeForm,
)
from parecon.web.chapters.models import Chapter, JoinRequest, Membership, Role, RoleGrant
from parecon.web.history.selectors import chapter_log
from parecon.web.members.models import Member
from parecon.web.site.outcomes import error_text
from parecon.web.site.search import name_contains


def chapter_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    chapters = Chapter.objects.annotate(
        members=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).select_related("parent")
    if q:
        chapters = chapters.filter(name_contains("name", q))
    else:
        chapters = chapters.filter(level__in=("international", "country", "region", "city"))
    page = Paginator(chapters.order_by("level", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "chapters/list.html", {"page": page, "q": q})


def chapter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A city's ancestors (region, country, international) come in the same query.
    chapter = get_object_or_404(Chapter.objects.select_related("parent__parent__parent"), slug=slug)
    is_member = permissions.is_member(request.user, chapter)
    roles = permissions.current_roles(request.user, chapter)
    context = {
        "chapter": chapter,
        "ancestors": list(reversed(chapter.ancestors())),
        "children": chapter.children.order_by("name")[:100],
        "is_member": is_member,
        "my_roles": roles,
        "is_admin": Role.ADMIN in roles,
        "member_count": Membership.objects.active().filter(chapter=chapter).count(),
        "role_holders": RoleGrant.objects.current()
        .filter(chapter=chapter)
        .select_related("member"),
        "join_form": JoinRequestForm(),
        "pending": (
            JoinRequest.objects.filter(chapter=chapter, status="pending").select_related("member")
            if Role.ADMIN in roles
            else []
        ),
        "log": chapter_log(chapter)[:10] if is_member else [],
    }
    return render(request, "chapters/detail.html", context)


@login_required
def chapter_members(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    memberships = (
        Membership.objects.active()
        .filter(chapter=chapter)
        .select_related("member")
        .order_by("member__name")
    )
    page = Paginator(memberships, 100).get_page(request.GET.get("page"))
    return render(request, "chapters/members.html", {"chapter": chapter, "page": page})


@login_required
def chapter_log_page(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    page = Paginator(chapter_log(chapter), 50).get_page(request.GET.get("page"))
    return render(request, "chapters/log.html", {"chapter": chapter, "page": page})


@require_POST
@login_required
def chapter_join(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    form = JoinRequestForm(request.POST)
    form.is_valid()
    try:
        result = services.join(request.user, chapter, form.cleaned_data.get("reason", ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if isinstance(result, JoinRequest):
            messages.success(request, _("Your request to join was sent to the chapter's admins."))
        else:
            messages.success(request, _("Welcome to %(chapter)s.") % {"chapter": chapter})
    return redirect("chapters:detail", slug=slug)


@require_POST
@login_required
def chapter_leave(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    services.leave(request.user, chapter)  # type: ignore[arg-type]
    messages.success(request, _("You left %(chapter)s.") % {"chapter": chapter})
    return redirect("chapters:detail", slug=slug)


@login_required
def chapter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_role(request.user, chapter, Role.ADMIN)
    form = ChapterForm(request.POST or None, instance=Chapter.objects.get(pk=chapter.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_chapter(
                request.user,  # type: ignore[arg-type]
                chapter,
                description=form.cleaned_data["description"],
                join_policy=form.cleaned_data["join_policy"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved, and recorded in the chapter's log."))
            return redirect("chapters:detail", slug=slug)
    return render(request, "chapters/edit.html", {"chapter": chapter, "form": form})


@require_POST
@login_required
def join_request_decide(request: HttpRequest, slug: str, pk: int, verdict: str) -> HttpResponse:
    if verdict not in ("approve", "decline"):
        raise Http404
    chapter = get_object_or_404(Chapter, slug=slug)
    join_request = get_object_or_404(JoinRequest, pk=pk, chapter=chapter)
    try:
        services.decide_join_request(request.user, join_request, verdict == "approve")  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("chapters:detail", slug=slug)


@require_POST
@login_required
def chapter_invite(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    form = InviteForm(request.POST)
    permissions.require_role(request.user, chapter, Role.ADMIN)
    if form.is_valid():
        services.invite(request.user, chapter, form.cleaned_data["email"])  # type: ignore[arg-type]
        messages.success(request, _("Invitation recorded."))
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("chapters:roles", slug=slug)


def _aware(day: date | None, default: datetime | None) -> datetime | None:
    if day is None:
        return default
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def chapter_roles(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    is_admin = permissions.has_role(request.user, chapter, Role.ADMIN)
    members = Member.objects.filter(
        memberships__chapter=chapter, memberships__left_at__isnull=True
    ).order_by("name")
    form = GrantForm(request.POST or None)
    form.fields["member"].widget.choices = [(m.pk, m.display_name) for m in members]
    if request.method == "POST":
        permissions.require_role(request.user, chapter, Role.ADMIN)
        if form.is_valid():
            grantee = Member.objects.filter(pk=form.cleaned_data["member"]).first()
            try:
                if grantee is None:
                    raise ValidationError(_("No such member."))
                services.grant_role(
                    request.user,  # type: ignore[arg-type]
                    chapter,
                    grantee,
                    form.cleaned_data["role"],
                    starts_at=_aware(form.cleaned_data.get("starts_at"), None),
                    ends_at=_aware(form.cleaned_data.get("ends_at"), None),
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Role granted, and recorded in the chapter's log."))
                return redirect("chapters:roles", slug=slug)
    grants = RoleGrant.objects.filter(chapter=chapter).select_related("member", "granted_by")[:200]
    return render(
        request,
        "chapters/roles.html",
        {
            "chapter": chapter,
            "form": form,
            "grants": grants,
            "is_admin": is_admin,
            "now": timezone.now(),
            "revoke_form": RevokeForm(),
            "invite_form": InviteForm(),
        },
    )


@require_POST
@login_required
def role_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    grant = get_object_or_404(RoleGrant, pk=pk, chapter=chapter)
    form = RevokeForm(request.POST)
    permissions.require_role(request.user, chapter, Role.ADMIN)
    try:
        services.revoke_role(request.user, grant, request.POST.get("reason", ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Role revoked, and recorded in the chapter's log."))
    del form
    return redirect("chapters:roles", slug=slug)
