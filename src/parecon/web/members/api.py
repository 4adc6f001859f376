"""``/api/members``: profiles, one's own account, members near me, places."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from parecon.web import gazetteer
from parecon.web.members import selectors, services
from parecon.web.members.models import Member
from parecon.web.site.api_auth import writer

router = Router(tags=["members"])


class ProfileOut(Schema):
    id: int
    name: str
    city: str | None = None
    region: str | None = None
    country: str | None = None
    bio: str | None = None
    photo: str | None = None
    email: str | None = None


class ProfileIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    bio: str | None = Field(None, max_length=2000)
    near_me: bool | None = None
    language: str | None = Field(None, pattern="^(en|es)$")
    digest: str | None = Field(None, pattern="^(none|daily|weekly)$")
    visibility: dict[str, str] | None = None


class NeighbourOut(Schema):
    id: int
    name: str
    km: float


class PlaceOut(Schema):
    id: int
    label: str
    latitude: float
    longitude: float


@router.get("/me", response=ProfileOut)
def me(request: HttpRequest) -> dict[str, object]:
    return selectors.visible_profile(request.user, request.user)  # type: ignore[arg-type]


@router.patch("/me", response=ProfileOut)
def update_me(request: HttpRequest, payload: ProfileIn) -> dict[str, object]:
    member = writer(request)
    changes = payload.dict(exclude_none=True)
    if "name" in changes and not changes["name"].strip():
        raise ValidationError({"name": _("A name cannot be blank.")})
    services.update_profile(member, **changes)
    return selectors.visible_profile(member, member)


@router.get("/near", response=list[NeighbourOut])
def near(
    request: HttpRequest, km: Annotated[float, Query(gt=0, le=1000)] = 50.0
) -> list[dict[str, object]]:
    return [
        {"id": n.member.pk, "name": n.member.display_name, "km": round(n.km, 1)}
        for n in selectors.members_near(request.user, km)  # type: ignore[arg-type]
    ]


@router.get("/places", response=list[PlaceOut], auth=None)
def places(
    request: HttpRequest, q: Annotated[str, Query(min_length=1, max_length=100)]
) -> list[dict[str, object]]:
    return [
        {"id": p.geonameid, "label": p.label, "latitude": p.latitude, "longitude": p.longitude}
        for p in gazetteer.search(q, limit=10)
    ]


@router.get("/{member_id}", response=ProfileOut)
def profile(request: HttpRequest, member_id: int) -> dict[str, object]:
    member = get_object_or_404(Member, pk=member_id)
    return selectors.visible_profile(request.user, member)
