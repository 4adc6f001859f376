"""Decisions taken in a meeting, counted by the one decision engine.

A room counts hands: so many in favour, against (objecting), abstaining and, for
consent, blocking. Those counts go to the decisions app through its own in-room
entry (:func:`parecon.web.decisions.services.enter_room_count`) and the decision is
closed there, so :func:`parecon.selfmanagement.decide` computes the outcome; nothing
here counts. A decision raised in the room becomes a new proposal of the chapter
(every member weighing 1); an agenda item's open proposal is counted as it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parecon.web.decisions import services as decisions
from parecon.web.decisions.models import Status
from parecon.web.history.services import record
from parecon.web.meetings.models import AgendaItem, DecisionMethod, Meeting, RoomDecision
from parecon.web.meetings.services import require_open_record, require_runner

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.decisions.models import Decision
    from parecon.web.members.models import Member

#: Which engine choice each hand count is, per method (None: the method has no such count).
_MOTION: dict[str, str | None] = {
    "in_favour": "yes",
    "against": "no",
    "abstain": "abstain",
    "blocks": None,
}
CHOICES: dict[str, dict[str, str | None]] = {
    "consent": {
        "in_favour": "consent",
        "against": "object",
        "abstain": "abstain",
        "blocks": "block",
    },
    "majority": _MOTION,
    "qualified_majority": _MOTION,
}
MOTION_OPTIONS = ["yes", "no", "abstain"]


def _count(value: object, field: str) -> int:
    try:
        n = int(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if not 0 <= n <= 1_000_000:
        raise ValidationError({field: _("Enter a number from 0 to 1,000,000.")})
    return n


def room_rows(method: str, counts: dict[str, int], block_reason: str) -> list[dict[str, Any]]:
    """The decisions app's room-count rows (one per choice with a count) for ``counts``."""
    mapping = CHOICES[method]
    rows: list[dict[str, Any]] = []
    for field, n in counts.items():
        choice = mapping[field]
        if not n:
            continue
        if choice is None:
            raise ValidationError({field: _("Only consent decisions have blocks.")})
        row: dict[str, Any] = {"choice": choice, "count": n, "weight": "1"}
        if choice == "block":
            if not block_reason.strip():
                raise ValidationError({"block_reason": _("A block must give its reason.")})
            row["reason"] = block_reason.strip()[:2000]
        rows.append(row)
    if not rows:
        raise ValidationError({"in_favour": _("Enter the counts of the room.")})
    return rows


def _countable(decision: Decision) -> None:
    """Only proposals the room's hand counts fit: consent, or a yes/no motion."""
    if decision.method not in CHOICES or (
        decision.method != "consent" and set(decision.options) - set(MOTION_OPTIONS)
    ):
        raise ValidationError(
            {
                "agenda_item": _(
                    "Count this proposal on its own page: its ballots are not yes/no/abstain."
                )
            }
        )
    if decision.status == Status.CLOSED:
        raise ValidationError({"agenda_item": _("This proposal is already decided.")})


def _new_proposal(m: Member, meeting: Meeting, text: str, method: str) -> Decision:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if len(text) > 500:
        raise ValidationError({"text": _("At most %(n)d characters.") % {"n": 500}})
    if method not in DecisionMethod.values:
        raise ValidationError({"method": _("Choose consent or a majority.")})
    return decisions.propose(
        m,
        meeting.chapter,
        decisions.Proposal(
            title=text[:200],
            body=text
            + "\n\n"
            + _("Decided in the meeting “%(title)s”.") % {"title": meeting.title},
            method=method,
            options=tuple(MOTION_OPTIONS) if method != "consent" else (),
            levels=("1",),
        ),
    )


@transaction.atomic
def record_decision(
    actor: Member | AnonymousUser,
    meeting: Meeting,
    *,
    text: str = "",
    method: str = DecisionMethod.CONSENT,
    in_favour: object = 0,
    against: object = 0,
    abstain: object = 0,
    blocks: object = 0,
    block_reason: str = "",
    agenda_item: AgendaItem | None = None,
) -> RoomDecision:
    """Count a decision taken in the room with the decisions engine.

    With ``agenda_item`` (an item carrying an open proposal), that proposal is counted
    by its own method; otherwise ``text`` and ``method`` make a new proposal. The
    room's counts are entered as room ballots and the vote is closed when the actor may
    close it (else it stays open for a facilitator or the proposer to close).
    """
    m = require_runner(actor, meeting)
    require_open_record(meeting)
    counts = {
        f: _count(v, f)
        for f, v in (
            ("in_favour", in_favour),
            ("against", against),
            ("abstain", abstain),
            ("blocks", blocks),
        )
    }
    if agenda_item is not None:
        if agenda_item.meeting_id != meeting.pk or agenda_item.decision is None:
            raise ValidationError({"agenda_item": _("Not a proposal on this meeting's agenda.")})
        decision = agenda_item.decision
        _countable(decision)
        rows = room_rows(decision.method, counts, block_reason)
    else:
        if method not in DecisionMethod.values:
            raise ValidationError({"method": _("Choose consent or a majority.")})
        rows = room_rows(method, counts, block_reason)
        decision = _new_proposal(m, meeting, text, method)
    if decision.status == Status.WEIGHING:
        decisions.open_voting(m, decision)
    decisions.enter_room_count(
        m, decision, rows, note=_("At the meeting “%(title)s”.") % {"title": meeting.title}
    )
    try:
        decision = decisions.close(m, decision)
    except PermissionDenied:
        decision.refresh_from_db()  # counted; the proposer or a facilitator closes it
    taken, _made = RoomDecision.objects.get_or_create(
        meeting=meeting,
        decision=decision,
        defaults={"agenda_item": agenda_item, "recorded_by": m},
    )
    record(
        "meeting.decision",
        _("Decided in the room (%(outcome)s): %(text)s")
        % {
            "outcome": decision.result.get("outcome", decision.get_status_display()),
            "text": decision.title,
        },
        actor=m,
        chapter=meeting.chapter,
        subject=taken,
        data={"decision": decision.pk, **counts},
    )
    return taken
