"""Meeting pages: a chapter's polls and meetings, running a meeting, its report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parecon.web.calendars.feeds import render_ics
from parecon.web.calendars.views import ics_response
from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter, Role, RoleGrant
from parecon.web.decisions.models import Decision
from parecon.web.meetings import room_decisions, services
from parecon.web.meetings.models import AgendaItem, DecisionMethod, FollowUpTask, Meeting
from parecon.web.meetings.selectors import calendar_entry, chapter_meetings, room_decisions_of
from parecon.web.members.models import Member
from parecon.web.polls import arithmetic
from parecon.web.polls.forms import zones
from parecon.web.polls.models import TimePoll
from parecon.web.polls.selectors import member_zone
from parecon.web.site.outcomes import error_text


def _chapter_members(chapter: Chapter) -> list[Member]:
    return list(
        Member.objects.filter(
            memberships__chapter=chapter, memberships__left_at__isnull=True
        ).order_by("name")
    )


@login_required
def chapter_page(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    now = timezone.now()
    meetings = chapter_meetings(chapter)
    return render(
        request,
        "meetings/chapter.html",
        {
            "chapter": chapter,
            "open_polls": TimePoll.objects.filter(chapter=chapter, finalised_at__isnull=True),
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(ends_at__lt=now)[:30],
            "can_schedule": permissions.has_role(
                request.user, chapter, Role.FACILITATOR, Role.ADMIN
            ),
            "zone": member_zone(request.user, "UTC"),
            "zones": zones(),
        },
    )


@require_POST
@login_required
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_role(request.user, chapter, Role.FACILITATOR, Role.ADMIN)
    zone = request.POST.get("zone", "UTC")
    try:
        arithmetic.check_zone(zone)
        try:
            local = datetime.fromisoformat(request.POST.get("starts_at", ""))
            minutes = int(request.POST.get("minutes", "90"))
        except ValueError:
            raise ValidationError({"starts_at": _("Give a date and time.")}) from None
        if not 15 <= minutes <= 1440:
            raise ValidationError({"minutes": _("A meeting lasts 15 minutes to 24 hours.")})
        starts_at = arithmetic.option_instant(local, zone, "starts_at")
        meeting = services.schedule_meeting(
            request.user,
            chapter,
            title=request.POST.get("title", ""),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            zone=zone,
            place=request.POST.get("place", ""),
            video_link=request.POST.get("video_link", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("meetings:chapter", slug=slug)
    return redirect("meetings:detail", pk=meeting.pk)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("chapter", "poll"), pk=pk)
    services.require_viewer(request.user, meeting)
    return meeting


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    can_run = services.can_run(request.user, meeting)
    members = _chapter_members(meeting.chapter)
    grants = RoleGrant.objects.current().filter(chapter=meeting.chapter).select_related("member")
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "zone": member_zone(request.user, meeting.zone),
            "can_run": can_run,
            "is_member": permissions.is_member(request.user, meeting.chapter),
            "can_assign": permissions.has_role(
                request.user, meeting.chapter, Role.FACILITATOR, Role.ADMIN
            ),
            "agenda": meeting.agenda.select_related("added_by", "decision"),
            "open_proposals": Decision.objects.filter(chapter=meeting.chapter)
            .exclude(status="closed")
            .exclude(pk__in=meeting.agenda.exclude(decision=None).values("decision_id"))[:50],
            "total_minutes": sum(i.minutes_boxed for i in meeting.agenda.all()),
            "members": members,
            "present": set(meeting.attendance.values_list("member_id", flat=True)),
            "decisions": room_decisions_of(meeting),
            "follow_ups": meeting.follow_ups.select_related("assignee"),
            "facilitators": [g.member for g in grants if g.role == Role.FACILITATOR],
            "note_takers": [g.member for g in grants if g.role == Role.NOTE_TAKER],
            "methods": DecisionMethod.choices,
            "proposal_items": [
                i for i in meeting.agenda.select_related("decision") if i.decision_id
            ],
            "show_minutes": can_run or meeting.published_at is not None,
            "today": date.today(),
        },
    )


@require_GET
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return ics_response(render_ics([calendar_entry(meeting)], meeting.title), "invite.ics")


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.published_at is None:
        services.require_runner(request.user, meeting)
    return render(
        request,
        "meetings/report.html",
        {
            "meeting": meeting,
            "zone": member_zone(request.user, meeting.zone),
            "agenda": meeting.agenda.all(),
            "present": Member.objects.filter(
                pk__in=meeting.attendance.values_list("member_id", flat=True)
            ).order_by("name"),
            "decisions": room_decisions_of(meeting),
            "follow_ups": meeting.follow_ups.select_related("assignee"),
        },
    )


def _done(request: HttpRequest, meeting: Meeting, ok: str) -> HttpResponse:
    messages.success(request, ok)
    return redirect("meetings:detail", pk=meeting.pk)


def _failed(request: HttpRequest, meeting: Meeting, exc: ValidationError) -> HttpResponse:
    messages.error(request, error_text(exc))
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    decision_id = request.POST.get("decision", "")
    decision = Decision.objects.filter(pk=decision_id).first() if decision_id.isdigit() else None
    if decision_id and decision is None:
        return _failed(request, meeting, ValidationError({"decision": _("No such proposal.")}))
    try:
        minutes = int(request.POST.get("minutes_boxed") or 10)
        services.add_agenda_item(
            request.user,
            meeting,
            request.POST.get("title", ""),
            minutes,
            request.POST.get("notes", ""),
            decision=decision,
        )
    except ValueError:
        return _failed(request, meeting, ValidationError({"minutes_boxed": _("Enter minutes.")}))
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Added to the agenda."))


@require_POST
@login_required
def agenda_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    found = get_object_or_404(AgendaItem, pk=item, meeting=meeting)
    try:
        services.remove_agenda_item(request.user, found)
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Taken off the agenda."))


def _member(value: str | None) -> Member | None:
    return Member.objects.filter(pk=int(value)).first() if value and value.isdigit() else None


@require_POST
@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.assign_roles(
            request.user,
            meeting,
            _member(request.POST.get("facilitator")),
            _member(request.POST.get("note_taker")),
        )
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Roles saved."))


@require_POST
@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    ids = [int(i) for i in request.POST.getlist("present") if i.isdigit()]
    try:
        n = services.set_attendance(request.user, meeting, ids)
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("%(n)d present.") % {"n": n})


@require_POST
@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the minutes; an HTMX autosave gets a one-line status back."""
    meeting = _meeting(request, pk)
    try:
        services.save_minutes(request.user, meeting, request.POST.get("minutes", ""))
    except ValidationError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(error_text(exc), status=422)
        return _failed(request, meeting, exc)
    if request.htmx:  # type: ignore[attr-defined]
        local = timezone.localtime(timezone.now())
        return render(request, "meetings/_saved.html", {"at": time_format(local, "H:i:s")})
    return _done(request, meeting, _("Minutes saved."))


@require_POST
@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts from the room, counted by the decisions engine (new or agenda proposal)."""
    meeting = _meeting(request, pk)
    p = request.POST
    item_id = p.get("agenda_item", "")
    items = AgendaItem.objects.filter(meeting=meeting).select_related("decision")
    item = items.filter(pk=int(item_id)).first() if item_id.isdigit() else None
    if item_id and item is None:
        return _failed(request, meeting, ValidationError({"agenda_item": _("No such item.")}))
    try:
        room_decisions.record_decision(
            request.user,
            meeting,
            text=p.get("text", ""),
            method=p.get("method") or "consent",
            in_favour=p.get("in_favour") or 0,
            against=p.get("against") or 0,
            abstain=p.get("abstain") or 0,
            blocks=p.get("blocks") or 0,
            block_reason=p.get("block_reason", ""),
            agenda_item=item,
        )
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Decision counted."))


@require_POST
@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    p = request.POST
    try:
        try:
            due = date.fromisoformat(p.get("due_on", ""))
        except ValueError:
            raise ValidationError({"due_on": _("Give the due date.")}) from None
        services.add_follow_up(
            request.user,
            meeting,
            title=p.get("title", ""),
            assignee=_member(p.get("assignee")),
            due_on=due,
            hours=p.get("hours") or 1,
            description=p.get("description", ""),
        )
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Follow-up task added."))


@require_POST
@login_required
def follow_up_done(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    found = get_object_or_404(FollowUpTask, pk=task, meeting=meeting)
    try:
        services.complete_follow_up(request.user, found)
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("Marked done."))


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.publish_minutes(request.user, meeting)
    except ValidationError as exc:
        return _failed(request, meeting, exc)
    return _done(request, meeting, _("The minutes are published to the chapter."))
