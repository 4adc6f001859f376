"""Reading a balance's complexes: the effective assignment after accepted swaps.

A balance's :class:`~parecon.web.jobs.models.Assignment` rows are written once; each
accepted :class:`~parecon.web.jobs.models.Swap` moves shifts between two people on
top of them. Everything that shows or checks a published assignment (pages, swaps,
the calendar, the next rebalance's ``previous``) reads it through here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parecon.web.jobs.models import Assignment, Balance, Swap, SwapStatus


@dataclass
class Effective:
    """shifts[(member id, task id)] per week, and each task's shift length in hours."""

    shifts: dict[tuple[int, int], float] = field(default_factory=dict)
    shift_hours: dict[int, float] = field(default_factory=dict)

    def of_member(self, member_id: int) -> dict[int, float]:
        return {t: s for (m, t), s in self.shifts.items() if m == member_id and s > 0}

    def holders(self, task_id: int) -> dict[int, float]:
        return {m: s for (m, t), s in self.shifts.items() if t == task_id and s > 0}

    def hours_of(self, member_id: int) -> float:
        return sum(s * self.shift_hours[t] for t, s in self.of_member(member_id).items())

    def by_member(self) -> dict[int, dict[int, float]]:
        out: dict[int, dict[int, float]] = defaultdict(dict)
        for (m, t), s in self.shifts.items():
            if s > 0:
                out[m][t] = s
        return out


def effective(balance: Balance, member_id: int | None = None) -> Effective:
    """The whole effective assignment, or (``member_id``) that of the tasks one person
    holds or swapped into: every holder of those tasks, nothing else (two queries: the
    tasks are chosen inside them)."""
    eff = Effective()
    cells = Assignment.objects.filter(balance=balance)
    swaps = Swap.objects.filter(balance=balance, status=SwapStatus.ACCEPTED).order_by("decided_at")
    if member_id is not None:
        from django.db.models import Q

        mine = swaps.filter(Q(requester_id=member_id) | Q(partner_id=member_id)).order_by()
        held = cells.filter(member_id=member_id).values("task_id")

        def touching(field: str) -> Q:
            return (
                Q(**{f"{field}__in": held})
                | Q(**{f"{field}__in": mine.values("give_task_id")})
                | Q(**{f"{field}__in": mine.values("take_task_id")})
            )

        cells = cells.filter(touching("task_id"))
        swaps = swaps.filter(touching("give_task_id") | touching("take_task_id"))
    for member, task_id, shifts, hours in cells.values_list(
        "member_id", "task_id", "shifts", "shift_hours"
    ):
        eff.shifts[(member, task_id)] = shifts
        eff.shift_hours[task_id] = hours
    for s in swaps:
        apply_swap(eff, s.requester_id, s.partner_id, s.give_task_id, s.give_shifts,
                   s.take_task_id, s.take_shifts)  # fmt: skip
    return eff


def effective_for(balance: Balance, member_ids: list[int]) -> Effective:
    """The effective complexes of some people only (their cells after accepted swaps)."""
    from django.db.models import Q

    eff = Effective()
    cells = Assignment.objects.filter(balance=balance, member_id__in=member_ids)
    for member, task_id, shifts, hours in cells.values_list(
        "member_id", "task_id", "shifts", "shift_hours"
    ):
        eff.shifts[(member, task_id)] = shifts
        eff.shift_hours[task_id] = hours
    swaps = Swap.objects.filter(
        Q(requester_id__in=member_ids) | Q(partner_id__in=member_ids),
        balance=balance,
        status=SwapStatus.ACCEPTED,
    ).order_by("decided_at")
    for s in swaps:
        for t in (s.give_task_id, s.take_task_id):
            if t not in eff.shift_hours:
                eff.shift_hours[t] = _shift_hours(balance, t)
        apply_swap(eff, s.requester_id, s.partner_id, s.give_task_id, s.give_shifts,
                   s.take_task_id, s.take_shifts)  # fmt: skip
    return eff


def _shift_hours(balance: Balance, task_id: int) -> float:
    found = (
        Assignment.objects.filter(balance=balance, task_id=task_id)
        .values_list("shift_hours", flat=True)
        .first()
    )
    return float(found or 0.0)


def apply_swap(
    eff: Effective, a: int, b: int, give: int, give_shifts: int, take: int, take_shifts: int
) -> None:
    """``a`` hands ``give_shifts`` of ``give`` to ``b`` for ``take_shifts`` of ``take``."""
    s = eff.shifts
    s[(a, give)] = s.get((a, give), 0.0) - give_shifts
    s[(b, give)] = s.get((b, give), 0.0) + give_shifts
    s[(b, take)] = s.get((b, take), 0.0) - take_shifts
    s[(a, take)] = s.get((a, take), 0.0) + take_shifts
