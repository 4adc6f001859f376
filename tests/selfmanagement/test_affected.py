"""Weights from rules over a tree of units, the lowest unit containing everyone, bands."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement import (
    Affected,
    Ballot,
    Unit,
    UnitTree,
    WeightingRule,
    decide,
    weigh,
    weight_bands,
)

TREE = UnitTree(
    [
        Unit("federation", kind="federation"),
        Unit("east", "federation", kind="council"),
        Unit("west", "federation", kind="council"),
        Unit("riverside", "east", ("ana", "ben", "cleo")),
        Unit("hillside", "east", ("dev", "eli")),
        Unit("harbour", "west", ("fay", "gus")),
        Unit("riverside-workers", "riverside", ("ana",), kind="workers' council"),
    ]
)


def test_members_of_the_unit_weigh_one_the_rest_of_the_region_a_quarter() -> None:
    w = weigh(TREE, Affected(units=("riverside",)), WeightingRule(levels=(1, "0.25")))
    assert w.weights == {
        "ana": 1,
        "ben": 1,
        "cleo": 1,
        "dev": Fraction(1, 4),
        "eli": Fraction(1, 4),
    }
    assert w.reasons["dev"] == ("in east, 1 level(s) above riverside",)
    assert w.reasons["ana"] == ("member of riverside",)
    assert w.scope == "east"  # the lowest unit that holds everyone with a say


def test_a_decision_that_only_affects_a_chapter_stays_there() -> None:
    w = weigh(TREE, Affected(units=("riverside",)), WeightingRule(levels=(1,)))
    assert w.scope == "riverside" and set(w.weights) == {"ana", "ben", "cleo"}
    w = weigh(TREE, Affected(units=("riverside-workers",)), WeightingRule(levels=(1,)))
    assert w.scope == "riverside-workers"


def test_stakes_and_listed_members() -> None:
    rule = WeightingRule(levels=(1,), stakes={"neighbours": "0.5", "consumers": "0.25"})
    affected = Affected(
        units=("hillside",),
        stakeholders={"neighbours": ("fay", "dev"), "consumers": ("fay",)},
        listed={"gus": 2},
    )
    w = weigh(TREE, affected, rule)
    assert w.weights == {"dev": 1, "eli": 1, "fay": Fraction(1, 2), "gus": 2}
    assert w.reasons["fay"] == ("stake: neighbours", "stake: consumers")
    assert w.scope == "federation"
    summed = weigh(TREE, affected, WeightingRule((1,), rule.stakes, combine="sum"))
    assert summed.weights["fay"] == Fraction(3, 4) and summed.weights["dev"] == Fraction(3, 2)
    with pytest.raises(InvalidValueError, match="unknown stake category"):
        weigh(TREE, Affected(stakeholders={"owners": ("ana",)}), rule)


def test_weights_feed_the_count() -> None:
    w = weigh(TREE, Affected(units=("riverside",)), WeightingRule(levels=(1, "0.25")))
    ballots = [Ballot("ana", choice="yes"), Ballot("dev", choice="no"), Ballot("eli", choice="no")]
    assert decide("majority", ballots, electorate=w.weights).outcome == "adopted"
    assert decide("majority", ballots).outcome == "rejected"


def test_bad_trees_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="unit 'a': unknown parent 'zz'"):
        UnitTree([Unit("a", "zz")])
    with pytest.raises(InvalidValueError, match="cycle"):
        UnitTree([Unit("a", "b"), Unit("b", "a")])
    with pytest.raises(InvalidValueError, match="appears twice"):
        UnitTree([Unit("a"), Unit("a")])
    with pytest.raises(InvalidValueError, match="member 'zed': is a member of no unit"):
        weigh(TREE, Affected(listed={"zed": 1}), WeightingRule())
    with pytest.raises(InvalidValueError, match="no unit contains everyone"):
        UnitTree([Unit("a", members=("x",)), Unit("b", members=("y",))]).lowest_containing(
            ["x", "y"]
        )


# --- bands ------------------------------------------------------------------------------


def test_bands_hide_unique_weights_and_keep_the_total() -> None:
    weights = {"a": 1, "b": 1, "c": 1, "d": 0.25, "e": 0.25, "f": 0.25, "g": 0.3, "x": 0.9}
    bands = weight_bands(weights, min_size=3)
    assert [(b.label, b.size) for b in bands.bands] == [("0.25–0.3", 4), ("0.9–1", 4)]
    assert bands.weight("g") == bands.weight("d") == Fraction(21, 80)
    assert sum(bands.weights().values()) == sum(Fraction(str(w)) for w in weights.values())
    with pytest.raises(InvalidValueError, match="cannot hide"):
        weight_bands({"a": 1, "b": 2}, min_size=3)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text("abcdefghij", min_size=1, max_size=3),
        st.fractions(0, 3, max_denominator=4),
        min_size=3,
        max_size=25,
    ),
    st.integers(1, 3),
)
def test_every_band_holds_enough_voters(weights: dict[str, Fraction], k: int) -> None:
    bands = weight_bands(weights, min_size=k)
    sizes = [b.size for b in bands.bands]
    assert all(s >= k for s in sizes) and sum(sizes) == len(weights)
    assert sum(bands.weights().values()) == sum(weights.values())
    for v, w in weights.items():  # a voter's band spans their weight; bands do not overlap
        band = bands.bands[bands.band_of[v]]
        assert band.low <= w <= band.high
    assert all(a.high < b.low for a, b in zip(bands.bands, bands.bands[1:], strict=False))
