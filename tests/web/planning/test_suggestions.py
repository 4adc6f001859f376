"""Suggested revisions: exact for Cobb-Douglas councils, averaging out past noise."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from parecon.engine.generate import EconomySpec, generate_economy
from parecon.web.planning.facilitation import board_to_json, effort_share, new_board, play_round
from parecon.web.planning.suggestions import (
    MIN_PEERS,
    Observation,
    input_share,
    peer_input_shares,
    suggest,
)


def _rows(matrix: object, i: int) -> dict[str, float]:
    m = matrix.tocsr()  # type: ignore[attr-defined]
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return {str(int(j)): float(v) for j, v in zip(m.indices[lo:hi], m.data[lo:hi], strict=True)}


def _matrix(rows: list[dict[str, float]], n_goods: int) -> sp.csr_array:
    dense = np.zeros((len(rows), n_goods))
    for i, row in enumerate(rows):
        for g, q in row.items():
            dense[i, int(g)] = q
    return sp.csr_array(dense)


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


def test_past_rounds_average_out_one_rounds_noise() -> None:
    """A consumer whose last proposal was typed 20% high is suggested less than 20% high."""
    e = generate_economy(EconomySpec(n_consumers=5, n_workers=30), seed=2)
    consumers = e.populations[0]
    rng = np.random.default_rng(2)
    prices = [e.initial_prices * rng.lognormal(0, 0.2, e.n_goods) for _ in range(4)]
    public = e.goods.categories == 4
    n = int(consumers.n_sharing)  # type: ignore[attr-defined]
    history = [
        Observation(p.tolist(), {}, _rows(consumers.proposals(p).demand, 0)) for p in prices[:3]
    ]
    noisy = {g: 1.2 * q for g, q in history[-1].demand.items()}
    history[-1] = Observation(history[-1].prices, {}, noisy)
    s = suggest("consumer", history, prices[3], public=public, n_sharing=n)
    alone = suggest("consumer", history[-1:], prices[3], public=public, n_sharing=n)
    assert s is not None and alone is not None
    truth = _rows(consumers.proposals(prices[3]).demand, 0)
    # Without a budget the last spending is the budget, so the typing error scales all.
    err = [abs(np.log(s["demand"][g] / q)) for g, q in truth.items()]
    err_alone = [abs(np.log(alone["demand"][g] / q)) for g, q in truth.items()]
    assert np.median(err) < 0.7 * np.median(err_alone)


def test_worker_suggestion_uses_the_boards_effort_share() -> None:
    """A larger effort share means more elastic supply: the suggestion moves further."""
    last = Observation([1.0, 1.0, 1.0], {"0": 10.0}, {"1": 4.0, "2": 3.0})
    low = suggest("worker", [last], [1.1, 1.0, 1.0], effort_share=0.0)
    high = suggest("worker", [last], [1.1, 1.0, 1.0], effort_share=0.2)
    assert low is not None and high is not None
    # theta = 0.7 + gamma; d ln z = theta * ln 1.1 / (1 - theta)
    assert np.log(low["supply"]["0"] / 10) == pytest.approx(0.7 * np.log(1.1) / 0.3, rel=1e-5)
    assert np.log(high["supply"]["0"] / 10) == pytest.approx(0.9 * np.log(1.1) / 0.1, rel=1e-5)
    # Inputs keep their cost shares of the output's value.
    assert high["demand"]["1"] / (1.1 * high["supply"]["0"]) == pytest.approx(0.4, rel=1e-5)


def test_peer_input_shares_are_medians_of_enough_producers() -> None:
    prices = [1.0, 2.0, 1.0]
    producers = [({"0": 10.0}, {"1": s * 10 / 2, "2": 0.1}) for s in (0.5, 0.6, 0.7, 0.8, 0.9)]
    few = [({"1": 1.0}, {"2": 0.5})] * (MIN_PEERS - 1)
    both = [({"0": 1.0, "1": 1.0}, {"2": 1.0})]  # several outputs: nobody's peer
    rows = [*producers, *few, *both]
    supply = _matrix([s for s, _d in rows], 3)
    demand = _matrix([d for _s, d in rows], 3)
    shares = peer_input_shares(supply, demand, prices)
    assert shares.keys() == {"0"}
    assert shares["0"] == pytest.approx(0.7 + 0.01)
    assert input_share({"0": 0.0}, {"1": 1.0}, prices) is None


def test_worker_suggestion_scales_its_input_mix_to_its_peers_share() -> None:
    """Typed 10% high on inputs (sum b 0.77 read, 0.7 true): the peers' 0.7 sets theta."""
    last = Observation([1.0, 1.0, 1.0], {"0": 10.0}, {"1": 4.4, "2": 3.3})
    s = suggest("worker", [last], [1.1, 1.0, 1.0], effort_share=0.1, input_share_prior=0.7)
    assert s is not None
    assert np.log(s["supply"]["0"] / 10) == pytest.approx(0.8 * np.log(1.1) / 0.2, rel=1e-5)
    assert s["demand"]["1"] / (1.1 * s["supply"]["0"]) == pytest.approx(0.4, rel=1e-5)
    assert s["demand"]["2"] / (1.1 * s["supply"]["0"]) == pytest.approx(0.3, rel=1e-5)


def test_kept_figures_are_counted_at_the_prices_they_were_made_at() -> None:
    first = Observation([1.0, 1.0], {"0": 10.0}, {"1": 7.0})
    kept = Observation([1.2, 1.0], first.supply, first.demand)
    assert suggest("worker", [first, kept], [1.1, 1.0]) == suggest("worker", [first], [1.1, 1.0])


def test_peers_share_brings_noisy_worker_suggestions_closer() -> None:
    """One proposal typed with 5% noise: the peers' median sum b beats the council's own."""
    e = generate_economy(EconomySpec(n_consumers=5, n_workers=300), seed=4)
    workers = e.populations[1]
    rng = np.random.default_rng(4)
    p0 = e.initial_prices * rng.lognormal(0, 0.1, e.n_goods)
    p1 = p0 * rng.lognormal(0, 0.2, e.n_goods)
    before, after = workers.proposals(p0), workers.proposals(p1)
    noisy = [
        (
            {g: q * rng.lognormal(0, 0.05) for g, q in _rows(before.supply, i).items()},
            {g: q * rng.lognormal(0, 0.05) for g, q in _rows(before.demand, i).items()},
        )
        for i in range(workers.n_councils)
    ]
    peers = peer_input_shares(
        _matrix([s for s, _d in noisy], e.n_goods), _matrix([d for _s, d in noisy], e.n_goods), p0
    )
    gamma = float(np.median(workers.c / workers.k))  # type: ignore[attr-defined]
    own, pooled = [], []
    for i, (supply, demand) in enumerate(noisy):
        history = [Observation(p0.tolist(), supply, demand)]
        good = next(iter(supply))
        alone = suggest("worker", history, p1, effort_share=gamma)
        helped = suggest(
            "worker", history, p1, effort_share=gamma, input_share_prior=peers.get(good)
        )
        assert alone is not None and helped is not None
        truth = _rows(after.supply, i)[good]
        own.append(abs(np.log(alone["supply"][good] / truth)))
        pooled.append(abs(np.log(helped["supply"][good] / truth)))
    assert np.median(pooled) < 0.8 * np.median(own)


def test_suggestions_read_the_boards_prior_effort_share_not_its_fit() -> None:
    e = generate_economy(EconomySpec(n_consumers=50, n_workers=50), seed=5)
    board = new_board("informed", e.initial_prices, e.goods, tolerance=0.03, max_rounds=5)
    prior = board.effort_share
    play_round(board, list(e.populations))
    play_round(board, list(e.populations))
    assert board.effort_share != pytest.approx(prior)  # the rounds taught it something
    document = board_to_json(board)
    assert effort_share(document) == pytest.approx(board.effort_share)
    assert effort_share(document, prior=True) == pytest.approx(prior)
    del document["effort_share_prior"]  # plans stored before it: read from the board
    assert effort_share(document, prior=True) == pytest.approx(prior)
