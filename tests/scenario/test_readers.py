"""The fast readers give what the exact ones give; economies that cannot plan are refused."""

from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from parecon.engine import CobbDouglasConsumers, Economy, FixedSupply, Goods
from parecon.engine.equilibrium import solve_equilibrium
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.validation import check_goods_in_use
from parecon.exceptions import ConvergenceWarning, InputError, UnusedGoodsWarning, ValidationError
from parecon.scenario import load_economy, save_economy
from parecon.scenario import pequod as pequod_format
from parecon.scenario.economy_file import check_plannable


@pytest.mark.parametrize("name", ["dep1ex01", "dep1ex05", "dep1ex10"])
def test_fast_pequod_reader_equals_the_exact_one(pequod_dir: Path, name: str) -> None:
    path = pequod_dir / f"{name}.json.gz"
    doc = json.loads(gzip.decompress(path.read_bytes()))
    fast = pequod_format._councils_fast(doc["ccs"], doc["wcs"])
    exact = pequod_format._councils_exact(doc["ccs"], doc["wcs"])
    for field in fast.__dataclass_fields__:
        a, b = getattr(fast, field), getattr(exact, field)
        assert a.dtype == b.dtype and np.array_equal(a, b), field


def test_fast_reader_leaves_odd_values_to_the_exact_one(pequod_dir: Path, tmp_path: Path) -> None:
    doc = json.loads(gzip.decompress((pequod_dir / "dep1ex01.json.gz").read_bytes()))
    doc["wcs"][9]["a"] = True  # a bool is not a number, though NumPy would take it as 1
    with pytest.raises(pequod_format._Irregular):
        pequod_format._councils_fast(doc["ccs"], doc["wcs"])
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"p\.json: wcs\[9\]: field 'a' must be a number"):
        load_economy(path)


def test_npz_is_uncompressed_unless_asked(tmp_path: Path) -> None:
    import zipfile

    economy = generate_economy(EconomySpec(300, 300, 4), seed=2)
    save_economy(economy, tmp_path / "raw.npz")
    save_economy(economy, tmp_path / "small.npz", compress=True)
    with zipfile.ZipFile(tmp_path / "raw.npz") as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}
    with zipfile.ZipFile(tmp_path / "small.npz") as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
    a, b = load_economy(tmp_path / "raw.npz"), load_economy(tmp_path / "small.npz")
    p = economy.initial_prices
    assert np.array_equal(a.respond(p).supply, b.respond(p).supply)
    assert np.array_equal(a.respond(p).demand, economy.respond(p).demand)


def test_generator_leaves_no_input_good_unused() -> None:
    economy = generate_economy(EconomySpec(300, 300, 100), seed=0)
    response = economy.respond(economy.initial_prices)
    assert (response.supply > 0).all() and (response.demand > 0).all()
    check_plannable(economy)


def test_generator_unchanged_where_every_good_was_drawn() -> None:
    # DEP's own sizes draw every good; the repair must not touch them (pinned rounds)
    economy = generate_economy(EconomySpec(3000, 3000, 10), seed=1)
    again = generate_economy(EconomySpec(3000, 3000, 10), seed=1)
    assert np.array_equal(
        economy.populations[1].inputs.indices, again.populations[1].inputs.indices
    )


def _tiny(supplied: bool) -> Economy:
    goods = Goods(("bread", "clay", "land"), np.array([0, 2, 2], np.int8))
    consumers = CobbDouglasConsumers(
        income=np.array([10.0]),
        goods=np.array([0, 2]),
        exponents=np.array([[0.5, 0.5]]),
        public=np.zeros(2, bool),
        n_sharing=1,
        total_goods=3,
    )
    fixed = FixedSupply(
        np.array([0, 1, 2] if supplied else [0, 2]), np.ones(3 if supplied else 2), 3
    )
    return Economy(goods, (consumers, fixed), np.ones(3))


def test_goods_whose_gap_cannot_close() -> None:
    with pytest.raises(ValidationError, match="good 'clay': is supplied but no council uses it"):
        check_plannable(_tiny(supplied=True))
    with pytest.warns(UnusedGoodsWarning, match="no council supplies or uses 'clay'"):
        check_plannable(_tiny(supplied=False))
    names = ("a", "b", "c")
    with pytest.raises(ValidationError, match="good 'b': is used but no council supplies it"):
        check_goods_in_use(names, np.array([1.0, 0.0, 1.0]), np.array([1.0, 1.0, 1.0]))
    assert check_goods_in_use(names, np.array([1.0, 0, 1]), np.array([1.0, 0, 1])) == ["b"]


def test_equilibrium_does_not_claim_clearing_at_a_gap_of_two() -> None:
    economy = _tiny(supplied=True)  # clay: supplied, never used — its residual is zeroed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        eq = solve_equilibrium(economy)
    assert eq.max_gap == pytest.approx(2.0)
    assert not eq.converged


def test_good_categories_checked_past_the_schema_sample(tmp_path: Path) -> None:
    goods = [{"name": f"g{i}", "category": "private"} for i in range(300)]
    goods[250] = {"name": "g250", "category": "gold"}
    doc = {
        "format": "parecon-economy",
        "version": 1,
        "prices": 1.0,
        "goods": goods,
        "supplies": {"g0": 1.0},
    }
    path = tmp_path / "e.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"e\.json: goods\[250\]: 'category' must be one of"):
        load_economy(path)
    goods[250] = {"name": "g3", "category": "private"}
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"goods\[250\]: good 'g3' is listed twice"):
        load_economy(path)


def test_block_values_past_the_sample_are_located(tmp_path: Path) -> None:
    from parecon.scenario import economy_document

    doc = economy_document(generate_economy(EconomySpec(300, 300, 2), seed=0))
    doc["consumer_blocks"][0]["income"][260] = "lots"
    path = tmp_path / "e.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"consumer_blocks\[0\]\.income\[260\]: must be numbers"):
        load_economy(path)
    doc["consumer_blocks"][0]["income"][260] = True
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"income\[260\]: must be numbers \(got True\)"):
        load_economy(path)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("wcs", 3, "industry"), [1, 2], r"wcs\[3\]: field 'industry' must be 0, 1 or 2"),
        (("wcs", 3, "product"), 2**70, r"wcs\[3\]: field 'product' must be an integer from 1"),
        (
            ("wcs", 3, "production-inputs", 0, 0),
            2**70,
            r"wcs\[3\]: field 'production-inputs' holds \S+, not a 1-based index",
        ),
        (("wcs", 3, "du"), 1e-320, r"first θ = inf.*Councils: 3\."),
    ],
)
def test_pequod_values_found_by_fuzzing(
    pequod_dir: Path, tmp_path: Path, path: tuple[object, ...], value: object, message: str
) -> None:
    doc = json.loads(gzip.decompress((pequod_dir / "dep1ex01.json.gz").read_bytes()))
    doc = {"ccs": doc["ccs"][:6], "wcs": doc["wcs"][:60]}
    node = doc
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    file = tmp_path / "p.json"
    file.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=message):
        load_economy(file)


def test_worker_goods_in_use_from_structure_match_a_response() -> None:
    """The plannability check reads worker councils' structure, not a response: the
    same masks, on generated economies and on a block that leaves goods unused."""
    import scipy.sparse as sp

    from parecon.engine import CobbDouglasWorkers
    from parecon.engine.populations import Population

    blocks = [
        p
        for seed in range(3)
        for p in generate_economy(EconomySpec(40, 30, 5), seed=seed).populations
        if isinstance(p, CobbDouglasWorkers)
    ]
    # six goods: 0 and 1 made, inputs only on 2 and 4 (3 and 5: neither made nor used)
    inputs = sp.csr_array(
        np.array([[0.0, 0.0, 0.3, 0.0, 0.0, 0.0], [0.0, 0.0, 0.2, 0.0, 0.1, 0.0]])
    )
    ones = np.ones(2)
    blocks.append(CobbDouglasWorkers(np.array([0, 1]), ones, ones * 0.3, ones * 2, ones, inputs))
    for workers in blocks:
        prices = np.random.default_rng(0).lognormal(0.0, 1.0, workers.n_goods)
        supplied, used = workers.goods_in_use(prices)
        by_response = Population.goods_in_use(workers, prices)
        assert np.array_equal(supplied, by_response[0])
        assert np.array_equal(used, by_response[1])
    assert supplied.tolist() == [True, True, False, False, False, False]
    assert used.tolist() == [False, False, True, False, True, False]
