"""Every write to a chapter's commons: one function per action, authorised and logged.

A match may later become a one-off task of the shared-work issue, so that the effort
counts in the job balance: :data:`task_hook` is that hook. Each function appended to
it is called with the new :class:`Match` inside the transaction that records it; the
shared-work app registers there when it lands (nothing does yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Membership, Role
from parecon.web.chapters.permissions import has_role, require_member
from parecon.web.commons.models import Category, FollowUp, Match, Note, Organisation, Post
from parecon.web.history.services import record
from parecon.web.members.models import Member

#: Called with each new match inside its transaction (the shared-work issue's hook).
task_hook: list[Callable[[Match], None]] = []

#: Roles that may post, edit or accept on behalf of the chapter itself.
STEWARDS = (Role.ADMIN, Role.FACILITATOR)


def _text(value: object, field: str, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(n)d characters, not %(m)d.") % {"n": limit, "m": len(text)}}
        )
    if "\x00" in text:
        raise ValidationError({field: _("No control characters, please.")})
    return text


def _choice(value: object, field: str, choices: list[str]) -> str:
    text = str(value or "")
    if text not in choices:
        raise ValidationError({field: _("Not one of the choices: %(v)s") % {"v": text[:40]}})
    return text


def _coordinate(value: object, field: str, bound: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value))
    except ValueError as exc:
        raise ValidationError({field: _("Not a number: %(v)s") % {"v": str(value)[:40]}}) from exc
    if not -bound <= number <= bound:  # also refuses NaN
        raise ValidationError(
            {field: _("Must lie between -%(b)s and %(b)s.") % {"b": f"{bound:g}"}}
        )
    return number


def _coordinates(latitude: object, longitude: object) -> tuple[float | None, float | None]:
    lat = _coordinate(latitude, "latitude", 90)
    lon = _coordinate(longitude, "longitude", 180)
    if (lat is None) != (lon is None):
        raise ValidationError({"longitude": _("Give both coordinates or neither.")})
    return lat, lon


@dataclass
class PostData:
    """What a member writes when posting or editing a need or an offer."""

    kind: str
    category: str
    title: str
    description: str = ""
    place: str = ""
    when: str = ""
    urgency: int | str = Post.Urgency.MEDIUM
    visibility: str = Post.Visibility.CHAPTER
    is_loan: bool = False
    by_chapter: bool = False
    use_my_city: bool = False
    latitude: object = None
    longitude: object = None


def _fill(post: Post, author: Member, data: PostData) -> None:
    post.kind = _choice(data.kind, "kind", list(Post.Kind.values))
    post.category = _choice(data.category, "category", list(Category.values))
    post.title = _text(data.title, "title", 200, required=True)
    post.description = _text(data.description, "description", 5000)
    post.place = _text(data.place, "place", 200)
    post.when = _text(data.when, "when", 200)
    post.urgency = int(_choice(str(data.urgency), "urgency", [str(u) for u in Post.Urgency]))
    post.visibility = _choice(data.visibility, "visibility", list(Post.Visibility.values))
    post.is_loan = bool(data.is_loan) and post.kind == Post.Kind.OFFER
    if data.use_my_city:
        if author.latitude is None or author.longitude is None:
            raise ValidationError({"use_my_city": _("Your profile has no city with a location.")})
        post.latitude, post.longitude = author.latitude, author.longitude
        if not post.place:
            post.place = author.city
    else:
        post.latitude, post.longitude = _coordinates(data.latitude, data.longitude)


@transaction.atomic
def post(actor: Member, chapter: Chapter, data: PostData) -> Post:
    """Post a need or an offer; the chapter's own needs by an admin or facilitator."""
    require_member(actor, chapter)
    if data.by_chapter and not has_role(actor, chapter, *STEWARDS):
        raise PermissionDenied(_("Only an admin or facilitator posts for the chapter."))
    p = Post(chapter=chapter, author=actor, by_chapter=data.by_chapter)
    _fill(p, actor, data)
    p.save()
    record(
        f"commons.{p.kind}",
        _("%(who)s posted a %(kind)s: %(title)s")
        % {
            "who": _("the chapter") if p.by_chapter else actor.display_name,
            "kind": p.get_kind_display(),
            "title": p.title,
        },
        actor=actor,
        chapter=chapter,
        subject=p,
    )
    return p


def may_steer(actor: Member, p: Post) -> bool:
    """The author of a post, or for the chapter's own posts an admin or facilitator."""
    if p.author_id == actor.pk and not p.by_chapter:
        return True
    return p.by_chapter and has_role(actor, p.chapter, *STEWARDS)


def _require_steer(actor: Member, p: Post) -> None:
    require_member(actor, p.chapter)
    if not may_steer(actor, p):
        raise PermissionDenied(_("Only whoever posted this may change it."))


@transaction.atomic
def edit(actor: Member, p: Post, data: PostData) -> Post:
    _require_steer(actor, p)
    if p.status != Post.Status.OPEN:
        raise ValidationError(_("Only an open post can be edited."))
    data.kind = p.kind
    data.by_chapter = p.by_chapter
    _fill(p, actor, data)
    p.save()
    record(
        "commons.edit",
        _("%(title)s was edited") % {"title": p.title},
        actor=actor,
        chapter=p.chapter,
        subject=p,
    )
    return p


@transaction.atomic
def close(actor: Member, p: Post) -> Post:
    _require_steer(actor, p)
    if p.status != Post.Status.OPEN:
        raise ValidationError(_("This post is already closed."))
    p.status = Post.Status.CLOSED
    p.save(update_fields=["status"])
    record(
        "commons.close",
        _("%(title)s was closed") % {"title": p.title},
        actor=actor,
        chapter=p.chapter,
        subject=p,
    )
    return p


@transaction.atomic
def accept(
    actor: Member, need: Post, offer: Post, on: date | None = None, return_by: date | None = None
) -> Match:
    """Whoever needs accepts an offer: the match records who gives what to whom, when."""
    _require_steer(actor, need)
    if need.kind != Post.Kind.NEED or offer.kind != Post.Kind.OFFER:
        raise ValidationError(_("A match is a need met by an offer."))
    if offer.chapter_id != need.chapter_id:
        raise ValidationError({"offer": _("No such offer in this chapter.")})
    if need.status != Post.Status.OPEN or offer.status != Post.Status.OPEN:
        raise ValidationError(_("Both the need and the offer must still be open."))
    if offer.author_id == need.author_id:
        raise ValidationError({"offer": _("One cannot meet one's own need.")})
    if offer.is_loan and return_by is None:
        raise ValidationError({"return_by": _("A loan needs a return date.")})
    day = on or timezone.localdate()
    if return_by is not None and return_by < day:
        raise ValidationError({"return_by": _("The return date comes after the loan.")})
    match = Match.objects.create(
        chapter=need.chapter,
        need=need,
        offer=offer,
        giver=offer.author,
        receiver=need.author,
        category=need.category,
        what=offer.title,
        on=day,
        return_by=return_by if offer.is_loan else None,
    )
    need.status = Post.Status.MET
    need.save(update_fields=["status"])
    offer.status = Post.Status.MET  # a lent thing is out until it comes back
    offer.save(update_fields=["status"])
    record(
        "commons.match",
        _("A need for %(need)s was met by an offer of %(offer)s")
        % {"need": need.title, "offer": offer.title},
        actor=actor,
        chapter=need.chapter,
        subject=match,
    )
    for hook in task_hook:
        hook(match)
    return match


@transaction.atomic
def returned(actor: Member, match: Match, on: date | None = None) -> Match:
    """The lender (or who borrowed) records that a lent thing came back."""
    require_member(actor, match.chapter)
    if actor.pk not in (match.giver_id, match.receiver_id):
        raise PermissionDenied(_("Only the lender or the borrower records a return."))
    if match.return_by is None:
        raise ValidationError(_("This was not a loan."))
    if match.returned_on is not None:
        raise ValidationError(_("This was already returned."))
    match.returned_on = on or timezone.localdate()
    match.save(update_fields=["returned_on"])
    offer = match.offer
    if offer.status == Post.Status.MET:  # back on the board, to be lent again
        offer.status = Post.Status.OPEN
        offer.save(update_fields=["status"])
    record(
        "commons.returned",
        _("%(what)s came back") % {"what": match.what},
        actor=actor,
        chapter=match.chapter,
        subject=match,
    )
    return match


@transaction.atomic
def add_organisation(
    actor: Member,
    chapter: Chapter,
    *,
    name: str,
    kind: str,
    does: str = "",
    contact: str = "",
    latitude: object = None,
    longitude: object = None,
) -> Organisation:
    require_member(actor, chapter)
    org = Organisation(
        chapter=chapter,
        name=_text(name, "name", 200, required=True),
        kind=_choice(kind, "kind", list(Organisation.Kind.values)),
        does=_text(does, "does", 5000),
        contact=_text(contact, "contact", 500),
        added_by=actor,
    )
    org.latitude, org.longitude = _coordinates(latitude, longitude)
    if Organisation.objects.filter(chapter=chapter, name__iexact=org.name).exists():
        raise ValidationError({"name": _("This organisation is already in the directory.")})
    org.save()
    record(
        "commons.organisation",
        _("%(name)s joined the directory") % {"name": org.name},
        actor=actor,
        chapter=chapter,
        subject=org,
    )
    return org


@transaction.atomic
def add_followup(
    actor: Member, org: Organisation, *, what: str, due: date, assignee: int | str
) -> FollowUp:
    """A contact to make by ``due``, assigned to one member of the chapter."""
    require_member(actor, org.chapter)
    who = (
        Membership.objects.active().filter(chapter=org.chapter, member_id=str(assignee)).first()
        if str(assignee).isdigit()
        else None
    )
    if who is None:
        raise ValidationError({"assignee": _("The assignee must be a member of the chapter.")})
    f = FollowUp.objects.create(
        organisation=org,
        what=_text(what, "what", 300, required=True),
        due=due,
        assignee=who.member,
        created_by=actor,
    )
    record(
        "commons.followup",
        _("%(who)s will follow up with %(org)s by %(due)s")
        % {"who": who.member.display_name, "org": org.name, "due": due.isoformat()},
        actor=actor,
        chapter=org.chapter,
        subject=f,
    )
    return f


@transaction.atomic
def finish_followup(actor: Member, f: FollowUp) -> FollowUp:
    require_member(actor, f.organisation.chapter)
    if actor.pk not in (f.assignee_id, f.created_by_id):
        raise PermissionDenied(_("Only the assignee or whoever asked marks this done."))
    if f.done:
        raise ValidationError(_("This follow-up is already done."))
    f.done = True
    f.save(update_fields=["done"])
    record(
        "commons.followup_done",
        _("A follow-up with %(org)s was done") % {"org": f.organisation.name},
        actor=actor,
        chapter=f.organisation.chapter,
        subject=f,
    )
    return f


@transaction.atomic
def add_note(actor: Member, org: Organisation, body: str) -> Note:
    require_member(actor, org.chapter)
    n = Note.objects.create(
        organisation=org, author=actor, body=_text(body, "body", 5000, required=True)
    )
    record(
        "commons.note",
        _("A note on %(org)s") % {"org": org.name},
        actor=actor,
        chapter=org.chapter,
        subject=n,
    )
    return n


#: The evaluations app's kind of institution for each kind of organisation.
EVALUATION_KIND = {"coop": "coop", "charity": "charity"}


@transaction.atomic
def link_evaluation(actor: Member, org: Organisation, evaluation: object = None) -> Organisation:
    """Link one of the chapter's evaluations to an organisation, or (with none given)
    open a new evaluation of it in the evaluations app and link that."""
    from parecon.web.evaluations import services as evaluations
    from parecon.web.evaluations.models import Evaluation

    require_member(actor, org.chapter)
    if evaluation in (None, ""):
        chosen = evaluations.create_evaluation(
            actor,
            org.chapter,
            institution=org.name,
            kind=EVALUATION_KIND.get(org.kind, "other"),
            description=org.does,
        )
    else:
        found = Evaluation.objects.filter(pk=str(evaluation), chapter=org.chapter).first()
        if found is None:
            raise ValidationError({"evaluation": _("Choose an evaluation of this chapter.")})
        chosen = found
    if org.evaluations.filter(pk=chosen.pk).exists():
        raise ValidationError({"evaluation": _("This evaluation is already linked.")})
    org.evaluations.add(chosen)
    record(
        "commons.evaluation_linked",
        _("%(who)s linked the evaluation %(e)s to %(org)s")
        % {"who": actor.display_name, "e": chosen.institution, "org": org.name},
        actor=actor,
        chapter=org.chapter,
        subject=org,
        data={"evaluation": chosen.pk},
    )
    return org
