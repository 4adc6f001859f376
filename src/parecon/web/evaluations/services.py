"""Every write to evaluations: start one, rate it, fork another chapter's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.permissions import require_member
from parecon.web.evaluations.models import Evaluation, Kind, Rating
from parecon.web.evaluations.values import KEYS, MAX_SCORE, MIN_SCORE
from parecon.web.history.services import record
from parecon.web.meetings.services import _text

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.members.models import Member


@transaction.atomic
def create_evaluation(
    actor: Member | AnonymousUser,
    chapter: Chapter,
    *,
    institution: str,
    kind: str,
    description: str = "",
) -> Evaluation:
    m = require_member(actor, chapter)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of institution.")})
    evaluation = Evaluation.objects.create(
        chapter=chapter,
        institution=_text(institution, "institution", 200),
        kind=kind,
        description=_text(description, "description", 5000, required=False),
        created_by=m,
    )
    record(
        "evaluation.created",
        _("%(member)s opened an evaluation of %(name)s.")
        % {"member": m.display_name, "name": evaluation.institution},
        actor=m,
        chapter=chapter,
        subject=evaluation,
    )
    return evaluation


def _score(value: object, field: str) -> int:
    try:
        n = int(str(value))
    except ValueError:
        raise ValidationError({field: _("A score is a whole number from 0 to 10.")}) from None
    if not MIN_SCORE <= n <= MAX_SCORE:
        raise ValidationError({field: _("A score is a whole number from 0 to 10.")})
    return n


@transaction.atomic
def rate(
    actor: Member | AnonymousUser,
    evaluation: Evaluation,
    ratings: Mapping[str, tuple[object, str]],
) -> int:
    """Save the member's (score, evidence) per value; values left out stay as they were."""
    m = require_member(actor, evaluation.chapter)
    if not ratings:
        raise ValidationError({"ratings": _("Rate at least one value.")})
    clean = {}
    for key, (score, evidence) in ratings.items():
        if key not in KEYS:
            raise ValidationError({"value": _("Unknown value %(key)s.") % {"key": key[:40]}})
        clean[key] = (_score(score, key), _text(evidence, f"{key} evidence", 2000, required=False))
    for key, (score, evidence) in clean.items():
        Rating.objects.update_or_create(
            evaluation=evaluation,
            member=m,
            value=key,
            defaults={"score": score, "evidence": evidence},
        )
    record(
        "evaluation.rated",
        _("%(member)s rated %(name)s.")
        % {"member": m.display_name, "name": evaluation.institution},
        actor=m,
        chapter=evaluation.chapter,
        subject=evaluation,
        data={"values": sorted(clean)},
    )
    return len(clean)


@transaction.atomic
def fork(actor: Member | AnonymousUser, evaluation: Evaluation, chapter: Chapter) -> Evaluation:
    """Start the same evaluation in ``chapter`` (the actor's); its members rate it afresh."""
    m = require_member(actor, chapter)
    copy = Evaluation.objects.create(
        chapter=chapter,
        institution=evaluation.institution,
        kind=evaluation.kind,
        description=evaluation.description,
        forked_from=evaluation,
        created_by=m,
    )
    record(
        "evaluation.forked",
        _("%(member)s forked the evaluation of %(name)s from %(chapter)s.")
        % {"member": m.display_name, "name": evaluation.institution, "chapter": evaluation.chapter},
        actor=m,
        chapter=chapter,
        subject=copy,
    )
    return copy
