"""Time poll pages: create, the grid in the viewer's zone, answer, guests, finalise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parecon.selfmanagement.time_polls import TimeOptionScore
from parecon.web.calendars.feeds import render_ics
from parecon.web.calendars.views import ics_response
from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.councils.models import Council
from parecon.web.meetings.selectors import calendar_entry
from parecon.web.members.models import Member
from parecon.web.polls import arithmetic, forms, services
from parecon.web.polls.models import Choice, Invitees, PollAnswer, PollGuest, TimePoll
from parecon.web.polls.selectors import member_zone, poll_result, voter_names
from parecon.web.site.outcomes import error_text


@dataclass(frozen=True)
class _Slot:
    """An option as the viewer sees it, with the viewer's own answer."""

    start: datetime
    end: datetime
    score: TimeOptionScore
    mine: PollAnswer | None


@dataclass(frozen=True)
class _Day:
    date: date
    slots: tuple[_Slot, ...]


def _viewer_zone(request: HttpRequest, poll: TimePoll) -> str:
    asked = request.GET.get("tz", "").strip()
    if asked:
        try:
            zone = arithmetic.check_zone(asked, "tz")
        except ValidationError:
            messages.error(request, _("Unknown time zone; showing your own."))
        else:
            request.session["tz"] = zone
            return zone
    saved = request.session.get("tz")
    return str(saved) if saved else member_zone(request.user, poll.zone)


def _grid_context(
    request: HttpRequest, poll: TimePoll, mine: dict[int, PollAnswer]
) -> dict[str, Any]:
    zone = _viewer_zone(request, poll)
    result = poll_result(poll)
    names = voter_names(poll)
    days = [
        _Day(
            d.date,
            tuple(
                _Slot(s.start, s.end, s.score, mine.get(int(s.score.option.id))) for s in d.slots
            ),
        )
        for d in arithmetic.grid(result, zone)
    ]
    columns = [slot for day in days for slot in day.slots]
    answered = sorted(
        {v for s in result.scores for v in (*s.yes, *s.if_need_be, *s.no)},
        key=lambda v: (names.get(v) or v).lower(),
    )
    answers = {
        (a.voter, str(a.option_id)): a
        for a in PollAnswer.objects.filter(option__poll=poll).select_related("member")
    }
    rows = [
        {"name": names.get(v, "?"), "cells": [answers.get((v, s.score.option.id)) for s in columns]}
        for v in answered
    ]
    return {
        "poll": poll,
        "zone": zone,
        "zones": forms.zones(),
        "days": days,
        "columns": columns,
        "rows": rows,
        "result": result,
        "missing": [names.get(v, "?") for v in result.missing],
        "is_open": poll.is_open(timezone.now()),
        "choices": Choice.choices,
    }


@login_required
def poll_new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    members = Member.objects.filter(
        memberships__chapter=chapter, memberships__left_at__isnull=True
    ).order_by("name")
    councils = Council.objects.filter(chapter=chapter).order_by("kind", "level", "name")
    default_zone = member_zone(request.user, "UTC")
    if request.method == "POST":
        zone = request.POST.get("zone", default_zone)
        try:
            arithmetic.check_zone(zone)
            invited_ids = [int(i) for i in request.POST.getlist("invited") if i.isdigit()]
            poll = services.create_poll(
                request.user,
                chapter,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                zone=zone,
                options=forms.parse_options(request.POST),
                invitees=request.POST.get("invitees", Invitees.CHAPTER),
                invited=list(Member.objects.filter(pk__in=invited_ids)),
                council=councils.filter(slug=request.POST.get("council", "")).first(),
                closes_at=forms.parse_deadline(request.POST.get("closes_at", ""), zone),
                place=request.POST.get("place", ""),
                video_link=request.POST.get("video_link", ""),
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Poll created; the chapter can answer now."))
            return redirect("polls:detail", pk=poll.pk)
    return render(
        request,
        "polls/new.html",
        {
            "chapter": chapter,
            "members": members,
            "councils": councils,
            "zones": forms.zones(),
            "zone": request.POST.get("zone", default_zone),
            "rows": range(forms.ROWS),
            "durations": forms.DURATIONS,
            "post": request.POST,
        },
    )


@login_required
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(TimePoll.objects.select_related("chapter"), pk=pk)
    member = services.require_viewer(request.user, poll)
    mine = {a.option_id: a for a in PollAnswer.objects.filter(option__poll=poll, member=member)}
    context = _grid_context(request, poll, mine)
    context["organiser"] = services.is_organiser(member, poll)
    context["guests"] = poll.guests.order_by("created_at") if context["organiser"] else []
    context["new_guest_link"] = request.session.pop(f"guest-link-{poll.pk}", None)
    context["answer_url"] = reverse("polls:answer", args=[poll.pk])
    context["meeting"] = getattr(poll, "meeting", None)
    return render(request, "polls/detail.html", context)


@require_POST
@login_required
def poll_answer(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(TimePoll, pk=pk)
    ids = list(poll.options.values_list("pk", flat=True))
    try:
        services.answer_as_member(request.user, poll, forms.parse_answers(request.POST, ids))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your answers are saved."))
    return redirect("polls:detail", pk=pk)


@require_POST
@login_required
def poll_add_options(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(TimePoll, pk=pk)
    try:
        zone = request.POST.get("zone", poll.zone)
        services.add_options(request.user, poll, forms.parse_options(request.POST), zone)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("polls:detail", pk=pk)


@require_POST
@login_required
def poll_invite_guest(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(TimePoll, pk=pk)
    try:
        _guest, raw = services.invite_guest(request.user, poll, request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        request.session[f"guest-link-{poll.pk}"] = request.build_absolute_uri(
            reverse("polls:guest", args=[raw])
        )
    return redirect("polls:detail", pk=pk)


@require_POST
@login_required
def poll_revoke_guest(request: HttpRequest, pk: int, guest_id: int) -> HttpResponse:
    guest = get_object_or_404(PollGuest, pk=guest_id, poll_id=pk)
    services.revoke_guest(request.user, guest)
    messages.success(request, _("The guest link no longer works."))
    return redirect("polls:detail", pk=pk)


@require_POST
@login_required
def poll_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_object_or_404(TimePoll, pk=pk)
    services.require_organiser(request.user, poll)
    option = poll.options.filter(pk=request.POST.get("option") or 0).first()
    if option is None:
        messages.error(request, _("Choose one of the poll's times."))
        return redirect("polls:detail", pk=pk)
    try:
        meeting = services.finalise(request.user, poll, option)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("polls:detail", pk=pk)
    messages.success(request, _("The meeting is set and the invitations are sent."))
    return redirect("meetings:detail", pk=meeting.pk)


def _guest_or_404(token: str) -> PollGuest:
    guest = services.guest_for_token(token)
    if guest is None:
        raise Http404
    return guest


def poll_guest(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's page: their one poll, through their private link, without an account."""
    guest = _guest_or_404(token)
    poll = guest.poll
    if request.method == "POST":
        ids = list(poll.options.values_list("pk", flat=True))
        try:
            services.answer_as_guest(guest, forms.parse_answers(request.POST, ids))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(
                request, error_text(exc) if isinstance(exc, ValidationError) else str(exc)
            )
        else:
            messages.success(request, _("Thank you, your answers are saved."))
        return redirect("polls:guest", token=token)
    mine = {a.option_id: a for a in PollAnswer.objects.filter(option__poll=poll, guest=guest)}
    context = _grid_context(request, poll, mine)
    context.update(
        {
            "guest": guest,
            "organiser": False,
            "answer_url": reverse("polls:guest", args=[token]),
            "meeting": getattr(poll, "meeting", None),
            "invite_url": reverse("polls:guest_invite", args=[token]),
        }
    )
    response = render(request, "polls/detail.html", context)
    # The token stays off other sites; "no-referrer" would also send "Origin: null" with
    # the page's own POST, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def poll_guest_invite(request: HttpRequest, token: str) -> HttpResponse:
    guest = _guest_or_404(token)
    meeting = getattr(guest.poll, "meeting", None)
    if meeting is None:
        raise Http404
    return ics_response(render_ics([calendar_entry(meeting)], meeting.title), "invite.ics")
