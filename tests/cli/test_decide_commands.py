"""``parecon decide`` on the shipped example ballots, its JSON, and located CSV errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parecon.cli.app import app
from parecon.selfmanagement import decide, read_ballots, read_weights

EX = Path(__file__).resolve().parents[2] / "examples" / "decisions"
runner = CliRunner()


def _json(*args: str) -> dict[str, object]:
    res = runner.invoke(app, ["decide", *args, "--json", "-"])
    assert res.exit_code == 0, res.output
    doc: dict[str, object] = json.loads(res.stdout)
    return doc


def test_ranked_weighted_and_unweighted() -> None:
    weighted = _json("ranked", str(EX / "ranked.csv"), "--weights", str(EX / "weights.csv"))
    assert weighted["winner"] == "north_lot"
    assert weighted["ranking"] == ["north_lot", "park_corner", "school_yard"]
    assert weighted["weighted"] == {"north_lot": 4, "park_corner": 1.25, "school_yard": 1.25}
    assert weighted["unweighted"] == {
        "north_lot": 4,
        "park_corner": 2,
        "school_yard": 5,
    }  # first places
    plain = _json("ranked", str(EX / "ranked.csv"))
    assert plain["winner"] == "school_yard"


def test_the_45_voter_example_from_paper_batches() -> None:
    doc = _json("ranked", str(EX / "schulze-45.csv"))
    assert doc["ranking"] == ["E", "A", "C", "B", "D"] and doc["winner"] == "E"
    assert doc["pairwise"]["B>D"] == 33  # type: ignore[index]


def test_consent_winner_is_the_outcome_and_reasons_are_printed() -> None:
    doc = _json("consent", str(EX / "consent.csv"), "--weights", str(EX / "weights.csv"))
    assert doc["winner"] == "adopted" and doc["outcome"] == "adopted"
    assert doc["totals"]["object"] == {
        "weighted": 1.25,
        "unweighted": 2,
        "share": pytest.approx(1.25 / 5.25),
    }  # type: ignore[index]
    res = runner.invoke(
        app, ["decide", "consent", str(EX / "consent.csv"), "--weights", str(EX / "weights.csv")]
    )
    assert res.exit_code == 0
    assert "cleo (object): the lot floods every spring" in res.stdout
    assert "outcome: adopted" in res.stdout


def test_quorum_from_the_weights_file(tmp_path: Path) -> None:
    doc = _json(
        "consent", str(EX / "consent.csv"), "--weights", str(EX / "weights.csv"), "--quorum", "0.97"
    )
    assert doc["outcome"] == "no_quorum"  # 5.25 of 5.5 voted
    doc = _json(
        "consent",
        str(EX / "consent.csv"),
        "--weights",
        str(EX / "weights.csv"),
        "--quorum-heads",
        "0.9",
    )
    assert doc["outcome"] == "adopted"


def test_dot_vote_and_json_file(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = runner.invoke(
        app, ["decide", "dot", str(EX / "dot.csv"), "--budget", "5", "--json", str(out)]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["winner"] == "fence" and doc["ranking"] == ["fence", "seeds", "tools", "shed"]
    assert "fence" in res.stdout


def test_the_cli_and_the_library_agree() -> None:
    electorate, _ = read_weights(EX / "weights.csv")
    sheet = read_ballots(EX / "ranked.csv", "ranked", weights_given=True)
    lib = decide("ranked", sheet.ballots, electorate=electorate).as_dict()
    cli = _json("ranked", str(EX / "ranked.csv"), "--weights", str(EX / "weights.csv"))
    assert {k: cli[k] for k in lib} == lib


def _write(tmp_path: Path, text: str, name: str = "b.csv") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


@pytest.mark.parametrize(
    ("method", "text", "extra", "message"),
    [
        (
            "ranked",
            "voter,ranking\na,x > y\nb,x >> y\n",
            [],
            "b.csv, line 3, column 'ranking': an empty option",
        ),
        (
            "ranked",
            "voter,ranking\na,x > y = x\n",
            [],
            "b.csv, line 2, column 'ranking': option 'x' ranked twice",
        ),
        (
            "ranked",
            "voter,order\na,x\n",
            [],
            "b.csv, line 1: missing column 'ranking' (found: voter, order)",
        ),
        (
            "ranked",
            "voter,weight,ranking\na,heavy,x\n",
            [],
            "b.csv, line 2, column 'weight': not a number: 'heavy'",
        ),
        (
            "ranked",
            "voter,weight,ranking\na,-1,x\n",
            [],
            "b.csv, line 2, column 'weight': must be >= 0",
        ),
        (
            "consent",
            "voter,choice\na,consent\na,block\n",
            [],
            "b.csv, line 3, column 'voter': voter 'a' votes twice (first on line 2)",
        ),
        (
            "consent",
            "voter,choice,reason\na,consent,\nb,block,\n",
            [],
            "b.csv, line 3, column 'reason': a block must give its reason",
        ),
        (
            "consent",
            "voter,choice\na,maybe\n",
            [],
            "b.csv, line 2, column 'choice': unknown choice 'maybe'",
        ),
        ("consent", "voter,choice\n,consent\n", [], "b.csv, line 2, column 'voter': empty voter"),
        ("consent", "voter,choice\na,consent,extra\n", [], "b.csv, line 2: 3 cells but 2 columns"),
        (
            "consent",
            "voter,choice,count\nroom,consent,2.5\n",
            [],
            "b.csv, line 2, column 'count': must be a whole number",
        ),
        ("consent", "", [], "b.csv: empty file (no header row)"),
        ("consent", "voter,choice\n", [], "b.csv: no ballots"),
        (
            "consent",
            "voter,choice,choice\na,x,y\n",
            [],
            "b.csv, line 1: column 'choice' appears twice",
        ),
        (
            "score",
            "voter,x,y\na,6,1\n",
            [],
            "b.csv, line 2, column 'x': score must be within 0–5 (got 6)",
        ),
        ("score", "voter,x,y\na,lots,1\n", [], "b.csv, line 2, column 'x': not a number: 'lots'"),
        ("score", "voter\na\n", [], "b.csv, line 1: score ballots need one column per option"),
        (
            "dot",
            "voter,x,y\na,3,3\n",
            ["--budget", "5"],
            "b.csv, line 2: 6 dots exceed the budget of 5",
        ),
        ("dot", "voter,x,y\na,3,3\n", [], "option --budget: a dot vote needs a budget"),
        (
            "approval",
            "voter,x,y\na,1,2\n",
            [],
            "b.csv, line 2, column 'y': approval must be 0 or 1",
        ),
        ("count", "voter,choice\na,in\n", [], "option --goal: a count needs a goal"),
        (
            "majority",
            "voter,choice\na,yes\n",
            ["--threshold", "1.5"],
            "option --threshold: must be within 0–1",
        ),
        (
            "consent",
            "voter,choice\na,consent\n",
            ["--quorum", "0.5"],
            "option --quorum: a quorum needs --weights",
        ),
        ("vote", "voter,choice\na,yes\n", [], "METHOD: unknown method 'vote'"),
    ],
)
def test_bad_ballots_give_one_located_line(
    tmp_path: Path, method: str, text: str, extra: list[str], message: str
) -> None:
    res = runner.invoke(app, ["decide", method, _write(tmp_path, text), *extra])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.output
    assert lines[0].startswith(f"error: {message}"), lines[0]


@pytest.mark.parametrize(
    ("ballots", "weights", "message"),
    [
        (
            "voter,weight,ranking\na,1,x\n",
            "voter,weight\na,1\n",
            "b.csv, line 1, column 'weight': weights come from the weights file",
        ),
        (
            "voter,ranking\na,x\nzed,x\n",
            "voter,weight\na,1\n",
            "b.csv, line 3, column 'voter': not in w.csv",
        ),
        (
            "voter,ranking\na,x\n",
            "voter,weight\na,1\na,2\n",
            "w.csv, line 3, column 'voter': voter 'a' appears twice",
        ),
        (
            "voter,ranking\na,x\n",
            "voter,weight\na,\n",
            "w.csv, line 2, column 'weight': empty weight",
        ),
        ("voter,ranking\na,x\n", "voter\na\n", "w.csv, line 1: missing column 'weight'"),
        (
            "voter,ranking\na,x\n",
            "voter,weight\na,inf\n",
            "w.csv, line 2, column 'weight': not a number: 'inf'",
        ),
    ],
)
def test_weights_come_from_one_place(
    tmp_path: Path, ballots: str, weights: str, message: str
) -> None:
    args = [
        "decide",
        "ranked",
        _write(tmp_path, ballots),
        "--weights",
        _write(tmp_path, weights, "w.csv"),
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert res.stderr.strip() == f"error: {message}" or res.stderr.strip().startswith(
        f"error: {message}"
    )


def test_missing_file(tmp_path: Path) -> None:
    res = runner.invoke(app, ["decide", "ranked", str(tmp_path / "nope.csv")])
    assert res.exit_code == 2 and "no such file" in res.stderr


def test_room_batches_take_their_weight_from_the_weights_file(tmp_path: Path) -> None:
    ballots = _write(tmp_path, "voter,count,choice\nana,,no\nroom-north,3,yes\nroom-region,8,no\n")
    weights = _write(tmp_path, "voter,weight\nana,1\nroom-north,1\nroom-region,0.25\n", "w.csv")
    doc = _json("majority", ballots, "--weights", weights)
    assert doc["weighted"] == {"yes": 3, "no": 3, "abstain": 0}
    assert doc["unweighted"] == {"yes": 3, "no": 9, "abstain": 0}
    assert doc["outcome"] == "rejected"  # a tie is no majority
    assert doc["turnout"]["heads_eligible"] == 12  # type: ignore[index]


def test_ranked_json_has_both_pairwise_tables() -> None:
    doc = _json("ranked", str(EX / "ranked.csv"), "--weights", str(EX / "weights.csv"))
    assert doc["pairwise"]["north_lot>school_yard"] == 4  # type: ignore[index]
    assert doc["pairwise_unweighted"]["north_lot>school_yard"] == 4  # type: ignore[index]
    assert doc["pairwise_unweighted"]["school_yard>north_lot"] == 6  # type: ignore[index]


def test_shares_as_fractions(tmp_path: Path) -> None:
    ballots = _write(tmp_path, "voter,choice\na,yes\nb,yes\nc,no\n")
    assert _json("qualified_majority", ballots, "--threshold", "2/3")["outcome"] == "adopted"
    assert _json("qualified_majority", ballots, "--threshold", "0.67")["outcome"] == "rejected"
    res = runner.invoke(app, ["decide", "majority", ballots, "--threshold", "two"])
    assert res.exit_code == 2
    assert (
        res.stderr.strip()
        == "error: option --threshold: threshold must be a finite number, not 'two'"
    )


def test_semicolons_and_tabs_as_spreadsheets_write_them(tmp_path: Path) -> None:
    for sep in (";", "\t"):
        text = f"voter{sep}ranking{sep}weight\r\nana{sep}a > b{sep}1,5\r\n".replace("1,5", "1.5")
        doc = _json("ranked", _write(tmp_path, text))
        assert doc["winner"] == "a" and doc["weighted"] == {"a": 1.5, "b": 0}


@pytest.mark.parametrize(
    ("method", "file", "extra", "winner"),
    [
        ("consent", "consent.csv", ["--weights", "weights.csv"], "adopted"),
        ("ranked", "ranked.csv", ["--weights", "weights.csv"], "north_lot"),
        ("ranked", "schulze-45.csv", [], "E"),
        ("dot", "dot.csv", ["--budget", "5"], "fence"),
        ("score", "score.csv", ["--weights", "weights.csv"], "seeds"),
        ("count", "volunteers.csv", ["--weights", "weights.csv", "--goal", "3"], "filled"),
    ],
)
def test_every_shipped_example_runs(method: str, file: str, extra: list[str], winner: str) -> None:
    args = [str(EX / a) if a.endswith(".csv") else a for a in extra]
    assert _json(method, str(EX / file), *args)["winner"] == winner


@pytest.mark.parametrize(
    ("method", "ballots", "option", "value"),
    [
        ("consent", "consent.csv", "--budget", "3"),
        ("ranked", "ranked.csv", "--goal", "2"),
        ("dot", "dot.csv", "--max-score", "10"),
        ("approval", "dot.csv", "--min-score", "1"),
    ],
)
def test_an_option_the_method_does_not_use_is_refused(
    method: str, ballots: str, option: str, value: str
) -> None:
    """Ignored options were silently dropped (``consent --budget 3`` counted no dots)."""
    args = ["decide", method, str(EX / ballots), option, value]
    if method == "dot":
        args += ["--budget", "5"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert f"option {option}: {method} does not use {option}" in res.output


def test_the_score_range_still_applies_to_a_score_vote() -> None:
    ballots, weights = str(EX / "score.csv"), str(EX / "weights.csv")
    given = _json("score", ballots, "--weights", weights, "--min-score", "0", "--max-score", "5")
    assert given["winner"] == "seeds"
    res = runner.invoke(app, ["decide", "score", ballots, "--weights", weights, "--max-score", "4"])
    assert res.exit_code == 2 and "Traceback" not in res.output  # ana's 5 is out of range
