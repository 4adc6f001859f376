"""A city's plan: the round page lists the first councils, the council list pages the rest."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

#: More councils than the round page lists (page_data.SHOWN).
MORE = 120


def _city(coop: Any) -> list[Any]:
    """``MORE`` councils more in the co-op's plan (half households, half workplaces, in
    bulk), each workplace with a submitted proposal."""
    from parecon.web.councils.models import Council
    from parecon.web.planning.models import Participant, Proposal, ProposalVersion

    made = Council.objects.bulk_create(
        [
            Council(
                chapter=coop.chapter,
                name=f"Zone {i:03d}",
                slug=f"zone-{i:03d}",
                kind="consumer" if i % 2 == 0 else "worker",
                level="household" if i % 2 == 0 else "workplace",
            )
            for i in range(MORE)
        ]
    )
    Participant.objects.bulk_create(
        [
            Participant(plan=coop.plan, council=c, budget=50.0 if c.kind == "consumer" else None)
            for c in made
        ]
    )
    for c in made[1::2]:
        proposal = Proposal.objects.create(round=coop.round, council=c, status="submitted")
        proposal.counted = ProposalVersion.objects.create(
            proposal=proposal,
            council=c,
            round_number=1,
            kind="submitted",
            quantities={"supply": {"0": 5.0}, "demand": {"3": 1.0}},
        )
        proposal.save(update_fields=["counted"])
    return made


def _queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_round_page_lists_the_first_councils_and_links_to_the_rest(
    coop: Any, login: Any
) -> None:
    from django.core.cache import cache

    from parecon.web.councils import services as councils
    from parecon.web.planning import services
    from parecon.web.planning.page_data import SHOWN

    draft = services.draft_for(coop.baker, coop.round, coop.bakery)
    services.save_draft(coop.baker, draft, {("supply", 0): ("30", 0), ("demand", 3): ("2", 0)})
    services.submit(coop.baker, draft)
    client = login(coop.north_member)
    url = reverse("planning:detail", args=[coop.plan.pk])
    few, _ = _queries(client, url)
    made = _city(coop)  # in bulk: no event, so the cached page is emptied by hand
    cache.clear()
    # North's member also joins a council far down the list: their draft link is there.
    last = made[-1]
    councils.join_council(coop.north_member, last)
    queries, page = _queries(client, url)
    total = MORE + 4
    assert f"{MORE // 2 + 2} consumer councils · {MORE // 2 + 2} worker councils." in page
    listed = re.search(r'<h2 id="councils">.*?</ul>', page, re.S)
    assert listed is not None and listed.group(0).count("<li>") == SHOWN
    assert f"All {total} councils taking part" in page
    assert f"All {MORE // 2 + 1} submitted workplaces" in page
    draft = reverse("planning:draft", args=[coop.plan.pk, last.slug])
    assert f'href="{draft}"' in page  # the reader's council, though not listed
    cached, _ = _queries(client, url)
    assert cached < queries == few


def test_the_council_list_filters_pages_and_keeps_its_filters(coop: Any, login: Any) -> None:
    _city(coop)
    client = login(coop.north_member)
    url = reverse("planning:councils", args=[coop.plan.pk])
    page = client.get(url).content.decode()
    assert f"{MORE + 4} councils match." in page
    assert page.count("<tr><td>") == 50 and "Page 1 of 3" in page
    workers = client.get(url, {"kind": "worker", "round": "submitted"}).content.decode()
    assert f"{MORE // 2} councils match." in workers  # the co-op's bakery and mill have not
    assert "page=2&amp;kind=worker&amp;round=submitted" in workers
    second = client.get(url, {"kind": "worker", "round": "submitted", "page": 2}).content.decode()
    assert "Zone 119" in second and "Zone 000" not in second
    missing = client.get(url, {"round": "missing", "q": "north"}).content.decode()
    assert "1 council matches." in missing and ">North<" in missing
    bad = client.get(url, {"kind": "landlord"})
    assert bad.status_code == 400
    assert "Select a valid choice. landlord is not one of the available choices." in (
        bad.content.decode()
    )
    assert client.get(url, {"q": "x" * 101}).status_code == 400


def test_reviews_show_on_the_council_list(coop: Any, login: Any) -> None:
    from parecon.web.planning import services

    _city(coop)
    zone = coop.plan.participants.get(council__slug="zone-001").council
    version = services.submitted_version(coop.round, zone)
    services.review(coop.north_member, coop.north, version, "object", "Too much flour")
    client = login(coop.south_member)
    url = reverse("planning:councils", args=[coop.plan.pk])
    page = client.get(url, {"q": "Zone 001"}).content.decode()
    assert "0 approve · 1 object" in page
    proposal = reverse("planning:proposal", args=[coop.plan.pk, "zone-001"])
    assert f'href="{proposal}"' in page


def test_a_proposed_plan_asks_each_reader_for_their_own_councils_answer(
    coop: Any, login: Any
) -> None:
    from parecon.web.planning import services
    from parecon.web.planning.closing import close_round

    close_round(coop.facilitator, coop.round)  # no proposals: every gap is 0
    services.propose_plan(coop.facilitator, coop.plan)
    client = login(coop.north_member)
    url = reverse("planning:detail", args=[coop.plan.pk])
    page = client.get(url).content.decode()
    north = reverse("planning:ratify", args=[coop.plan.pk, coop.north.slug])
    south = reverse("planning:ratify", args=[coop.plan.pk, coop.south.slug])
    assert "Your councils' answer" in page and f'action="{north}"' in page
    assert f'action="{south}"' not in page
    assert "So far 0 consent and 0 object." in page
    response = client.post(north, {"answer": "consent", "reason": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "So far 1 consent and 0 object." in page
    assert re.search(r">North</a>.*?<span class=\"badge\">consent</span>", page, re.S)
    listed = client.get(reverse("planning:councils", args=[coop.plan.pk])).content.decode()
    assert '<span class="badge">consent</span>' in listed
    # A member of no council taking part gets no form.
    assert "Your councils" not in login(coop.outsider).get(url).content.decode()


def test_a_round_filter_without_an_open_round_is_refused(coop: Any, login: Any) -> None:
    from parecon.web.planning import services
    from parecon.web.planning.closing import close_round

    close_round(coop.facilitator, coop.round)  # no proposals: every gap is 0
    services.propose_plan(coop.facilitator, coop.plan)
    client = login(coop.north_member)
    url = reverse("planning:councils", args=[coop.plan.pk])
    page = client.get(url).content.decode()
    assert "4 councils match." in page and 'name="round"' not in page
    bad = client.get(url, {"round": "submitted"})
    assert bad.status_code == 400
    assert "No round is open: there is no submission to filter by." in bad.content.decode()


def _second_plan(coop: Any) -> Any:
    """A second plan in the co-op's chapter: North and the bakery, the same goods."""
    from datetime import timedelta

    from django.utils import timezone

    from parecon.web.planning import services
    from parecon.web.planning.catalogue import goods_from_csv
    from tests.web.planning.conftest import GOODS_CSV

    return services.open_plan(
        coop.facilitator,
        coop.chapter,
        services.PlanSettings(
            name="Only bread",
            period="2028",
            goods=goods_from_csv(GOODS_CSV),
            councils=[(coop.north, 100.0), (coop.bakery, None)],
            deadlines=[timezone.now() + timedelta(days=3)],
        ),
    )


def test_two_plans_of_one_chapter_each_show_their_own_councils(coop: Any, login: Any) -> None:
    """The page's fragments are cached under keys that name the plan, not only the
    chapter's log position, which two plans of one chapter share."""
    client = login(coop.north_member)
    first = client.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    second_plan = _second_plan(coop)
    first = client.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    second = client.get(reverse("planning:detail", args=[second_plan.pk])).content.decode()
    assert ">South</a>" in first and ">Mill</a>" in first
    assert ">South</a>" not in second and ">Mill</a>" not in second
    assert "1 consumer council · 1 worker council." in second


def test_a_plans_history_shows_its_own_rounds_not_another_plans(coop: Any, login: Any) -> None:
    """Two plans of one chapter: each page's log lists its own proposals and closes
    (their events name the plan); events recorded before they did still show."""
    from parecon.web.history.services import record
    from parecon.web.planning import services
    from parecon.web.planning.closing import close_round

    second_plan = _second_plan(coop)
    round_ = second_plan.rounds.get(status="open")
    draft = services.draft_for(coop.north_member, round_, coop.north)
    services.save_draft(coop.north_member, draft, {("demand", 0): ("3", 0)})
    services.submit(coop.north_member, draft)
    close_round(coop.facilitator, round_)
    record(
        "proposal.submitted",
        "An older release's submission, naming no plan.",
        actor=coop.north_member,
        chapter=coop.chapter,
    )
    client = login(coop.north_member)
    first = client.get(reverse("planning:detail", args=[coop.plan.pk])).content.decode()
    second = client.get(reverse("planning:detail", args=[second_plan.pk])).content.decode()
    submitted = "submitted the proposal of North for round 1 of Only bread"
    assert submitted in second and "closed round 1 of Only bread" in second
    assert submitted not in first and "closed round 1 of Only bread" not in first
    assert "naming no plan" in first and "naming no plan" in second


def test_the_council_filter_folds_letter_case_beyond_ascii(coop: Any, login: Any) -> None:
    """Typing "éixample" finds "Éixample Nord" on SQLite too (its LIKE folds ASCII only), and
    the typed text is a literal, not a pattern."""
    from parecon.web.councils.models import Council

    Council.objects.filter(pk=coop.north.pk).update(name="Éixample Nord")
    client = login(coop.north_member)
    url = reverse("planning:councils", args=[coop.plan.pk])
    found = client.get(url, {"q": "éixample"}).content.decode()
    assert "Éixample Nord" in found and ">South</a>" not in found
    assert "Éixample Nord" in client.get(url, {"q": "NORD"}).content.decode()
    for literal in (".", "(", "[a-z]", "\\"):
        page = client.get(url, {"q": literal})
        assert page.status_code == 200
        assert "Éixample Nord" not in page.content.decode()
