"""A chapter's decision rules as versions: read, propose a change, apply an adopted one.

The rules are :class:`parecon.selfmanagement.RuleSet` plain data; version 1 is the
defaults, written the first time the chapter decides anything. A change is itself a
decision under the current rules (their change method, required share and quorum,
every member of the chapter with an equal say), about the exact proposed text (its
fingerprint). When it closes, :func:`parecon.selfmanagement.check_rule_change` alone
says whether the new version is written: a change adopted after another one was
(so against rules no longer current) is recorded as overtaken and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parecon import selfmanagement as sm
from parecon.exceptions import InvalidValueError
from parecon.web.chapters.models import Chapter
from parecon.web.chapters.permissions import require_member
from parecon.web.decisions.models import Decision, Kind, RuleSetVersion
from parecon.web.decisions.units import chapter_unit
from parecon.web.history.services import record
from parecon.web.members.models import Member


def latest(chapter: Chapter) -> RuleSetVersion | None:
    return RuleSetVersion.objects.filter(chapter=chapter).order_by("-version").first()


def rule_set_of(version: RuleSetVersion | None) -> sm.RuleSet:
    if version is None:
        return sm.RuleSet()
    return sm.RuleSet.from_dict(version.rules)


def ensure_current(chapter: Chapter) -> RuleSetVersion:
    """The chapter's current rules, writing version 1 (the defaults) the first time."""
    found = latest(chapter)
    if found is not None:
        return found
    defaults = sm.RuleSet()
    version = RuleSetVersion.objects.create(
        chapter=chapter, version=1, rules=defaults.as_dict(), fingerprint=defaults.fingerprint()
    )
    record(
        "rules.initial",
        _("%(chapter)s decides under the default rules (version 1).") % {"chapter": chapter.name},
        actor=None,
        chapter=chapter,
        subject=version,
    )
    return version


def _shares(text: str, field: str) -> dict[str, str]:
    """``"majority=1/2, qualified_majority=3/4"`` as a mapping (a form's text field)."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError({field: _("Write name=value pairs separated by commas.")})
        out[key.strip()] = value.strip()
    return out


def rules_from_form(current: sm.RuleSet, data: dict[str, Any]) -> dict[str, Any]:
    """The proposed rules as plain data from a form's fields (blank keeps no quorum)."""
    terms: dict[str, int] = {}
    for role, days in _shares(data.get("role_terms", ""), "role_terms").items():
        if not days.isdigit():
            raise ValidationError({"role_terms": _("A term is a whole number of days.")})
        terms[role] = int(days)
    levels = [v.strip() for v in str(data.get("levels", "")).split(",") if v.strip()]
    return {
        "default_method": data.get("default_method") or current.default_method,
        "change_method": data.get("change_method") or current.change_method,
        "quorum": {
            "weight": data.get("quorum_weight") or None,
            "heads": data.get("quorum_heads") or None,
        },
        "weighting": {
            "levels": levels or current.as_dict()["weighting"]["levels"],
            "stakes": _shares(data.get("stakes", ""), "stakes"),
            "combine": current.weighting.combine,
        },
        "thresholds": _shares(data.get("thresholds", ""), "thresholds"),
        "role_terms": terms,
    }


def _parse(data: dict[str, Any]) -> sm.RuleSet:
    try:
        return sm.RuleSet.from_dict(data)
    except InvalidValueError as exc:
        raise ValidationError(str(exc)) from exc
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a wrong shape of data
        raise ValidationError(_("These rules are not valid: %(e)s") % {"e": exc}) from exc


@transaction.atomic
def propose_rule_change(
    actor: Member, chapter: Chapter, rules: dict[str, Any], *, reason: str = ""
) -> Decision:
    """Propose the next version of the rules: a decision under the current ones."""
    from parecon.web.decisions import services

    actor = require_member(actor, chapter)
    version = ensure_current(chapter)
    current = rule_set_of(version)
    proposed = _parse({**rules, "version": version.version + 1})
    if proposed.as_dict() | {"version": 0} == current.as_dict() | {"version": 0}:
        raise ValidationError(_("These rules are the current ones: nothing would change."))
    method = current.change_method
    threshold = current.threshold(method)
    return services.propose(
        actor,
        chapter,
        services.Proposal(
            title=_("Change the rules of %(chapter)s (version %(n)d)")
            % {"chapter": chapter.name, "n": proposed.version},
            body=reason.strip(),
            method=method,
            affected_units=(chapter_unit(chapter),),
            levels=("1",),
            threshold="" if threshold is None else str(threshold),
        ),
        kind=Kind.RULES,
        payload={"rules": proposed.as_dict()},
    )


def apply_rule_change(decision: Decision, result: sm.DecisionResult) -> RuleSetVersion | None:
    """Write the adopted rules as the next version, if valid under the current ones."""
    version = ensure_current(decision.chapter)
    current = rule_set_of(version)
    proposed = sm.RuleSet.from_dict(decision.payload["rules"])
    try:
        sm.check_rule_change(current, proposed, result)
    except InvalidValueError as exc:
        if result.outcome != "adopted":
            return None  # not adopted: nothing to apply, nothing to report
        record(
            "rules.change_not_applied",
            _("The adopted change of the rules “%(title)s” was not applied: %(why)s")
            % {"title": decision.title, "why": str(exc)},
            actor=None,
            chapter=decision.chapter,
            subject=decision,
        )
        return None
    made = RuleSetVersion.objects.create(
        chapter=decision.chapter,
        version=proposed.version,
        rules=proposed.as_dict(),
        fingerprint=proposed.fingerprint(),
        decision=decision,
    )
    record(
        "rules.changed",
        _("%(chapter)s adopted version %(n)d of its rules by decision.")
        % {"chapter": decision.chapter.name, "n": made.version},
        actor=None,
        chapter=decision.chapter,
        subject=made,
        data={"rules": made.rules, "decision": decision.pk},
    )
    return made


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The rules' fields that differ between two versions, as (field, before, after)."""

    def flat(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in data.items():
            if key == "version":
                continue
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                out.update(flat(value, name + "."))
            elif isinstance(value, list):
                out[name] = ", ".join(str(v) for v in value)
            else:
                out[name] = "—" if value is None else str(value)
        return out

    a, b = flat(before), flat(after)
    return [
        (k, a.get(k, "—"), b.get(k, "—")) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
    ]
