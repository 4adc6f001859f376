"""The round's pages: queries that do not grow with the councils, no write lock to read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_round_page_queries_do_not_grow_with_the_participating_councils(
    coop: Any, login: Any, make_member: Any
) -> None:
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import Council
    from parecon.web.planning.models import Participant

    client = login(coop.north_member)
    url = reverse("planning:detail", args=[coop.plan.pk])
    before = _queries(client, url)
    cached = _queries(client, url)  # nothing recorded since: the page's data is cached
    assert cached < before
    for i in range(6):
        extra = councils.create_council(
            coop.facilitator, coop.chapter, name=f"Workshop {i}", level="workplace"
        )
        councils.join_council(coop.north_member if i == 0 else make_member(f"W{i}"), extra)
        Participant.objects.create(plan=coop.plan, council=extra)
    # The councils' creation was recorded in the chapter's log: the page is read afresh.
    assert _queries(client, url) == before
    page = client.get(url).content.decode()
    drafts = [c.slug for c in Council.objects.all() if f"/councils/{c.slug}/" in page]
    mine = reverse("planning:draft", args=[coop.plan.pk, "x"]).rsplit("x/", 1)[0]
    shown = {slug for slug in drafts if f'href="{mine}{slug}/"' in page}
    assert shown == {coop.north.slug, "workshop-0"}  # the member's two councils only
    assert _queries(client, url) == cached


def test_councils_of_member_follows_the_membership_rule(coop: Any) -> None:
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import Council
    from parecon.web.councils.permissions import councils_of_member, is_council_member

    city = Council.objects.get(name="Barcelona consumers")
    city.acts_for_chapter = True
    city.save(update_fields=["acts_for_chapter"])
    councils.leave_council(coop.north_member2, coop.north)
    every = [city, coop.north, coop.south, coop.bakery, coop.mill]
    among = Council.objects.filter(pk__in=[c.pk for c in every])

    def mine(member: Any) -> set[int]:
        return {c.pk for c in councils_of_member(member, among)}

    for member in (coop.north_member, coop.north_member2, coop.baker, coop.stranger):
        expected = {c.pk for c in every if is_council_member(member, c)}
        assert mine(member) == expected
    assert mine(coop.north_member) == {city.pk, coop.north.pk}
    assert mine(coop.stranger) == set()


def test_reading_an_existing_draft_takes_no_transaction(coop: Any) -> None:
    from parecon.web.planning import services

    made = services.draft_for(coop.north_member, coop.round, coop.north)
    with CaptureQueriesContext(connection) as captured:
        again = services.draft_for(coop.north_member2, coop.round, coop.north)
    assert again.pk == made.pk
    sql = " ".join(q["sql"].upper() for q in captured.captured_queries)
    assert "SAVEPOINT" not in sql and "BEGIN" not in sql


def test_live_totals_sit_in_their_goods_rows(coop: Any, login: Any) -> None:
    """Each good's row shows its own category and running totals (put there by the view,
    not found by a loop over every good's totals in the template)."""
    import re

    from parecon.web.planning.models import Good

    client = login(coop.north_member)
    draft = reverse("planning:draft", args=[coop.plan.pk, coop.north.slug])
    submit = {"q-demand-0": "30", "b-demand-0": "0", "v-demand-0": "0", "action": "submit"}
    assert client.post(draft, submit).status_code == 302
    live = client.get(reverse("planning:live", args=[coop.plan.pk])).content.decode()
    for good in Good.objects.filter(plan=coop.plan):
        cells = re.search(rf"<tr><td>{re.escape(good.name)}.*?</tr>", live, re.S)
        assert cells is not None, good.name
        figures = re.findall(r"<td>([^<]*)</td>", cells.group(0))
        assert figures[0] == good.get_category_display()
        assert figures[-2:] == (["0.0", "30.0"] if good.index == 0 else ["0.0", "0.0"])


def test_the_cached_round_page_shows_every_recorded_change_at_once(coop: Any, login: Any) -> None:
    """The page's data is cached under the chapter's log position; each write that the
    page shows records an event, so the next read sees it (no stale page)."""
    from parecon.web.planning import services
    from parecon.web.planning.closing import close_round

    north = login(coop.north_member)
    url = reverse("planning:detail", args=[coop.plan.pk])
    live = reverse("planning:live", args=[coop.plan.pk])

    def page() -> str:
        return str(north.get(url).content.decode())

    assert "Worker councils" not in page() and "0 of 4 councils submitted" in page()
    draft = services.draft_for(coop.baker, coop.round, coop.bakery)
    services.save_draft(coop.baker, draft, {("supply", 0): ("30", 0), ("demand", 3): ("2", 0)})
    services.submit(coop.baker, draft)
    shown = page()
    assert "1 of 4 councils submitted" in shown and "Worker councils" in shown
    assert "1 of 4 councils submitted" in north.get(live).content.decode()
    version = services.submitted_version(coop.round, coop.bakery)
    services.review(coop.north_member, coop.north, version, "approve", "")
    assert "1 approve · 0 object" in page()
    # Editing the submitted proposal records nothing: the page shows what it showed,
    # the submitted version still counted and open to review until submitted again.
    services.save_draft(coop.baker, draft, {("supply", 0): ("31", 1)})
    shown = page()
    assert "1 of 4 councils submitted" in shown and "1 approve · 0 object" in shown
    proposal = reverse("planning:proposal", args=[coop.plan.pk, coop.bakery.slug])
    assert ">30<" in north.get(proposal).content.decode()
    close_round(coop.facilitator, coop.round)
    shown = page()
    assert "Round 2 is open" in shown and "Last round's result" in shown


def test_a_cached_page_keeps_the_history_from_readers_outside_the_chapter(
    coop: Any, login: Any
) -> None:
    url = reverse("planning:detail", args=[coop.plan.pk])
    assert "History" in login(coop.north_member).get(url).content.decode()
    # Same cached data, another reader: the plan's history is for the chapter's members.
    assert "History" not in login(coop.stranger).get(url).content.decode()


def test_readers_missing_the_same_version_wait_for_the_first_ones_read(monkeypatch: Any) -> None:
    """A change makes every polling reader miss the same key at once: one reads, the
    others take its value; a lease whose reader never comes back delays them only."""
    import threading

    from django.core.cache import cache

    from parecon.web.planning import page_data

    calls: list[str] = []

    def read(value: str) -> Any:
        def inner() -> str:
            calls.append(value)
            return value

        return inner

    cache.add("k:reading", 1, 5)  # another reader holds the lease and is reading
    later = threading.Timer(0.05, lambda: cache.set("k", "theirs", 60))
    later.start()
    assert page_data._cached("k", read("mine"), str) == "theirs"
    later.join()
    assert calls == []
    monkeypatch.setattr(page_data, "WAIT", 0.05)
    cache.add("j:reading", 1, 5)  # a reader that died holding the lease
    assert page_data._cached("j", read("mine"), str) == "mine"
    assert calls == ["mine"] and cache.get("j") == "mine"
    assert cache.get("j:reading") == 1  # not ours to delete: it runs out by itself
    assert page_data._cached("j", read("again"), str) == "mine"  # now a hit
    assert calls == ["mine"]


def test_while_a_writer_reads_the_new_activity_readers_get_the_one_before(
    coop: Any, login: Any
) -> None:
    """The submitting request reads the new version first (page_data.warm); a reader that
    comes while it holds the lease is given the activity as of the change before, which
    is consistent (the page a moment earlier), and the next reader the new one."""
    from django.core.cache import cache

    from parecon.web.planning import page_data, services

    north = login(coop.north_member)
    url = reverse("planning:detail", args=[coop.plan.pk])
    assert "0 of 4 councils submitted" in north.get(url).content.decode()
    draft = services.draft_for(coop.baker, coop.round, coop.bakery)
    services.save_draft(coop.baker, draft, {("supply", 0): ("30", 0), ("demand", 3): ("2", 0)})
    services.submit(coop.baker, draft)
    _structure, new, _whole = page_data.keys(coop.plan)
    cache.add(f"{new}:reading", 1, 5)  # the writer is reading the new version
    assert "0 of 4 councils submitted" in north.get(url).content.decode()
    cache.delete(f"{new}:reading")
    assert "1 of 4 councils submitted" in north.get(url).content.decode()
    # The API's submission warms the page itself: the next reader finds it cached.
    client = login(coop.miller)
    api = f"/api/proposals/{coop.round.pk}/{coop.mill.slug}"
    lines = [{"side": "supply", "good": 2, "quantity": "10", "version": 0}]
    assert client.put(api, {"lines": lines}, content_type="application/json").status_code == 200
    assert client.post(api + "/submit", {}, content_type="application/json").status_code == 200
    found = cache.get(page_data.keys(coop.plan)[1])
    assert isinstance(found, page_data.Activity) and found.totals is not None
    assert found.totals["submitted"] == 2
    # So does the API's close: the new round's structure is read before anyone asks.
    facilitator = login(coop.facilitator)
    closing = facilitator.post(
        f"/api/rounds/{coop.round.pk}/close", content_type="application/json"
    )
    assert closing.status_code == 200
    structure = cache.get(page_data.keys(coop.plan)[0])
    assert isinstance(structure, page_data.Structure) and structure.current is not None
    assert structure.current.number == 2


def test_the_log_position_counts_the_newest_events_and_sees_a_late_commit(
    coop: Any, monkeypatch: Any
) -> None:
    """PostgreSQL may commit an event after one with a higher id: the count of the
    newest events moves although the newest id does not; older events are not read."""
    from parecon.web.history.models import Event
    from parecon.web.planning import page_data

    newest = Event.objects.filter(chapter=coop.chapter).order_by("-pk").first()
    assert newest is not None
    fields = {
        f.attname: getattr(newest, f.attname)
        for f in Event._meta.concrete_fields
        if f.attname not in ("id", "created_at")
    }
    Event.objects.create(pk=newest.pk + 10, **fields)  # committed first
    first = page_data.log_position(coop.plan)
    Event.objects.create(pk=newest.pk + 5, **fields)  # took its id earlier, committed later
    late = page_data.log_position(coop.plan)
    assert late != first and late[0].split(".")[0] == first[0].split(".")[0]
    monkeypatch.setattr(page_data, "WINDOW", 8)  # ids newest - 7 .. newest: two events
    assert page_data.log_position(coop.plan)[0].split(".")[1] == "2"


def test_the_structural_position_is_kept_when_only_proposals_fill_the_window(
    coop: Any, monkeypatch: Any
) -> None:
    """The newest event other than proposals' is read from the whole log: once the
    window holds only proposals' events, the structure's key still names it."""
    from parecon.web.history.models import Event
    from parecon.web.planning import page_data

    monkeypatch.setattr(page_data, "WINDOW", 3)
    structural = Event.objects.filter(chapter=coop.chapter).order_by("-pk").first()
    assert structural is not None and not structural.verb.startswith("proposal.")
    fields = {
        f.attname: getattr(structural, f.attname)
        for f in Event._meta.concrete_fields
        if f.attname not in ("id", "created_at")
    }
    for _ in range(5):
        Event.objects.create(**{**fields, "verb": "proposal.submitted"})
    whole, position = page_data.log_position(coop.plan)
    assert position.split(".")[:2] == [str(structural.pk), "0"]
    assert whole.split(".")[1] == "3"
