"""Member pages: profiles, one's own account, tokens, the city picker."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web import gazetteer
from parecon.web.chapters.services import place_member
from parecon.web.members import selectors, services
from parecon.web.members.forms import ProfileForm, TokenForm
from parecon.web.members.models import APIToken, Member


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=pk)
    shown = selectors.visible_profile(request.user, member)
    chapters = (
        member.memberships.active().select_related("chapter")
        if request.user.is_authenticated
        else []
    )
    return render(
        request, "members/profile.html", {"member": member, "shown": shown, "chapters": chapters}
    )


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A member's photo, served only to those its visibility setting allows."""
    member = get_object_or_404(Member, pk=pk)
    if not member.photo or not selectors.can_see(request.user, member, "photo"):
        raise Http404
    response = FileResponse(member.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    me: Member = request.user  # type: ignore[assignment]
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=Member.objects.get(pk=me.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                me,
                name=form.cleaned_data["name"],
                bio=form.cleaned_data["bio"],
                near_me=form.cleaned_data["near_me"],
                language=form.cleaned_data["language"],
                digest=form.cleaned_data["digest"],
                visibility=form.visibility(),
            )
            if form.place is not None and form.place.geonameid != me.city_geonameid:
                chapter = place_member(me, form.place)
                messages.info(request, _("You were added to %(chapter)s.") % {"chapter": chapter})
            if photo := form.cleaned_data.get("photo"):
                services.set_photo(me, photo)
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Profile saved."))
            response = redirect("members:profile", pk=me.pk)
            response.set_cookie("django_language", me.language, samesite="Lax")
            return response
    return render(request, "members/edit.html", {"form": form})


@login_required
def near_me(request: HttpRequest) -> HttpResponse:
    try:
        radius = min(max(float(request.GET.get("km", "50")), 1.0), 1000.0)
    except ValueError:
        radius = 50.0
    neighbours = selectors.members_near(request.user, radius)  # type: ignore[arg-type]
    return render(request, "members/near.html", {"neighbours": neighbours, "radius": radius})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = services.export_data(request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-parecon-data.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, _("Type “delete” to confirm."))
        else:
            services.erase_account(request.user)  # type: ignore[arg-type]
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("site:home")
    return render(request, "members/delete.html")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    me: Member = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.create_token(
                me, form.cleaned_data["name"], form.cleaned_data["scope"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        form = TokenForm()
    return render(
        request,
        "members/tokens.html",
        {"form": form, "raw": raw, "tokens": me.api_tokens.all()},
    )


@require_POST
@login_required
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(APIToken, pk=pk, member=request.user)
    services.revoke_token(request.user, token)  # type: ignore[arg-type]
    messages.success(request, _("Token revoked."))
    return redirect("members:tokens")


def place_search(request: HttpRequest) -> HttpResponse:
    """Cities matching what is typed (HTMX fills a datalist; JSON for scripts)."""
    text = request.GET.get("city", request.GET.get("q", ""))[:100]
    places = gazetteer.search(text, limit=8)
    if request.headers.get("HX-Request"):
        return render(request, "members/_place_options.html", {"places": places})
    return JsonResponse({"places": [{"id": p.geonameid, "label": p.label} for p in places]})
