"""Federated decisions (per member chapter, weighed by affected members; pull-down to
a direct vote) and review reminders (the chapter is notified once, and sees them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.services import join
from parecon.web.decisions import federated, reviews, services
from parecon.web.decisions.models import Decision, PullDownRequest
from parecon.web.discussion.models import Notification, Thread
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db

BARCELONA, GIRONA = 3128760, 3121456


@pytest.fixture
def federation(make_member: Any) -> dict[str, Any]:
    """Catalonia's chapter with Barcelona (three members) and Girona (one) within."""
    bcn = [make_member(f"Bcn {i}") for i in range(3)]
    gir = make_member("Gir", city=GIRONA)
    region = Chapter.objects.get(geonameid=BARCELONA).parent
    assert region is not None
    join(bcn[0], region)
    return {"region": region, "bcn": bcn, "gir": gir}


def _federated(f: dict[str, Any], **extra: Any) -> Decision:
    d = services.propose(
        f["bcn"][0],
        f["region"],
        services.Proposal(
            title="A regional assembly",
            method="majority",
            affected_units=(f"chapter:{f['region'].slug}",),
            levels=("1",),
            federated=True,
            **extra,
        ),
    )
    return services.open_voting(f["bcn"][0], d)


def test_a_federated_decision_weighs_each_chapter_by_its_affected_members(
    federation: dict[str, Any],
) -> None:
    d = _federated(federation)
    # Barcelona votes 2 yes, 1 no; Girona's one member votes no. Head count: 2 to 2;
    # by chapters, Barcelona's 3 affected members say yes by 2/3, Girona's 1 no.
    for m, choice in zip(federation["bcn"], ("yes", "yes", "no"), strict=True):
        services.cast(m, d, {"choice": choice})
    services.cast(federation["gir"], d, {"choice": "no"})
    d = services.close(federation["bcn"][0], d)
    totals = {t["option"]: t for t in d.result["totals"]}
    assert totals["yes"]["weighted"] == "2" and totals["no"]["weighted"] == "2"
    units = {u["name"]: u for u in d.result["units"]}
    bcn = Chapter.objects.get(geonameid=BARCELONA)
    assert units[bcn.name]["say"] == "3" and units[bcn.name]["outcome"] == "adopted"
    girona = [u for u in units.values() if u["name"] != bcn.name]
    assert girona[0]["say"] == "1" and girona[0]["outcome"] == "rejected"
    # Without the federation the two chapters' heads split 2:2 the same way here, but
    # the units' results are what a federated page shows.
    assert {b.unit for b in d.ballots.all()} == {
        f"chapter:{bcn.slug}",
        girona[0]["unit"],
    }


def test_federated_counts_differ_from_a_direct_vote(federation: dict[str, Any]) -> None:
    d = _federated(federation)
    services.cast(federation["bcn"][0], d, {"choice": "yes"})  # 1 of Barcelona's 3 votes
    services.cast(federation["gir"], d, {"choice": "no"})
    federated_totals = {t.option: t.weighted for t in federated.count_federated(d).result.totals}
    # Barcelona's one ballot carries its 3 affected members' say; Girona's its 1.
    assert federated_totals["yes"] == 3 and federated_totals["no"] == 1
    d.federated = False
    direct = {t.option: t.weighted for t in services.count(d).totals}
    assert direct["yes"] == 1 and direct["no"] == 1


def test_member_chapters_pull_a_decision_down_to_a_direct_vote(
    federation: dict[str, Any], make_member: Any
) -> None:
    d = _federated(federation)
    girona = Chapter.objects.get(geonameid=GIRONA)
    with pytest.raises(PermissionDenied):  # a plain member does not speak for Girona
        federated.request_pull_down(federation["bcn"][1], d, girona)
    madrid_founder = make_member("Madrid", city=3117735)  # Madrid's admin, not a member unit
    with pytest.raises(ValidationError, match="not a member"):
        federated.request_pull_down(madrid_founder, d, Chapter.objects.get(geonameid=3117735))
    assert not PullDownRequest.objects.exists()
    # Girona's founder is its admin; one of two units reaches the default share 1/2.
    d = federated.request_pull_down(federation["gir"], d, girona)
    assert d.federated is False
    with pytest.raises(ValidationError, match="no longer"):
        federated.request_pull_down(
            federation["bcn"][0], d, Chapter.objects.get(geonameid=BARCELONA)
        )


def test_pull_down_share_is_counted_by_the_core(federation: dict[str, Any]) -> None:
    d = _federated(federation, pull_down_share="1")
    girona = Chapter.objects.get(geonameid=GIRONA)
    bcn = Chapter.objects.get(geonameid=BARCELONA)
    d = federated.request_pull_down(federation["gir"], d, girona)
    assert d.federated is True
    with pytest.raises(ValidationError, match="already asked"):
        federated.request_pull_down(federation["gir"], d, girona)
    d = federated.request_pull_down(federation["bcn"][0], d, bcn)
    assert d.federated is False
    assert Event.objects.filter(verb="decision.pulled_down", subject_id=str(d.pk)).exists()
    services.cast(federation["bcn"][0], d, {"choice": "yes"})
    assert "units" not in services.tally(d)


def test_only_a_chapter_with_chapters_within_decides_as_a_federation(
    federation: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError, match="chapters within"):
        services.propose(
            federation["gir"],
            Chapter.objects.get(geonameid=GIRONA),
            services.Proposal(title="x", federated=True),
        )
    with pytest.raises(ValidationError, match="not anonymous"):
        services.propose(
            federation["bcn"][0],
            federation["region"],
            services.Proposal(title="x", federated=True, anonymous=True),
        )


def _closed_with_review(people: list[Any], review_on: date) -> Decision:
    chapter = Chapter.objects.get(geonameid=BARCELONA)
    d = services.open_voting(
        people[0], services.propose(people[0], chapter, services.Proposal(title="Night baking"))
    )
    services.cast(people[0], d, {"choice": "consent"})
    d = services.close(people[0], d)
    return services.write_outcome(people[0], d, "We bake at night.", review_on)


def test_a_decision_whose_review_date_comes_notifies_its_chapter_once(
    make_member: Any,
) -> None:
    people = [make_member(f"P{i}") for i in range(3)]
    today = timezone.localdate()
    due = _closed_with_review(people, today)
    later = _closed_with_review(people, today + timedelta(days=10))
    assert reviews.send_review_reminders(today) == 1
    thread = Thread.objects.get(title__contains="Night baking")
    assert thread.is_announcement and thread.chapter_id == due.chapter_id
    notified = set(Notification.objects.filter(thread=thread).values_list("member_id", flat=True))
    assert {p.pk for p in people} <= notified
    due.refresh_from_db()
    assert due.reminded_at is not None
    assert Event.objects.filter(verb="decision.review_due", subject_id=str(due.pk)).exists()
    assert reviews.send_review_reminders(today) == 0  # once only
    assert reviews.send_review_reminders(today + timedelta(days=10)) == 1
    later.refresh_from_db()
    assert later.reminded_at is not None


def test_the_chapter_page_shows_reviews_due_and_coming(make_member: Any, login: Any) -> None:
    people = [make_member(f"P{i}") for i in range(2)]
    today = timezone.localdate()
    _closed_with_review(people, today - timedelta(days=1))
    chapter = Chapter.objects.get(geonameid=BARCELONA)
    page = login(people[1]).get(reverse("chapters:detail", args=[chapter.slug]))
    html = page.content.decode()
    assert "Decisions to review" in html and "review due" in html and "Night baking" in html
    d = Decision.objects.get(title="Night baking")
    assert (
        "review due"
        in login(people[1]).get(reverse("decisions:detail", args=[d.pk])).content.decode()
    )


def test_the_command_enqueues_the_reminders(make_member: Any) -> None:
    people = [make_member("P")]
    _closed_with_review(people, timezone.localdate())
    call_command("send_review_reminders")
    assert Decision.objects.get(title="Night baking").reminded_at is not None


def test_members_of_a_federations_chapters_find_it_and_report_dissent(
    federation: dict[str, Any], login: Any
) -> None:
    d = _federated(federation)
    gir = federation["gir"]
    girona = Chapter.objects.get(geonameid=GIRONA)
    page = login(gir).get(reverse("decisions:list", args=[girona.slug])).content.decode()
    assert "Decisions above this chapter that affect you" in page and d.title in page
    services.cast(gir, d, {"choice": "no"})
    d = services.close(federation["bcn"][0], d)
    report = services.add_minority_report(gir, d, "Girona was outvoted.")
    assert report.decision_id == d.pk
