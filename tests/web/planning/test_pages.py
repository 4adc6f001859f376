"""The plan's pages: the draft with its checks, HTMX autosave and conflicts, closing, the chart."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parecon.web.planning.models import Round

pytestmark = pytest.mark.django_db


def test_consumer_draft_over_budget_then_submit_and_close(coop: Any, login: Any) -> None:
    client = login(coop.north_member)
    url = reverse("planning:draft", args=[coop.plan.pk, coop.north.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Cost to the council" in page.content.decode()
    over = client.post(
        url,
        {"q-demand-0": "80", "b-demand-0": "0", "v-demand-0": "0", "action": "save"},
        HTTP_HX_REQUEST="true",
    )
    assert "Over budget: the requests cost 160.00, the budget is 100.00." in over.content.decode()
    assert 'id="meta-demand-0" hx-swap-oob="true"' in over.content.decode()
    ok = client.post(
        url, {"q-demand-0": "30", "b-demand-0": "80", "v-demand-0": "1", "action": "submit"}
    )
    assert ok.status_code == 302
    assert coop.round.proposals.get(council=coop.north).status == "submitted"
    live = client.get(reverse("planning:live", args=[coop.plan.pk])).content.decode()
    assert "1 of 4 councils submitted" in live
    fac = login(coop.facilitator)
    fac.post(reverse("planning:close", args=[coop.plan.pk]), {"round": "1"})
    assert Round.objects.get(plan=coop.plan, number=1).status == "closed"
    detail = fac.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    assert "New price" in detail and "chart.svg" in detail
    svg = fac.get(reverse("planning:chart", args=[coop.plan.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_worker_draft_shows_benefit_cost_and_ratio(coop: Any, login: Any) -> None:
    client = login(coop.baker)
    url = reverse("planning:draft", args=[coop.plan.pk, coop.bakery.slug])
    client.post(
        url,
        {
            "q-supply-0": "10",
            "b-supply-0": "0",
            "v-supply-0": "0",
            "q-demand-3": "3",
            "b-demand-3": "0",
            "v-demand-3": "0",
        },
    )
    page = client.get(url).content.decode()
    assert "Social benefit</strong> 20.00" in page and "SB/SC</strong> 0.67" in page
    assert "SB/SC = 0.67 &lt; 1" in page


def test_second_editor_sees_conflict_with_the_other_figure(coop: Any, login: Any) -> None:
    a, b = login(coop.north_member), login(coop.north_member2)
    url = reverse("planning:draft", args=[coop.plan.pk, coop.north.slug])
    a.get(url)
    a.post(url, {"q-demand-0": "10", "b-demand-0": "0", "v-demand-0": "0"}, HTTP_HX_REQUEST="true")
    clash = b.post(
        url,
        {"q-demand-0": "12", "b-demand-0": "0", "v-demand-0": "0", "action": "save"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Nora changed bread to 10.0 meanwhile; your 12.0 was not saved." in clash


def test_accepting_the_suggestion_fills_the_draft(coop: Any, login: Any) -> None:
    from parecon.web.planning.closing import close_round

    client = login(coop.north_member)
    url = reverse("planning:draft", args=[coop.plan.pk, coop.north.slug])
    client.post(url, {"q-demand-0": "20", "b-demand-0": "0", "v-demand-0": "0", "action": "submit"})
    baker = login(coop.baker)
    burl = reverse("planning:draft", args=[coop.plan.pk, coop.bakery.slug])
    baker.post(
        burl,
        {
            "q-supply-0": "10",
            "b-supply-0": "0",
            "v-supply-0": "0",
            "q-demand-3": "1",
            "b-demand-3": "0",
            "v-demand-3": "0",
            "action": "submit",
        },
    )
    closed = close_round(coop.facilitator, coop.round)
    page = client.get(url).content.decode()
    assert "Accept the suggestion" in page
    client.post(url, {"action": "suggestion"})
    line = coop.round.proposals.get(council=coop.north).lines.get()
    # Revealed budget share (all of it on bread) x budget 100 / the new price.
    assert line.quantity == pytest.approx(100 / closed.next_prices[0], rel=1e-6)


def _bakery_submits(coop: Any) -> None:
    from parecon.web.planning import services

    draft = services.draft_for(coop.baker, coop.round, coop.bakery)
    services.save_draft(coop.baker, draft, {("supply", 0): ("30", 0), ("demand", 3): ("2", 0)})
    services.submit(coop.baker, draft)


def test_a_council_objects_on_the_plan_page_and_the_workplace_reads_why(
    coop: Any, login: Any, db_state: Any
) -> None:
    _bakery_submits(coop)
    north = login(coop.north_member)
    detail = north.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    proposal = reverse("planning:proposal", args=[coop.plan.pk, coop.bakery.slug])
    assert "Worker councils" in detail and f'href="{proposal}"' in detail
    assert 'name="reviewer"' not in detail  # the forms are on the proposal's page
    page = north.get(proposal).content.decode()
    # The figures the bakery submitted, in value at the round's prices, beside the form.
    assert "Social benefit" in page and "Benefit / cost" in page and ">30<" in page
    assert f'name="reviewer" value="{coop.north.slug}"' in page
    url = reverse("planning:review", args=[coop.plan.pk, coop.bakery.slug])
    before = db_state()
    refused = north.post(url, {"reviewer": coop.north.slug, "verdict": "object", "reason": " "})
    assert refused.status_code == 302 and db_state() == before  # an objection needs a reason
    done = north.post(
        url, {"reviewer": coop.north.slug, "verdict": "object", "reason": "Too little bread"}
    )
    assert done.status_code == 302 and done["Location"] == proposal
    assert "Too little bread" in north.get(proposal).content.decode()
    detail = north.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    assert "0 approve · 1 object" in detail
    page = login(coop.baker).get(reverse("planning:draft", args=[coop.plan.pk, coop.bakery.slug]))
    assert "What other councils said" in page.content.decode()
    assert "North</span>" not in page.content.decode()  # names are text, not markup
    assert "Too little bread" in page.content.decode()
    # South's member cannot speak for North.
    sara = login(coop.south_member)
    assert sara.post(url, {"reviewer": coop.north.slug, "verdict": "approve"}).status_code == 403


def test_a_workplaces_proposal_page_is_for_members_and_workplaces_only(
    coop: Any, login: Any, client: Any
) -> None:
    from parecon.web.councils.models import Council

    _bakery_submits(coop)
    url = reverse("planning:proposal", args=[coop.plan.pk, coop.bakery.slug])
    assert client.get(url).status_code == 302  # to the log-in page
    assert login(coop.stranger).get(url).status_code == 403
    # A consumer council has no proposal to review here, and a council outside the plan
    # none in this plan.
    consumer = reverse("planning:proposal", args=[coop.plan.pk, coop.north.slug])
    assert login(coop.north_member).get(consumer).status_code == 404
    outside = Council.objects.create(
        chapter=coop.chapter, name="Outside", slug="outside", kind="worker", level="workplace"
    )
    elsewhere = reverse("planning:proposal", args=[coop.plan.pk, outside.slug])
    assert login(coop.north_member).get(elsewhere).status_code == 404
    # The bakery's own members see no form to review themselves.
    page = login(coop.baker).get(url).content.decode()
    assert f'name="reviewer" value="{coop.bakery.slug}"' not in page
    # A workplace that has not submitted: back to the plan with a message.
    mill = reverse("planning:proposal", args=[coop.plan.pk, coop.mill.slug])
    response = login(coop.north_member).get(mill, follow=True)
    assert "has not submitted a proposal" in response.content.decode()


def test_a_large_plan_closes_in_the_background(
    coop: Any, login: Any, db_state: Any, settings: Any
) -> None:
    from parecon.web.planning.tasks import closing_state

    settings.PARECON_BACKGROUND_CLOSE_FROM = 4  # the co-op's four councils count as large
    url = reverse("planning:close", args=[coop.plan.pk])
    before = db_state()
    assert login(coop.north_member).post(url, {"round": "1"}).status_code == 403
    assert db_state() == before and coop.round.closing_task == ""
    page = login(coop.facilitator).post(url, {"round": "1"}, follow=True).content.decode()
    assert "closing in the background" in page
    # The tests' immediate backend ran the task: the round is closed, by the same close.
    closed = Round.objects.get(plan=coop.plan, number=1)
    assert (
        closed.status == "closed" and closed.closing_task and closed.closed_by == coop.facilitator
    )
    assert closing_state(closed) is None
    unknown = Round(plan=coop.plan, number=9, status="open", closing_task="no-such-task")
    assert closing_state(unknown) is None
