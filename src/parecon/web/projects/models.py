"""Projects and events open to newcomers: a finite task anyone can join by e-mail.

A :class:`Newcomer` is a person without an account, known by an e-mail address they
confirmed through a link (only a SHA-256 digest of each link's token is stored).
Members commit to a project or answer an event with their account; newcomers do the
same by e-mail. Events have a capacity: answers beyond it wait in order and move up
when someone cancels. A project's tasks are the platform's one-off tasks
(:class:`~parecon.web.meetings.models.FollowUpTask`, with ``project`` set).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Newcomer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    goal = models.CharField(_("goal"), max_length=500)
    #: A link to the project's discussion (the platform has no discussion app yet).
    thread_url = models.URLField(_("discussion thread"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="open_events"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    zone = models.CharField(_("time zone"), max_length=64)
    place = models.CharField(_("place"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("starts_at",)
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        return f"event-{self.pk}@parecon"


class Status(models.TextChoices):
    PENDING = "pending", _("waiting for the e-mail confirmation")
    GOING = "going", _("going")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Participation(models.Model):
    """A member or a newcomer in a project (committed) or at an event (RSVP)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="participants"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="participants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    #: The confirmation link's token digest (newcomers only; cleared once confirmed).
    digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(event__isnull=True))
                | (Q(project__isnull=True) & Q(event__isnull=False)),
                name="participation_in_project_or_event",
            ),
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(newcomer__isnull=True))
                | (Q(member__isnull=True) & Q(newcomer__isnull=False)),
                name="participation_by_member_or_newcomer",
            ),
            models.UniqueConstraint(
                fields=("event", "member"),
                condition=Q(member__isnull=False, event__isnull=False),
                name="one_rsvp_per_member",
            ),
            models.UniqueConstraint(
                fields=("event", "newcomer"),
                condition=Q(newcomer__isnull=False, event__isnull=False),
                name="one_rsvp_per_newcomer",
            ),
            models.UniqueConstraint(
                fields=("project", "member"),
                condition=Q(member__isnull=False, project__isnull=False),
                name="one_commitment_per_member",
            ),
            models.UniqueConstraint(
                fields=("project", "newcomer"),
                condition=Q(newcomer__isnull=False, project__isnull=False),
                name="one_commitment_per_newcomer",
            ),
        )

    @property
    def name(self) -> str:
        return self.member.display_name if self.member else self.newcomer.name  # type: ignore[union-attr]
