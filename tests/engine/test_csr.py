"""CSR products without SciPy: the same numbers as SciPy's, to the bit."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from parecon.engine import CobbDouglasWorkers
from parecon.engine.csr import CsrArrays
from parecon.engine.generate import EconomySpec, generate_economy


def _random_triplets(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """Rows in order, columns shuffled within rows, some repeated, some rows empty."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 60)), int(rng.integers(1, 30)))
    per_row = rng.integers(0, 12, shape[0]) * (rng.random(shape[0]) > 0.2)
    rows = np.repeat(np.arange(shape[0]), per_row)
    cols = rng.integers(0, shape[1], rows.size)
    return rng.lognormal(-2.0, 1.0, rows.size), rows, cols, shape


@pytest.mark.parametrize("seed", range(12))
def test_products_equal_scipy_bit_for_bit(seed: int) -> None:
    data, rows, cols, shape = _random_triplets(seed)
    ours = CsrArrays.from_sorted_rows(data, rows, cols, shape).canonical()
    theirs = sp.csr_array((data, (rows, cols)), shape=shape)
    theirs.sum_duplicates()
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.allclose(ours.data, theirs.data, rtol=1e-15, atol=0)  # repeats: any order
    ours = CsrArrays.of(theirs)
    rng = np.random.default_rng(seed + 100)
    x, y = rng.normal(size=shape[1]), rng.lognormal(size=shape[0])
    assert np.array_equal(ours.matvec(x), theirs @ x)
    assert np.array_equal(ours.rmatvec(y), theirs.T @ y)
    assert np.array_equal(ours.row_sums(ours.data), theirs @ np.ones(shape[1]))
    assert (ours.to_scipy() != theirs).nnz == 0


def test_empty_and_canonical_arrays_are_kept() -> None:
    empty = CsrArrays.from_sorted_rows(np.zeros(0), np.zeros(0, int), np.zeros(0, int), (3, 4))
    assert empty.nnz == 0 and empty.matvec(np.ones(4)).tolist() == [0.0, 0.0, 0.0]
    assert empty.rmatvec(np.ones(3)).tolist() == [0.0] * 4
    sorted_ = CsrArrays.from_sorted_rows(
        np.ones(3), np.array([0, 0, 2]), np.array([1, 3, 0]), (3, 4)
    )
    assert sorted_.canonical() is sorted_


def test_workers_from_arrays_respond_as_from_scipy() -> None:
    economy = generate_economy(EconomySpec(50, 400, 5), seed=3)
    (given,) = economy.populations_of(CobbDouglasWorkers)
    assert isinstance(given, CobbDouglasWorkers)
    m = given.inputs
    arrays = CsrArrays(m.data.copy(), m.indices.copy(), m.indptr.copy(), m.shape)
    lazy = CobbDouglasWorkers(given.output, given.a, given.c, given.k, given.s, arrays)
    assert "inputs" not in vars(lazy)  # no SciPy matrix until asked for
    prices = np.random.default_rng(1).lognormal(0.0, 0.5, economy.n_goods)
    ours, theirs = lazy.respond(prices), given.respond(prices)
    assert np.array_equal(ours.supply, theirs.supply)
    assert np.array_equal(ours.demand, theirs.demand)
    copy = pickle.loads(pickle.dumps(lazy))
    assert np.array_equal(copy.respond(prices).demand, given.respond(prices).demand)
    assert (lazy.inputs != m).nnz == 0 and isinstance(lazy.inputs, sp.csr_array)
    with pytest.raises(AttributeError):
        lazy.no_such_field  # noqa: B018


def test_a_pequod_plan_imports_no_scipy(pequod_dir: Path) -> None:
    script = (
        "import sys\n"
        "from parecon.cli.app import app\n"
        f"app(['plan', {str(pequod_dir / 'dep1ex01.json.gz')!r}, '--rule', 'pequod', '-q'],"
        " standalone_mode=False)\n"
        "print('scipy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_nbytes_counts_the_exponents_once_whoever_holds_them() -> None:
    economy = generate_economy(EconomySpec(20, 300, 4), seed=1)
    (given,) = economy.populations_of(CobbDouglasWorkers)
    assert isinstance(given, CobbDouglasWorkers)
    m = given.inputs
    arrays = CsrArrays(m.data.copy(), m.indices.copy(), m.indptr.copy(), m.shape)
    lazy = CobbDouglasWorkers(given.output, given.a, given.c, given.k, given.s, arrays)
    exponents = sum(getattr(m, a).nbytes for a in ("data", "indices", "indptr"))
    columns = sum(getattr(given, a).nbytes for a in ("output", "a", "c", "k", "s"))
    assert given.nbytes >= exponents + columns
    before = lazy.nbytes
    lazy.inputs  # noqa: B018 - SciPy's matrix over the same arrays: nothing new counted
    assert lazy.nbytes == before
