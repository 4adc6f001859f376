"""Schulze on its published examples, with weights, ties and unranked options."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parecon.selfmanagement import Ballot, decide, parse_ranking, schulze_tiers, strongest_paths

# Wikipedia's (and Schulze's own "Example 1") 45 voters over A–E.
WIKIPEDIA_45 = [
    (5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"),
    (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC"),
]  # fmt: skip
D_45 = [  # d[X][Y]: voters preferring X to Y (published table)
    [0, 20, 26, 30, 22],
    [25, 0, 16, 33, 18],
    [19, 29, 0, 17, 24],
    [15, 12, 28, 0, 14],
    [23, 27, 21, 31, 0],
]
P_45 = [  # p[X][Y]: strongest paths (published table)
    [0, 28, 28, 30, 24],
    [25, 0, 28, 33, 24],
    [25, 29, 0, 29, 24],
    [25, 28, 28, 0, 24],
    [25, 28, 28, 31, 0],
]


def _ballots(groups: list[tuple[int, str]], weight: Fraction = Fraction(1)) -> list[Ballot]:
    return [
        Ballot(f"group-{i}", weight, ranking=tuple((c,) for c in order), count=n)
        for i, (n, order) in enumerate(groups)
    ]


def test_wikipedia_45_voters_pairwise_paths_and_order() -> None:
    res = decide("ranked", _ballots(WIKIPEDIA_45), options=list("ABCDE"))
    d = [[res.pairwise.get((a, b), 0) for b in "ABCDE"] for a in "ABCDE"]
    assert d == D_45
    p = strongest_paths([[Fraction(x) for x in row] for row in D_45])
    assert p == P_45
    assert res.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert res.winner == "E" and res.outcome == "chosen"
    assert res.total("E").weighted == 8 and res.total("A").weighted == 10  # first preferences


def test_wikipedia_45_the_same_as_individual_weighted_ballots() -> None:
    """45 single ballots of weight 1/3 rank as 8 batches of paper ballots do."""
    single = [
        Ballot(f"v{i}-{k}", Fraction(1, 3), ranking=tuple((c,) for c in order))
        for i, (n, order) in enumerate(WIKIPEDIA_45)
        for k in range(n)
    ]
    res = decide("ranked", single, options=list("ABCDE"))
    assert res.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert res.pairwise[("B", "D")] == 11  # 33 voters × 1/3


def test_schulze_tie_example_reports_both_winners() -> None:
    """Schulze's non-unique winner: defeats D>B 5, C>B 4, A>C 3, B>A 2, C>D 2, D>A 1."""
    names = ["A", "B", "C", "D"]
    d = [[Fraction(0)] * 4 for _ in range(4)]
    for (x, y), s in {
        ("D", "B"): 5,
        ("C", "B"): 4,
        ("A", "C"): 3,
        ("B", "A"): 2,
        ("C", "D"): 2,
        ("D", "A"): 1,
    }.items():
        d[names.index(x)][names.index(y)] = Fraction(s)
    p = strongest_paths(d)
    # published strongest paths: A→B ACB 3, A→C 3, A→D ACD 2, B→A 2, B→C BAC 2
    assert (p[0][1], p[0][2], p[0][3], p[1][0], p[1][2]) == (3, 3, 2, 2, 2)
    assert schulze_tiers(names, d) == (("A", "D"), ("C",), ("B",))


def test_condorcet_cycle_is_a_tie_not_a_coin_toss() -> None:
    ballots = [
        Ballot("x", ranking=parse_ranking("a > b > c")),
        Ballot("y", ranking=parse_ranking("b > c > a")),
        Ballot("z", ranking=parse_ranking("c > a > b")),
    ]
    res = decide("ranked", ballots)
    assert res.outcome == "tie" and res.winner is None
    assert res.ranking == (("a", "b", "c"),)


def test_ties_in_a_ballot_and_unranked_options_rank_last() -> None:
    ballots = [
        Ballot("x", ranking=parse_ranking("a = b > c")),
        Ballot("y", ranking=parse_ranking("b")),  # a, c, d unranked: below b, tied with each other
    ]
    res = decide("ranked", ballots, options=["a", "b", "c", "d"])
    assert res.pairwise[("a", "b")] == 0 and res.pairwise[("b", "a")] == 1
    assert res.pairwise[("a", "c")] == 1 and res.pairwise[("c", "a")] == 0
    assert res.pairwise[("c", "d")] == 1 and res.pairwise[("d", "c")] == 0
    assert res.winner == "b"
    assert res.ranking == (("b",), ("a",), ("c",), ("d",))
    assert res.total("a").weighted == 1 and res.total("b").weighted == 2  # ranked first


def test_weights_turn_the_result() -> None:
    ballots = [
        Ballot("near", 1, ranking=parse_ranking("a > b")),
        Ballot("far1", Fraction(1, 4), ranking=parse_ranking("b > a")),
        Ballot("far2", Fraction(1, 4), ranking=parse_ranking("b > a")),
    ]
    assert decide("ranked", ballots).winner == "a"
    assert decide("ranked", [Ballot(b.voter, ranking=b.ranking) for b in ballots]).winner == "b"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("a > > b", "empty option"), ("a > b = a", "ranked twice"), ("  ", "empty ranking")],
)
def test_bad_rankings_are_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_ranking(text)
