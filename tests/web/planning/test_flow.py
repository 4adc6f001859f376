"""A round end to end through the services: draft, merge, submit, close, carry forward."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parecon.web.planning import services
from parecon.web.planning.closing import close_round
from parecon.web.planning.models import Proposal

pytestmark = pytest.mark.django_db


def _set(member: Any, proposal: Proposal, values: dict[tuple[str, int], str]) -> Any:
    versions = {
        (ln.side, ln.good.index): ln.version for ln in proposal.lines.select_related("good")
    }
    return services.save_draft(
        member, proposal, {k: (v, versions.get(k, 0)) for k, v in values.items()}
    )


def test_round_closes_with_new_prices_and_carries_forward(coop: Any) -> None:
    r = coop.round
    north = services.draft_for(coop.north_member, r, coop.north)
    _set(coop.north_member, north, {("demand", 0): "20", ("demand", 1): "1"})
    services.submit(coop.north_member, north)
    bakery = services.draft_for(coop.baker, r, coop.bakery)
    _set(coop.baker, bakery, {("supply", 0): "30", ("demand", 2): "10", ("demand", 3): "2"})
    services.submit(coop.baker, bakery)
    closed = close_round(coop.facilitator, r)
    assert closed.status == "closed" and closed.n_submitted == 2
    assert len(closed.next_prices) == 4 and closed.max_gap is not None
    # What changed for North: its requests at the new prices (public goods' cost shared).
    p = closed.next_prices
    assert closed.council_results[str(coop.north.pk)]["cost"] == pytest.approx(
        20 * p[0] + 1 * p[1] / 2
    )
    assert closed.council_results[str(coop.bakery.pk)]["benefit"] == pytest.approx(30 * p[0])
    second = coop.plan.rounds.get(number=2)
    assert second.prices == closed.next_prices
    # Round 2: North's draft starts from its last proposal; nobody submits; carried forward.
    draft = services.draft_for(coop.north_member2, second, coop.north)
    assert {(ln.side, ln.good.index): ln.quantity for ln in draft.lines.select_related("good")} == {
        ("demand", 0): 20.0,
        ("demand", 1): 1.0,
    }
    closed2 = close_round(coop.facilitator, second)
    assert closed2.n_carried == 2 and closed2.n_submitted == 0
    assert closed2.supply == closed.supply


def test_double_close_closes_once(coop: Any) -> None:
    from parecon.web.history.models import Event

    r = coop.round
    draft = services.draft_for(coop.north_member, r, coop.north)
    _set(coop.north_member, draft, {("demand", 0): "20"})
    services.submit(coop.north_member, draft)
    first = close_round(coop.facilitator, r)
    state = dict(first.plan.board_state)
    again = close_round(coop.facilitator, r)
    assert again.status == "closed" and again.closed_at == first.closed_at
    assert coop.plan.rounds.count() == 2
    assert Event.objects.filter(verb="round.closed").count() == 1
    assert type(coop.plan).objects.get(pk=coop.plan.pk).board_state == state


def test_failure_inside_the_close_leaves_the_round_open(
    coop: Any, monkeypatch: pytest.MonkeyPatch, db_state: Any
) -> None:
    from parecon.web.planning import closing

    r = coop.round
    draft = services.draft_for(coop.north_member, r, coop.north)
    _set(coop.north_member, draft, {("demand", 0): "20"})
    services.submit(coop.north_member, draft)
    close_round(coop.facilitator, r)
    second = coop.plan.rounds.get(number=2)  # North will be carried forward here
    before = db_state()
    board = type(coop.plan).objects.get(pk=coop.plan.pk).board_state

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("injected failure in the middle of the close")

    monkeypatch.setattr(closing, "_publish", explode)
    with pytest.raises(RuntimeError, match="injected"):
        close_round(coop.facilitator, second)
    second.refresh_from_db()
    assert second.status == "open" and second.proposals.count() == 0
    assert db_state() == before
    assert type(coop.plan).objects.get(pk=coop.plan.pk).board_state == board
    monkeypatch.undo()
    assert close_round(coop.facilitator, second).n_carried == 1


def test_two_members_merge_good_by_good_and_conflict_on_same_good(coop: Any) -> None:
    r = coop.round
    draft = services.draft_for(coop.north_member, r, coop.north)
    # Both load the empty draft (versions 0), then edit.
    services.save_draft(coop.north_member, draft, {("demand", 0): ("10", 0)})
    result = services.save_draft(
        coop.north_member2, draft, {("demand", 1): ("2", 0), ("demand", 0): ("12", 0)}
    )
    assert result.saved == 1
    assert [(c.good, c.theirs, c.yours, c.by) for c in result.conflicts] == [
        (0, 10.0, 12.0, "Nora")
    ]
    lines = {ln.good.index: ln.quantity for ln in draft.lines.select_related("good")}
    assert lines == {0: 10.0, 1: 2.0}


def test_bad_quantities_are_refused_with_a_message(coop: Any) -> None:
    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    result = services.save_draft(
        coop.north_member, draft, {("demand", 0): ("abc", 0), ("demand", 1): ("-3", 0)}
    )
    assert result.saved == 0
    assert "not a number" in result.errors[("demand", 0)]
    assert "negative" in result.errors[("demand", 1)]
    wrong_side = services.save_draft(coop.north_member, draft, {("supply", 0): ("3", 0)})
    assert wrong_side.errors


def test_over_budget_and_low_benefit_are_refused_at_submit(coop: Any) -> None:
    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    _set(coop.north_member, draft, {("demand", 0): "100"})  # 100 loaves at 2 > budget 100
    with pytest.raises(ValidationError, match="Over budget"):
        services.submit(coop.north_member, draft)
    bakery = services.draft_for(coop.baker, coop.round, coop.bakery)
    _set(coop.baker, bakery, {("supply", 0): "1", ("demand", 3): "5"})
    with pytest.raises(ValidationError, match="SB/SC = 0.04"):
        services.submit(coop.baker, bakery)


def test_councils_review_a_worker_councils_proposal(coop: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from parecon.web.history.models import Event

    bakery = services.draft_for(coop.baker, coop.round, coop.bakery)
    _set(coop.baker, bakery, {("supply", 0): "30", ("demand", 3): "2"})
    version = services.submit(coop.baker, bakery)
    with pytest.raises(ValidationError, match="Say why"):
        services.review(coop.north_member, coop.north, version, "object", " ")
    row = services.review(coop.north_member, coop.north, version, "object", "Too little bread")
    assert row.reason == "Too little bread"
    assert Event.objects.filter(verb="proposal.object").count() == 1
    with pytest.raises(PermissionDenied):  # not a member of North
        services.review(coop.south_member, coop.north, version, "approve", "")
    with pytest.raises(ValidationError, match="own proposal"):
        services.review(coop.baker, coop.bakery, version, "approve", "")


def test_proposal_versions_are_append_only_in_the_model_and_the_database(coop: Any) -> None:
    from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

    from parecon.web.planning.models import ProposalVersion

    draft = services.draft_for(coop.north_member, coop.round, coop.north)
    services.save_draft(coop.north_member, draft, {("demand", 0): ("10", 0)})
    version = ProposalVersion.objects.filter(proposal=draft).latest("pk")
    with pytest.raises(Exception, match="append-only"):
        version.delete()
    table = ProposalVersion._meta.db_table
    with (
        pytest.raises((IntegrityError, InternalError, ProgrammingError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET round_number = 9 WHERE id = %s", [version.pk])
    assert ProposalVersion.objects.get(pk=version.pk).round_number == version.round_number


def test_revision_limits_bind_from_their_round_and_cut_the_suggestion(coop: Any) -> None:
    from parecon.web.planning.models import Participant, Plan
    from parecon.web.planning.selectors import suggestion_for

    Plan.objects.filter(pk=coop.plan.pk).update(revision_limit=0.5, revision_from=2)
    Participant.objects.filter(plan=coop.plan, council=coop.north).update(budget=10_000)
    coop.plan.refresh_from_db()
    first = services.draft_for(coop.north_member, coop.round, coop.north)
    _set(coop.north_member, first, {("demand", 0): "80"})
    services.submit(coop.north_member, first)  # round 1: no limits yet
    close_round(coop.facilitator, coop.round)
    second = services.draft_for(coop.north_member, coop.round, coop.north)
    _set(coop.north_member, second, {("demand", 0): "130"})
    with pytest.raises(ValidationError) as refused:
        services.submit(coop.north_member, second)
    assert (
        "bread: 130 is more than 50% away from last round's 80; the plan allows 40 to 120."
        in refused.value.messages
    )
    suggested = suggestion_for(coop.plan, coop.north, coop.round)
    assert suggested is not None and 40 <= suggested["demand"]["0"] <= 120
    _set(coop.north_member, second, {("demand", 0): "100"})
    assert services.submit(coop.north_member, second).quantities["demand"] == {"0": 100.0}


def test_a_bad_revision_limit_is_refused_with_its_field(coop: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from parecon.web.planning.catalogue import goods_from_csv

    with pytest.raises(ValidationError) as bad:
        services.open_plan(
            coop.facilitator,
            coop.chapter,
            services.PlanSettings(
                name="Limited",
                period="2028",
                goods=goods_from_csv("name,unit,category\nbread,loaf,private\n"),
                councils=[(coop.north, 100.0)],
                deadlines=[timezone.now() + timedelta(days=3)],
                revision_limit=0.0,
            ),
        )
    assert "revision_limit" in bad.value.message_dict


def test_close_stores_producers_input_share_for_suggestions(
    coop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parecon.web.planning import selectors, suggestions

    monkeypatch.setattr(suggestions, "MIN_PEERS", 1)  # the bakery alone makes bread
    r = coop.round
    bakery = services.draft_for(coop.baker, r, coop.bakery)
    _set(coop.baker, bakery, {("supply", 0): "30", ("demand", 2): "10", ("demand", 3): "2"})
    services.submit(coop.baker, bakery)
    closed = close_round(coop.facilitator, r)
    plan = type(coop.plan).objects.get(pk=coop.plan.pk)
    p = closed.prices
    share = (10 * p[2] + 2 * p[3]) / (30 * p[0])
    assert plan.board_state["peer_input_shares"] == {"0": pytest.approx(share)}
    history = selectors.observations(plan, coop.bakery, r.number + 1)
    assert selectors.peer_input_share(plan, history) == pytest.approx(share)


def test_close_hands_the_board_the_goods_categories(
    coop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The value flows of the submitted proposals are read with the goods' categories
    (issue 9: a consumer's permits are a consumer's), from what was submitted."""
    import numpy as np

    from parecon.engine import GoodCategory
    from parecon.web.planning import closing

    seen: list[Any] = []
    real = closing.play_round

    def spy(board: Any, populations: Any) -> Any:
        seen.append(populations[0])
        return real(board, populations)

    monkeypatch.setattr(closing, "play_round", spy)
    r = coop.round
    bakery = services.draft_for(coop.baker, r, coop.bakery)
    _set(coop.baker, bakery, {("supply", 0): "30", ("demand", 2): "10", ("demand", 3): "2"})
    services.submit(coop.baker, bakery)
    north = services.draft_for(coop.north_member, r, coop.north)
    _set(coop.north_member, north, {("demand", 0): "20"})
    services.submit(coop.north_member, north)
    close_round(coop.facilitator, r)
    (submitted,) = seen
    expected = [GoodCategory.PRIVATE, GoodCategory.PUBLIC, GoodCategory.INTERMEDIATE]
    assert list(submitted.categories) == [*expected, GoodCategory.LABOUR]
    p = np.asarray(r.prices, dtype=float)
    flows = submitted.value_flows(p)
    # The bakery is the producer of bread, spending on flour and labour; North a final user.
    assert flows.revenue[0] == pytest.approx(30 * p[0])
    assert flows.spending[0, 2] == pytest.approx(10 * p[2])
    assert flows.spending[0, 3] == pytest.approx(2 * p[3])
    assert flows.final[0] == pytest.approx(20 * p[0])
    assert flows.fixed.sum() == 0
