"""Swaps of shifts between two members of a published balance.

A member offers some of their weekly shifts of one task for some of a partner's
shifts of another. A swap must keep hours even (``give × length = take × length``),
both people qualified for what they receive, and both averages within the band of
the balance on both scales; otherwise it is refused with the reason. The partner
accepts (checked again, the assignment may have moved since) or declines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.history.i18n import Said
from parecon.web.history.services import record
from parecon.web.jobs.complexes import Effective, apply_swap, effective_for
from parecon.web.jobs.models import Balance, Holder, Swap, SwapStatus, Task
from parecon.web.jobs.owners import owner_of, require_owner_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


def _ratings(balance: Balance) -> dict[int, tuple[float, float, bool]]:
    """task id → (empowerment, desirability) the balance used, for the averages."""
    stored = balance.summary.get("ratings")
    if isinstance(stored, dict):
        return {int(t): (float(e), float(d), True) for t, (e, d) in stored.items()}
    from parecon.web.jobs.models import Assignment
    from parecon.web.jobs.ratings import medians

    ids = sorted(set(Assignment.objects.filter(balance=balance).values_list("task_id", flat=True)))
    emp, des, _unrated = medians(ids)
    return {t: (float(emp[k]), float(des[k]), True) for k, t in enumerate(ids)}


def _averages(
    eff: Effective, member_id: int, rated: dict[int, tuple[float, float, bool]]
) -> tuple[float, float]:
    mine = eff.of_member(member_id)
    hours = np.array([s * eff.shift_hours[t] for t, s in mine.items()])
    if hours.sum() <= 0:
        return float("nan"), float("nan")
    e = np.array([rated[t][0] for t in mine])
    d = np.array([rated[t][1] for t in mine])
    return float(e @ hours / hours.sum()), float(d @ hours / hours.sum())


class SwapChecker:
    """Checks swaps of a balance among some people, reading their rows once."""

    def __init__(self, balance: Balance, member_ids: list[int]) -> None:
        self.balance = balance
        self.eff = effective_for(balance, member_ids)
        self.rated = _ratings(balance)
        self.held: dict[int, set[int]] = {m: set() for m in member_ids}
        for m, q in Holder.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "qualification_id"
        ):
            self.held[m].add(q)
        self.needs: dict[int, set[int]] = {}

    def qualified(self, member: Member, task: Task) -> bool:
        if task.assignee_id is not None and task.assignee_id != member.pk:
            return False
        if task.pk not in self.needs:
            self.needs[task.pk] = set(task.qualifications.values_list("pk", flat=True))
        return self.needs[task.pk] <= self.held.get(member.pk, set())

    def why(
        self,
        requester: Member,
        partner: Member,
        give: Task,
        give_shifts: int,
        take: Task,
        take_shifts: int,
    ) -> str | None:
        """Why this swap cannot be made, in words, or None when it can."""
        eff, balance = self.eff, self.balance
        if requester.pk == partner.pk:
            return _("Swap with someone else.")
        if give.pk == take.pk:
            return _("Swap different tasks.")
        if give_shifts < 1 or take_shifts < 1:
            return _("Swap at least one shift each way.")
        if eff.shifts.get((requester.pk, give.pk), 0.0) < give_shifts:
            return _("You do not hold %(n)d shifts of “%(task)s”.") % {
                "n": give_shifts, "task": give,
            }  # fmt: skip
        if eff.shifts.get((partner.pk, take.pk), 0.0) < take_shifts:
            return _("%(who)s does not hold %(n)d shifts of “%(task)s”.") % {
                "who": partner.display_name, "n": take_shifts, "task": take,
            }  # fmt: skip
        given = give_shifts * eff.shift_hours[give.pk]
        taken = take_shifts * eff.shift_hours[take.pk]
        if abs(given - taken) > 1e-6:
            return _("The hours differ: %(a)g h given for %(b)g h taken.") % {
                "a": given, "b": taken,
            }  # fmt: skip
        if not self.qualified(requester, take):
            return _("You are not qualified for “%(task)s”.") % {"task": take}
        if not self.qualified(partner, give):
            return _("%(who)s is not qualified for “%(task)s”.") % {
                "who": partner.display_name, "task": give,
            }  # fmt: skip
        after = Effective(dict(eff.shifts), eff.shift_hours)
        apply_swap(after, requester.pk, partner.pk, give.pk, give_shifts, take.pk, take_shifts)
        means = (balance.mean_empowerment or 0.0, balance.mean_desirability or 0.0)
        for who in (requester, partner):
            for k, (scale, mean) in enumerate(
                zip((_("empowerment"), _("desirability")), means, strict=True)
            ):
                avg = _averages(after, who.pk, self.rated)[k]
                if abs(avg - mean) > balance.band + 1e-9:
                    return _(
                        "%(who)s would be outside the band on %(scale)s: %(avg).2f against "
                        "the workplace's %(mean).2f ± %(band)g."
                    ) % {"who": who.display_name, "scale": scale, "avg": avg, "mean": mean,
                         "band": balance.band}  # fmt: skip
        return None


def why_refused(
    balance: Balance,
    requester: Member,
    partner: Member,
    give: Task,
    give_shifts: int,
    take: Task,
    take_shifts: int,
) -> str | None:
    """Why this swap cannot be made, in words, or None when it can."""
    checker = SwapChecker(balance, [requester.pk, partner.pk])
    return checker.why(requester, partner, give, give_shifts, take, take_shifts)


#: Most partners a swap form lists for one pair of tasks.
PARTNERS_LISTED = 100


def swap_partners(
    balance: Balance,
    requester: Member,
    give: Task,
    give_shifts: int,
    take: Task,
    take_shifts: int,
) -> list[tuple[Member, str | None]]:
    """The holders of ``take`` and why a swap with each would be refused (None: it
    would not), those it would work with first, by name."""
    from parecon.web.members.models import Member as MemberModel

    holder_ids = sorted(_holders(balance, take.pk) - {requester.pk})
    checker = SwapChecker(balance, [requester.pk, *holder_ids])
    holding = [m for m in holder_ids if checker.eff.shifts.get((m, take.pk), 0.0) > 0]
    people = MemberModel.objects.filter(pk__in=holding).order_by("name", "pk")
    rows = [(p, checker.why(requester, p, give, give_shifts, take, take_shifts)) for p in people]
    rows.sort(key=lambda r: r[1] is not None)
    return rows[:PARTNERS_LISTED]


def _holders(balance: Balance, task_id: int) -> set[int]:
    """Who holds or swapped into shifts of a task (a superset; checked on their cells)."""
    from parecon.web.jobs.models import Assignment

    cells = Assignment.objects.filter(balance=balance, task_id=task_id).values_list(
        "member_id", flat=True
    )
    accepted = Swap.objects.filter(balance=balance, status=SwapStatus.ACCEPTED)
    given = accepted.filter(give_task_id=task_id).values_list("partner_id", flat=True)
    taken = accepted.filter(take_task_id=task_id).values_list("requester_id", flat=True)
    return set(cells) | set(given) | set(taken)


def _check_published(balance: Balance) -> None:
    if balance.published_at is None:
        raise ValidationError(_("Swaps are made in a published balance."))
    from parecon.web.jobs.balancing import latest_published

    current = latest_published(owner_of(balance))
    if current is None or current.pk != balance.pk:
        raise ValidationError(_("This balance has been replaced by a newer one."))


@transaction.atomic
def request_swap(
    actor: Member | AnonymousUser,
    balance: Balance,
    *,
    partner: Member,
    give_task: Task,
    give_shifts: object,
    take_task: Task,
    take_shifts: object,
) -> Swap:
    """A member proposes a swap; refused with the reason unless it keeps both in the band."""
    owner = owner_of(balance)
    m = require_owner_member(actor, owner)
    _check_published(balance)
    try:
        give_n, take_n = int(str(give_shifts)), int(str(take_shifts))
    except ValueError:
        raise ValidationError(_("Shifts are whole numbers.")) from None
    reason = why_refused(balance, m, partner, give_task, give_n, take_task, take_n)
    if reason is not None:
        raise ValidationError(reason)
    swap = Swap.objects.create(
        balance=balance,
        requester=m,
        partner=partner,
        give_task=give_task,
        give_shifts=give_n,
        take_task=take_task,
        take_shifts=take_n,
    )
    record(
        "jobs.swap_requested",
        Said(
            gettext_noop("%(a)s offered %(b)s a swap: %(give)s for %(take)s."),
            {
                "a": m.display_name,
                "b": partner.display_name,
                "give": give_task.name,
                "take": take_task.name,
            },
        ),
        actor=m,
        chapter=owner.chapter,
        subject=swap,
    )
    return swap


@transaction.atomic
def answer_swap(actor: Member | AnonymousUser, swap: Swap, *, accept: bool) -> Swap:
    """The partner accepts (checked again) or declines; the requester may withdraw."""
    owner = owner_of(swap.balance)
    m = require_owner_member(actor, owner)
    if swap.status != SwapStatus.REQUESTED:
        raise ValidationError(_("This swap was already answered."))
    if m.pk == swap.requester_id and not accept:
        status = SwapStatus.WITHDRAWN
    elif m.pk != swap.partner_id:
        raise PermissionDenied(_("Only the member asked may answer this swap."))
    elif accept:
        _check_published(swap.balance)
        reason = why_refused(
            swap.balance, swap.requester, swap.partner, swap.give_task, swap.give_shifts,
            swap.take_task, swap.take_shifts,
        )  # fmt: skip
        if reason is not None:
            raise ValidationError(reason)
        status = SwapStatus.ACCEPTED
    else:
        status = SwapStatus.DECLINED
    swap.status = status
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    record(
        "jobs.swap_" + status,
        Said(
            gettext_noop("The swap of %(give)s for %(take)s was %(status)s."),
            {
                "give": swap.give_task.name,
                "take": swap.take_task.name,
                "status": SwapStatus(status).label,
            },
        ),
        actor=m,
        chapter=owner.chapter,
        subject=swap,
    )
    return swap
