"""Suggested revisions: exact for Cobb-Douglas councils, averaging out past noise."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine.generate import EconomySpec, generate_economy
from parecon.web.planning.suggestions import Observation, suggest


def _rows(matrix: object, i: int) -> dict[str, float]:
    m = matrix.tocsr()  # type: ignore[attr-defined]
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return {str(int(j)): float(v) for j, v in zip(m.indices[lo:hi], m.data[lo:hi], strict=True)}


def test_no_suggestion_without_a_past_proposal() -> None:
    assert suggest("consumer", [], [1.0, 2.0]) is None


def test_consumer_suggestion_is_the_cobb_douglas_response_and_fits_the_budget() -> None:
    e = generate_economy(EconomySpec(n_consumers=5, n_workers=30), seed=3)
    consumers = e.populations[0]
    rng = np.random.default_rng(0)
    p0 = e.initial_prices * rng.lognormal(0, 0.3, e.n_goods)
    p1 = p0 * rng.lognormal(0, 0.2, e.n_goods)
    public = e.goods.categories == 4
    n = int(consumers.n_sharing)  # type: ignore[attr-defined]
    before, after = consumers.proposals(p0), consumers.proposals(p1)
    budget = float(consumers.income[0])  # type: ignore[attr-defined]
    s = suggest(
        "consumer",
        [Observation(p0.tolist(), {}, _rows(before.demand, 0))],
        p1,
        budget=budget,
        public=public,
        n_sharing=n,
    )
    assert s is not None
    truth = _rows(after.demand, 0)
    assert s["demand"].keys() == truth.keys()
    for g, q in truth.items():
        assert s["demand"][g] == pytest.approx(q, rel=1e-5, abs=1e-6)  # rounded to 6 decimals


def test_worker_suggestion_is_closer_than_keeping_last_figures() -> None:
    e = generate_economy(EconomySpec(n_consumers=5, n_workers=30), seed=1)
    workers = e.populations[1]
    rng = np.random.default_rng(1)
    p0 = e.initial_prices * rng.lognormal(0, 0.3, e.n_goods)
    p1 = p0 * rng.lognormal(0, 0.1, e.n_goods)
    before, after = workers.proposals(p0), workers.proposals(p1)
    err_suggest, err_keep = [], []
    for i in range(20):
        last = Observation(p0.tolist(), _rows(before.supply, i), _rows(before.demand, i))
        s = suggest("worker", [last], p1)
        assert s is not None
        for g, q in _rows(after.supply, i).items():
            err_suggest.append(abs(np.log(s["supply"][g] / q)))
            err_keep.append(abs(np.log(last.supply[g] / q)))
    assert np.median(err_suggest) < 0.5 * np.median(err_keep)
