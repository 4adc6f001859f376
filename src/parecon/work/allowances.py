"""Allowances for effort and sacrifice, and the consumer councils' budgets they make.

Each person's *effort credits* are ``hours × onerousness × intensity``:
hours worked, how onerous their complex is (1 for everyone when
desirability is balanced; ``(21 − d_i) / mean(21 − d)`` when it is
compensated, so a less desirable complex earns more), and the rated
intensity (mean 1, from :mod:`parecon.work.effort`). The workplace's pool
is first capped (on average per hour: a flat cap, or Hahnel's social
benefit to social cost ratio times a reference rate), then needs-based
allowances chosen by consumer councils come off the top, and the rest is
shared in proportion to credits. Anyone whose allowance per hour is
outside 0.8–1.2 of the average is flagged for appeal.

The result's ``budgets`` (one per consumer council) is what the planning
engine takes as consumer councils' ``income``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import InfeasibleError, ValidationError
from parecon.work.workplace import FloatArray

__all__ = ["APPEAL_RANGE", "AllowanceResult", "allowances", "onerousness"]

APPEAL_RANGE = (0.8, 1.2)


def onerousness(desirability: FloatArray, hours: FloatArray) -> FloatArray:
    """``(21 − d_i) / hours-weighted mean of (21 − d)``, shape (n_people,)."""
    u = 21.0 - np.asarray(desirability, dtype=np.float64)
    h = np.asarray(hours, dtype=np.float64)
    return u / float(u @ h / h.sum()) if h.sum() > 0 else np.ones_like(u)


@dataclass(frozen=True, eq=False)
class AllowanceResult:
    """credits, effort_allowance, ratio : ndarray (n_people,); ``ratio`` is
    allowance per hour over the average per hour. appeal : bool (n_people,).
    needs, budgets : ndarray (n_councils,), budgets = members' allowances + needs.
    pool_capped : the pool after the cap; unallocated : what the cap held back."""

    credits: FloatArray
    effort_allowance: FloatArray
    ratio: FloatArray
    appeal: NDArray[np.bool_]
    needs: FloatArray
    budgets: FloatArray
    pool_capped: float
    unallocated: float


def allowances(
    hours: FloatArray,
    intensity: FloatArray,
    pool: float,
    *,
    council_of: NDArray[np.intp] | None = None,
    n_councils: int | None = None,
    needs: FloatArray | None = None,
    onerous: FloatArray | None = None,
    cap_per_hour: float | None = None,
    benefit_cost_ratio: float | None = None,
    reference_per_hour: float | None = None,
) -> AllowanceResult:
    """Share ``pool`` in proportion to credits; see the module docstring.

    hours, intensity, onerous : ndarray of shape (n_people,)
    council_of : ndarray of int, shape (n_people,), each person's consumer
        council (each their own council when omitted).
    needs : ndarray of shape (n_councils,), needs-based allowances.
    """
    h = np.asarray(hours, dtype=np.float64)
    n = h.size
    k = np.asarray(intensity, dtype=np.float64)
    o = np.ones(n) if onerous is None else np.asarray(onerous, dtype=np.float64)
    for name, arr in (("hours", h), ("intensity", k), ("onerousness", o)):
        if arr.shape != (n,) or not np.isfinite(arr).all() or (arr < 0).any():
            raise ValidationError(f"{name} must be {n} finite values >= 0")
    if not (np.isfinite(pool) and pool >= 0):
        raise ValidationError(f"pool must be >= 0 (got {pool})")
    who = np.arange(n) if council_of is None else np.asarray(council_of, dtype=np.intp)
    m = int(who.max()) + 1 if n_councils is None else int(n_councils)
    if who.shape != (n,) or (who < 0).any() or (who >= m).any():
        raise ValidationError(f"council_of must hold {n} council indices in 0..{m - 1}")
    need = np.zeros(m) if needs is None else np.asarray(needs, dtype=np.float64)
    if need.shape != (m,) or (need < 0).any() or not np.isfinite(need).all():
        raise ValidationError(f"needs must be {m} finite values >= 0")
    if cap_per_hour is not None and not (np.isfinite(cap_per_hour) and cap_per_hour > 0):
        raise ValidationError(f"cap_per_hour must be > 0 (got {cap_per_hour:g})")
    cap = cap_per_hour
    if benefit_cost_ratio is not None:
        if reference_per_hour is None:
            raise ValidationError("benefit_cost_ratio needs reference_per_hour")
        cap = benefit_cost_ratio * reference_per_hour
    capped = float(pool) if cap is None else min(float(pool), max(cap, 0.0) * float(h.sum()))
    left = capped - float(need.sum())
    if left < -1e-9:
        raise InfeasibleError(
            f"needs-based allowances ({need.sum():g}) exceed the pool after its cap "
            f"({capped:g}); raise the pool or lower the needs"
        )
    credits = h * o * k
    total = float(credits.sum())
    share = credits / total * max(left, 0.0) if total > 0 else np.zeros(n)
    per_hour = np.divide(share, h, out=np.zeros(n), where=h > 0)
    avg = float(share.sum() / h.sum()) if h.sum() > 0 else 0.0
    ratio = per_hour / avg if avg > 0 else np.ones(n)
    appeal = (h > 0) & ((ratio < APPEAL_RANGE[0]) | (ratio > APPEAL_RANGE[1]))
    budgets = np.bincount(who, weights=share, minlength=m) + need
    return AllowanceResult(
        credits, share, ratio, appeal, need, budgets, capped, float(pool) - capped
    )
