"""Compiled loops behind some population kinds' rounds (Numba, optional).

Kernels hold no councils and know no population class: they take CSR arrays
and vectors and return per-good sums, so they import only NumPy (and Numba,
lazily). Each population kind that has a kernel calls it where it pays.
"""
