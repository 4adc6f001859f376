"""Economy files: parecon's format (JSON/TOML), Pequod's, and bad input."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from parecon.engine.generate import EconomySpec, generate_economy
from parecon.exceptions import InputError
from parecon.scenario import economy_document, load_economy, save_economy, schema

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = ROOT / "examples" / "economies" / "village.toml"


def _write(tmp_path: Path, doc: object, name: str = "e.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def village_doc() -> dict:
    import tomllib

    return tomllib.loads(VILLAGE.read_text())


def test_hand_written_toml_loads(village_doc: dict) -> None:
    economy = load_economy(VILLAGE)
    assert economy.goods.names[:3] == ("bread", "bicycles", "library")
    assert economy.n_councils == 3 + 4 + 1
    jsonschema.validate(village_doc, schema())
    r = economy.respond(economy.initial_prices)
    assert (r.supply > 0).all() and (r.demand > 0).all()


@pytest.mark.parametrize("name", ["e.json", "e.json.gz"])
def test_save_and_load_round_trip(tmp_path: Path, name: str) -> None:
    economy = generate_economy(EconomySpec(40, 30, 3), seed=2)
    save_economy(economy, tmp_path / name)
    again = load_economy(tmp_path / name)
    prices = economy.initial_prices * 1.3
    np.testing.assert_array_equal(again.respond(prices).supply, economy.respond(prices).supply)
    np.testing.assert_array_equal(again.respond(prices).demand, economy.respond(prices).demand)
    jsonschema.validate(economy_document(economy), schema())


def test_village_round_trips_through_columnar_blocks(tmp_path: Path) -> None:
    economy = load_economy(VILLAGE)
    save_economy(economy, tmp_path / "v.json")
    again = load_economy(tmp_path / "v.json")
    np.testing.assert_allclose(
        again.respond(economy.initial_prices).demand,
        economy.respond(economy.initial_prices).demand,
        rtol=1e-14,
    )


def _mutate(doc: dict, path: list, value: object) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["workers", 1, "a"], -2.0, r"workers\[1\]\.a: -2.0 is less than or equal to the minimum"),
        (["workers", 0, "k"], KeyError, r"workers\[0\]: 'k' is a required property"),
        (["workers", 2, "inputs", "steel"], 0.2, r"workers\[2\]\.inputs: unknown good 'steel'"),
        (["workers", 3, "output"], "land", r"workers\[3\]: produces 'land', a resource good"),
        (
            ["consumers", 0, "exponents", "bread"],
            -0.1,
            r"consumers\[0\]\.exponents\.bread: -0.1 is less than the minimum of 0",
        ),
        (["consumers", 2, "income"], "lots", r"consumers\[2\]\.income: 'lots' is not of type"),
        (["goods", 0, "category"], "luxury", r"goods\[0\]\.category: 'luxury' is not one of"),
        (["supplies", "land"], -1, r"supplies\.land: -1 is less than the minimum of 0"),
        (["format"], "other", r"not an economy file: expected \"format\": \"parecon-economy\""),
    ],
)
def test_bad_values_are_named_by_file_and_path(
    tmp_path: Path, village_doc: dict, path: list, value: object, message: str
) -> None:
    file = _write(tmp_path, _mutate(village_doc, path, value))
    with pytest.raises(InputError, match=rf"^{tmp_path / 'e.json'}: .*{message}"):
        load_economy(file)


def test_increasing_returns_name_the_worker(tmp_path: Path, village_doc: dict) -> None:
    doc = _mutate(village_doc, ["workers", 2, "inputs", "workshop-work"], 0.95)
    with pytest.raises(
        InputError,
        match=r"e\.json: workers: 1 worker council\(s\) have θ.*"
        r"Councils: 2",
    ):
        load_economy(_write(tmp_path, doc))


def test_non_finite_numbers_are_refused(tmp_path: Path, village_doc: dict) -> None:
    text = json.dumps(village_doc).replace('"a": 4.0', '"a": NaN', 1)
    path = tmp_path / "e.json"
    path.write_text(text)
    with pytest.raises(
        InputError,
        match=r"workers(\[0\])?: field 'a' must be finite|"
        r"workers\[0\]\.a",
    ):
        load_economy(path)


def test_bad_columnar_block_names_the_council(tmp_path: Path) -> None:
    doc = economy_document(generate_economy(EconomySpec(10, 300, 2), seed=0))
    doc["worker_blocks"][0]["a"][7] = 0.0
    with pytest.raises(InputError, match=r"worker_blocks\[0\]\.a\[7\]: 0.0 is less than or"):
        load_economy(_write(tmp_path, doc))
    doc["worker_blocks"][0]["a"][7] = 1.0
    doc["worker_blocks"][0]["a"][250] = 0.0  # beyond the schema's sample: the engine checks
    with pytest.raises(InputError, match=r"worker_blocks\[0\]\[250\]: field 'a' must be > 0"):
        load_economy(_write(tmp_path, doc))
    doc = economy_document(generate_economy(EconomySpec(10, 12, 2), seed=0))
    doc["worker_blocks"][0]["inputs"]["indices"][3] = 99
    with pytest.raises(InputError, match=r"worker_blocks\[0\]\.inputs: inconsistent CSR"):
        load_economy(_write(tmp_path, doc))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"e\.json, line 1, column 2: invalid JSON"),
        ("[1, 2]", r"not an economy file"),
    ],
)
def test_unreadable_documents(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "e.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_economy(path)


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_economy(tmp_path / "absent.json")
    bad = tmp_path / "e.toml"
    bad.write_text("format = ")
    with pytest.raises(InputError, match=r"e\.toml: invalid TOML"):
        load_economy(bad)


def test_pequod_errors_name_file_council_and_field(tmp_path: Path, pequod_dir: Path) -> None:
    doc = json.loads(gzip.decompress((pequod_dir / "dep1ex01.json.gz").read_bytes()))
    doc = {"ccs": doc["ccs"][:50], "wcs": doc["wcs"][:300]}
    cases = [
        (["wcs", 4, "production-inputs", 1, 0], 99, None),
        (["wcs", 5, "du"], KeyError, r"wcs\[5\]: missing key 'du'"),
        (
            ["ccs", 3, "utility-exponents", 2],
            -0.5,
            r"ccs\[3\]?.*field 'exponents'\[2\] must be >= 0|consumer council 3",
        ),
        (
            ["wcs", 6, "nature-exponents"],
            [0.1, 0.2, 0.3],
            r"wcs\[6\]: field 'nature-exponents' has 3 exponents for \d inputs",
        ),
        (["wcs", 7, "a"], float("inf"), r"field 'a' must be finite"),
    ]
    for path, value, message in cases:
        mutated = _mutate(doc, path, value)
        if message is None:
            # an index past the known goods makes a new good; the economy then has 99
            # resources, which is legal; a zero index is not
            mutated = _mutate(doc, path, 0)
            message = r"wcs\[4\]: field 'production-inputs' holds 0, not a 1-based index"
        file = tmp_path / "p.json"
        file.write_text(json.dumps(mutated).replace("Infinity", "1e999"))
        with pytest.raises(InputError, match=rf"p\.json: .*{message}"):
            load_economy(file)


def test_npz_round_trip_keeps_columns_binary(tmp_path: Path) -> None:
    economy = generate_economy(EconomySpec(300, 300, 4), seed=5)
    path = tmp_path / "big.npz"
    save_economy(economy, path)
    again = load_economy(path)
    prices = economy.initial_prices * 0.9
    np.testing.assert_array_equal(again.respond(prices).supply, economy.respond(prices).supply)
    np.testing.assert_array_equal(again.respond(prices).demand, economy.respond(prices).demand)
    with np.load(path) as data:
        assert data["a1"].dtype == np.float64  # a column, not JSON text


def test_npz_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"bad\.npz: cannot read \.npz file"):
        load_economy(bad)
    np.savez(tmp_path / "nohead.npz", x=np.ones(2))
    with pytest.raises(InputError, match="no 'header'"):
        load_economy(tmp_path / "nohead.npz")
    np.savez(
        tmp_path / "dangling.npz",
        header=np.array(
            json.dumps({"format": "parecon-economy", "version": 1, "goods": {"$array": "zz"}})
        ),
    )
    with pytest.raises(InputError, match="header names missing array 'zz'"):
        load_economy(tmp_path / "dangling.npz")
    np.savez(
        tmp_path / "listed.npz",
        header=np.array(
            json.dumps({"format": "parecon-economy", "version": 1, "goods": {"$array": [1]}})
        ),
    )
    with pytest.raises(InputError, match=r"listed\.npz: header names missing array \[1\]"):
        load_economy(tmp_path / "listed.npz")
    economy = generate_economy(EconomySpec(20, 30, 2), seed=1)
    save_economy(economy, tmp_path / "ok.npz")
    with np.load(tmp_path / "ok.npz") as data:
        columns = {k: data[k] for k in data.files}
    header = json.loads(str(columns["header"]))
    a_key = header["worker_blocks"][0]["a"]["$array"]
    columns[a_key] = columns[a_key].copy()
    columns[a_key][3] = -1.0
    np.savez(tmp_path / "neg.npz", **columns)
    with pytest.raises(InputError, match=r"neg\.npz: worker_blocks\[0\]\.a\[3\]"):
        load_economy(tmp_path / "neg.npz")


def test_save_refuses_a_toml_name(tmp_path: Path) -> None:
    economy = generate_economy(EconomySpec(20, 30, 2), seed=1)
    with pytest.raises(InputError, match=r"e\.toml: cannot write TOML"):
        save_economy(economy, tmp_path / "e.toml")
    assert not (tmp_path / "e.toml").exists()
