"""Reading members: what a viewer may see of a profile, and who is near."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from parecon.web.chapters.models import Membership
from parecon.web.gazetteer import distance_km
from parecon.web.members.models import Member, Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def share_a_chapter(a: Member, b: Member) -> bool:
    mine = Membership.objects.active().filter(member=a).values("chapter")
    return Membership.objects.active().filter(member=b, chapter__in=mine).exists()


def can_see(viewer: Member | AnonymousUser, member: Member, field: str) -> bool:
    """Whether ``viewer`` may see ``field`` of ``member``'s profile."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return True
    level = member.field_visibility(field)
    if level == Visibility.PUBLIC:
        return True
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if level == Visibility.ORGANISATION:
        return True
    return share_a_chapter(viewer, member)


def visible_profile(viewer: Member | AnonymousUser, member: Member) -> dict[str, object]:
    """The member's profile as ``viewer`` may see it (hidden fields are absent)."""
    profile: dict[str, object] = {"id": member.pk, "name": member.display_name}
    if member.erased_at:
        return profile
    if can_see(viewer, member, "city"):
        profile["city"] = member.city
        profile["region"] = member.region
        profile["country"] = member.country_code
    if can_see(viewer, member, "bio"):
        profile["bio"] = member.bio
    if can_see(viewer, member, "photo") and member.photo:
        profile["photo"] = reverse("members:photo", args=[member.pk])
    if can_see(viewer, member, "email"):
        profile["email"] = member.email
    return profile


@dataclass(frozen=True)
class Neighbour:
    member: Member
    km: float


def members_near(member: Member, radius_km: float = 50.0, limit: int = 50) -> list[Neighbour]:
    """Members who opted in to "members near me", by distance from ``member``'s city."""
    if member.latitude is None or member.longitude is None:
        return []
    lat, lon = member.latitude, member.longitude
    # A bounding box in degrees first (cheap in SQL), the exact distance after.
    dlat = radius_km / 111.0
    candidates = Member.objects.filter(
        near_me=True,
        is_active=True,
        erased_at__isnull=True,
        latitude__range=(lat - dlat, lat + dlat),
    ).exclude(pk=member.pk)
    found = [
        Neighbour(m, distance_km((lat, lon), (m.latitude, m.longitude)))
        for m in candidates
        if m.latitude is not None and m.longitude is not None
    ]
    found = [n for n in found if n.km <= radius_km]
    found.sort(key=lambda n: (n.km, n.member.name))
    return found[:limit]
