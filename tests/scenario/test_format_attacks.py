"""Attacking the economy formats: any mutation of a valid file loads or is one InputError.

Hypothesis mutates valid documents of each format (parecon JSON with rows and
blocks, TOML, Pequod's JSON, ``.npz`` columns) the way a careless or hostile
writer would: a value replaced by another type, a key dropped, a list cut short
or emptied, a number made negative, huge, NaN or infinite, bytes truncated. The
property: :func:`load_economy` returns an economy whose opening round is finite,
or raises :class:`InputError` naming the file — never another exception.
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parecon.engine.generate import EconomySpec, generate_economy
from parecon.exceptions import InputError, UnusedGoodsWarning
from parecon.scenario import economy_document, load_economy
from parecon.scenario.files import NPZ_ARRAY

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = ROOT / "examples" / "economies" / "village.toml"
SETTINGS = settings(
    # PARECON_ATTACK_EXAMPLES=2000 for a longer hunt than the suite's
    max_examples=int(os.environ.get("PARECON_ATTACK_EXAMPLES", "60")),
    deadline=None,
    database=None,  # every run draws afresh: the documents attacked change with the code
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 0.0, -0.5, 1e308, -1e308, 1e-320, math.nan, math.inf, -math.inf]),
    st.text(max_size=5),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):  # the first items, and the last
            out += _paths(v, (*prefix, i))
        if len(node) > 4:
            out += _paths(node[-1], (*prefix, len(node) - 1))
    return out


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "cut", "empty", "scale"]))
        value = parent[key]
        if action == "replace":
            parent[key] = copy.deepcopy(draw(ODD_VALUES))
        elif action == "delete":
            del parent[key]
        elif action == "cut" and isinstance(value, list) and value:
            parent[key] = value[: draw(st.integers(0, len(value) - 1))]
        elif action == "empty" and isinstance(value, list | dict):
            parent[key] = type(value)()
        elif action == "scale" and isinstance(value, int | float) and not isinstance(value, bool):
            parent[key] = value * draw(st.sampled_from([-1, 0, 1e6, 1e300, 1e-300]))
    return doc


def _loads_or_input_error(path: Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnusedGoodsWarning)
            economy = load_economy(path)
    except InputError as exc:
        message = str(exc)
    else:
        message = ""
    if message:
        assert message.startswith(str(path)), message
        assert "\n" not in message
        return
    with np.errstate(all="ignore"):
        response = economy.respond(economy.initial_prices)
    assert response.supply.shape == response.demand.shape == (economy.n_goods,)


def _json_text(doc: Any) -> str:
    return json.dumps(doc, allow_nan=True)


def _village() -> dict[str, Any]:
    import tomllib

    return tomllib.loads(VILLAGE.read_text())


def _blocks() -> dict[str, Any]:
    return economy_document(generate_economy(EconomySpec(12, 30, 2), seed=4))


@SETTINGS
@given(data=st.data())
def test_mutated_parecon_rows(tmp_path: Path, data: st.DataObject) -> None:
    doc = data.draw(mutated(_village()))
    path = tmp_path / "rows.json"
    path.write_text(_json_text(doc))
    _loads_or_input_error(path)


@SETTINGS
@given(data=st.data())
def test_mutated_parecon_blocks(tmp_path: Path, data: st.DataObject) -> None:
    doc = data.draw(mutated(_blocks()))
    path = tmp_path / "blocks.json"
    path.write_text(_json_text(doc))
    _loads_or_input_error(path)


@pytest.fixture(scope="module")
def small_pequod(pequod_dir: Path) -> dict[str, Any]:
    doc = json.loads(gzip.decompress((pequod_dir / "dep1ex01.json.gz").read_bytes()))
    return {"ccs": doc["ccs"][:6], "wcs": doc["wcs"][:60]}


@SETTINGS
@given(data=st.data())
def test_mutated_pequod(tmp_path: Path, small_pequod: dict[str, Any], data: st.DataObject) -> None:
    doc = data.draw(mutated(small_pequod))
    path = tmp_path / "pequod.json"
    path.write_text(_json_text(doc))
    _loads_or_input_error(path)


@SETTINGS
@given(data=st.data())
def test_mutated_npz_columns(tmp_path: Path, data: st.DataObject) -> None:
    doc = economy_document(generate_economy(EconomySpec(12, 30, 2), seed=4), arrays=True)
    columns: dict[str, np.ndarray] = {}

    def detach(node: Any) -> Any:
        if isinstance(node, np.ndarray):
            columns[f"a{len(columns)}"] = node
            return {NPZ_ARRAY: f"a{len(columns) - 1}"}
        if isinstance(node, dict):
            return {k: detach(v) for k, v in node.items()}
        if isinstance(node, list):
            return [detach(v) for v in node]
        return node

    header = detach(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(columns)))
        column = columns[key]
        action = data.draw(st.sampled_from(["cut", "dtype", "2d", "nan", "negative", "empty"]))
        if action == "cut" and column.size:
            columns[key] = column[: data.draw(st.integers(0, column.shape[0] - 1))]
        elif action == "dtype":
            columns[key] = column.astype(data.draw(st.sampled_from(["U3", "bool", "complex"])))
        elif action == "2d":
            columns[key] = column.reshape(1, -1) if column.ndim == 1 else column.ravel()
        elif action == "nan" and column.dtype.kind == "f" and column.size:
            columns[key] = np.where(
                np.arange(column.size).reshape(column.shape) == 0, np.nan, column
            )
        elif action == "negative" and column.dtype.kind in "fi" and column.size:
            columns[key] = -column
        elif action == "empty":
            columns[key] = column[:0]
    path = tmp_path / "e.npz"
    np.savez(path, header=np.array(json.dumps(header)), **columns)  # type: ignore[arg-type]
    _loads_or_input_error(path)


@SETTINGS
@given(cut=st.integers(0, 4000), name=st.sampled_from(["e.json", "e.json.gz", "e.toml", "e.npz"]))
def test_truncated_files(tmp_path: Path, cut: int, name: str) -> None:
    if name == "e.toml":
        raw = VILLAGE.read_bytes()
    elif name == "e.npz":
        from parecon.scenario import save_economy

        save_economy(generate_economy(EconomySpec(12, 30, 2), seed=4), tmp_path / "full.npz")
        raw = (tmp_path / "full.npz").read_bytes()
    else:
        raw = json.dumps(_blocks()).encode()
        raw = gzip.compress(raw) if name.endswith(".gz") else raw
    path = tmp_path / name
    path.write_bytes(raw[: cut * max(1, len(raw) // 4000)])
    _loads_or_input_error(path)


@SETTINGS
@given(
    junk=st.binary(max_size=64), name=st.sampled_from(["e.json", "e.toml", "e.npz", "e.json.gz"])
)
def test_arbitrary_bytes(tmp_path: Path, junk: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(junk)
    _loads_or_input_error(path)
