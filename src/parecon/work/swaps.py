"""Swap local search on whole shifts: fix band violations, then lower the cost.

A move takes ``a`` shifts of task ``t`` from person A and ``b`` shifts of
task ``u`` from person B and gives each the other's (``a·s_t = b·s_u``, so
1-for-1 between tasks of equal length, 2-for-1 between 2- and 4-hour
shifts, 3-for-2 between 2- and 3-hour ones, up to ``MAX_SHIFTS_SWAPPED``).
Hours owed and every task's coverage are unchanged by construction, so the
search walks only over assignments that already meet them, and it needs
only qualification, the task cap and the minimum block checked per move.

Why swaps and why this way: rounding an LP vertex leaves each person at
most about one shift from balanced, so a handful of exchanges per person
repairs the band. For a chosen A the candidates are every shift A holds
(a few tasks) against every *held* (B, u) entry of the assignment (the
sparse nonzeros, about 20 per task), all scored at once in NumPy: the cost
of one move is O(nonzeros), with no Python loop over people or pairs.

A person's violation is the distance of each average outside its band, in
rating points, plus ``STRUCTURE_WEIGHT`` per distinct task over the cap and
per task held below the minimum block. Phase 1 repeatedly takes the worst
violator and applies its best strictly improving move (ties broken by the
objective); phase 2 then applies cost-lowering moves that keep both people
inside the band.

Both phases count their work in *evaluations* (one person's candidate moves
scored): ``EVALUATIONS_PER_WORK`` per work unit of the caller's
:class:`~parecon.work.solvers.SolverLimits`, so a search stopped by its
budget stops at the same move every run. The wall-clock deadline is the
caller's cap, if any (``stopped_by`` says which ended a phase).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parecon.work.formulation import BalanceSettings
from parecon.work.workplace import FloatArray, Workplace

__all__ = ["SwapSearch"]

MAX_SHIFTS_SWAPPED = 4
"""Most shifts of one task in one swap (3 × 2 h for 2 × 3 h, 4 × 6 h for 3 × 8 h)."""
STRUCTURE_WEIGHT = 10.0
TOL = 1e-9
EVALUATIONS_PER_WORK = 400
"""Candidate evaluations (one person's moves scored) per work unit."""
IntArray = NDArray[np.int64]


@dataclass
class _Moves:
    """Candidate moves for one person A, as parallel arrays (one entry per move)."""

    t: IntArray
    u: IntArray
    b_person: IntArray
    a: IntArray
    b: IntArray
    d_viol: FloatArray
    d_cost: FloatArray


def _exchange_counts(s: FloatArray) -> tuple[IntArray, IntArray]:
    """(a, b) of shape (n_tasks, n_tasks): a shifts of t trade for b shifts of u with
    ``a·s_t = b·s_u``, both at most ``MAX_SHIFTS_SWAPPED`` (0 where no such pair; the
    diagonal is 0). 1-for-1 and 2-for-1 between 2 h and 4 h shifts as before."""
    from fractions import Fraction

    n = s.size
    a = np.zeros((n, n), dtype=np.int64)
    b = np.zeros((n, n), dtype=np.int64)
    for length_t in np.unique(s):
        for length_u in np.unique(s):
            f = Fraction(float(length_u) / float(length_t)).limit_denominator(MAX_SHIFTS_SWAPPED)
            if f.numerator > MAX_SHIFTS_SWAPPED:
                continue
            if not np.isclose(f.numerator * length_t, f.denominator * length_u):
                continue
            rows, cols = np.ix_(s == length_t, s == length_u)
            a[rows, cols], b[rows, cols] = f.numerator, f.denominator
    np.fill_diagonal(a, 0)
    np.fill_diagonal(b, 0)
    return a, b


class SwapSearch:
    """Local search state: the assignment ``X`` and each person's rating sums.

    ``X`` (n_people, n_tasks) must already meet hours and coverage; the search
    keeps both exact. ``E``/``D`` are each person's ``Σ_t hours × (rating −
    mean)``, so ``E_i / H_i`` is the person's distance from the mean.
    """

    def __init__(
        self,
        wp: Workplace,
        settings: BalanceSettings,
        shifts: FloatArray,
        targets: tuple[float, float] | None = None,
    ) -> None:
        e_mean, d_mean = targets or (wp.mean_empowerment, wp.mean_desirability)
        self.wp, self.settings = wp, settings
        self.X: IntArray = np.rint(shifts).astype(np.int64)
        s = wp.shift_hours
        self.ed = s * (wp.empowerment - e_mean)
        self.dd = s * (wp.desirability - d_mean)
        self.use_d = settings.desirability == "band"
        self.H = np.where(wp.hours_owed > 0, wp.hours_owed, 1.0)
        self.tau_e = settings.band * wp.hours_owed
        self.tau_d = settings.des_band * wp.hours_owed
        self.cap = wp.max_tasks
        block = np.minimum(wp.min_block_hours, wp.task_hours)
        self.block = np.ceil(block / s - 1e-9).astype(np.int64)
        self.unit = settings.preference_weight * s[None, :] * (5.0 - wp.preference)
        self.prev = None if wp.previous is None else np.asarray(wp.previous, dtype=np.float64)
        self.a_tu, self.b_tu = _exchange_counts(s)
        self.moves = 0
        self.evaluations = 0
        self.stopped_by = ""
        self.refresh()

    # -- per-person quantities -------------------------------------------------
    def refresh(self) -> None:
        """Recompute the sums from ``X`` (exact, against floating-point drift)."""
        self.E = self.X @ self.ed
        self.D = self.X @ self.dd
        self.distinct = (self.X > 0).sum(axis=1)
        self.short = self._short(self.X).sum(axis=1)
        self.V = self._viol(self.E, self.D, self.distinct, self.short, np.arange(self.X.shape[0]))

    def _short(self, c: IntArray, t: IntArray | slice = slice(None)) -> IntArray:
        return ((c > 0) & (c < self.block[t])).astype(np.int64)

    def _viol(
        self, E: FloatArray, D: FloatArray, distinct: IntArray, short: IntArray, who: IntArray
    ) -> FloatArray:
        H = self.H[who]
        v = np.maximum(np.abs(E) - self.tau_e[who], 0.0) / H
        if self.use_d:
            v = v + np.maximum(np.abs(D) - self.tau_d[who], 0.0) / H
        over = distinct - self.cap if self.cap is not None else np.zeros_like(distinct)
        return np.asarray(v + STRUCTURE_WEIGHT * (np.maximum(over, 0) + short), dtype=np.float64)

    def entry_cost(self, i: IntArray, t: IntArray, c: IntArray) -> FloatArray:
        """Objective contribution of person ``i`` holding ``c`` shifts of task ``t``."""
        cost = self.unit[i, t] * c + self.settings.task_weight * (c > 0)
        if self.prev is not None:
            moved = np.abs(c - self.prev[i, t]) * self.wp.shift_hours[t]
            cost = cost + self.settings.stability_weight * moved
        return np.asarray(cost, dtype=np.float64)

    # -- candidate moves -------------------------------------------------------
    def candidates(self, A: int) -> _Moves | None:
        """Every swap that A can make, scored (violation change, cost change)."""
        self.evaluations += 1
        X, qual = self.X, self.wp.qualified
        held = np.flatnonzero(X[A] > 0)
        rows, cols = np.nonzero(X)
        other = rows != A
        rows, cols = rows[other], cols[other]
        # (t, entry) grid: A gives a of t, takes b of u=cols from B=rows.
        t = np.repeat(held, rows.size)
        B = np.tile(rows, held.size)
        u = np.tile(cols, held.size)
        a, b = self.a_tu[t, u], self.b_tu[t, u]
        ok = (a > 0) & qual[A, u] & qual[B, t] & (X[A, t] >= a) & (X[B, u] >= b)
        if not ok.any():
            return None
        t, B, u, a, b = t[ok], B[ok], u[ok], a[ok], b[ok]
        dE = b * self.ed[u] - a * self.ed[t]
        dD = b * self.dd[u] - a * self.dd[t]
        cAt, cAu, cBu, cBt = X[A, t], X[A, u], X[B, u], X[B, t]
        nAt, nAu, nBu, nBt = cAt - a, cAu + b, cBu - b, cBt + a
        dist_A = self.distinct[A] - (nAt == 0) + (cAu == 0)
        dist_B = self.distinct[B] - (nBu == 0) + (cBt == 0)
        sh = self._short
        short_A = self.short[A] + sh(nAt, t) - sh(cAt, t) + sh(nAu, u) - sh(cAu, u)
        short_B = self.short[B] + sh(nBu, u) - sh(cBu, u) + sh(nBt, t) - sh(cBt, t)
        Aa = np.full(t.size, A)
        vA = self._viol(self.E[A] + dE, self.D[A] + dD, dist_A, short_A, Aa)
        vB = self._viol(self.E[B] - dE, self.D[B] - dD, dist_B, short_B, B)
        d_viol = vA + vB - self.V[A] - self.V[B]
        ec = self.entry_cost
        d_cost = (
            ec(Aa, t, nAt)
            - ec(Aa, t, cAt)
            + ec(Aa, u, nAu)
            - ec(Aa, u, cAu)
            + ec(B, u, nBu)
            - ec(B, u, cBu)
            + ec(B, t, nBt)
            - ec(B, t, cBt)
        )
        return _Moves(t, u, B, a, b, d_viol, d_cost)

    def total_cost(self) -> float:
        """The objective of the current assignment (as :func:`parecon.work.balance.evaluate`)."""
        return float(self.person_costs().sum())

    def person_costs(self) -> FloatArray:
        """Each person's objective contribution, shape (n_people,).

        Held entries and, with ``previous``, the entries last period held that
        are now empty (their hours all moved) both count.
        """
        held = self.X > 0
        if self.prev is not None:
            held |= self.prev > 0
        i, t = np.nonzero(held)
        cost = self.entry_cost(i, t, self.X[i, t])
        return np.bincount(i, weights=cost, minlength=self.X.shape[0]).astype(np.float64)

    def apply(self, A: int, m: _Moves, k: int) -> None:
        t, u, B, a, b = int(m.t[k]), int(m.u[k]), int(m.b_person[k]), int(m.a[k]), int(m.b[k])
        self.X[A, t] -= a
        self.X[A, u] += b
        self.X[B, u] -= b
        self.X[B, t] += a
        for i in (A, B):
            row = self.X[i]
            self.E[i] = row @ self.ed
            self.D[i] = row @ self.dd
            self.distinct[i] = int((row > 0).sum())
            self.short[i] = int(self._short(row).sum())
        who = np.array([A, B])
        self.V[who] = self._viol(self.E[who], self.D[who], self.distinct[who], self.short[who], who)
        self.moves += 1

    # -- the two phases --------------------------------------------------------
    def _spent(self, deadline: float, budget: int) -> bool:
        """Whether the phase's evaluations (``budget``, counted from ``self.evaluations``)
        or the wall-clock ``deadline`` are used up; records which."""
        if self.evaluations >= budget:
            self.stopped_by = "work"
            return True
        if time.perf_counter() >= deadline:
            self.stopped_by = "seconds"
            return True
        return False

    def repair(self, deadline: float, evaluations: int | None = None) -> bool:
        """Phase 1: worst violator first, best strictly improving move. True if all fixed.

        ``evaluations`` bounds the candidate evaluations of this call (None: no bound).
        """
        stuck = np.zeros(self.X.shape[0], dtype=bool)
        budget = self.evaluations + (evaluations if evaluations is not None else 2**62)
        while not self._spent(deadline, budget):
            open_ = np.where(stuck, 0.0, self.V)
            A = int(np.argmax(open_))
            if open_[A] <= TOL:
                break
            m = self.candidates(A)
            better = None if m is None else np.flatnonzero(m.d_viol < -TOL)
            if m is None or better is None or better.size == 0:
                stuck[A] = True
                continue
            score = m.d_viol[better] + 1e-4 * m.d_cost[better]
            k = int(better[np.argmin(score)])
            B = int(m.b_person[k])
            self.apply(A, m, k)
            stuck[[A, B]] = False
            if self.moves % 64 == 0:
                stuck[:] = False
        return bool((self.V <= TOL).all())

    def improve(self, deadline: float, evaluations: int | None = None) -> int:
        """Phase 2: cost-lowering moves that keep everyone's violation from rising.

        ``evaluations`` bounds the candidate evaluations of this call (None: no bound).
        """
        applied = 0
        improved = True
        budget = self.evaluations + (evaluations if evaluations is not None else 2**62)
        while improved and not self._spent(deadline, budget):
            improved = False
            for A in np.argsort(-self.person_costs()):
                if self._spent(deadline, budget):
                    break
                m = self.candidates(int(A))
                if m is None:
                    continue
                ok = np.flatnonzero((m.d_viol <= TOL) & (m.d_cost < -TOL))
                if ok.size:
                    self.apply(int(A), m, int(ok[np.argmin(m.d_cost[ok])]))
                    applied += 1
                    improved = True
        self.refresh()
        return applied
