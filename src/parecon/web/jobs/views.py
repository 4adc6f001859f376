"""Pages of shared work: tasks and ratings, balances, one's complex, swaps."""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.calendars.feeds import CalendarEntry, render_ics
from parecon.web.chapters.models import Role
from parecon.web.jobs import balancing, selectors, services, swapping
from parecon.web.jobs.charts import balance_chart
from parecon.web.jobs.models import Assignment, Balance, Qualification, Swap, Task, TaskKind
from parecon.web.jobs.owners import (
    Owner,
    find_owner,
    is_steward,
    owner_of,
    require_owner_member,
)
from parecon.web.jobs.ratings import MIN_RATERS, aggregate
from parecon.web.members.models import Member
from parecon.web.site.outcomes import error_text

#: Above this many people, forms name a member by e-mail instead of listing everyone.
PEOPLE_LISTED = 100
#: Tasks per page of an owner's task list.
TASKS_PAGE = 25


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from None


def _time(value: str | None) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError({"starts_at": _("Enter a time as HH:MM.")}) from None


def _owner_url(owner: Owner) -> HttpResponse:
    return redirect("jobs:tasks", kind=owner.kind, slug=owner.slug)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    owners = selectors.owners_of_member(request.user)  # type: ignore[arg-type]
    rows = [(o, selectors.published(o)) for o in owners]
    return render(request, "jobs/home.html", {"rows": rows})


@login_required
def tasks(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    me = require_owner_member(request.user, owner)
    listing = selectors.tasks_page(owner, me, _page(request), TASKS_PAGE)
    listed = listing.tasks
    aggregates = aggregate(listed)
    own = selectors.own_ratings(me, listed)
    rows = [(t, aggregates[t.pk], own.get(t.pk)) for t in listed]
    steward = is_steward(me, owner)
    many = steward and owner.people_query().count() > PEOPLE_LISTED
    return render(
        request,
        "jobs/tasks.html",
        {
            "owner": owner,
            "rows": rows,
            "listing": listing,
            "steward": steward,
            "people": owner.people() if steward and not many else [],
            "people_by_email": many,
            "qualifications": Qualification.objects.filter(owner.q) if steward else [],
            "roles": Role.choices,
            "min_raters": MIN_RATERS,
            "published": selectors.published(owner),
        },
    )


@require_POST
@login_required
def new_task(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    post = request.POST
    try:
        quals = Qualification.objects.filter(owner.q, pk__in=post.getlist("qualifications"))
        task = services.create_task(
            request.user,
            owner,
            kind=post.get("kind", TaskKind.RECURRING),
            name=post.get("name", ""),
            description=post.get("description", ""),
            shift_hours=post.get("shift_hours"),
            shifts_per_week=post.get("shifts_per_week"),
            starts_at=_time(post.get("starts_at")),
            hours=post.get("hours"),
            due_on=_date(post.get("due_on"), "due_on"),
            role=post.get("role", ""),
            qualifications=quals,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("“%(task)s” is listed.") % {"task": task.name})
    return _owner_url(owner)


@require_POST
@login_required
def retire_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task, pk=pk)
    try:
        services.retire_task(request.user, task)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _owner_url(owner_of(task))


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task, pk=pk)
    try:
        services.rate_task(
            request.user,
            task,
            empowerment=request.POST.get("empowerment"),
            desirability=request.POST.get("desirability"),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your rating of “%(task)s” is saved.") % {"task": task.name})
    owner = owner_of(task)
    page = _int(request.POST.get("page"))
    back = reverse("jobs:tasks", args=[owner.kind, owner.slug])
    return redirect(back + (f"?page={page}" if page > 1 else "") + f"#task-{task.pk}")


def _member(owner: Owner, value: str | None) -> Member:
    found = owner.person(value)
    if found is None:
        raise ValidationError({"member": _("Choose a member of %(o)s.") % {"o": owner.name}})
    return found


@require_POST
@login_required
def set_hours(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    try:
        require_owner_member(request.user, owner)
        services.set_weekly_hours(
            request.user, owner, _member(owner, request.POST.get("member")),
            request.POST.get("hours"),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _owner_url(owner)


@require_POST
@login_required
def add_qualification(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    try:
        services.add_qualification(request.user, owner, request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _owner_url(owner)


@require_POST
@login_required
def grant_qualification(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    try:
        require_owner_member(request.user, owner)
        qualification = Qualification.objects.filter(
            owner.q, pk=request.POST.get("qualification") or 0
        ).first()
        if qualification is None:
            raise ValidationError({"qualification": _("Choose one of the qualifications.")})
        member = _member(owner, request.POST.get("member"))
        services.grant_qualification(request.user, qualification, member)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _owner_url(owner)


@login_required
def balances(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    me = require_owner_member(request.user, owner)
    return render(
        request,
        "jobs/balances.html",
        {
            "owner": owner,
            "balances": selectors.balances_of(owner)[:50],
            "steward": is_steward(me, owner),
            "today": date.today().isoformat(),
        },
    )


@require_POST
@login_required
def request_balance(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    owner = find_owner(kind, slug)
    try:
        starts_on = _date(request.POST.get("starts_on"), "starts_on")
        if starts_on is None:
            raise ValidationError({"starts_on": _("When does the period start?")})
        run = balancing.request_balance(
            request.user,
            owner,
            starts_on=starts_on,
            weeks=request.POST.get("weeks", 4),
            band=request.POST.get("band", 2),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("jobs:balances", kind=owner.kind, slug=owner.slug)
    return redirect("jobs:balance", pk=run.pk)


def _balance_for(request: HttpRequest, pk: int) -> tuple[Balance, Owner, Member]:
    balance = get_object_or_404(Balance.objects.select_related("chapter", "council"), pk=pk)
    owner = owner_of(balance)
    return balance, owner, require_owner_member(request.user, owner)


#: People per page of a balance's table of complexes, and movers listed.
RESULT_PAGE = 50
MOVERS_SHOWN = 20


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def _result_context(balance: Balance, owner: Owner, me: Member, page: int = 1) -> dict[str, object]:
    """The result: one's own complex first, then a page of everyone's, the chart, movers."""
    context: dict[str, object] = {
        "balance": balance,
        "owner": owner,
        "steward": is_steward(me, owner),
        "unrated": Task.objects.filter(pk__in=balance.summary.get("unrated_tasks", [])),
    }
    if not balance.is_finished:
        return context
    moved = balance.complexes.filter(hours_moved__gt=0)
    context.update(
        listing=selectors.complexes_page(balance, page, RESULT_PAGE),
        own=balance.complexes.filter(member=me).first(),
        chart=balance_chart(balance),
        moved=list(moved.select_related("member").order_by("-hours_moved")[:MOVERS_SHOWN]),
        moved_count=moved.count() if balance.previous_id else 0,
    )
    return context


@login_required
def balance_page(request: HttpRequest, pk: int) -> HttpResponse:
    balance, owner, me = _balance_for(request, pk)
    return render(request, "jobs/balance.html", _result_context(balance, owner, me, _page(request)))


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTMX fragment polled while the balancer runs; the full result when it ends."""
    balance, owner, me = _balance_for(request, pk)
    return render(request, "jobs/_result.html", _result_context(balance, owner, me, _page(request)))


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    balance = get_object_or_404(Balance, pk=pk)
    try:
        balancing.publish_balance(request.user, balance)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Published: everyone sees their complex and rotation."))
    return redirect("jobs:balance", pk=pk)


def _swap_choice(
    request: HttpRequest, balance: Balance, owner: Owner, me: Member
) -> dict[str, object]:
    """The tasks chosen in the swap form (GET) and the partners listed for them."""
    tasks_here = Task.objects.filter(owner.q)
    give = tasks_here.filter(pk=_int(request.GET.get("give_task"))).first()
    take = tasks_here.filter(pk=_int(request.GET.get("take_task"))).first()
    give_n = _int(request.GET.get("give_shifts")) or 1
    take_n = _int(request.GET.get("take_shifts")) or 1
    partners = (
        swapping.swap_partners(balance, me, give, give_n, take, take_n)
        if give is not None and take is not None
        else []
    )
    return {
        "give": give,
        "take": take,
        "give_n": give_n,
        "take_n": take_n,
        "partners": [(p, why) for p, why in partners if why is None],
        "refused": [(p, why) for p, why in partners if why is not None],
    }


def _int(raw: str | None) -> int:
    text = (raw or "").strip()
    return int(text) if text.isdigit() else 0


@login_required
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    balance, owner, me = _balance_for(request, pk)
    own = balance.complexes.filter(member=me).first()
    holdings = selectors.holdings(balance, me.pk)
    held_tasks = {h.task.pk for h in holdings}
    all_tasks = list(  # plain (pk, name) rows: the form lists every task of the balance
        Task.objects.filter(pk__in=Assignment.objects.filter(balance=balance).values("task_id"))
        .order_by("name")
        .values("pk", "name")
    )
    return render(
        request,
        "jobs/mine.html",
        {
            "balance": balance,
            "owner": owner,
            "own": own,
            "holdings": holdings,
            "shifts": selectors.shifts_of(balance, me.pk)[:200],
            "give_tasks": [t for t in all_tasks if t["pk"] in held_tasks],
            "take_tasks": all_tasks,
            "swaps": selectors.swaps_of(balance, me),
            "me": me,
            **_swap_choice(request, balance, owner, me),
        },
    )


@login_required
def partners(request: HttpRequest, pk: int) -> HttpResponse:
    """The swap form's partner list for the chosen tasks (HTMX; the page without JS)."""
    balance, owner, me = _balance_for(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        query = request.GET.urlencode()
        return redirect(reverse("jobs:mine", args=[pk]) + (f"?{query}" if query else ""))
    context = {"balance": balance, **_swap_choice(request, balance, owner, me)}
    return render(request, "jobs/_partners.html", context)


@login_required
def mine_ics(request: HttpRequest, pk: int) -> HttpResponse:
    balance, owner, me = _balance_for(request, pk)
    entries = [
        CalendarEntry(
            uid=f"shift-{balance.pk}-{s.task.pk}-{s.starts_at:%Y%m%dT%H%M}-{me.pk}@parecon",
            summary=_("Shift: %(task)s (%(owner)s)") % {"task": s.task.name, "owner": owner.name},
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            description=s.task.description,
        )
        for s in selectors.shifts_of(balance, me.pk)
    ]
    response = HttpResponse(render_ics(entries, owner.name), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="shifts-{balance.pk}.ics"'
    return response


@require_POST
@login_required
def new_swap(request: HttpRequest, pk: int) -> HttpResponse:
    balance = get_object_or_404(Balance, pk=pk)
    owner = owner_of(balance)
    post = request.POST
    try:
        require_owner_member(request.user, owner)
        partner = _member(owner, post.get("partner"))
        tasks_here = Task.objects.filter(owner.q)
        give = tasks_here.filter(pk=post.get("give_task") or 0).first()
        take = tasks_here.filter(pk=post.get("take_task") or 0).first()
        if give is None or take is None:
            raise ValidationError(_("Choose the tasks to swap."))
        swapping.request_swap(
            request.user, balance, partner=partner, give_task=give,
            give_shifts=post.get("give_shifts", 1), take_task=take,
            take_shifts=post.get("take_shifts", 1),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _("Swap refused: %(why)s") % {"why": error_text(exc)})
    else:
        messages.success(request, _("Swap offered; it is made when they accept."))
    return redirect("jobs:mine", pk=pk)


@require_POST
@login_required
def answer_swap(request: HttpRequest, pk: int) -> HttpResponse:
    swap = get_object_or_404(Swap.objects.select_related("balance"), pk=pk)
    try:
        swapping.answer_swap(request.user, swap, accept=request.POST.get("accept") == "yes")
    except ValidationError as exc:
        messages.error(request, _("Swap refused: %(why)s") % {"why": error_text(exc)})
    except PermissionDenied:
        raise
    return redirect("jobs:mine", pk=swap.balance_id)
