"""Federated decisions in proportion to affected members, and pulling one down."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement import Ballot, DecisionRules, Quorum, decide, federate, pull_down


def _votes(unit: str, yes: int, no: int) -> list[Ballot]:
    return [Ballot(f"{unit}{i}", choice="yes") for i in range(yes)] + [
        Ballot(f"{unit}n{i}", choice="no") for i in range(no)
    ]


def test_units_weigh_by_affected_members_not_by_turnout() -> None:
    # big: 1000 affected, 3 of 4 voters say no; small: 10 affected, 20 voters all yes
    units = {"big": _votes("b", 1, 3), "small": _votes("s", 20, 0)}
    fed = federate("majority", units, {"big": 1000, "small": 10})
    assert fed.units["big"].outcome == "rejected" and fed.units["small"].outcome == "adopted"
    assert fed.result.outcome == "rejected"
    assert fed.result.total("yes").weighted == 250 + 10 and fed.result.total("no").weighted == 750
    assert fed.result.total("yes").unweighted == 21  # heads are kept
    direct = decide("majority", [b for bs in units.values() for b in bs])
    assert direct.outcome == "adopted"  # one ballot one vote would turn it


def test_a_units_own_weights_share_its_say() -> None:
    units = {
        "a": [Ballot("x", 1, choice="yes"), Ballot("y", Fraction(1, 4), choice="no")],
        "b": [Ballot("z", choice="no")],
    }
    fed = federate("majority", units, {"a": 5, "b": 4})
    assert fed.result.total("yes").weighted == 4 and fed.result.total("no").weighted == 5
    assert fed.result.outcome == "rejected"
    assert fed.say == {"a": 5, "b": 4}


def test_ranked_federation_keeps_each_units_result() -> None:
    r = lambda v, s: Ballot(v, ranking=tuple((c,) for c in s))  # noqa: E731
    units = {"north": [r("a", "xy"), r("b", "xy")], "south": [r("c", "yx")]}
    fed = federate("ranked", units, {"north": 2, "south": 3})
    assert fed.units["north"].winner == "x" and fed.units["south"].winner == "y"
    assert fed.result.winner == "y"
    assert fed.result.pairwise[("y", "x")] == 3


def test_federation_quorum_counts_units_and_units_without_quorum_have_no_say() -> None:
    electorates = {"a": {"a0": 1, "a1": 1, "a2": 1}, "b": {"b0": 1, "b1": 1}}
    units = {
        "a": [Ballot("a0", choice="yes")],
        "b": [Ballot("b0", choice="no"), Ballot("b1", choice="no")],
    }
    rules = DecisionRules(quorum=Quorum(weight="0.5"))
    fed = federate("majority", units, {"a": 30, "b": 20}, electorates=electorates, rules=rules)
    assert fed.units["a"].outcome == "no_quorum" and fed.say["a"] == 0
    assert fed.result.outcome == "no_quorum"  # only 20 of 50 affected members counted
    fed = federate("majority", units, {"a": 10, "b": 20}, electorates=electorates, rules=rules)
    assert fed.result.outcome == "rejected" and fed.result.turnout.quorum_met


def test_federation_errors_name_the_unit() -> None:
    with pytest.raises(InvalidValueError, match="unit 'u', voter 'v', field 'reason'"):
        federate("consent", {"u": [Ballot("v", choice="block")]}, {"u": 3})
    with pytest.raises(InvalidValueError, match="no count of affected members"):
        federate("consent", {"u": []}, {})


def test_pull_down_by_a_share_of_member_units() -> None:
    units = ["a", "b", "c", "d", "e"]
    assert pull_down(["a", "b"], units, "0.4").met
    assert not pull_down(["a"], units, "0.4").met
    assert pull_down(["a", "a", "b"], units, "0.4").requesting == ("a", "b")
    assert pull_down(["a", "b"], units, "0.4").needed == 2
    with pytest.raises(InvalidValueError, match="request from 'z'"):
        pull_down(["z"], units, "0.4")
    with pytest.raises(InvalidValueError, match="above 0"):
        pull_down([], units, 0)


def test_units_share_one_set_of_candidates() -> None:
    units = {
        "a": [Ballot("x", choice="p")],
        "b": [Ballot("y", choice="q"), Ballot("z", choice="q")],
    }
    fed = federate("majority", units, {"a": 3, "b": 1})
    assert fed.units["a"].options == fed.units["b"].options == ("p", "q")
    assert fed.result.winner == "p" and fed.result.outcome == "chosen"


def test_room_batches_keep_their_electorate_weight_in_a_federation() -> None:
    electorates = {"a": {"room": Fraction(1, 2), "x": 1}, "b": {"y": 1}}
    units = {
        "a": [Ballot("room", choice="yes", count=4), Ballot("x", choice="no")],
        "b": [Ballot("y", choice="no")],
    }
    fed = federate("majority", units, {"a": 6, "b": 1}, electorates=electorates)
    assert fed.units["a"].total("yes").weighted == 2
    assert fed.result.total("yes").weighted == 4 and fed.result.total("no").weighted == 3
