"""Federated decisions on the platform: a chapter decides as a federation of the
chapters within it, counted by :func:`parecon.selfmanagement.federate`.

Each direct sub-chapter is a member unit (with everyone in the chapters below it);
members of the federation's own chapter who belong to none vote as a unit of their
own. Each unit's ballots are counted on their own (its result is shown), and the
units' say is in proportion to their affected members. A member unit's facilitator
or admin may ask that the decision be pulled down to a direct vote of all affected
members; when the share of units the decision set has asked
(:func:`parecon.selfmanagement.pull_down`), it is counted that way from then on.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parecon import selfmanagement as sm
from parecon.web.chapters.models import Chapter, Membership, Role
from parecon.web.chapters.permissions import has_role
from parecon.web.decisions.models import Decision, PullDownRequest, Status
from parecon.web.decisions.units import chapter_unit, member_id, unit_label
from parecon.web.history.services import record
from parecon.web.members.models import Member


def _below(chapter: Chapter) -> list[int]:
    found, frontier = [chapter.pk], [chapter.pk]
    while frontier:
        frontier = list(Chapter.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.extend(frontier)
    return found


def member_units(chapter: Chapter) -> dict[str, set[int]]:
    """Each member unit's id and the members in it (the first unit wins a member in two)."""
    units: dict[str, set[int]] = {}
    seen: set[int] = set()
    for child in chapter.children.order_by("name"):
        pks = set(
            Membership.objects.active()
            .filter(chapter_id__in=_below(child))
            .values_list("member_id", flat=True)
        )
        units[chapter_unit(child)] = pks - seen
        seen |= pks
    return units


def count_federated(decision: Decision) -> sm.FederatedResult:
    """The federation's result and each unit's, from the current round's ballots."""
    from parecon.web.decisions.services import _core, rules_of

    units = member_units(decision.chapter)
    own = chapter_unit(decision.chapter)
    unit_of = {pk: unit for unit, pks in units.items() for pk in pks}
    electorates: dict[str, dict[str, Fraction]] = {}
    for w in decision.weights.all():
        weight = Fraction(w.weight)
        if weight > 0:
            electorates.setdefault(unit_of.get(w.member_id, own), {})[member_id(w.member_id)] = (
                weight
            )
    ballots: dict[str, list[sm.Ballot]] = {u: [] for u in electorates}
    for b in decision.ballots.filter(round=decision.round).order_by("pk"):
        ballots.setdefault(b.unit or own, []).append(
            sm.Ballot(
                b.label,
                b.weight,
                choice=b.choice or None,
                reason=b.reason,
                ranking=tuple(tuple(t) for t in b.ranking),
                marks={k: Fraction(v) for k, v in b.marks.items()},
                count=b.count,
            )
        )
    affected = {u: len(electorates.get(u, {})) for u in ballots}
    result: sm.FederatedResult = _core(
        sm.federate,
        decision.method,
        ballots,
        affected,
        options=decision.options or None,
        electorates={u: electorates.get(u, {}) for u in ballots},
        rules=rules_of(decision),
    )
    return result


def federated_document(federated: sm.FederatedResult) -> dict[str, Any]:
    from parecon.web.decisions.services import result_document

    document = result_document(federated.result)
    document["units"] = [
        {
            "unit": unit,
            "name": unit_label(unit),
            "outcome": r.outcome,
            "winner": r.winner,
            "say": str(federated.say[unit]),
            "heads_cast": r.turnout.heads_cast,
        }
        for unit, r in federated.units.items()
    ]
    return document


@transaction.atomic
def request_pull_down(actor: Member, decision: Decision, unit: Chapter) -> Decision:
    """A member unit asks for a direct vote; enough units asking make it one."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not has_role(actor, unit, Role.FACILITATOR, Role.ADMIN):
        raise PermissionDenied(_("Only a facilitator or admin of a member chapter asks for it."))
    units = member_units(decision.chapter)
    if chapter_unit(unit) not in units:
        raise ValidationError({"unit": _("That chapter is not a member of this federation.")})
    if not decision.federated:
        raise ValidationError(_("This decision is not (or no longer) federated."))
    if decision.status == Status.CLOSED:
        raise ValidationError(_("The decision is closed."))
    _made, created = PullDownRequest.objects.get_or_create(
        decision=decision, unit=unit, defaults={"requested_by": actor}
    )
    if not created:
        raise ValidationError(_("This chapter has already asked."))
    asking = [
        chapter_unit(c)
        for c in Chapter.objects.filter(pk__in=decision.pull_downs.values_list("unit_id"))
    ]
    state = sm.pull_down(asking, list(units), Fraction(decision.pull_down_share))
    record(
        "decision.pull_down_requested",
        _("%(unit)s asked that “%(title)s” be a direct vote of all affected members.")
        % {"unit": unit.name, "title": decision.title},
        actor=actor,
        chapter=decision.chapter,
        subject=decision,
    )
    if state.met:
        decision.federated = False
        decision.save(update_fields=["federated"])
        record(
            "decision.pulled_down",
            _("“%(title)s” is pulled down: %(n)d member chapters asked; it is a direct vote now.")
            % {"title": decision.title, "n": len(state.requesting)},
            actor=None,
            chapter=decision.chapter,
            subject=decision,
        )
    return decision


def pull_down_state(decision: Decision) -> sm.PullDown | None:
    """Who has asked for a direct vote, and how many must (None if not federated)."""
    units = member_units(decision.chapter)
    if not units:
        return None
    asking = [
        chapter_unit(c)
        for c in Chapter.objects.filter(pk__in=decision.pull_downs.values_list("unit_id"))
    ]
    return sm.pull_down(asking, list(units), Fraction(decision.pull_down_share))
