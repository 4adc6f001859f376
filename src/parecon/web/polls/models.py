"""Time polls: when can the chapter meet? (After Rallly and Framadate.)

A poll belongs to a chapter and invites the whole chapter, a list of its members, or
the members of one of its councils (a federation: every council below it); guests
without an account answer through a private link each (only the
SHA-256 digest of its token is stored; revoking it ends the guest's access). Each
option is an instant (UTC) with a duration and the IANA zone it was entered in, so
every viewer sees it at their own local time. The arithmetic (scores, best options,
days in a viewer's zone) is :mod:`parecon.selfmanagement.time_polls`, called through
:mod:`parecon.web.polls.arithmetic`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Invitees(models.TextChoices):
    CHAPTER = "chapter", _("the whole chapter")
    LIST = "list", _("a list of members")
    COUNCIL = "council", _("a council or federation")


class Choice(models.TextChoices):
    YES = "yes", _("yes")
    IF_NEED_BE = "if_need_be", _("if need be")
    NO = "no", _("no")


class TimePoll(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="time_polls"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    zone = models.CharField(_("time zone"), max_length=64)
    invitees = models.CharField(max_length=8, choices=Invitees.choices, default=Invitees.CHAPTER)
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    everyone_answered_at = models.DateTimeField(null=True, blank=True)
    finalised_option = models.ForeignKey(
        "PollOption", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime) -> bool:
        return self.finalised_at is None and (self.closes_at is None or now < self.closes_at)


class PollOption(models.Model):
    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    zone = models.CharField(max_length=64)

    class Meta:
        ordering = ("starts_at", "id")

    def __str__(self) -> str:
        return f"{self.local_start:%Y-%m-%d %H:%M} {self.zone}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.zone))


class PollGuest(models.Model):
    """A person without an account, answering through a private link to one poll."""

    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=120)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class PollAnswer(models.Model):
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(
        PollGuest, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    choice = models.CharField(max_length=12, choices=Choice.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(member__isnull=False, guest__isnull=True)
                | Q(member__isnull=True, guest__isnull=False),
                name="answer_by_member_or_guest",
            ),
            models.UniqueConstraint(
                fields=("option", "member"),
                condition=Q(member__isnull=False),
                name="one_answer_per_member",
            ),
            models.UniqueConstraint(
                fields=("option", "guest"),
                condition=Q(guest__isnull=False),
                name="one_answer_per_guest",
            ),
        )

    @property
    def voter(self) -> str:
        return f"m{self.member_id}" if self.member_id else f"g{self.guest_id}"
