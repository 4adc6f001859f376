"""The round's running totals, kept by each submission instead of summed on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parecon.web.planning import counted, selectors, services
from parecon.web.planning.closing import close_round
from parecon.web.planning.models import Proposal, Round

pytestmark = pytest.mark.django_db


def _submit(member: Any, round_: Round, council: Any, values: dict[tuple[str, int], str]) -> None:
    draft = services.draft_for(member, round_, council)
    versions = {(ln.side, ln.good.index): ln.version for ln in draft.lines.select_related("good")}
    services.save_draft(member, draft, {k: (v, versions.get(k, 0)) for k, v in values.items()})
    services.submit(member, draft)


def _summed(round_: Round) -> dict[str, Any]:
    return counted.totals_of(counted.counted_rows(round_), len(round_.prices))


def _kept(round_: Round) -> dict[str, Any]:
    kept = Round.objects.get(pk=round_.pk).running
    assert kept is not None
    return kept


def _assert_same(kept: dict[str, Any], summed: dict[str, Any]) -> None:
    assert kept["submitted"] == summed["submitted"]
    for side in ("supply", "demand"):
        assert kept[side] == pytest.approx(summed[side], abs=1e-9)


def test_submissions_and_resubmissions_keep_the_sums(coop: Any) -> None:
    r = coop.round
    assert Round.objects.get(pk=r.pk).running is None
    _submit(coop.north_member, r, coop.north, {("demand", 0): "20", ("demand", 1): "1"})
    _assert_same(_kept(r), _summed(r))
    assert _kept(r)["demand"][:2] == [20.0, 1.0]
    _submit(coop.baker, r, coop.bakery, {("supply", 0): "30", ("demand", 3): "2"})
    # North resubmits: its old figures leave the totals, a line it dropped included.
    _submit(coop.north_member2, r, coop.north, {("demand", 0): "12.5", ("demand", 1): "0"})
    kept = _kept(r)
    _assert_same(kept, _summed(r))
    assert kept["submitted"] == 2
    assert kept["demand"] == [12.5, 0.0, 0.0, 2.0] and kept["supply"] == [30.0, 0.0, 0.0, 0.0]
    live = selectors.running_totals(r)
    assert live["submitted"] == 2 and live["councils"] == 4 and live["demand"] == kept["demand"]


def test_a_round_opened_before_totals_were_kept_sums_once_then_keeps(coop: Any) -> None:
    r = coop.round
    _submit(coop.north_member, r, coop.north, {("demand", 0): "20"})
    Round.objects.filter(pk=r.pk).update(running=None)  # as a round of an older release
    assert selectors.running_totals(r)["demand"][0] == 20.0  # summed from the proposals
    _submit(coop.south_member, r, coop.south, {("demand", 0): "5", ("demand", 1): "2"})
    kept = _kept(r)
    assert kept["submitted"] == 2 and kept["demand"][:2] == [25.0, 2.0]
    _assert_same(kept, _summed(r))


def test_a_refused_submission_leaves_the_totals(coop: Any) -> None:
    r = coop.round
    _submit(coop.north_member, r, coop.north, {("demand", 0): "20"})
    before = _kept(r)
    draft = services.draft_for(coop.south_member, r, coop.south)
    services.save_draft(coop.south_member, draft, {("demand", 0): ("1000", 0)})  # over budget
    with pytest.raises(ValidationError):
        services.submit(coop.south_member, draft)
    assert _kept(r) == before
    assert Proposal.objects.get(pk=draft.pk).counted_id is None


def test_a_submission_after_the_close_is_refused_and_counts_nowhere(coop: Any) -> None:
    r = coop.round
    draft = services.draft_for(coop.north_member, r, coop.north)
    services.save_draft(coop.north_member, draft, {("demand", 0): ("20", 0)})
    close_round(coop.facilitator, r)
    with pytest.raises(ValidationError, match="closed"):
        services.submit(coop.north_member, draft)
    assert Round.objects.get(pk=r.pk).running is None


def test_totals_after_replaces_a_proposal_and_clamps_rounding_residue() -> None:
    before = {"submitted": 1, "supply": [0.0, 0.0], "demand": [0.3, 1.0]}  # 0.3 < 0.1 + 0.2
    old = {"supply": {}, "demand": {"0": 0.1 + 0.2}}
    after = counted.totals_after(before, old, {"supply": {"1": 4.0}, "demand": {}}, 2)
    assert after == {"submitted": 1, "supply": [0.0, 4.0], "demand": [0.0, 1.0]}
    first = counted.totals_after(after, None, {"supply": {}, "demand": {"1": 0.5}}, 2)
    assert first["submitted"] == 2 and first["demand"] == [0.0, 1.5]
