"""Closing the loop with planning: households' budgets are their members' allowances.

When a plan is opened (planning's ``PLAN_OPENED_HOOKS``) or when its facilitator
takes budgets from allowances, every household of the plan gets as its budget the
sum of its members' allowances for the plan's period (see
:func:`parecon.web.effort.selectors.household_allowances`). Neighbourhoods and
higher councils keep the collective budgets they were given: they are never the
sum of their members' allowances again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parecon.web.councils.models import Council, CouncilLevel
from parecon.web.effort.selectors import household_allowances
from parecon.web.history.i18n import said
from parecon.web.history.services import record

if TYPE_CHECKING:
    from parecon.web.members.models import Member
    from parecon.web.planning.models import Plan


def _apply(actor: Member, plan: Plan, *, enrol: bool) -> dict[Council, float]:
    from parecon.web.planning.models import Participant

    totals = household_allowances(plan)
    if not totals:
        return {}
    participants = {
        p.council_id: p for p in plan.participants.filter(council__level=CouncilLevel.HOUSEHOLD)
    }
    households = {c.pk: c for c in Council.objects.filter(pk__in=totals)}
    changed: dict[Council, float] = {}
    for pk, total in sorted(totals.items()):
        if total <= 0:
            continue
        row = participants.get(pk)
        if row is None:
            if not enrol:
                continue
            row = Participant.objects.create(plan=plan, council=households[pk], budget=total)
        elif row.budget == total:
            continue
        else:
            row.budget = total
            row.save(update_fields=["budget"])
        changed[households[pk]] = total
    if changed:
        record(
            "plan.budgets_from_allowances",
            said(
                gettext_noop(
                    "%(actor)s took the budgets of %(n)s households in %(plan)s from "
                    "their members' allowances."
                ),
                actor=actor.display_name,
                n=len(changed),
                plan=str(plan),
            ),
            actor=actor,
            chapter=plan.chapter,
            subject=plan,
            data={"budgets": {str(c.pk): b for c, b in changed.items()}},
        )
    return changed


@transaction.atomic
def take_budgets_from_allowances(actor: Member, plan: Plan) -> dict[Council, float]:
    """The plan's facilitator sets households' budgets from allowances.

    Households with allowances for the plan's period that are not yet in the plan
    join it with that budget (a plan still in its rounds only).
    """
    from parecon.web.planning.models import PlanStatus
    from parecon.web.planning.permissions import require_plan_facilitator

    actor = require_plan_facilitator(actor, plan)
    if plan.status != PlanStatus.PLANNING:
        raise ValidationError(_("Budgets change only while the plan is in its rounds."))
    changed = _apply(actor, plan, enrol=True)
    if not changed:
        raise ValidationError(
            _("No household has allowances for the period %(p)s that change its budget.")
            % {"p": plan.period}
        )
    return changed


def budgets_on_open(actor: Member, plan: Plan) -> None:
    """Planning's hook: the households a new plan lists get their allowances as budgets."""
    _apply(actor, plan, enrol=False)
