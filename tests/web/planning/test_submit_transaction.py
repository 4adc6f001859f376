"""Submitting outside a test's wrapping transaction, as a server request does.

pytest-django runs each test inside a transaction, where ``select_for_update`` always
works; a request has none of its own, and PostgreSQL refuses a row lock outside one.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_locks_the_proposal_in_its_own_transaction(coop: Any) -> None:
    from parecon.web.planning import services
    from parecon.web.planning.models import Proposal

    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    services.save_draft(coop.north_member, draft, {("demand", 0): ("30", 0)})
    version = services.submit(coop.north_member, draft)
    assert Proposal.objects.get(pk=draft.pk).counted_id == version.pk
