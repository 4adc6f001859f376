"""Every write of an effort period: ratings, hours, pools, allowances, needs, appeals.

One function per action; authorisation and validation inside; one transaction; a
history event for each change. Ratings are recorded without their score or the
person rated (the row itself keeps them, append-only, for the computation only).
Household budgets in plans are in :mod:`parecon.web.effort.budgets`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.exceptions import PareconError
from parecon.web.chapters.models import Role
from parecon.web.councils.models import Council, CouncilKind, CouncilLevel, CouncilMembership
from parecon.web.councils.permissions import has_council_role, require_council_member
from parecon.web.effort import arithmetic, selectors
from parecon.web.effort.models import (
    Allowance,
    AllowanceRun,
    Appeal,
    AppealStatus,
    EffortPeriod,
    EffortRating,
    HoursLog,
    HouseholdChoice,
    Intensity,
    LogStatus,
    NeedsRequest,
    NeedsStatus,
    PeriodStatus,
    PoolSource,
)
from parecon.web.effort.permissions import require_coworker, require_workplace_facilitator
from parecon.web.history.i18n import said
from parecon.web.history.services import record

if TYPE_CHECKING:
    from parecon.web.jobs.models import Task
    from parecon.web.members.models import Member
    from parecon.web.planning.models import Plan

MIN_COWORKERS = 3


def _open(period: EffortPeriod) -> None:
    if period.status != PeriodStatus.OPEN:
        raise ValidationError(_("This period's allowances are computed; it is closed to changes."))


# ---------------------------------------------------------------- periods


@transaction.atomic
def open_period(
    actor: Member,
    council: Council,
    *,
    name: str,
    plan_period: str,
    starts_on: date,
    ends_on: date,
    compensate_onerousness: bool = True,
) -> EffortPeriod:
    """A facilitator of the workplace opens a period for rating effort and logging hours."""
    actor = require_workplace_facilitator(actor, council)
    if not name.strip():
        raise ValidationError({"name": _("Give the period a name (say “Spring 2027”).")})
    if not plan_period.strip():
        raise ValidationError(
            {"plan_period": _("Say which plan's budgets the allowances fund (say 2027).")}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends after it starts.")})
    if selectors.coworker_count(council) < MIN_COWORKERS:
        raise ValidationError(
            _("Rating effort anonymously takes at least %(n)d coworkers.") % {"n": MIN_COWORKERS}
        )
    period = EffortPeriod.objects.create(
        council=council,
        name=name.strip()[:120],
        plan_period=plan_period.strip()[:40],
        starts_on=starts_on,
        ends_on=ends_on,
        compensate_onerousness=compensate_onerousness,
        created_by=actor,
    )
    record(
        "effort.period_opened",
        said(
            gettext_noop("%(actor)s opened the effort period %(period)s of %(council)s."),
            actor=actor.display_name,
            period=period.name,
            council=council.name,
        ),
        actor=actor,
        chapter=council.chapter,
        subject=period,
        data={"plan_period": period.plan_period},
    )
    return period


# ---------------------------------------------------------------- ratings and hours


def _score(raw: float | str) -> float:
    try:
        value = float(str(raw).replace(",", "."))
    except ValueError:
        raise ValidationError(_("%(v)r is not a number.") % {"v": raw}) from None
    if not (math.isfinite(value) and 1 <= value <= 20):
        raise ValidationError(_("Ratings are from 1 to 20 (got %(v)s).") % {"v": raw})
    return round(value, 1)


@transaction.atomic
def rate_effort(
    member: Member, period: EffortPeriod, ratings: Mapping[int, float | str]
) -> list[EffortRating]:
    """A coworker rates others' effort this period, ``{ratee id: 1–20}``; later ratings
    of the same person replace earlier ones. Nobody is ever shown an individual rating."""
    member = require_coworker(member, period.council)
    _open(period)
    if not ratings:
        raise ValidationError(_("Rate at least one coworker."))
    team = selectors.coworker_ids(period.council, ratings)
    rows = []
    for ratee_id, raw in ratings.items():
        if ratee_id == member.pk:
            raise ValidationError(_("Rate your coworkers, not yourself."))
        if ratee_id not in team:
            raise ValidationError(_("Only current coworkers of this workplace are rated."))
        rows.append(EffortRating(period=period, rater=member, ratee_id=ratee_id, score=_score(raw)))
    made = EffortRating.objects.bulk_create(rows)
    record(
        "effort.rated",
        said(
            gettext_noop("%(member)s rated the effort of %(n)s coworkers in %(period)s."),
            member=member.display_name,
            n=len(made),
            period=period.name,
        ),
        actor=member,
        chapter=period.council.chapter,
        subject=period,
        data={"ratings": [r.pk for r in made]},
        public=False,
    )
    return made


@transaction.atomic
def log_hours(
    member: Member,
    period: EffortPeriod,
    *,
    worked_on: date,
    hours: float,
    task: Task | str | None = None,
    intensity: int = Intensity.NORMAL,
    onerousness: int = 10,
) -> HoursLog:
    """A member logs hours worked, with their pace and how onerous the work was.

    ``task`` is one of the workplace's tasks, or words: words that name one of its
    live tasks (ignoring case and spaces) link to it, any others are kept as text.
    """
    member = require_coworker(member, period.council)
    _open(period)
    linked, text = _task_of(period, task)
    if not period.starts_on <= worked_on <= period.ends_on:
        raise ValidationError(
            {
                "worked_on": _("The day is outside the period (%(a)s to %(b)s).")
                % {"a": period.starts_on, "b": period.ends_on}
            }
        )
    if not (math.isfinite(hours) and 0 < hours <= 24):
        raise ValidationError({"hours": _("Hours in a day are more than 0 and at most 24.")})
    if intensity not in Intensity.values:
        raise ValidationError({"intensity": _("Choose light, normal, hard or very hard.")})
    if not 1 <= onerousness <= 20:
        raise ValidationError({"onerousness": _("Onerousness is from 1 to 20.")})
    log = HoursLog.objects.create(
        period=period,
        member=member,
        worked_on=worked_on,
        hours=float(hours),
        task=linked,
        task_text=text,
        intensity=intensity,
        onerousness=onerousness,
    )
    record(
        "effort.hours_logged",
        said(
            gettext_noop("%(member)s logged %(hours)s hours in %(period)s."),
            member=member.display_name,
            hours=f"{log.hours:g}",
            period=period.name,
        ),
        actor=member,
        chapter=period.council.chapter,
        subject=log,
        data={"hours": log.hours, "intensity": intensity, "onerousness": onerousness},
        public=False,
    )
    return log


def _task_of(period: EffortPeriod, task: Task | str | None) -> tuple[Task | None, str]:
    """(the workplace's task, or None with the free text) for a log."""
    from parecon.web.jobs.models import Task

    if isinstance(task, Task):
        if task.council_id != period.council_id:
            raise ValidationError({"task": _("Choose one of this workplace's tasks.")})
        if task.retired_at is not None:
            raise ValidationError({"task": _("“%(t)s” is retired.") % {"t": task.name}})
        return task, ""
    text = " ".join((task or "").split())[:200]
    if not text:
        return None, ""
    live = Task.objects.filter(council=period.council, retired_at__isnull=True)
    found = next((t for t in live.filter(name__iexact=text).order_by("pk")), None)
    if found is None:  # iexact is ASCII-only on SQLite: compare casefolded names too
        key = text.casefold()
        found = next(
            (t for t in live.order_by("pk") if " ".join(t.name.split()).casefold() == key), None
        )
    return (found, "") if found is not None else (None, text)


@transaction.atomic
def confirm_log(member: Member, log: HoursLog, confirm: bool = True) -> HoursLog:
    """A coworker (never the person who logged) confirms or disputes a log."""
    member = require_coworker(member, log.period.council)
    log = HoursLog.objects.select_for_update().select_related("period").get(pk=log.pk)
    _open(log.period)
    if log.member_id == member.pk:
        raise PermissionDenied(_("A coworker confirms your hours, not you."))
    if log.status != LogStatus.PENDING:
        raise ValidationError(_("This log was already answered."))
    log.status = LogStatus.CONFIRMED if confirm else LogStatus.DISPUTED
    log.confirmed_by = member
    log.confirmed_at = timezone.now()
    log.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    record(
        "effort.hours_confirmed" if confirm else "effort.hours_disputed",
        said(
            gettext_noop("%(member)s confirmed a log of hours in %(period)s.")
            if confirm
            else gettext_noop("%(member)s disputed a log of hours in %(period)s."),
            member=member.display_name,
            period=log.period.name,
        ),
        actor=member,
        chapter=log.period.council.chapter,
        subject=log,
        public=False,
    )
    return log


@transaction.atomic
def choose_household(member: Member, household: Council) -> HouseholdChoice:
    """A member names the household their allowances go to (one of theirs)."""
    member = require_council_member(member, household)
    if household.level != CouncilLevel.HOUSEHOLD:
        raise ValidationError({"household": _("Allowances go to a household council.")})
    choice = HouseholdChoice.objects.create(member=member, household=household)
    record(
        "effort.household_chosen",
        said(
            gettext_noop("%(member)s's allowances go to %(household)s."),
            member=member.display_name,
            household=household.name,
        ),
        actor=member,
        chapter=household.chapter,
        subject=choice,
        public=False,
    )
    return choice


# ---------------------------------------------------------------- the pool


def _same_tree(council: Council, other_chapter_id: int) -> bool:
    return council.chapter_id == other_chapter_id or any(
        c.pk == other_chapter_id for c in council.chapter.ancestors()
    )


@transaction.atomic
def set_pool_from_plan(actor: Member, period: EffortPeriod, plan: Plan) -> EffortPeriod:
    """The pool is the workplace's part of the value of consumer goods at a plan's prices."""
    from parecon.web.planning.models import CONSUMED, Category, Proposal, RoundStatus

    actor = require_workplace_facilitator(actor, period.council)
    if not _same_tree(period.council, plan.chapter_id):
        raise ValidationError({"plan": _("The plan belongs to another chapter.")})
    last = plan.rounds.filter(status=RoundStatus.CLOSED).order_by("-number").first()
    if last is None:
        raise ValidationError({"plan": _("The plan has no closed round yet: no prices to use.")})
    proposal = Proposal.objects.filter(round=last, council=period.council).first()
    counted = proposal.counted if proposal is not None else None
    if counted is None:
        raise ValidationError(
            {
                "plan": _("%(c)s has no counted proposal in the plan's last closed round.")
                % {"c": period.council}
            }
        )
    goods = list(plan.goods.order_by("index"))
    labour = {int(g): q for g, q in counted.quantities.get("demand", {}).items()}
    pool, share = arithmetic.consumption_pool(
        last.prices,
        last.demand,
        [g.category in CONSUMED for g in goods],
        [g.category == Category.LABOUR for g in goods],
        labour,
    )
    if not pool > 0:
        raise ValidationError({"plan": _("The workplace asks for no labour in the plan.")})
    period = EffortPeriod.objects.select_for_update().get(pk=period.pk)
    period.pool_source = PoolSource.PLAN
    period.pool_plan = plan
    period.pool_federation = None
    period.pool = pool
    period.save(update_fields=["pool_source", "pool_plan", "pool_federation", "pool"])
    record(
        "effort.pool_set",
        said(
            gettext_noop(
                "%(actor)s set the pool of %(period)s to %(pool)s from the plan %(plan)s."
            ),
            actor=actor.display_name,
            period=period.name,
            pool=f"{pool:.2f}",
            plan=str(plan),
        ),
        actor=actor,
        chapter=period.council.chapter,
        subject=period,
        data={"pool": pool, "labour_share": share, "round": last.number},
    )
    return period


@transaction.atomic
def set_pool_by_federation(
    actor: Member, period: EffortPeriod, federation: Council, amount: float
) -> EffortPeriod:
    """A facilitator of a consumer federation sets the period's pool as an amount."""
    if federation.kind != CouncilKind.CONSUMER or federation.level == CouncilLevel.HOUSEHOLD:
        raise ValidationError({"federation": _("Choose a consumer federation.")})
    if not has_council_role(actor, federation, Role.FACILITATOR):
        raise PermissionDenied(
            _("Only a current facilitator of %(council)s may do this.") % {"council": federation}
        )
    if not (_same_tree(period.council, federation.chapter_id)):
        raise ValidationError({"federation": _("The federation belongs to another chapter.")})
    if not (math.isfinite(amount) and amount > 0):
        raise ValidationError({"amount": _("The pool is a positive amount.")})
    period = EffortPeriod.objects.select_for_update().get(pk=period.pk)
    period.pool_source = PoolSource.FEDERATION
    period.pool_plan = None
    period.pool_federation = federation
    period.pool = float(amount)
    period.save(update_fields=["pool_source", "pool_plan", "pool_federation", "pool"])
    record(
        "effort.pool_set",
        said(
            gettext_noop("%(federation)s set the pool of %(period)s to %(pool)s."),
            federation=federation.name,
            period=period.name,
            pool=f"{amount:.2f}",
        ),
        actor=actor,
        chapter=period.council.chapter,
        subject=period,
        data={"pool": float(amount), "federation": federation.pk},
    )
    return period


# ---------------------------------------------------------------- allowances


def _compute(actor: Member, period: EffortPeriod, reason: str) -> AllowanceRun:
    """A new run of the core's allowances for ``period`` (inside the caller's transaction)."""
    if period.pool is None:
        raise ValidationError(_("Set the period's pool first (from a plan or by the federation)."))
    hours = selectors.confirmed_hours(period)
    if not hours:
        raise ValidationError(_("Nobody has confirmed hours in this period yet."))
    people = selectors.scoring_people(period)
    ratings = selectors.latest_ratings(period)
    rated = {ratee for _rater, ratee in ratings}
    from parecon.web.members.models import Member

    names = {m.pk: m for m in Member.objects.filter(pk__in=people)}
    missing = [names[p].display_name for p in people if p not in rated]
    if missing:
        raise ValidationError(
            _("Nobody has rated the effort of %(who)s yet.") % {"who": ", ".join(missing)}
        )
    try:
        scores = arithmetic.effort_scores(people, ratings)
    except PareconError as exc:
        raise ValidationError(str(exc)) from None
    rated_intensity = {p: float(scores.intensity[i]) for i, p in enumerate(people)}
    household = selectors.households_by_member(people)
    needs: dict[int, float] = {}
    by_member: dict[int, float] = {}
    for req in period.needs.filter(status=NeedsStatus.APPROVED):
        hh = household.get(req.member_id)
        if hh is not None and hh.pk == req.household_id:
            needs[hh.pk] = needs.get(hh.pk, 0.0) + req.amount
            by_member[req.member_id] = by_member.get(req.member_id, 0.0) + req.amount
    corrected = {
        a.member_id: a.intensity
        for a in period.appeals.filter(
            status=AppealStatus.UPHELD, intensity__isnull=False
        ).order_by("resolved_at", "id")
        if a.intensity is not None
    }
    try:
        shares = arithmetic.share_pool(
            people,
            hours,
            rated_intensity,
            period.pool,
            household_of={p: (h.pk if h is not None else None) for p, h in household.items()},
            needs=needs,
            compensate_onerousness=period.compensate_onerousness,
            corrected_intensity=corrected,
        )
    except PareconError as exc:
        raise ValidationError(str(exc)) from None
    last = selectors.latest_run(period)
    run = AllowanceRun.objects.create(
        period=period,
        number=(last.number + 1) if last is not None else 1,
        pool=period.pool,
        needs=sum(needs.values()),
        reason=reason[:200],
        computed_by=actor,
    )
    rows = Allowance.objects.bulk_create(
        Allowance(
            run=run,
            member=names[p],
            household=household[p],
            hours=hours[p].hours if p in hours else 0.0,
            intensity=shares.intensity[i],
            onerousness=shares.onerousness[i],
            credits=shares.credits[i],
            effort=shares.effort[i],
            needs=by_member.get(p, 0.0),
            ratio=shares.ratio[i],
            flagged=shares.flagged[i],
        )
        for i, p in enumerate(people)
    )
    if period.status != PeriodStatus.COMPUTED:
        period.status = PeriodStatus.COMPUTED
        period.save(update_fields=["status"])
    record(
        "effort.allowances_computed",
        said(
            gettext_noop(
                "%(actor)s computed the allowances of %(period)s (run %(n)s, pool %(pool)s)."
            ),
            actor=actor.display_name,
            period=period.name,
            n=run.number,
            pool=f"{run.pool:.2f}",
        ),
        actor=actor,
        chapter=period.council.chapter,
        subject=run,
        data={"allowances": [r.pk for r in rows], "needs": run.needs, "reason": reason},
    )
    return run


@transaction.atomic
def compute_allowances(actor: Member, period: EffortPeriod) -> AllowanceRun:
    """A facilitator of the workplace computes the allowances; the period closes."""
    actor = require_workplace_facilitator(actor, period.council)
    period = EffortPeriod.objects.select_for_update().select_related("council").get(pk=period.pk)
    return _compute(actor, period, "computed")


@transaction.atomic
def request_needs(
    member: Member,
    period: EffortPeriod,
    household: Council | None,
    amount: float,
    reason: str,
) -> NeedsRequest:
    """A coworker asks their household's council (theirs when ``None``) for a needs-based
    addition."""
    member = require_coworker(member, period.council)
    mine = selectors.household_of(member)
    household = household or mine
    if household is None:
        raise ValidationError({"household": _("Choose the household your allowances go to first.")})
    if mine != household:
        raise ValidationError({"household": _("Ask the household your allowances go to.")})
    if not (math.isfinite(amount) and amount > 0):
        raise ValidationError({"amount": _("Ask for a positive amount.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the addition is for.")})
    req = NeedsRequest.objects.create(
        period=period, member=member, household=household, amount=amount, reason=reason.strip()
    )
    record(
        "effort.needs_requested",
        said(
            gettext_noop("%(member)s asked %(household)s for a needs-based addition."),
            member=member.display_name,
            household=household.name,
        ),
        actor=member,
        chapter=household.chapter,
        subject=req,
        data={"amount": amount},
        public=False,
    )
    return req


@transaction.atomic
def decide_needs(actor: Member, req: NeedsRequest, approve: bool, note: str = "") -> NeedsRequest:
    """A facilitator of the household (never the requester) approves or declines it.

    Approving after the allowances are computed recomputes them: needs come off
    the top of the workplace's pool.
    """
    household = req.household
    if not has_council_role(actor, household, Role.FACILITATOR) or actor.pk == req.member_id:
        raise PermissionDenied(
            _("Only a facilitator of %(council)s other than the requester decides this.")
            % {"council": household}
        )
    req = NeedsRequest.objects.select_for_update().select_related("period__council").get(pk=req.pk)
    if req.status != NeedsStatus.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    req.status = NeedsStatus.APPROVED if approve else NeedsStatus.DECLINED
    req.decided_by = actor
    req.note = note.strip()[:1000]
    req.save(update_fields=["status", "decided_by", "note"])
    record(
        f"effort.needs_{req.status}",
        said(
            gettext_noop("%(household)s approved a needs-based addition.")
            if approve
            else gettext_noop("%(household)s declined a needs-based addition."),
            household=household.name,
        ),
        actor=actor,
        chapter=household.chapter,
        subject=req,
        data={"amount": req.amount},
    )
    if approve and req.period.status == PeriodStatus.COMPUTED:
        _compute(actor, req.period, "needs approved")
    return req


@transaction.atomic
def appeal(member: Member, period: EffortPeriod, reason: str) -> Appeal:
    """A member appeals their allowance (one open appeal at a time)."""
    member = require_coworker(member, period.council)
    mine = selectors.own_allowance(period, member)
    if mine is None:
        raise ValidationError(_("You have no allowance in this period to appeal."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the allowance is wrong.")})
    if period.appeals.filter(member=member, status=AppealStatus.OPEN).exists():
        raise ValidationError(_("Your appeal is already under review."))
    row = Appeal.objects.create(
        period=period, member=member, allowance=mine, reason=reason.strip()[:2000]
    )
    record(
        "effort.appealed",
        said(
            gettext_noop("%(member)s appealed their allowance in %(period)s."),
            member=member.display_name,
            period=period.name,
        ),
        actor=member,
        chapter=period.council.chapter,
        subject=row,
        public=False,
    )
    return row


@transaction.atomic
def resolve_appeal(
    actor: Member,
    row: Appeal,
    uphold: bool,
    resolution: str,
    intensity: float | None = None,
) -> Appeal:
    """A facilitator of the workplace (not the appellant) resolves an appeal; upholding
    it with a corrected intensity recomputes the period's allowances."""
    actor = require_workplace_facilitator(actor, row.period.council)
    if actor.pk == row.member_id:
        raise PermissionDenied(_("Someone else reviews your own appeal."))
    row = Appeal.objects.select_for_update().select_related("period__council").get(pk=row.pk)
    if row.status != AppealStatus.OPEN:
        raise ValidationError(_("This appeal was already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the appeal was resolved.")})
    if intensity is not None and not (math.isfinite(intensity) and 0 < intensity <= 5):
        raise ValidationError({"intensity": _("A corrected intensity is above 0 and at most 5.")})
    row.status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    row.resolution = resolution.strip()[:1000]
    row.intensity = intensity if uphold else None
    row.resolved_by = actor
    row.resolved_at = timezone.now()
    row.save(update_fields=["status", "resolution", "intensity", "resolved_by", "resolved_at"])
    record(
        f"effort.appeal_{row.status}",
        said(
            gettext_noop("%(actor)s resolved an appeal in %(period)s: %(resolution)s"),
            actor=actor.display_name,
            period=row.period.name,
            resolution=row.resolution,
        ),
        actor=actor,
        chapter=row.period.council.chapter,
        subject=row,
        data={"status": row.status, "intensity": row.intensity},
        public=False,
    )
    if uphold and intensity is not None:
        _compute(actor, row.period, "appeal upheld")
    return row


def active_member_ids(council: Council) -> set[int]:
    return set(
        CouncilMembership.objects.active()
        .filter(council=council)
        .values_list("member_id", flat=True)
    )
