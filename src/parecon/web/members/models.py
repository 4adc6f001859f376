"""Members of the organisation, their profile and their API tokens.

A member logs in by e-mail (django-allauth verifies it). Profile fields each carry a
visibility (chapter, organisation, public). Deleting an account erases what
identifies the person but keeps the row, renamed "a former member", so that what they
wrote and the history still make sense without saying who they were.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FORMER_MEMBER = _("a former member")


class Visibility(models.TextChoices):
    CHAPTER = "chapter", _("my chapters")
    ORGANISATION = "organisation", _("every member")
    PUBLIC = "public", _("everyone")


class Digest(models.TextChoices):
    NONE = "none", _("no e-mail digest")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


#: Profile fields whose visibility a member sets, with their defaults.
VISIBLE_FIELDS: dict[str, str] = {
    "city": Visibility.ORGANISATION,
    "bio": Visibility.ORGANISATION,
    "photo": Visibility.CHAPTER,
    "email": Visibility.CHAPTER,
}


def default_visibility() -> dict[str, str]:
    return dict(VISIBLE_FIELDS)


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Member:
        if not email:
            raise ValueError("a member needs an e-mail address")
        member = self.model(email=self.normalize_email(email).lower(), **extra)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Member:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("name", "operator")
        return self.create_user(email, password, **extra)


class Member(AbstractBaseUser, PermissionsMixin):
    """A person in the organisation (``is_staff`` marks the instance's operator only)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    city_geonameid = models.IntegerField(null=True, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    visibility = models.JSONField(default=default_visibility)
    near_me = models.BooleanField(_("appear in 'members near me'"), default=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    digest = models.CharField(
        _("e-mail digest"), max_length=8, choices=Digest.choices, default=Digest.WEEKLY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[MemberManager] = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(FORMER_MEMBER) if self.erased_at else self.name

    def field_visibility(self, field: str) -> str:
        return str(self.visibility.get(field, VISIBLE_FIELDS.get(field, Visibility.CHAPTER)))


class APIToken(models.Model):
    """A per-member API token: random, shown once, stored as a SHA-256 digest.

    Tokens are 32 random bytes, so a fast digest is enough (no password stretching
    is needed for a secret that cannot be guessed); the first characters are kept in
    the clear to name the token in lists.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("read and write")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "pc_" + secrets.token_urlsafe(32)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
