"""Compressed sparse rows as three NumPy arrays, for the paths that need no SciPy.

Importing ``scipy.sparse`` costs more CPU than importing NumPy (its array-API layer
imports most of NumPy's submodules), which is most of a small ``parecon plan``'s
start-up. A round of Cobb-Douglas worker councils needs only two products with
their exponent matrix, ``B @ x`` and ``Bᵀ @ y``; this module computes them with
``np.bincount``, adding the same products in the same order as SciPy's CSR loops
(each row's, or each column's, terms in storage order from 0), so the results are
the same to the bit. Everything else converts to SciPy on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["CsrArrays"]

FloatArray = NDArray[np.float64]


@dataclass(eq=False)
class CsrArrays:
    """A CSR matrix (``data``, ``indices``, ``indptr``, ``shape``) with the products a
    round needs. Rows are council, columns goods; the arrays are used as given."""

    data: FloatArray
    indices: NDArray[np.integer[Any]]
    indptr: NDArray[np.integer[Any]]
    shape: tuple[int, int]
    _rows: NDArray[np.intp] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_sorted_rows(
        cls,
        data: FloatArray,
        rows: NDArray[np.integer[Any]],
        cols: NDArray[np.integer[Any]],
        shape: tuple[int, int],
    ) -> CsrArrays:
        """From triplets whose ``rows`` are non-decreasing (a reader's council order);
        columns within a row in any order, repeats allowed (see :meth:`canonical`)."""
        counts = np.bincount(rows, minlength=shape[0]) if rows.size else np.zeros(shape[0], int)
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(np.asarray(data, np.float64), np.asarray(cols, np.int64), indptr, shape)

    @classmethod
    def of(cls, matrix: Any) -> CsrArrays:
        """The arrays of a SciPy CSR matrix (shared, not copied)."""
        shape = (int(matrix.shape[0]), int(matrix.shape[1]))
        return cls(matrix.data, matrix.indices, matrix.indptr, shape)

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    @property
    def row_of_entry(self) -> NDArray[np.intp]:
        """Each stored entry's row (kept: a round needs it twice)."""
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        return self._rows

    def canonical(self) -> CsrArrays:
        """Columns sorted within each row and repeated entries summed, as SciPy's
        ``sum_duplicates`` leaves them (already canonical arrays are returned as is)."""
        if self.nnz < 2:
            return self
        rows = self.row_of_entry
        same_row = rows[1:] == rows[:-1]
        step = np.diff(self.indices)
        if not (same_row & (step <= 0)).any():
            return self
        order = np.lexsort((self.indices, rows))
        rows, cols, data = rows[order], self.indices[order], self.data[order]
        first = np.ones(rows.size, dtype=np.bool_)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        starts = np.flatnonzero(first)
        summed = np.add.reduceat(data, starts) if starts.size < data.size else data
        kept_rows = rows[starts]
        return CsrArrays.from_sorted_rows(summed, kept_rows, cols[starts], self.shape)

    def row_sums(self, values: FloatArray) -> FloatArray:
        """``Σ`` of ``values`` (one per stored entry) over each row, 0 for empty rows."""
        sums = np.bincount(self.row_of_entry, values, minlength=self.shape[0])
        return np.asarray(sums, dtype=np.float64)

    def matvec(self, x: FloatArray) -> FloatArray:
        """``B @ x``."""
        return self.row_sums(self.data * x[self.indices])

    def rmatvec(self, y: FloatArray) -> FloatArray:
        """``Bᵀ @ y``."""
        out = np.bincount(self.indices, self.data * y[self.row_of_entry], minlength=self.shape[1])
        return np.asarray(out, dtype=np.float64)

    def to_scipy(self) -> sp.csr_array:
        import scipy.sparse as sp

        return sp.csr_array((self.data, self.indices, self.indptr), shape=self.shape)
