"""Discussion pages: parse the request, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import (
    current_roles,
    has_role,
    is_member,
    require_member,
    require_role,
)
from parecon.web.discussion import mentions, selectors, services
from parecon.web.discussion.forms import EditForm, ReasonForm, ReplyForm, ThreadForm
from parecon.web.discussion.models import Flag, Post, Thread
from parecon.web.members.models import Member

POSTS_PER_PAGE = 50


def _me(request: HttpRequest) -> Member:
    return request.user  # type: ignore[return-value]


def _form_errors(form: Form, exc: ValidationError) -> None:
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in pairs:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _tell_about_mentions(request: HttpRequest, found: mentions.Resolved) -> None:
    for token in found.ambiguous:
        messages.warning(
            request,
            _("@%(name)s matches several members of this chapter; use their full handle.")
            % {"name": token},
        )
    for token in found.unknown:
        messages.warning(
            request, _("No member of this chapter goes by @%(name)s.") % {"name": token}
        )


@login_required
def chapter_threads(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter.objects.select_related("parent"), slug=slug)
    threads = selectors.chapter_threads(request.user, chapter)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread, found = services.start_thread(
                _me(request),
                chapter,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                announcement=form.cleaned_data["announcement"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            _tell_about_mentions(request, found)
            if thread.is_announcement:
                messages.success(request, _("Announced, and e-mailed to the chapter's members."))
            return redirect("discussion:thread", pk=thread.pk)
    page = Paginator(threads, 30).get_page(request.GET.get("page"))
    roles = current_roles(request.user, chapter)
    return render(
        request,
        "discussion/chapter.html",
        {
            "chapter": chapter,
            "page": page,
            "form": form,
            "can_post": is_member(request.user, chapter),
            "is_facilitator": Role.FACILITATOR in roles,
            "is_mediator": Role.MEDIATOR in roles,
        },
        status=400 if request.method == "POST" else 200,
    )


def _thread_page(
    request: HttpRequest, thread: Thread, reply_form: ReplyForm, status: int = 200
) -> HttpResponse:
    me = _me(request)
    posts = Paginator(selectors.thread_posts(thread), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if request.method == "GET":
        services.mark_thread_read(me, thread)
    mediator = has_role(me, thread.chapter, Role.MEDIATOR)
    return render(
        request,
        "discussion/thread.html",
        {
            "thread": thread,
            "chapter": thread.chapter,
            "page": posts,
            "posts": selectors.shown_posts(me, thread, list(posts), mediator=mediator),
            "reply_form": reply_form,
            "reason_form": ReasonForm(),
            "can_post": is_member(me, thread.chapter),
            "is_mediator": mediator,
        },
        status=status,
    )


@login_required
@require_GET
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("chapter", "author"), pk=pk)
    selectors.thread_for(request.user, thread)
    return _thread_page(request, thread, ReplyForm())


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("chapter", "author"), pk=pk)
    selectors.thread_for(request.user, thread)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post, found = services.reply(_me(request), thread, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            _tell_about_mentions(request, found)
            last = Paginator(selectors.thread_posts(thread), POSTS_PER_PAGE).num_pages
            return redirect(
                reverse("discussion:thread", args=[thread.pk]) + f"?page={last}#post-{post.pk}"
            )
    else:
        # Refuse who may not post before showing them the form's complaints.
        require_member(request.user, thread.chapter)
    return _thread_page(request, thread, form, status=400)


def _post(pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("thread__chapter", "author"), pk=pk)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    thread = post.thread
    initial = {"body": post.body, "title": thread.title if post.is_opening else ""}
    form = EditForm(request.POST or None, initial=initial)
    if post.author_id != request.user.pk or post.is_hidden:
        raise PermissionDenied(_("Only the author of a post may edit it."))
    if request.method == "POST" and form.is_valid():
        try:
            _edited, found = services.edit_post(
                _me(request),
                post,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"] if post.is_opening else None,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            _tell_about_mentions(request, found)
            messages.success(request, _("Saved; the earlier version stays in the post's history."))
            return redirect(reverse("discussion:thread", args=[thread.pk]) + f"#post-{post.pk}")
    return render(
        request,
        "discussion/edit.html",
        {"post": post, "thread": thread, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    revisions = selectors.post_revisions(request.user, post)
    return render(
        request,
        "discussion/history.html",
        {"post": post, "thread": post.thread, "revisions": revisions},
    )


@login_required
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    selectors.thread_for(request.user, post.thread)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(_me(request), post, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Thank you; the chapter's mediators will look at it."))
            return redirect(reverse("discussion:thread", args=[post.thread_id]) + f"#post-{pk}")
    return render(
        request,
        "discussion/flag.html",
        {"post": post, "thread": post.thread, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    require_role(request.user, post.thread.chapter, Role.MEDIATOR)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors.get("reason") or [_("Give a reason.")]))
        services.hide_post(_me(request), post, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The post is hidden; its author sees your reason."))
    return redirect(reverse("discussion:thread", args=[post.thread_id]) + f"#post-{pk}")


@login_required
@require_POST
def post_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    try:
        services.unhide_post(_me(request), post)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("discussion:thread", args=[post.thread_id]) + f"#post-{pk}")


@login_required
@require_GET
def chapter_flags(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_role(request.user, chapter, Role.MEDIATOR)
    return render(
        request,
        "discussion/flags.html",
        {
            "chapter": chapter,
            "flags": selectors.open_flags(chapter)[:200],
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.select_related("post__thread__chapter"), pk=pk)
    try:
        services.dismiss_flag(_me(request), flag)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("discussion:flags", slug=flag.post.thread.chapter.slug)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications(_me(request)), 50).get_page(request.GET.get("page"))
    return render(request, "discussion/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.mark_read(_me(request), ids or None)
    return redirect("discussion:notifications")


@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, which the page polls with HTMX."""
    return render(
        request, "discussion/_badge.html", {"unread": selectors.unread_count(request.user)}
    )
