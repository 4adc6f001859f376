"""Meetings face to face: agenda, roles, attendance, minutes, decisions, follow-ups.

A meeting belongs to a chapter; it is made by finalising a time poll or scheduled
directly. Its facilitator and note-taker are members holding those roles in the
chapter (the one role model, :class:`~parecon.web.chapters.models.RoleGrant`).
Minutes are drafted during the meeting and published to the chapter afterwards.

:class:`FollowUpTask` is the platform's minimal one-off task (a title, an assignee,
a due date and hours). The shared-work app's one task model adopts it: until then it
lives here, with the fields a one-off task of the balanced rotation needs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    zone = models.CharField(_("time zone"), max_length=64)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    poll = models.OneToOneField(
        "polls.TimePoll", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.TextField(_("minutes"), max_length=100_000, blank=True)
    minutes_saved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: RFC 5545 SEQUENCE: raised whenever the time or place changes.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_at",)
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@parecon"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("item"), max_length=200)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    minutes_boxed = models.PositiveSmallIntegerField(_("time box (minutes)"), default=10)
    #: An open proposal of the decisions app that this item takes up, if any.
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("meeting", "member"), name="attended_once"),)


class DecisionMethod(models.TextChoices):
    """The methods a room counts by hand, named as the decision engine names them."""

    CONSENT = "consent", _("consent")
    MAJORITY = "majority", _("simple majority")
    QUALIFIED = "qualified_majority", _("two-thirds majority")


class RoomDecision(models.Model):
    """A decision taken in the room: a :class:`~parecon.web.decisions.models.Decision`
    whose room count was entered through the decisions app and counted by its engine.

    The counts are the decision's room ballots and the outcome its stored result;
    this row only says which meeting took it (and from which agenda item).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("meeting", "decision"), name="taken_once_per_meeting"),
        )


class FollowUpTask(models.Model):
    """A one-off task (see the module's docstring: the shared-work issue adopts it)."""

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="one_off_tasks"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, default=1)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("due_on", "id")
        constraints = (models.CheckConstraint(condition=Q(hours__gt=0), name="task_takes_time"),)

    def __str__(self) -> str:
        return self.title
