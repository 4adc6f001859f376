"""The schemathesis world and case mapping of decisions' rules, documents and
federated decisions (so each operation can succeed at least once)."""

from __future__ import annotations

from typing import Any


def prepare(real: dict[str, Any], admin: Any, chapter: Any) -> None:
    """A document to amend and a federated decision of the region to pull down."""
    from parecon.web.chapters.permissions import is_member
    from parecon.web.chapters.services import join
    from parecon.web.decisions import amendments, services

    document = amendments.create_document(
        admin, chapter, title="Schema vision", type="vision", clauses=[("Who", "We are.")]
    )
    region = chapter.parent
    if not is_member(admin, region):
        join(admin, region)
    fed = services.propose(
        admin,
        region,
        services.Proposal(
            title="Schema federated",
            affected_units=(f"chapter:{region.slug}",),
            levels=("1",),
            federated=True,
        ),
    )
    real["document_id"] = document.pk
    real["decisions"]["/pull-down"] = fed.pk
    real["decisions_unit"] = chapter.slug


def map_case(case: Any, real: dict[str, Any]) -> None:
    path, body = case.operation.path, case.body
    if not isinstance(body, dict) or "document_id" not in real:
        return
    if path == "/api/decisions/rules":
        body["rules"] = {"default_method": "majority"}
    elif path == "/api/decisions/documents":
        body["clauses"] = [{"heading": "Who", "text": "We are many."}]
    elif path == "/api/decisions/documents/{document_id}/amendments":
        body.update(clause="c1", text=f"We are {len(str(body.get('text', '')))} more.")
    elif path == "/api/decisions/{decision_id}/pull-down":
        body["unit"] = real["decisions_unit"]
