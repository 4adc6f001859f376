"""Exact reproduction of Pequod: worker-council vectors and the ten DEP runs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from parecon.engine import CobbDouglasWorkers, PlanningProcedure
from parecon.exceptions import ValidationError
from parecon.scenario import load_economy

CATEGORIES = ("private", "intermediate", "nature", "labor")
EXAMPLES = [f"dep1ex{i:02d}" for i in range(1, 11)]


def _vectors(pequod_dir: Path) -> list[dict]:
    return json.loads((pequod_dir / "worker_council_vectors.json").read_text())["vectors"]


def _council(
    vector: dict, returns: str = "pequod"
) -> tuple[CobbDouglasWorkers, np.ndarray, dict[str, int]]:
    offsets, prices = {}, []
    for cat in CATEGORIES:
        offsets[cat] = len(prices)
        prices += vector["prices"][cat]
    council = vector["council"]
    cols = [offsets[i["category"]] + i["index"] - 1 for i in council["inputs"]]
    exps = [i["exponent"] for i in council["inputs"]]
    out = council["output_good"]
    workers = CobbDouglasWorkers(
        output=np.array([offsets[out["category"]] + out["index"] - 1]),
        a=np.array([council["a"]], float),
        c=np.array([council["c"]], float),
        k=np.array([council["k"]], float),
        s=np.array([council["S"]], float),
        inputs=sp.csr_array((exps, ([0] * len(cols), cols)), shape=(1, len(prices))),
        returns=returns,  # type: ignore[arg-type]
    )
    return workers, np.array(prices, float), offsets


@pytest.mark.parametrize("index", range(4))
def test_worker_council_vectors_match_pequod(pequod_dir: Path, index: int) -> None:
    vector = _vectors(pequod_dir)[index]
    workers, prices, offsets = _council(vector)
    assert workers.theta[0] == pytest.approx(vector["theta"], rel=1e-12)
    proposal = workers.proposals(prices)
    expected = vector["expected"]
    assert proposal.supply.sum() == pytest.approx(expected["output"], rel=1e-9)
    assert proposal.extras["effort"][0] == pytest.approx(expected["effort"], rel=1e-9)
    demand = proposal.demand.toarray()[0]
    for key, cat in (("input", "intermediate"), ("nature", "nature"), ("labor", "labor")):
        if key in expected:
            got = demand[offsets[cat] : offsets[cat] + len(expected[key])]
            np.testing.assert_allclose(got, expected[key], rtol=1e-9)


def test_increasing_returns_are_refused_by_default_naming_the_council(pequod_dir: Path) -> None:
    vector = next(v for v in _vectors(pequod_dir) if v["theta"] > 1)
    with pytest.raises(ValidationError, match=r"θ = Σb \+ c/k >= 1.*Councils: 0"):
        _council(vector, returns="refuse")


@pytest.mark.parametrize("name", EXAMPLES)
def test_dep_runs_match_pequod_iteration_by_iteration(pequod_dir: Path, name: str) -> None:
    economy = load_economy(pequod_dir / f"{name}.json.gz")
    reference = json.loads(gzip.decompress((pequod_dir / f"{name}.reference.json.gz").read_bytes()))
    result = PlanningProcedure("pequod", tolerance=0.03, max_rounds=60).run(economy)
    iterations = reference["iterations"]
    assert result.converged
    assert result.rounds == len(iterations)
    for record, ref in zip(result.history, iterations, strict=True):
        np.testing.assert_allclose(record.supply, ref["supply"], rtol=1e-9)
        np.testing.assert_allclose(record.demand, ref["demand"], rtol=1e-9)
        assert record.max_gap == pytest.approx(ref["max_gap"], rel=1e-9)
        if record.round < result.rounds:
            np.testing.assert_allclose(record.next_prices, ref["prices_after"], rtol=1e-9)
    for threshold, rounds in reference["iterations_to"].items():
        assert result.rounds_to[float(threshold)] == rounds
