"""Every write to a member's own account: profile, photo, tokens, export, erasure."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.history.i18n import Said
from parecon.web.history.services import record
from parecon.web.members.models import VISIBLE_FIELDS, APIToken, Member, Visibility

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 512


def update_profile(member: Member, **fields: Any) -> Member:
    """Change the member's own profile fields (name, bio, visibility, settings)."""
    allowed = {"name", "bio", "near_me", "language", "digest", "visibility"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown profile fields: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if "visibility" in fields:
        vis = fields["visibility"]
        if not isinstance(vis, dict) or any(
            k not in VISIBLE_FIELDS or v not in Visibility.values for k, v in vis.items()
        ):
            raise ValidationError(
                {
                    "visibility": _(
                        "Visibility must map profile fields to chapter, organisation or public."
                    )
                }
            )
        fields["visibility"] = {**member.visibility, **vis}
    for key, value in fields.items():
        setattr(member, key, value)
    member.full_clean(exclude=["password", "photo"])
    member.save()
    return member


def set_photo(member: Member, upload: UploadedFile[bytes]) -> Member:
    """Re-encode an uploaded photo (strips metadata, caps size) and store it.

    Anything Pillow cannot read as an image, or larger than 5 MB, is refused.
    """
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("A photo may be at most 5 MB.")})
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            if original.width * original.height > 40_000_000:
                raise ValidationError({"photo": _("That image is too large.")})
            image = original.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError({"photo": _("That file is not an image we can read.")}) from exc
    if member.photo:
        member.photo.delete(save=False)
    member.photo.save(f"member-{member.pk}.jpg", ContentFile(out.getvalue()), save=True)
    return member


def create_token(member: Member, name: str, scope: str) -> tuple[APIToken, str]:
    """A new API token; the raw secret is returned once and never stored."""
    if scope not in APIToken.Scope.values:
        raise ValidationError({"scope": _("Scope must be read or write.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw = APIToken.new_secret()
    token = APIToken.objects.create(
        member=member, name=name[:80], prefix=raw[:10], digest=APIToken.digest_of(raw), scope=scope
    )
    return token, raw


def revoke_token(member: Member, token: APIToken) -> None:
    if token.member_id != member.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("That token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def member_for_token(raw: str) -> tuple[Member, APIToken] | None:
    """The member a raw token authenticates, if the token exists and is not revoked."""
    token = (
        APIToken.objects.select_related("member")
        .filter(digest=APIToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.member.is_active:
        return None
    APIToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.member, token


def export_data(member: Member) -> dict[str, Any]:
    """Everything the platform holds about the member, as JSON-ready data."""
    from parecon.web.history.models import Event

    return {
        "profile": {
            "name": member.name,
            "email": member.email,
            "bio": member.bio,
            "city": member.city,
            "region": member.region,
            "country": member.country_code,
            "language": member.language,
            "digest": member.digest,
            "near_me": member.near_me,
            "visibility": member.visibility,
            "joined": member.date_joined.isoformat(),
            "photo": member.photo.name or None,
        },
        "memberships": [
            {
                "chapter": m.chapter.name,
                "joined": m.joined_at.isoformat(),
                "left": m.left_at.isoformat() if m.left_at else None,
            }
            for m in member.memberships.select_related("chapter")
        ],
        "roles": [
            {
                "chapter": g.chapter.name,
                "role": g.role,
                "starts": g.starts_at.isoformat(),
                "ends": g.ends_at.isoformat(),
                "source": g.source,
                "revoked": g.revoked_at.isoformat() if g.revoked_at else None,
            }
            for g in member.role_grants.select_related("chapter")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "scope": t.scope, "revoked": bool(t.revoked_at)}
            for t in member.api_tokens.all()
        ],
        "history": [
            {"when": e.created_at.isoformat(), "verb": e.verb, "summary": e.summary}
            for e in Event.objects.filter(actor=member).order_by("created_at")
        ],
    }


@transaction.atomic
def erase_account(member: Member) -> None:
    """Delete an account: erase name, e-mail and profile in one recorded step.

    The row stays (as "a former member") so history and what they wrote keep their
    authorship without identifying them; memberships end, roles and tokens lapse.
    """
    from allauth.account.models import EmailAddress

    from parecon.web.chapters.models import Membership, RoleGrant

    now = timezone.now()
    if member.photo:
        member.photo.delete(save=False)
    record(
        "member.erased",
        Said(gettext_noop("A member deleted their account.")),
        actor=member,
        public=False,
    )
    Membership.objects.filter(member=member, left_at__isnull=True).update(left_at=now)
    RoleGrant.objects.current().filter(member=member).update(
        revoked_at=now, revoke_reason="account deleted"
    )
    APIToken.objects.filter(member=member, revoked_at__isnull=True).update(revoked_at=now)
    EmailAddress.objects.filter(user=member).delete()
    member.name = ""
    member.email = f"erased-{member.pk}@invalid"
    member.bio = ""
    member.photo = ""
    member.city_geonameid = None
    member.city = member.region = ""
    member.latitude = member.longitude = None
    member.near_me = False
    member.is_active = False
    member.erased_at = now
    member.set_unusable_password()
    member.save()
