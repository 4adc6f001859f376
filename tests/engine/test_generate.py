"""DEP-like economies: distributions as documented, seeds, year two."""

from __future__ import annotations

import numpy as np
import pytest

from parecon.engine import CobbDouglasConsumers, CobbDouglasWorkers, FixedSupply, GoodCategory
from parecon.engine.generate import EconomySpec, augment, generate_economy
from parecon.exceptions import ValidationError


def _parts(economy):  # type: ignore[no-untyped-def]
    c, w, f = economy.populations
    assert isinstance(c, CobbDouglasConsumers) and isinstance(w, CobbDouglasWorkers)
    assert isinstance(f, FixedSupply)
    return c, w, f


def test_dep_distributions() -> None:
    economy = generate_economy(EconomySpec(), seed=3)
    c, w, f = _parts(economy)
    assert economy.n_goods == 50 and c.n_councils == 3000 and w.n_councils == 3000
    assert (c.exponents >= 0.025).all() and (c.exponents < 0.05).all()
    assert (c.income == 5000).all()
    b = w.inputs.toarray()
    cats = economy.goods.categories
    n_mid = (b[:, cats == GoodCategory.INTERMEDIATE] > 0).sum(axis=1)
    n_res = (b[:, cats == GoodCategory.RESOURCE] > 0).sum(axis=1)
    n_lab = (b[:, cats == GoodCategory.LABOUR] > 0).sum(axis=1)
    assert set(n_mid) == {1, 2, 3, 4} and set(n_res) == {1, 2} and set(n_lab) == {1, 2}
    total = n_mid + n_res + n_lab
    sums = b.sum(axis=1)
    assert (sums >= 0.75 - 1e-12).all() and (sums < 0.85).all()
    per = b / total[:, None]
    assert ((b == 0) | ((b >= 0.75 / total[:, None]) & (b < 0.85 / total[:, None]))).all()
    del per
    assert ((w.c >= 0.05) & (w.c < 0.1)).all() and ((w.k >= 3) & (w.k < 4)).all()
    assert ((w.a >= 4) & (w.a < 6)).all() and (w.s == 1).all()
    counts = np.bincount(w.output, minlength=50)
    produced = np.isin(cats, [0, 1, 4])
    assert (counts[produced] == 100).all() and (counts[~produced] == 0).all()
    np.testing.assert_array_equal(f.quantities, 1000.0)


def test_same_seed_same_economy_other_seed_other_economy() -> None:
    spec = EconomySpec(50, 60, 4)
    a, b, c = (generate_economy(spec, seed=s) for s in (1, 1, 2))
    p = a.initial_prices
    np.testing.assert_array_equal(a.respond(p).supply, b.respond(p).supply)
    assert not np.array_equal(a.respond(p).supply, c.respond(p).supply)


def test_near_constant_returns_need_pequod_mode() -> None:
    spec = EconomySpec(30, 60, 2, near_constant_share=1.0)
    with pytest.raises(ValidationError, match="θ = Σb"):
        generate_economy(spec, seed=0)
    economy = generate_economy(
        EconomySpec(30, 60, 2, near_constant_share=1.0, returns="pequod"), seed=0
    )
    assert (_parts(economy)[1].theta > 1.0).any()


def test_year_two_changes_exponents_within_deps_steps() -> None:
    economy = generate_economy(EconomySpec(40, 60, 3), seed=5)
    prices = economy.initial_prices * 1.1
    two = augment(economy, seed=9, prices=prices)
    c1, w1, _ = _parts(economy)
    c2, w2, _ = _parts(two)
    dw = np.round((w2.inputs.data - w1.inputs.data) / 0.001)
    assert set(dw) <= {0, 1, 2, 3, 4}
    dc = np.round((c2.exponents - c1.exponents) / 0.001)
    assert set(dc.ravel()) <= {-2, -1, 0, 1, 2}
    np.testing.assert_array_equal(two.initial_prices, prices)


def test_bad_specs_are_refused() -> None:
    with pytest.raises(ValidationError, match="cannot produce"):
        generate_economy(EconomySpec(10, 5, 10))
    with pytest.raises(ValidationError, match="near_constant_share"):
        generate_economy(EconomySpec(near_constant_share=2))
