"""Commons pages: the needs-and-offers board, matches, history, the allies' directory."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters import permissions
from parecon.web.chapters.models import Chapter, Membership
from parecon.web.commons import selectors, services, svgmap
from parecon.web.commons.models import Category, FollowUp, Match, Organisation, Post
from parecon.web.evaluations.models import Evaluation
from parecon.web.evaluations.selectors import raters as evaluation_raters
from parecon.web.evaluations.selectors import summary as evaluation_summary
from parecon.web.members.models import Member
from parecon.web.site.outcomes import attempt_then_redirect


def _me(request: HttpRequest) -> Member:
    user = request.user
    assert isinstance(user, Member)
    return user


def _chapter(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter, slug=slug)
    permissions.require_member(request.user, chapter)
    return chapter


def _day(text: str, field: str = "date") -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise ValidationError({field: _("Not a date: %(v)s") % {"v": text[:40]}}) from exc


def _data(p: QueryDict, kind: str) -> services.PostData:
    return services.PostData(
        kind=kind,
        category=p.get("category", ""),
        title=p.get("title", ""),
        description=p.get("description", ""),
        place=p.get("place", ""),
        when=p.get("when", ""),
        urgency=p.get("urgency", "2"),
        visibility=p.get("visibility", "chapter"),
        is_loan=p.get("is_loan") == "on",
        by_chapter=p.get("by_chapter") == "on",
        use_my_city=p.get("use_my_city") == "on",
        latitude=p.get("latitude", ""),
        longitude=p.get("longitude", ""),
    )


def _forms() -> dict[str, object]:
    return {
        "categories": Category.choices,
        "urgencies": Post.Urgency.choices,
        "visibilities": Post.Visibility.choices,
    }


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    posts = selectors.board(chapter, category=category)
    return render(
        request,
        "commons/board.html",
        {
            "chapter": chapter,
            "needs": [p for p in posts if p.kind == Post.Kind.NEED],
            "offers": [p for p in posts if p.kind == Post.Kind.OFFER],
            "category": category,
            "totals": selectors.totals(chapter),
            "steward": permissions.has_role(_me(request), chapter, *services.STEWARDS),
            **_forms(),
        },
    )


@require_POST
@login_required
def new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    kind = request.POST.get("kind", "")
    return attempt_then_redirect(
        request,
        reverse("commons:board", args=[slug]),
        lambda: services.post(_me(request), chapter, _data(request.POST, kind)),
        _("Posted."),
    )


def _readable(request: HttpRequest, slug: str, pk: int) -> Post:
    p = get_object_or_404(
        Post.objects.select_related("chapter", "author"), pk=pk, chapter__slug=slug
    )
    if not selectors.may_read(_me(request), p):
        raise PermissionDenied(_("This post is not shared with your chapters."))
    return p


@login_required
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    p = _readable(request, slug, pk)
    me = _me(request)
    steer = permissions.is_member(me, p.chapter) and services.may_steer(me, p)
    within = request.GET.get("within", "")
    km = float(within) if within.isdigit() else None
    return render(
        request,
        "commons/post.html",
        {
            "chapter": p.chapter,
            "post": p,
            "steer": steer,
            "suggestions": selectors.suggestions(p, km) if p.kind == Post.Kind.NEED else [],
            "within": within if km is not None else "",
            "matches": Match.objects.filter(need=p) | Match.objects.filter(offer=p),
            "today": timezone.localdate(),
            **_forms(),
        },
    )


def _own(request: HttpRequest, slug: str, pk: int) -> Post:
    chapter = _chapter(request, slug)
    return get_object_or_404(Post, pk=pk, chapter=chapter)


@require_POST
@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    p = _own(request, slug, pk)
    return attempt_then_redirect(
        request,
        reverse("commons:detail", args=[slug, pk]),
        lambda: services.edit(_me(request), p, _data(request.POST, p.kind)),
        _("Saved."),
    )


@require_POST
@login_required
def close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    p = _own(request, slug, pk)
    return attempt_then_redirect(
        request,
        reverse("commons:detail", args=[slug, pk]),
        lambda: services.close(_me(request), p),
        _("Closed."),
    )


@require_POST
@login_required
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    need = _own(request, slug, pk)
    raw = request.POST.get("offer", "")
    offer = Post.objects.filter(pk=raw, chapter=need.chapter).first() if raw.isdigit() else None

    def act() -> object:
        if offer is None:
            raise ValidationError({"offer": _("No such offer in this chapter.")})
        return services.accept(
            _me(request),
            need,
            offer,
            return_by=_day(request.POST.get("return_by", ""), "return_by"),
        )

    return attempt_then_redirect(
        request, reverse("commons:detail", args=[slug, pk]), act, _("Matched: thank you.")
    )


@require_POST
@login_required
def returned(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    match = get_object_or_404(Match, pk=pk, chapter=chapter)
    return attempt_then_redirect(
        request,
        reverse("commons:history", args=[slug]),
        lambda: services.returned(_me(request), match),
        _("Recorded as returned."),
    )


@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    given, received = selectors.my_history(_me(request), chapter)
    return render(
        request,
        "commons/history.html",
        {
            "chapter": chapter,
            "given": given,
            "received": received,
            "totals": selectors.totals(chapter),
        },
    )


def _map(chapter: Chapter, orgs: list[Organisation]) -> SafeString:
    points = [
        svgmap.Point(
            o.name,
            o.latitude,
            o.longitude,
            reverse("commons:organisation", args=[chapter.slug, o.pk]),
        )
        for o in orgs
        if o.latitude is not None and o.longitude is not None
    ]
    # svgmap escapes every label and attribute itself, so the document is safe as markup.
    return mark_safe(
        svgmap.render(points, title=_("Organisations around %(c)s") % {"c": chapter.name})
    )


@login_required
def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    orgs = list(Organisation.objects.filter(chapter=chapter))
    return render(
        request,
        "commons/organisations.html",
        {
            "chapter": chapter,
            "organisations": orgs,
            "map": _map(chapter, orgs),
            "kinds": Organisation.Kind.choices,
            "due": FollowUp.objects.filter(
                organisation__chapter=chapter, done=False
            ).select_related("organisation", "assignee"),
        },
    )


@require_POST
@login_required
def add_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = _chapter(request, slug)
    p = request.POST
    return attempt_then_redirect(
        request,
        reverse("commons:organisations", args=[slug]),
        lambda: services.add_organisation(
            _me(request),
            chapter,
            name=p.get("name", ""),
            kind=p.get("kind", ""),
            does=p.get("does", ""),
            contact=p.get("contact", ""),
            latitude=p.get("latitude", ""),
            longitude=p.get("longitude", ""),
        ),
        _("Added to the directory."),
    )


@login_required
def organisation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    org = get_object_or_404(Organisation, pk=pk, chapter=chapter)
    return render(
        request,
        "commons/organisation.html",
        {
            "chapter": chapter,
            "org": org,
            "followups": org.followups.select_related("assignee", "created_by"),
            "notes": org.notes.select_related("author"),
            "members": Membership.objects.active().filter(chapter=chapter).select_related("member"),
            "evaluations": [
                (e, evaluation_summary(e), evaluation_raters(e)) for e in org.evaluations.all()
            ],
            "chapter_evaluations": Evaluation.objects.filter(chapter=chapter).exclude(
                organisations=org
            ),
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def followup(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    org = get_object_or_404(Organisation, pk=pk, chapter=chapter)
    p = request.POST

    def act() -> object:
        due = _day(p.get("due", ""), "due")
        if due is None:
            raise ValidationError({"due": _("A follow-up needs a due date.")})
        return services.add_followup(
            _me(request), org, what=p.get("what", ""), due=due, assignee=p.get("assignee", "")
        )

    return attempt_then_redirect(
        request, reverse("commons:organisation", args=[slug, pk]), act, _("Follow-up added.")
    )


@require_POST
@login_required
def followup_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    f = get_object_or_404(
        FollowUp.objects.select_related("organisation"), pk=pk, organisation__chapter=chapter
    )
    return attempt_then_redirect(
        request,
        reverse("commons:organisation", args=[slug, f.organisation_id]),
        lambda: services.finish_followup(_me(request), f),
        _("Marked done."),
    )


@require_POST
@login_required
def note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    org = get_object_or_404(Organisation, pk=pk, chapter=chapter)
    return attempt_then_redirect(
        request,
        reverse("commons:organisation", args=[slug, pk]),
        lambda: services.add_note(_me(request), org, request.POST.get("body", "")),
        _("Note added."),
    )


@require_POST
@login_required
def link_evaluation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    chapter = _chapter(request, slug)
    org = get_object_or_404(Organisation, pk=pk, chapter=chapter)
    return attempt_then_redirect(
        request,
        reverse("commons:organisation", args=[slug, pk]),
        lambda: services.link_evaluation(_me(request), org, request.POST.get("evaluation", "")),
        _("The evaluation is linked; members rate it on its page."),
    )
