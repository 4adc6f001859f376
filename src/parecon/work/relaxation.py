"""The LP relaxation of a large workplace by column generation (``highspy``).

At 1000 people and 200 tasks the relaxation has 170,000 pair columns but
only 3,200 rows, and an optimal vertex uses at most 3,200 of the columns —
about three tasks a person. Solved whole, HiGHS spends most of a minute
on it; solved over a few columns per person and grown by pricing, it
takes seconds. So: a restricted LP over each person's cheapest qualified
tasks and the cheapest in each quadrant of (empowerment, desirability)
around the means (so a balanced fractional complex exists among them), with
elastic slacks of cost ``ELASTIC_COST`` on every row so it is always
feasible; then the pairs whose reduced cost under its row duals is
negative — every qualified pair is priced at once in NumPy — join it, at
most ``PRICED_PER_PERSON`` per person a round, and HiGHS re-optimises from
its last basis. When no pair prices out and no slack is used, the
restricted optimum is the whole relaxation's optimum (the duals are
feasible for every column). Everything is deterministic: the same columns
join in the same order every run. No thread count is set: HiGHS's thread
pool belongs to the process, and a count differing from the one an earlier
solve started it with makes ``run`` refuse (the LP then came back empty).

Used by :mod:`parecon.work.lp_swap` above ``COLUMN_GENERATION_PAIRS``
qualified pairs; smaller relaxations are solved whole as before. Returns
None when ``highspy`` is missing, a round limit is reached, or slacks stay
in use (then the caller solves the whole LP, which decides infeasibility).
"""

from __future__ import annotations

import numpy as np

from parecon.work.formulation import BalanceSettings, MatrixModel, build_model
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["COLUMN_GENERATION_PAIRS", "column_generated_lp"]

COLUMN_GENERATION_PAIRS = 20_000
"""Qualified pairs above which ``lp_swap`` solves its LPs by column generation."""
CHEAPEST = 8
"""Each person's cheapest qualified tasks in the first restricted LP."""
PRICED_PER_PERSON = 4
"""Most pairs per person joining the restricted LP in one pricing round."""
ROUNDS = 60
ELASTIC_COST = 1e4
"""Cost per unit of a row's elastic slack (shifts, hours or hours·points)."""
TOL = 1e-7


def column_generated_lp(
    wp: Workplace, settings: BalanceSettings, band_scale: float
) -> tuple[MatrixModel, FloatArray, float] | None:
    """(the whole relaxation's model, an optimal solution of it, its value), or None.

    The model is :func:`~parecon.work.formulation.build_model` with
    ``relax=True`` over every qualified pair (no stability columns: the caller
    passes settings without them), so the solution indexes its columns.
    """
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy ships with the solvers extra
        return None
    full = build_model(wp, settings, relax=True, band_scale=band_scale)
    if full.d is not None or full.y is not None or full.z is not None:
        return None
    n_pairs = full.pair_person.size
    A = full.A.tocsc()
    c = full.c
    start = _first_columns(wp, full)
    n_rows = A.shape[0]
    h = highspy._Highs()  # type: ignore[attr-defined]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("random_seed", 0)
    lp = highspy.HighsLp()
    lp.num_row_ = int(n_rows)
    lp.num_col_ = 0
    lp.row_lower_ = full.row_lb
    lp.row_upper_ = full.row_ub
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.zeros(1, dtype=np.int32)
    lp.a_matrix_.index_ = np.zeros(0, dtype=np.int32)
    lp.a_matrix_.value_ = np.zeros(0)
    h.passModel(lp)
    # Elastic slacks: +1 and −1 on every row, at a cost no real column pays.
    rows = np.arange(n_rows, dtype=np.int32)
    _add(
        h,
        np.full(2 * n_rows, ELASTIC_COST),
        np.zeros(2 * n_rows),
        np.full(2 * n_rows, np.inf),
        np.arange(2 * n_rows + 1, dtype=np.int32),
        np.concatenate([rows, rows]),
        np.concatenate([np.ones(n_rows), -np.ones(n_rows)]),
    )
    n_slack = 2 * n_rows
    in_lp = np.zeros(n_pairs, dtype=bool)
    order: list[np.ndarray] = []

    def join(cols: np.ndarray) -> None:
        cols = np.sort(cols[~in_lp[cols]])
        if cols.size == 0:
            return
        in_lp[cols] = True
        order.append(cols)
        sub = A[:, cols]
        _add(
            h,
            c[cols],
            full.col_lb[cols],
            full.col_ub[cols],
            sub.indptr.astype(np.int32),
            sub.indices.astype(np.int32),
            sub.data,
        )

    join(start)
    pi = full.pair_person
    for _ in range(ROUNDS):
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        y = np.asarray(sol.row_dual)
        reduced = c - A.T @ y
        reduced[in_lp] = 0.0
        neg = np.flatnonzero(reduced < -TOL * max(1.0, float(np.abs(c).max(initial=0.0))))
        if neg.size == 0:
            values = np.asarray(sol.col_value)
            if values[:n_slack].max(initial=0.0) > 1e-6:
                return None
            x = np.zeros(full.c.size)
            x[np.concatenate(order)] = values[n_slack:]
            return full, x, float(c @ x)
        # The most negative few of each person.
        keys = np.lexsort((reduced[neg], pi[neg]))
        neg = neg[keys]
        first = np.searchsorted(pi[neg], pi[neg], side="left")
        rank = np.arange(neg.size) - first
        join(neg[rank < PRICED_PER_PERSON])
    return None


def _add(
    h: object,
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    starts: np.ndarray,
    index: np.ndarray,
    value: FloatArray,
) -> None:
    n = int(cost.size)
    h.addCols(  # type: ignore[attr-defined]
        n,
        np.ascontiguousarray(cost, dtype=np.float64),
        np.ascontiguousarray(lower, dtype=np.float64),
        np.ascontiguousarray(upper, dtype=np.float64),
        int(index.size),
        np.ascontiguousarray(starts[:-1], dtype=np.int32),
        np.ascontiguousarray(index, dtype=np.int32),
        np.ascontiguousarray(value, dtype=np.float64),
    )


def _first_columns(wp: Workplace, model: MatrixModel) -> np.ndarray:
    """Each person's ``CHEAPEST`` cheapest pairs and cheapest in each rating quadrant."""
    pi, pt = model.pair_person, model.pair_task
    cost = model.c[model.x]
    e_side = wp.empowerment[pt] >= wp.mean_empowerment
    d_side = wp.desirability[pt] >= wp.mean_desirability
    picks = []
    for group in (np.zeros(pi.size, dtype=np.int64), 1 + e_side + 2 * d_side):
        keys = np.lexsort((cost, group, pi))
        gi, gg = pi[keys], group[keys]
        new = np.ones(keys.size, dtype=bool)
        new[1:] = (gi[1:] != gi[:-1]) | (gg[1:] != gg[:-1])
        first = np.maximum.accumulate(np.where(new, np.arange(keys.size), 0))
        rank = np.arange(keys.size) - first
        picks.append(keys[rank < (CHEAPEST if group.max() == 0 else 1)])
    return np.unique(np.concatenate(picks))
