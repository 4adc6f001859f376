"""A chapter's documents amended clause by clause, each amendment a decision.

A :class:`Document` is a series of append-only versions, each the whole list of
clauses. A member proposes a new text for one clause (or a new clause); the
amendment is decided like any decision of the chapter, by its rules' default method
(a choice method; otherwise consent), every member with an equal say. Adoption
writes the next version with that clause replaced, unless the clause has changed
since the amendment was proposed (another amendment adopted first): then it is
recorded as overtaken and writes nothing, so no adopted text is ever lost silently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parecon import selfmanagement as sm
from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import require_member, require_role
from parecon.web.decisions.models import Amendment, Decision, Document, DocumentVersion, Kind
from parecon.web.decisions.units import chapter_unit
from parecon.web.history.services import record
from parecon.web.members.models import Member

TEXT_MAX = 10_000


def latest(document: Document) -> DocumentVersion:
    found = document.versions.order_by("-number").first()
    assert found is not None  # a document is created with its first version
    return found


def clause_of(version: DocumentVersion, key: str) -> dict[str, str] | None:
    return next((c for c in version.clauses if c["key"] == key), None)


def _clean(text: str, field: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: _("The clause needs its text.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("A clause is at most 10,000 characters.")})
    return text


@transaction.atomic
def create_document(
    actor: Member, chapter: Chapter, *, title: str, type: str, clauses: list[tuple[str, str]]
) -> Document:
    """An admin of the chapter writes version 1 of a document (heading, text per clause)."""
    actor = require_role(actor, chapter, Role.ADMIN)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if type not in Document.Type.values:
        raise ValidationError({"type": _("Unknown kind of document.")})
    if not clauses:
        raise ValidationError({"clauses": _("A document needs at least one clause.")})
    document = Document.objects.create(
        chapter=chapter, title=title.strip()[:200], type=type, created_by=actor
    )
    DocumentVersion.objects.create(
        document=document,
        number=1,
        clauses=[
            {"key": f"c{i}", "heading": heading.strip()[:200], "text": _clean(text, "clauses")}
            for i, (heading, text) in enumerate(clauses, start=1)
        ],
    )
    record(
        "document.created",
        _("%(actor)s wrote version 1 of “%(title)s”.")
        % {"actor": actor.display_name, "title": document.title},
        actor=actor,
        chapter=chapter,
        subject=document,
    )
    return document


@transaction.atomic
def propose_amendment(
    actor: Member,
    document: Document,
    clause: str,
    text: str,
    *,
    heading: str = "",
    reason: str = "",
) -> Amendment:
    """Propose a new text for ``clause`` (``"new"``: a clause added at the end)."""
    from parecon.web.decisions import rules, services

    actor = require_member(actor, document.chapter)
    version = latest(document)
    after = _clean(text, "text")
    if clause == "new":
        used = [int(c["key"][1:]) for c in version.clauses if c["key"][1:].isdigit()]
        key, before, old_heading = f"c{max(used, default=0) + 1}", "", ""
        if not heading.strip():
            raise ValidationError({"heading": _("A new clause needs a heading.")})
    else:
        found = clause_of(version, clause)
        if found is None:
            raise ValidationError({"clause": _("No such clause in this document.")})
        key, before, old_heading = clause, found["text"], found["heading"]
        if after == before and (not heading.strip() or heading.strip() == old_heading):
            raise ValidationError({"text": _("The new text is the same as the current one.")})
    ruleset = rules.rule_set_of(rules.ensure_current(document.chapter))
    method = ruleset.default_method
    if sm.get_method(method).ballot != "choice":
        method = "consent"
    number = (
        version.clauses.index(clause_of(version, key)) + 1 if before else len(version.clauses) + 1
    )
    decision = services.propose(
        actor,
        document.chapter,
        services.Proposal(
            title=_("Amend “%(doc)s”, clause %(n)d") % {"doc": document.title, "n": number},
            body=reason.strip(),
            method=method,
            affected_units=(chapter_unit(document.chapter),),
            levels=("1",),
        ),
        kind=Kind.AMENDMENT,
    )
    amendment = Amendment.objects.create(
        decision=decision,
        document=document,
        clause=key,
        heading=(heading.strip() or old_heading)[:200],
        base=version.number,
        before=before,
        after=after,
    )
    record(
        "document.amendment_proposed",
        _("%(actor)s proposed an amendment to clause %(n)d of “%(title)s”.")
        % {"actor": actor.display_name, "n": number, "title": document.title},
        actor=actor,
        chapter=document.chapter,
        subject=document,
        data={"decision": decision.pk, "clause": key},
    )
    return amendment


def apply_amendment(decision: Decision) -> DocumentVersion | None:
    """Write the next version if the amendment was adopted and its clause is unchanged."""
    if decision.result.get("outcome") != "adopted":
        return None
    amendment = Amendment.objects.select_for_update().get(decision=decision)
    document = amendment.document
    version = latest(document)
    current = clause_of(version, amendment.clause)
    if (current["text"] if current else "") != amendment.before:
        record(
            "document.amendment_overtaken",
            _("The adopted amendment to “%(title)s” was not applied: the clause changed since.")
            % {"title": document.title},
            actor=None,
            chapter=document.chapter,
            subject=document,
            data={"decision": decision.pk},
        )
        return None
    new = {"key": amendment.clause, "heading": amendment.heading, "text": amendment.after}
    clauses = [new if c["key"] == amendment.clause else c for c in version.clauses]
    if current is None:
        clauses.append(new)
    made = DocumentVersion.objects.create(
        document=document, number=version.number + 1, clauses=clauses, amendment=amendment
    )
    amendment.applied = made.number
    amendment.save(update_fields=["applied"])
    record(
        "document.amended",
        _("“%(title)s” is now at version %(n)d, amended by decision.")
        % {"title": document.title, "n": made.number},
        actor=None,
        chapter=document.chapter,
        subject=document,
        data={"decision": decision.pk, "version": made.number},
    )
    return made


@dataclass(frozen=True)
class Piece:
    """A run of words: ``same``, ``gone`` (only before) or ``new`` (only after)."""

    kind: str
    text: str


def diff(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """Word by word: the text before (with what goes) and after (with what is new)."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    left: list[Piece] = []
    right: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Piece("same", "".join(a[i1:i2])))
            right.append(Piece("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Piece("gone", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(Piece("new", "".join(b[j1:j2])))
    return left, right


@dataclass(frozen=True)
class ClauseChange:
    number: int
    heading: str
    before: list[Piece]
    after: list[Piece]


def version_changes(
    previous: DocumentVersion | None, version: DocumentVersion
) -> list[ClauseChange]:
    """The clauses a version changed from the one before it, each side by side."""
    old = {c["key"]: c for c in (previous.clauses if previous else [])}
    out = []
    for n, c in enumerate(version.clauses, start=1):
        was = old.get(c["key"])
        if was is not None and was["text"] == c["text"] and was["heading"] == c["heading"]:
            continue
        left, right = diff(was["text"] if was else "", c["text"])
        out.append(ClauseChange(n, c["heading"], left, right))
    return out
