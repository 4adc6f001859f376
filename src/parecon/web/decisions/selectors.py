"""Reading decisions: weights as a member may see them, results when they may."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.contrib.auth.models import AnonymousUser

from parecon import selfmanagement as sm
from parecon.csv_cells import formula_safe
from parecon.web.chapters.models import Chapter
from parecon.web.chapters.permissions import require_member
from parecon.web.decisions.models import (
    Ballot,
    Decision,
    Receipt,
    RuleSetVersion,
    Status,
    Visibility,
    Weight,
)
from parecon.web.members.models import Member


@dataclass(frozen=True)
class WeightRow:
    name: str
    weight: str
    reasons: tuple[str, ...]


def weights_shown(decision: Decision) -> list[WeightRow]:
    """Each member's weight, or with anonymous ballots only bands of weights."""
    rows = list(decision.weights.select_related("member").order_by("member__name"))
    if not decision.anonymous:
        return [
            WeightRow(w.member.display_name, _pretty(Fraction(w.weight)), tuple(w.reasons))
            for w in rows
        ]
    bands = sm.weight_bands({str(w.member_id): Fraction(w.weight) for w in rows})
    return [WeightRow(f"{b.size} members", b.label, ()) for b in bands.bands]


def _pretty(value: Fraction) -> str:
    return str(value) if value.denominator != 1 else str(value.numerator)


def my_weight(decision: Decision, member: Member | AnonymousUser) -> Weight | None:
    if not member.is_authenticated:
        return None
    return Weight.objects.filter(decision=decision, member=member).first()


def has_voted(decision: Decision, member: Member | AnonymousUser) -> bool:
    if not member.is_authenticated:
        return False
    if decision.anonymous:
        return Receipt.objects.filter(
            decision=decision, round=decision.round, member=member
        ).exists()
    return Ballot.objects.filter(decision=decision, round=decision.round, voter=member).exists()


def require_reader(member: Member | AnonymousUser, decision: Decision) -> None:
    """Members of the decision's chapter read it, and so does anyone it affects (the
    members of a federation's chapters, who need not belong to the federation's own)."""
    if member.is_authenticated and Weight.objects.filter(decision=decision, member=member).exists():
        return
    require_member(member, decision.chapter)


def may_see_results(decision: Decision, member: Member | AnonymousUser) -> bool:
    if decision.status == Status.CLOSED:
        return True
    return decision.results == Visibility.AFTER_VOTING and has_voted(decision, member)


def ballots_csv(decision: Decision) -> str:
    """The round's ballots in ``parecon decide``'s CSV format (voters as labels only)."""
    import csv
    import io

    method = sm.get_method(decision.method)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    ballots = list(decision.ballots.filter(round=decision.round).order_by("pk"))
    if method.ballot == "choice":
        writer.writerow(["voter", "weight", "count", "choice", "reason"])
        for b in ballots:
            writer.writerow([b.label, b.weight, b.count, b.choice, formula_safe(b.reason)])
    elif method.ballot == "ranking":
        writer.writerow(["voter", "weight", "count", "ranking"])
        for b in ballots:
            writer.writerow(
                [b.label, b.weight, b.count, " > ".join(" = ".join(t) for t in b.ranking)]
            )
    else:
        writer.writerow(["voter", "weight", "count", *decision.options])
        for b in ballots:
            writer.writerow(
                [b.label, b.weight, b.count, *(b.marks.get(o, "") for o in decision.options)]
            )
    return out.getvalue()


def rule_versions(chapter: Chapter) -> list[RuleSetVersion]:
    """The chapter's rule-set versions, newest first, with the decisions that adopted them."""
    return list(
        RuleSetVersion.objects.filter(chapter=chapter)
        .select_related("decision")
        .order_by("-version")
    )
