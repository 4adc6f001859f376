"""Every write to chapters, memberships and roles: one function per action.

Each function checks who may act, validates, writes in one transaction and records
the change in the history (public to the chapter's members where it concerns them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.chapters.models import (
    Chapter,
    GrantSource,
    Invitation,
    JoinPolicy,
    JoinRequest,
    Level,
    Membership,
    Role,
    RoleGrant,
)
from parecon.web.chapters.permissions import require_login, require_member, require_role
from parecon.web.history.i18n import Said
from parecon.web.history.services import record

if TYPE_CHECKING:
    from parecon.web.councils.models import Council
    from parecon.web.gazetteer import Place
    from parecon.web.members.models import Member


def _unique_slug(base: str) -> str:
    root = slugify(base)[:100] or "chapter"
    slug, n = root, 1
    while Chapter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


def international() -> Chapter:
    """The organisation's international chapter, the root of the tree."""
    chapter, _created = Chapter.objects.get_or_create(
        level=Level.INTERNATIONAL,
        parent=None,
        defaults={"name": "International", "slug": "international"},
    )
    return chapter


def _get_or_create(
    level: str, parent: Chapter, name: str, **fields: object
) -> tuple[Chapter, bool]:
    lookup = {
        "level": level,
        **{k: v for k, v in fields.items() if k in ("country_code", "region", "geonameid")},
    }
    existing = Chapter.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            chapter = Chapter.objects.create(
                level=level, parent=parent, name=name, slug=_unique_slug(name), **fields
            )
    except IntegrityError:  # another request created it meanwhile
        return Chapter.objects.get(**lookup), False
    return chapter, True


def chapter_for_place(place: Place, founder: Member | None = None) -> Chapter:
    """The city's chapter, made (with its region and country above it) if missing.

    The founder of a newly made city chapter holds its admin role for a first term.
    """
    with transaction.atomic():
        country, _new = _get_or_create(
            Level.COUNTRY,
            international(),
            place.country,
            country_code=place.country_code,
            region="",
        )
        parent = country
        if place.region:
            parent, _new = _get_or_create(
                Level.REGION,
                country,
                f"{place.region} ({place.country})",
                country_code=place.country_code,
                region=place.region,
            )
        city, created = _get_or_create(
            Level.CITY,
            parent,
            place.label,
            geonameid=place.geonameid,
            country_code=place.country_code,
            region=place.region,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        if created:
            record(
                "chapter.created",
                Said(gettext_noop("Chapter %(name)s was founded."), {"name": city.name}),
                actor=founder,
                chapter=city,
                subject=city,
            )
            if founder is not None:
                _add_membership(founder, city)
                now = timezone.now()
                _create_grant(
                    city,
                    founder,
                    Role.ADMIN,
                    now,
                    now + timedelta(days=settings.FOUNDING_TERM_DAYS),
                    GrantSource.FOUNDING,
                    actor=None,
                )
    return city


def _add_membership(member: Member, chapter: Chapter) -> Membership:
    existing = Membership.objects.active().filter(chapter=chapter, member=member).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(chapter=chapter, member=member)
    record(
        "chapter.joined",
        Said(gettext_noop("%(member)s joined."), {"member": member.display_name}),
        actor=member,
        chapter=chapter,
        subject=membership,
    )
    return membership


@transaction.atomic
def place_member(member: Member, place: Place) -> Chapter:
    """Set the member's city and add them to its chapter (founding it if needed)."""
    member.city_geonameid = place.geonameid
    member.city = place.name
    member.region = place.region
    member.country_code = place.country_code
    member.latitude = place.latitude
    member.longitude = place.longitude
    member.save(
        update_fields=["city_geonameid", "city", "region", "country_code", "latitude", "longitude"]
    )
    chapter = chapter_for_place(place, founder=member)
    _add_membership(member, chapter)
    return chapter


@transaction.atomic
def join(member: Member, chapter: Chapter, reason: str = "") -> Membership | JoinRequest:
    """Join an open chapter, ask to join one by request, or accept an invitation."""
    member = require_login(member)
    if Membership.objects.active().filter(chapter=chapter, member=member).exists():
        raise ValidationError(_("You are already a member of %(chapter)s.") % {"chapter": chapter})
    if chapter.join_policy == JoinPolicy.OPEN:
        return _add_membership(member, chapter)
    if chapter.join_policy == JoinPolicy.REQUEST:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": _("Say briefly why you want to join.")})
        if JoinRequest.objects.filter(chapter=chapter, member=member, status="pending").exists():
            raise ValidationError(_("Your request to join is already waiting for an answer."))
        request = JoinRequest.objects.create(chapter=chapter, member=member, reason=reason)
        record(
            "chapter.join_requested",
            Said(gettext_noop("%(member)s asked to join."), {"member": member.display_name}),
            actor=member,
            chapter=chapter,
            subject=request,
            public=False,
        )
        return request
    invitation = (
        Invitation.objects.select_for_update()
        .filter(chapter=chapter, email__iexact=member.email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise PermissionDenied(_("%(chapter)s is open by invitation only.") % {"chapter": chapter})
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return _add_membership(member, chapter)


@transaction.atomic
def leave(member: Member, chapter: Chapter) -> None:
    member = require_member(member, chapter)
    Membership.objects.active().filter(chapter=chapter, member=member).update(
        left_at=timezone.now()
    )
    record(
        "chapter.left",
        Said(gettext_noop("%(member)s left."), {"member": member.display_name}),
        actor=member,
        chapter=chapter,
        subject=chapter,
    )


@transaction.atomic
def decide_join_request(actor: Member, request: JoinRequest, approve: bool) -> JoinRequest:
    actor = require_role(actor, request.chapter, Role.ADMIN)
    request = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered."))
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    verb = "approved" if approve else "declined"
    summary = (
        gettext_noop("%(actor)s approved the request of %(member)s to join.")
        if approve
        else gettext_noop("%(actor)s declined the request of %(member)s to join.")
    )
    record(
        f"chapter.join_{verb}",
        Said(summary, {"actor": actor.display_name, "member": request.member.display_name}),
        actor=actor,
        chapter=request.chapter,
        subject=request,
    )
    if approve:
        _add_membership(request.member, request.chapter)
    return request


@transaction.atomic
def invite(actor: Member, chapter: Chapter, email: str) -> Invitation:
    actor = require_role(actor, chapter, Role.ADMIN)
    email = email.strip().lower()
    invitation = Invitation.objects.create(chapter=chapter, email=email, invited_by=actor)
    record(
        "chapter.invited",
        Said(gettext_noop("%(actor)s invited someone to join."), {"actor": actor.display_name}),
        actor=actor,
        chapter=chapter,
        subject=invitation,
    )
    return invitation


@transaction.atomic
def edit_chapter(actor: Member, chapter: Chapter, *, description: str, join_policy: str) -> Chapter:
    actor = require_role(actor, chapter, Role.ADMIN)
    if join_policy not in JoinPolicy.values:
        raise ValidationError({"join_policy": _("Unknown join policy %(p)r.") % {"p": join_policy}})
    before = {"description": chapter.description, "join_policy": chapter.join_policy}
    chapter.description = description
    chapter.join_policy = join_policy
    chapter.full_clean()
    chapter.save(update_fields=["description", "join_policy"])
    record(
        "chapter.edited",
        Said(
            gettext_noop("%(actor)s edited the chapter's description or join policy."),
            {"actor": actor.display_name},
        ),
        actor=actor,
        chapter=chapter,
        subject=chapter,
        data={"before": before, "after": {"description": description, "join_policy": join_policy}},
    )
    return chapter


def _create_grant(
    chapter: Chapter,
    member: Member,
    role: str,
    starts_at: datetime,
    ends_at: datetime,
    source: str,
    *,
    actor: Member | None,
    source_ref: str = "",
    council: Council | None = None,
) -> RoleGrant:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)r.") % {"role": role}})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A term must end after it starts.")})
    if not Membership.objects.active().filter(chapter=chapter, member=member).exists():
        raise ValidationError(
            {"member": _("%(member)s is not a member of this chapter.") % {"member": member}}
        )
    grant = RoleGrant.objects.create(
        chapter=chapter,
        member=member,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        source=source,
        source_ref=source_ref,
        granted_by=actor,
        council=council,
    )
    record(
        "role.granted",
        Said(
            gettext_noop("%(member)s is %(role)s from %(start)s to %(end)s (%(source)s).")
            if council is None
            else gettext_noop(
                "%(member)s is %(role)s of %(council)s from %(start)s to %(end)s (%(source)s)."
            ),
            {
                "member": member.display_name,
                "role": Role(role).label,
                "start": starts_at,
                "end": ends_at,
                "source": GrantSource(source).label,
                **({"council": str(council)} if council is not None else {}),
            },
        ),
        actor=actor,
        chapter=chapter,
        subject=grant,
        data={
            "role": role,
            "source": source,
            "source_ref": source_ref,
            "council": council.slug if council is not None else None,
        },
    )
    return grant


@transaction.atomic
def grant_role(
    actor: Member,
    chapter: Chapter,
    member: Member,
    role: str,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> RoleGrant:
    """An admin grants a role for a term (by default from now for the default term)."""
    actor = require_role(actor, chapter, Role.ADMIN)
    start = starts_at or timezone.now()
    end = ends_at or start + timedelta(days=settings.DEFAULT_ROLE_TERM_DAYS)
    return _create_grant(chapter, member, role, start, end, GrantSource.ADMIN, actor=actor)


@transaction.atomic
def grant_council_role(
    actor: Member,
    council: Council,
    member: Member,
    role: str,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> RoleGrant:
    """An admin of the council's chapter grants a role held in that council only.

    The same record as a chapter role, with ``council`` set; the role then holds in
    the council and the councils it federates (``councils.permissions``).
    """
    actor = require_role(actor, council.chapter, Role.ADMIN)
    start = starts_at or timezone.now()
    end = ends_at or start + timedelta(days=settings.DEFAULT_ROLE_TERM_DAYS)
    return _create_grant(
        council.chapter, member, role, start, end, GrantSource.ADMIN, actor=actor, council=council
    )


@transaction.atomic
def grant_role_by(
    source: str,
    source_ref: str,
    chapter: Chapter,
    member: Member,
    role: str,
    *,
    starts_at: datetime,
    ends_at: datetime,
    council: Council | None = None,
) -> RoleGrant:
    """A grant made by a decision or a published rotation (its id in ``source_ref``).

    The caller has already established the authority (the decision passed, the
    rotation was published by someone entitled to); the grant is the same record and
    is logged in the same way as an admin's.
    """
    if source not in (GrantSource.DECISION, GrantSource.ROTATION):
        raise ValueError(f"grant_role_by is for decisions and rotations, not {source!r}")
    return _create_grant(
        chapter,
        member,
        role,
        starts_at,
        ends_at,
        source,
        actor=None,
        source_ref=source_ref,
        council=council,
    )


@transaction.atomic
def revoke_role(actor: Member, grant: RoleGrant, reason: str) -> RoleGrant:
    actor = require_role(actor, grant.chapter, Role.ADMIN)
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError(_("This grant was already revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for revoking a role.")})
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.revoke_reason = reason.strip()[:500]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        "role.revoked",
        Said(
            gettext_noop("%(actor)s revoked the %(role)s role of %(member)s: %(reason)s"),
            {
                "actor": actor.display_name,
                "role": Role(grant.role).label,
                "member": grant.member.display_name,
                "reason": grant.revoke_reason,
            },
        ),
        actor=actor,
        chapter=grant.chapter,
        subject=grant,
    )
    return grant
