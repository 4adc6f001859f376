"""``/api/needs``, ``/api/offers`` and ``/api/organisations``: the commons in JSON.

Needs and offers share one shape, so one factory builds both routers; matching,
returns and the chapter's totals live under ``/api/needs``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter
from parecon.web.commons import selectors, services
from parecon.web.commons.models import FollowUp, Match, Organisation, Post
from parecon.web.site.api_auth import writer


class PostIn(Schema):
    chapter: str = Field(..., max_length=120)
    category: str = Field(..., max_length=16)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    place: str = Field("", max_length=200)
    when: str = Field("", max_length=200)
    urgency: int = Field(2, ge=1, le=3)
    visibility: str = Field("chapter", max_length=8)
    is_loan: bool = False
    by_chapter: bool = False
    use_my_city: bool = False
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class CommonsPostOut(Schema):
    id: int
    chapter: str
    kind: str
    author: str
    by_chapter: bool
    category: str
    title: str
    description: str
    place: str
    latitude: float | None
    longitude: float | None
    when: str
    urgency: int
    visibility: str
    is_loan: bool
    status: str


class SuggestionOut(Schema):
    offer: CommonsPostOut
    km: float | None


class MatchIn(Schema):
    offer: int
    return_by: date | None = None


class MatchOut(Schema):
    id: int
    need: int
    offer: int
    giver: str
    receiver: str
    category: str
    what: str
    on: date
    return_by: date | None
    returned_on: date | None


class HistoryOut(Schema):
    given: list[MatchOut]
    received: list[MatchOut]


class TotalOut(Schema):
    category: str
    matches: int
    loans_out: int


def _post_out(p: Post) -> dict[str, Any]:
    return {
        "id": p.pk,
        "chapter": p.chapter.slug,
        "kind": p.kind,
        "author": str(p.author.display_name),
        "by_chapter": p.by_chapter,
        "category": p.category,
        "title": p.title,
        "description": p.description,
        "place": p.place,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "when": p.when,
        "urgency": p.urgency,
        "visibility": p.visibility,
        "is_loan": p.is_loan,
        "status": p.status,
    }


def _match_out(m: Match) -> dict[str, Any]:
    return {
        "id": m.pk,
        "need": m.need_id,
        "offer": m.offer_id,
        "giver": str(m.giver.display_name),
        "receiver": str(m.receiver.display_name),
        "category": m.category,
        "what": m.what,
        "on": m.on,
        "return_by": m.return_by,
        "returned_on": m.returned_on,
    }


def _data(payload: PostIn, kind: str) -> services.PostData:
    return services.PostData(kind=kind, **payload.dict(exclude={"chapter"}))


def _member_chapter(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    return chapter


def _posts(kind: str) -> Router:
    router = Router(tags=[f"{kind}s"])

    def _get(request: HttpRequest, pk: int) -> Post:
        p = get_object_or_404(Post.objects.select_related("chapter", "author"), pk=pk, kind=kind)
        user = request.user
        if not user.is_authenticated or not selectors.may_read(user, p):
            raise PermissionDenied("this post is not shared with your chapters")
        return p

    @router.get("", response=list[CommonsPostOut], operation_id=f"list_{kind}s")
    def list_posts(
        request: HttpRequest,
        chapter: Annotated[str, Query(max_length=120)],
        category: Annotated[str, Query(max_length=16)] = "",
    ) -> list[dict[str, Any]]:
        c = _member_chapter(request, chapter)
        return [_post_out(p) for p in selectors.board(c, kind=kind, category=category)[:200]]

    @router.post("", response={201: CommonsPostOut}, operation_id=f"create_{kind}")
    def create(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
        chapter = get_object_or_404(Chapter, slug=payload.chapter)
        return Status(201, _post_out(services.post(writer(request), chapter, _data(payload, kind))))

    @router.get("/{post_id}", response=CommonsPostOut, operation_id=f"get_{kind}")
    def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
        return _post_out(_get(request, post_id))

    @router.put("/{post_id}", response=CommonsPostOut, operation_id=f"edit_{kind}")
    def edit(request: HttpRequest, post_id: int, payload: PostIn) -> dict[str, Any]:
        me = writer(request)
        return _post_out(services.edit(me, _get(request, post_id), _data(payload, kind)))

    @router.post("/{post_id}/close", response=CommonsPostOut, operation_id=f"close_{kind}")
    def close(request: HttpRequest, post_id: int) -> dict[str, Any]:
        me = writer(request)
        return _post_out(services.close(me, _get(request, post_id)))

    if kind == Post.Kind.NEED:

        @router.get("/{post_id}/suggestions", response=list[SuggestionOut])
        def suggestions(
            request: HttpRequest,
            post_id: int,
            within_km: Annotated[float | None, Query(ge=0, le=20_000)] = None,
        ) -> list[dict[str, Any]]:
            need = _get(request, post_id)
            return [
                {"offer": _post_out(s.offer), "km": s.km}
                for s in selectors.suggestions(need, within_km)
            ]

        @router.post("/{post_id}/matches", response={201: MatchOut})
        def accept(request: HttpRequest, post_id: int, payload: MatchIn) -> Status[dict[str, Any]]:
            me = writer(request)
            need = _get(request, post_id)
            offer = Post.objects.filter(pk=payload.offer, kind=Post.Kind.OFFER).first()
            if offer is None:
                raise ValidationError({"offer": "no such offer"})
            return Status(
                201, _match_out(services.accept(me, need, offer, return_by=payload.return_by))
            )

        @router.get("/history/mine", response=HistoryOut)
        def history(
            request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
        ) -> dict[str, Any]:
            c = _member_chapter(request, chapter)
            given, received = selectors.my_history(request.user, c)  # type: ignore[arg-type]
            return {
                "given": [_match_out(m) for m in given],
                "received": [_match_out(m) for m in received],
            }

        @router.get("/history/totals", response=list[TotalOut])
        def totals(
            request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
        ) -> list[dict[str, Any]]:
            c = _member_chapter(request, chapter)
            return [
                {"category": label, "matches": n, "loans_out": out}
                for label, n, out in selectors.totals(c)
            ]

        @router.post("/matches/{match_id}/returned", response=MatchOut)
        def returned(request: HttpRequest, match_id: int) -> dict[str, Any]:
            me = writer(request)
            match = get_object_or_404(
                Match.objects.select_related("giver", "receiver"), pk=match_id
            )
            return _match_out(services.returned(me, match))

    return router


needs = _posts(Post.Kind.NEED)
offers = _posts(Post.Kind.OFFER)
organisations = Router(tags=["organisations"])


class OrganisationIn(Schema):
    chapter: str = Field(..., max_length=120)
    name: str = Field(..., min_length=1, max_length=200)
    kind: str = Field(..., max_length=16)
    does: str = Field("", max_length=5000)
    contact: str = Field("", max_length=500)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class OrganisationFollowUpIn(Schema):
    what: str = Field(..., min_length=1, max_length=300)
    due: date
    assignee: int


class OrganisationFollowUpOut(Schema):
    id: int
    what: str
    due: date
    assignee: str
    done: bool


class NoteIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class NoteOut(Schema):
    id: int
    author: str
    body: str


class OrganisationOut(Schema):
    id: int
    chapter: str
    name: str
    kind: str
    does: str
    contact: str
    latitude: float | None
    longitude: float | None
    followups: list[OrganisationFollowUpOut]
    notes: list[NoteOut]
    evaluations: list[int]


class EvaluationLinkIn(Schema):
    evaluation: int | None = None


def _followup_out(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "what": f.what,
        "due": f.due,
        "assignee": str(f.assignee.display_name),
        "done": f.done,
    }


def _org_out(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "chapter": o.chapter.slug,
        "name": o.name,
        "kind": o.kind,
        "does": o.does,
        "contact": o.contact,
        "latitude": o.latitude,
        "longitude": o.longitude,
        "followups": [_followup_out(f) for f in o.followups.select_related("assignee")],
        "notes": [
            {"id": n.pk, "author": str(n.author.display_name), "body": n.body}
            for n in o.notes.select_related("author")
        ],
        "evaluations": list(o.evaluations.values_list("pk", flat=True)),
    }


def _org(request: HttpRequest, pk: int) -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("chapter"), pk=pk)
    permissions.require_member(request.user, org.chapter)
    return org


@organisations.get("", response=list[OrganisationOut])
def list_organisations(
    request: HttpRequest, chapter: Annotated[str, Query(max_length=120)]
) -> list[dict[str, Any]]:
    c = _member_chapter(request, chapter)
    return [_org_out(o) for o in Organisation.objects.filter(chapter=c)[:500]]


@organisations.post("", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    org = services.add_organisation(writer(request), chapter, **payload.dict(exclude={"chapter"}))
    return Status(201, _org_out(org))


@organisations.get("/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return _org_out(_org(request, organisation_id))


@organisations.post("/{organisation_id}/followups", response={201: OrganisationFollowUpOut})
def add_followup(
    request: HttpRequest, organisation_id: int, payload: OrganisationFollowUpIn
) -> Status[dict[str, Any]]:
    me = writer(request)
    f = services.add_followup(me, _org(request, organisation_id), **payload.dict())
    return Status(201, _followup_out(f))


@organisations.post("/followups/{followup_id}/done", response=OrganisationFollowUpOut)
def finish_followup(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    me = writer(request)
    f = get_object_or_404(FollowUp.objects.select_related("organisation__chapter"), pk=followup_id)
    return _followup_out(services.finish_followup(me, f))


@organisations.post("/{organisation_id}/notes", response={201: NoteOut})
def add_note(request: HttpRequest, organisation_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    me = writer(request)
    n = services.add_note(me, _org(request, organisation_id), payload.body)
    return Status(201, {"id": n.pk, "author": str(n.author.display_name), "body": n.body})


@organisations.post("/{organisation_id}/evaluations", response=OrganisationOut)
def link_evaluation(
    request: HttpRequest, organisation_id: int, payload: EvaluationLinkIn
) -> dict[str, Any]:
    """Link one of the chapter's evaluations, or (none given) open a new one of it."""
    me = writer(request)
    org = services.link_evaluation(me, _org(request, organisation_id), payload.evaluation)
    return _org_out(org)
