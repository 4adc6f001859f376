"""The demo shows every part of decisions: an amended vision statement with its
versions, a change of the rules under decision, a review due and a federated vote."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parecon.web.decisions import amendments
from parecon.web.decisions.models import Decision, Document, Kind

pytestmark = pytest.mark.django_db


def test_demo_has_documents_rules_reviews_and_a_federated_decision(login: object) -> None:
    from parecon.web.site.demo import load_demo

    people = load_demo()
    vision = Document.objects.get(title="Vision statement")
    assert amendments.latest(vision).number == 2
    assert vision.amendments.filter(applied__isnull=True).count() == 1  # under decision
    change = Decision.objects.get(kind=Kind.RULES)
    assert change.status == "voting" and change.ruleset is not None
    assert change.ruleset.version == 1
    gathering = Decision.objects.get(federated=True)
    units = {u["name"]: u for u in _tally(gathering)["units"]}
    assert len(units) == 2 and sorted(u["say"] for u in units.values()) == ["1", "8"]
    client = login(people["farid"])  # type: ignore[operator]
    page = client.get(reverse("chapters:detail", args=[vision.chapter.slug])).content.decode()
    assert "Rotate the cleaning" in page
    assert "review due" in page
    # Inés (Madrid) is affected by Spain's decision and reads it without joining Spain.
    ines = login(people["ines"])  # type: ignore[operator]
    assert ines.get(reverse("decisions:detail", args=[gathering.pk])).status_code == 200


def _tally(decision: Decision) -> dict[str, object]:
    from parecon.web.decisions import services

    return services.tally(decision)
