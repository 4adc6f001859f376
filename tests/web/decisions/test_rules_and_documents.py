"""Versioned rule sets changed by decision, and documents amended clause by clause."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from parecon.web.chapters.models import Chapter
from parecon.web.decisions import amendments, rules, services
from parecon.web.decisions.models import AppendOnlyError, DocumentVersion, Kind, RuleSetVersion
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_member: Any) -> list[Any]:
    return [make_member(n) for n in ("Ana", "Ben", "Cleo", "Dev")]


def _bcn() -> Chapter:
    return Chapter.objects.get(geonameid=3128760)


def _vote_all(decision: Any, people: list[Any], choice: str, **extra: str) -> Any:
    decision = services.open_voting(decision.created_by, decision)
    for p in people:
        services.cast(p, decision, {"choice": choice, **extra})
    return services.close(decision.created_by, decision)


def test_every_decision_records_the_rule_set_version_it_ran_under(people: list[Any]) -> None:
    d = services.propose(people[0], _bcn(), services.Proposal(title="Paint"))
    assert d.ruleset is not None and d.ruleset.version == 1
    assert d.method == "consent"  # the default rules' default method
    assert Event.objects.filter(verb="rules.initial").count() == 1


def test_the_rules_change_only_by_a_decision_under_the_current_rules(people: list[Any]) -> None:
    chapter = _bcn()
    current = rules.rule_set_of(rules.ensure_current(chapter))
    data = current.as_dict() | {"default_method": "majority", "quorum": {"weight": "1/2"}}
    change = rules.propose_rule_change(people[0], chapter, data, reason="Motions are quicker.")
    assert change.kind == Kind.RULES and change.method == current.change_method
    assert change.threshold == "2/3"  # the qualified majority's share under version 1
    assert {w.weight for w in change.weights.all()} == {"1"}  # every member equally
    change = _vote_all(change, people[:3], "yes")
    assert change.result["outcome"] == "adopted"
    v2 = RuleSetVersion.objects.get(chapter=chapter, version=2)
    assert v2.decision_id == change.pk and v2.rules["default_method"] == "majority"
    # The next decision runs under version 2: a motion, with its quorum.
    d = services.propose(people[0], chapter, services.Proposal(title="Buy a kettle"))
    assert d.ruleset_id == v2.pk and d.method == "majority" and d.quorum_weight == "1/2"
    assert d.options == ["yes", "no", "abstain"]


def test_a_rejected_change_writes_no_version(people: list[Any]) -> None:
    chapter = _bcn()
    data = rules.rule_set_of(None).as_dict() | {"default_method": "score"}
    change = rules.propose_rule_change(people[0], chapter, data)
    change = _vote_all(change, people, "no")
    assert change.result["outcome"] == "rejected"
    assert RuleSetVersion.objects.filter(chapter=chapter).count() == 1


def test_a_change_adopted_after_another_is_overtaken(people: list[Any]) -> None:
    chapter = _bcn()
    base = rules.rule_set_of(None).as_dict()
    first = rules.propose_rule_change(people[0], chapter, base | {"default_method": "majority"})
    second = rules.propose_rule_change(people[1], chapter, base | {"default_method": "advice"})
    _vote_all(first, people, "yes")
    second = _vote_all(second, people, "yes")
    assert second.result["outcome"] == "adopted"
    assert RuleSetVersion.objects.filter(chapter=chapter).count() == 2  # not 3
    assert Event.objects.filter(verb="rules.change_not_applied", subject_id=str(second.pk)).exists()


def test_bad_rules_are_refused_with_the_field_named(
    people: list[Any], other_chapter: Chapter
) -> None:
    base = rules.rule_set_of(None).as_dict()
    with pytest.raises(ValidationError, match="thresholds"):
        rules.propose_rule_change(people[0], _bcn(), base | {"thresholds": {"ranked": "1/2"}})
    with pytest.raises(ValidationError, match="nothing would change"):
        rules.propose_rule_change(people[0], _bcn(), base)
    with pytest.raises(PermissionDenied):
        rules.propose_rule_change(people[0], other_chapter, base | {"default_method": "dot"})


def test_rule_set_versions_are_append_only(people: list[Any]) -> None:
    v1 = rules.ensure_current(_bcn())
    v1.rules = {}
    with pytest.raises(AppendOnlyError):
        v1.save()
    with pytest.raises(AppendOnlyError):
        v1.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE decisions_rulesetversion SET version = 9")


def test_the_rules_page_proposes_a_change(people: list[Any], login: Any) -> None:
    chapter = _bcn()
    client = login(people[1])
    url = reverse("decisions:rules", args=[chapter.slug])
    assert "Version 1, in force" in client.get(url).content.decode()
    form = {
        "default_method": "consent",
        "change_method": "qualified_majority",
        "levels": "1, 1/4",
        "thresholds": "qualified_majority=3/4",
        "role_terms": "facilitator=91",
        "reason": "Harder to change.",
    }
    page = client.post(url, form, follow=True)
    change = chapter.decisions.get(kind=Kind.RULES)
    assert page.redirect_chain[-1][0] == reverse("decisions:detail", args=[change.pk])
    html = page.content.decode()
    assert "thresholds.qualified_majority" in html and "0.75" in html
    assert "<code>role_terms</code>" not in html  # only the fields that change
    bad = client.post(url, form | {"thresholds": "consent"}, follow=True)
    assert "name=value" in bad.content.decode()


VISION = [
    ("Who we are", "We are members of a participatory economy movement."),
    ("What we want", "An economy run by councils of workers and consumers."),
]


@pytest.fixture
def vision(people: list[Any]) -> Any:
    # Ana founded Barcelona's chapter in this test database, so she is its admin.
    return amendments.create_document(
        people[0], _bcn(), title="Vision statement", type="vision", clauses=VISION
    )


def test_only_an_admin_writes_a_document(people: list[Any]) -> None:
    with pytest.raises(PermissionDenied):
        amendments.create_document(people[1], _bcn(), title="X", type="vision", clauses=VISION)


def test_an_adopted_amendment_writes_the_next_version(vision: Any, people: list[Any]) -> None:
    am = amendments.propose_amendment(
        people[1], vision, "c2", "An economy run by self-managed councils of workers and consumers."
    )
    assert am.before == VISION[1][1] and am.base == 1
    assert am.decision.kind == Kind.AMENDMENT and am.decision.method == "consent"
    _vote_all(am.decision, people, "consent")
    am.refresh_from_db()
    assert am.applied == 2
    latest = amendments.latest(vision)
    assert latest.number == 2 and latest.amendment_id == am.pk
    assert latest.clauses[1]["text"].startswith("An economy run by self-managed")
    assert latest.clauses[0] == vision.versions.get(number=1).clauses[0]
    assert vision.versions.get(number=1).clauses[1]["text"] == VISION[1][1]  # kept
    assert Event.objects.filter(verb="document.amended", subject_id=str(vision.pk)).exists()
    changes = amendments.version_changes(vision.versions.get(number=1), latest)
    assert [c.number for c in changes] == [2]
    assert [p.text for p in changes[0].after if p.kind == "new"] == [" self-managed"]


def test_a_blocked_amendment_changes_nothing(vision: Any, people: list[Any]) -> None:
    am = amendments.propose_amendment(people[1], vision, "c1", "We are a club.")
    _vote_all(am.decision, people[:1], "block", reason="We are not a club.")
    assert amendments.latest(vision).number == 1


def test_an_amendment_overtaken_by_another_is_not_applied(vision: Any, people: list[Any]) -> None:
    one = amendments.propose_amendment(people[1], vision, "c1", "We are a movement.")
    two = amendments.propose_amendment(people[2], vision, "c1", "We are many.")
    _vote_all(one.decision, people, "consent")
    _vote_all(two.decision, people, "consent")
    assert amendments.latest(vision).number == 2
    assert amendments.latest(vision).clauses[0]["text"] == "We are a movement."
    assert Event.objects.filter(verb="document.amendment_overtaken").count() == 1


def test_a_new_clause_is_added_at_the_end(vision: Any, people: list[Any]) -> None:
    with pytest.raises(ValidationError, match="heading"):
        amendments.propose_amendment(people[1], vision, "new", "We federate.")
    am = amendments.propose_amendment(people[1], vision, "new", "We federate.", heading="How")
    _vote_all(am.decision, people, "consent")
    clauses = amendments.latest(vision).clauses
    assert [c["key"] for c in clauses] == ["c1", "c2", "c3"] and clauses[2]["heading"] == "How"


def test_bad_amendments_are_refused(vision: Any, people: list[Any], make_member: Any) -> None:
    with pytest.raises(ValidationError, match="same as the current"):
        amendments.propose_amendment(people[1], vision, "c1", VISION[0][1])
    with pytest.raises(ValidationError, match="No such clause"):
        amendments.propose_amendment(people[1], vision, "c9", "text")
    with pytest.raises(PermissionDenied):
        amendments.propose_amendment(make_member("Far", city=3117735), vision, "c1", "x")


def test_document_versions_are_append_only(vision: Any) -> None:
    v1 = vision.versions.get()
    with pytest.raises(AppendOnlyError):
        v1.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE decisions_documentversion SET number = 5")
    assert DocumentVersion.objects.get().number == 1


def test_document_pages_amend_preview_and_history(
    vision: Any, people: list[Any], login: Any
) -> None:
    client = login(people[1])
    page = client.get(reverse("decisions:document", args=[vision.pk])).content.decode()
    assert "Who we are" in page and "Propose an amendment to this clause" in page
    preview = client.get(
        reverse("decisions:amend_preview", args=[vision.pk]),
        {"clause": "c1", "text": "We are <b>members</b> of a movement."},
    ).content.decode()
    assert '<ins class="new">&lt;b&gt;members&lt;/b&gt;' in preview
    assert '<del class="gone">members' in preview
    done = client.post(
        reverse("decisions:amend", args=[vision.pk]),
        {"clause": "c1", "text": "We are members of a movement.", "heading": "Who we are"},
        follow=True,
    )
    html = done.content.decode()
    assert "Amend “Vision statement”, clause 1" in html and '<del class="gone">' in html
    history = client.get(reverse("decisions:document_history", args=[vision.pk])).content.decode()
    assert "Version 1" in history and "The first text." in history


def test_a_reason_a_spreadsheet_would_run_is_quoted_in_the_ballots_csv(
    people: list[Any],
) -> None:
    from parecon.web.decisions import selectors

    d = services.open_voting(
        people[0], services.propose(people[0], _bcn(), services.Proposal(title="Paint"))
    )
    services.cast(people[0], d, {"choice": "object", "reason": "=HYPERLINK(evil)"})
    d = services.close(people[0], d)
    assert ",'=HYPERLINK(evil)" in selectors.ballots_csv(d)


def test_stake_categories_weigh_by_the_rules_or_the_proposal(people: list[Any], login: Any) -> None:
    chapter = _bcn()
    base = rules.rule_set_of(None).as_dict()
    base["weighting"]["stakes"] = {"neighbours": "1/2"}
    change = rules.propose_rule_change(people[0], chapter, base)
    _vote_all(change, people, "yes")
    d = services.propose(
        people[0],
        chapter,
        services.Proposal(
            title="Night deliveries",
            levels=("1/10",),
            stakes=(("neighbours", "", (people[1].pk,)), ("workers", "1", (people[2].pk,))),
        ),
    )
    weights = {w.member_id: (w.weight, w.reasons) for w in d.weights.all()}
    assert weights[people[1].pk][0] == "1/2" and "stake: neighbours" in weights[people[1].pk][1]
    assert weights[people[2].pk][0] == "1" and weights[people[3].pk][0] == "1/10"
    with pytest.raises(ValidationError, match="weight of the stake"):
        services.propose(
            people[0], chapter, services.Proposal(title="x", stakes=(("bakers", "", (1,)),))
        )
    page = login(people[0]).post(
        reverse("decisions:propose", args=[chapter.slug]),
        {
            "title": "By the page",
            "levels": "0",
            "results": "after_voting",
            "reopen_threshold": "3",
            "stakes": "neighbours: Ben, Cleo\nworkers = 1: Dev",
        },
        follow=True,
    )
    made = chapter.decisions.get(title="By the page")
    assert {w.member_id: w.weight for w in made.weights.all()} == {
        people[1].pk: "1/2",
        people[2].pk: "1/2",
        people[3].pk: "1",
    }
    bad = login(people[0]).post(
        reverse("decisions:propose", args=[chapter.slug]),
        {"title": "Bad", "results": "after_voting", "reopen_threshold": "3", "stakes": "n: Zed"},
    )
    assert "Line 1: no member called Zed." in bad.content.decode()
    assert page.status_code == 200
