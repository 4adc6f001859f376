"""Decisions on the platform: weights by affectedness, methods, anonymity, room counts,
outcomes, reopening, grants by decision, and the same result as ``parecon decide``."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from parecon.web.chapters.models import Chapter, RoleGrant
from parecon.web.decisions import selectors, services
from parecon.web.decisions.models import Ballot, Decision, Receipt, Weight
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_member: Any) -> dict[str, Any]:
    names = ("ana", "ben", "cleo", "dev", "eli")
    return {n: make_member(n.title()) for n in names}


def _barcelona() -> Chapter:
    return Chapter.objects.get(geonameid=3128760)


def test_weights_follow_who_is_affected(people: dict[str, Any], make_member: Any) -> None:
    far = make_member("Far", city=3117735)  # Madrid: another region, no say
    chapter = _barcelona()
    d = services.propose(
        people["ana"],
        chapter,
        services.Proposal(
            title="Night baking",
            listed=((people["ana"].pk, "1"), (people["ben"].pk, "1")),
            levels=("1/4",),
        ),
    )
    weights = {w.member_id: Fraction(w.weight) for w in d.weights.all()}
    assert weights[people["ana"].pk] == 1 and weights[people["ben"].pk] == 1
    assert weights[people["cleo"].pk] == Fraction(1, 4)
    assert far.pk not in weights
    assert d.scope_unit == f"chapter:{chapter.slug}"
    assert Event.objects.filter(verb="decision.proposed", subject_id=str(d.pk)).exists()


def _consent(people: dict[str, Any], **extra: Any) -> Decision:
    d = services.propose(
        people["ana"], _barcelona(), services.Proposal(title="Paint the door", **extra)
    )
    return services.open_voting(people["ana"], d)


def test_consent_block_needs_a_reason_and_blocks(people: dict[str, Any]) -> None:
    d = _consent(people)
    with pytest.raises(ValidationError, match="reason"):
        services.cast(people["ben"], d, {"choice": "block"})
    services.cast(people["ana"], d, {"choice": "consent"})
    services.cast(people["ben"], d, {"choice": "block", "reason": "the paint is toxic"})
    with pytest.raises(ValidationError, match="already voted"):
        services.cast(people["ben"], d, {"choice": "consent"})
    d = services.close(people["ana"], d)
    assert d.result["outcome"] == "blocked"
    assert {"choice": "block", "reason": "the paint is toxic"} in d.result["reasons"]


def test_only_the_affected_vote_and_only_steerers_close(
    people: dict[str, Any], make_member: Any
) -> None:
    far = make_member("Far", city=3117735)
    d = _consent(people)
    with pytest.raises(PermissionDenied):
        services.cast(far, d, {"choice": "consent"})
    with pytest.raises(PermissionDenied):
        services.close(people["ben"], d)
    with pytest.raises(PermissionDenied):
        services.enter_room_count(people["ben"], d, [{"choice": "consent", "count": 3}])


def test_ranked_choice_and_the_cli_agree(people: dict[str, Any], tmp_path: Path) -> None:
    d = services.propose(
        people["ana"],
        _barcelona(),
        services.Proposal(title="Teach-in topic", method="ranked", options=("plan", "jobs", "pay")),
    )
    services.open_voting(people["ana"], d)
    services.cast(people["ana"], d, {"ranking": [["plan"], ["jobs"]]})
    services.cast(people["ben"], d, {"ranking": "jobs > plan = pay"})
    services.cast(people["cleo"], d, {"ranking": [["plan"], ["pay"], ["jobs"]]})
    d = services.close(people["ana"], d)
    assert d.result["winner"] == "plan"
    path = tmp_path / "ballots.csv"
    path.write_text(selectors.ballots_csv(d))
    cli = subprocess.run(
        [
            sys.executable,
            "-c",
            "from parecon.cli.app import main; main()",
            "decide",
            "ranked",
            str(path),
            "--json",
            "-",
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    doc = json.loads(cli.stdout)
    assert doc["winner"] == d.result["winner"]
    flat = [option for tier in d.result["ranking"] for option in tier]
    assert [o if isinstance(o, str) else "=".join(o) for o in doc["ranking"]] == flat


def test_anonymous_ballots_link_no_voter_and_show_bands(people: dict[str, Any]) -> None:
    d = _consent(people, anonymous=True)
    cast = services.cast(people["ben"], d, {"choice": "consent"})
    ballot = Ballot.objects.get(pk=cast.ballot.pk)
    assert ballot.voter is None and not ballot.label.startswith("m")
    assert Receipt.objects.filter(decision=d, member=people["ben"]).exists()
    with pytest.raises(ValidationError, match="already voted"):
        services.cast(people["ben"], d, {"choice": "consent"})
    rows = selectors.weights_shown(d)
    assert all("members" in r.name for r in rows)
    services.cast(people["cleo"], d, {"choice": "consent"})
    d = services.close(people["ana"], d)
    assert d.result["outcome"] == "adopted"


def test_anonymous_needs_enough_members_to_hide(make_member: Any) -> None:
    lonely = make_member("Lonely")
    with pytest.raises(ValidationError, match="cannot hide"):
        services.propose(lonely, _barcelona(), services.Proposal(title="x", anonymous=True))


def test_room_counts_merge_with_online_ballots(
    people: dict[str, Any], term: dict[str, Any]
) -> None:
    from parecon.web.chapters.services import grant_role

    chapter = _barcelona()
    grant_role(
        chapter.founder if hasattr(chapter, "founder") else people["ana"],
        chapter,
        people["dev"],
        "note_taker",
        **term,
    )
    d = services.propose(
        people["ana"], chapter, services.Proposal(title="Buy a projector", method="majority")
    )
    services.open_voting(people["ana"], d)
    services.cast(people["ana"], d, {"choice": "no"})
    services.enter_room_count(people["dev"], d, [{"choice": "yes", "count": 4, "weight": "1"}])
    d = services.close(people["ana"], d)
    totals = {t["option"]: t for t in d.result["totals"]}
    assert Fraction(totals["yes"]["weighted"]) == 4 and Fraction(totals["no"]["weighted"]) == 1
    assert d.result["outcome"] == "adopted"


def test_outcome_minority_report_and_reopening(people: dict[str, Any]) -> None:
    d = _consent(people, reopen_threshold=2)
    services.cast(people["ana"], d, {"choice": "consent"})
    d = services.close(people["ana"], d)
    services.write_outcome(people["ana"], d, "We paint it green.", None)
    services.add_minority_report(people["cleo"], d, "Blue was better.")
    services.request_reopen(people["ben"], d)
    d.refresh_from_db()
    assert d.status == "closed"
    d = services.request_reopen(people["cleo"], d)
    assert d.status == "voting" and d.round == 2
    services.cast(people["ana"], d, {"choice": "object"})  # a new round, a new ballot


def test_a_decision_grants_a_role(people: dict[str, Any]) -> None:
    chapter = _barcelona()
    d = services.propose(
        people["ana"],
        chapter,
        services.Proposal(title="Cleo as treasurer", grant=(people["cleo"].pk, "treasurer", 90)),
    )
    services.open_voting(people["ana"], d)
    services.cast(people["ben"], d, {"choice": "consent"})
    services.close(people["ana"], d)
    grant = RoleGrant.objects.get(member=people["cleo"], role="treasurer")
    assert grant.source == "decision" and grant.source_ref == str(d.pk) and grant.is_current


def test_challenge_is_a_decision_and_holds_the_vote(people: dict[str, Any]) -> None:
    d = services.propose(people["ana"], _barcelona(), services.Proposal(title="Weights?"))
    c = services.challenge(people["ben"], d, "Cleo lives next door too")
    assert c.challenge_of_id == d.pk and c.method == "consent"
    with pytest.raises(ValidationError, match="challenge"):
        services.open_voting(people["ana"], d)
    services.open_voting(people["ana"], c)
    services.close(people["ana"], c)
    services.open_voting(people["ana"], d)


def test_pages_propose_vote_and_show_weighted_results(people: dict[str, Any], login: Any) -> None:
    chapter = _barcelona()
    client = login(people["ana"])
    r = client.post(
        reverse("decisions:propose", args=[chapter.slug]),
        {
            "title": "<script>alert(1)</script>",
            "method": "score",
            "options": "tools\nseeds",
            "levels": "1, 1/4",
            "results": "after_voting",
            "reopen_threshold": "3",
        },
    )
    assert r.status_code == 302, r.content[:500]
    d = Decision.objects.get()
    page = client.get(reverse("decisions:detail", args=[d.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Every member" in page
    client.post(reverse("decisions:open", args=[d.pk]))
    r = client.post(reverse("decisions:vote", args=[d.pk]), {"mark_0": "5", "mark_1": "2"})
    page = client.get(reverse("decisions:detail", args=[d.pk])).content.decode()
    assert "Your receipt" in page and "Weighted" in page and "so far" in page
    other = login(people["ben"])
    page = other.get(reverse("decisions:detail", args=[d.pk])).content.decode()
    assert "Weighted" not in page  # results only after voting
    other.post(reverse("decisions:vote", args=[d.pk]), {"mark_0": "x"})
    assert Ballot.objects.filter(decision=d).count() == 1
    assert Weight.objects.filter(decision=d).count() == 5
