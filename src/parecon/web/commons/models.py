"""A chapter's commons: needs and offers, the matches that meet them, and its allies.

A post is a need or an offer of a member (or of the chapter itself); a match records
who gave what to whom and when, and for a loan when it comes back. Organisations are
the groups around the chapter, with follow-ups and the notes of what it learned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GOODS = "goods", _("goods")
    SKILLS = "skills", _("skills")
    TIME = "time", _("time")
    LIFT = "lift", _("a lift")
    CHILDCARE = "childcare", _("childcare")
    FOOD = "food", _("food")
    HOUSING = "housing", _("housing")
    OTHER = "other", _("other")


class Post(models.Model):
    class Kind(models.TextChoices):
        NEED = "need", _("need")
        OFFER = "offer", _("offer")

    class Urgency(models.IntegerChoices):
        LOW = 1, _("when convenient")
        MEDIUM = 2, _("soon")
        HIGH = 3, _("urgent")

    class Visibility(models.TextChoices):
        CHAPTER = "chapter", _("this chapter only")
        ALLIED = "allied", _("allied chapters too")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MET = "met", _("met")
        CLOSED = "closed", _("closed")

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commons_posts"
    )
    by_chapter = models.BooleanField(_("on behalf of the chapter"), default=False)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("details"), max_length=5000, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    when = models.CharField(_("when"), max_length=200, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("how urgent"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    visibility = models.CharField(
        _("visible to"), max_length=8, choices=Visibility.choices, default=Visibility.CHAPTER
    )
    is_loan = models.BooleanField(_("a loan of a thing (it comes back)"), default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-urgency", "-created_at")

    def __str__(self) -> str:
        return self.title


class Match(models.Model):
    """A need met by an offer: who gives, who receives, what, when; a loan comes back."""

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="matches"
    )
    need = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="met_by")
    offer = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="meets")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commons_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commons_received"
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    what = models.CharField(max_length=200)
    on = models.DateField()
    return_by = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-on", "-pk")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        UNION = "union", _("union")
        COOP = "coop", _("co-operative")
        TENANTS = "tenants", _("tenants' group")
        MUTUAL_AID = "mutual_aid", _("mutual-aid network")
        CHARITY = "charity", _("charity")
        OTHER = "other", _("other")

    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    does = models.TextField(_("what they do"), max_length=5000, blank=True)
    contact = models.CharField(_("how to reach them"), max_length=500, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: The chapter's evaluations of it (the evaluations app's), linked from here.
    evaluations = models.ManyToManyField(
        "evaluations.Evaluation", blank=True, related_name="organisations"
    )

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(fields=("chapter", "name"), name="organisation_names_unique"),
        )

    def __str__(self) -> str:
        return self.name


class FollowUp(models.Model):
    """A contact to make with an organisation by a due date, by one member."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="followups"
    )
    what = models.CharField(_("what to do"), max_length=300)
    due = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("done", "due")


class Note(models.Model):
    """What the chapter learned from an organisation, for every member to read."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
