"""Balancing across workplaces: swapping hours so workplaces' averages meet society's.

A workplace whose tasks are on average less empowering than society's
sends some of its members' hours to tasks elsewhere, and takes the same
hours of outsiders in return. With ``y[a, b]`` the hours a's members work
in b (at b's average) the average of a's members becomes
``e_a + Σ_b (e_b − e_a) y[a, b] / H_a``. An LP (HiGHS) finds the fewest
hours exchanged that bring every workplace within ``band`` of the
society-wide hours-weighted mean, with at most ``max_share`` of a
workplace's hours going out, and as many coming in as going out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parecon.exceptions import InfeasibleError, ValidationError
from parecon.work.workplace import FloatArray

__all__ = ["ExchangeResult", "balance_across"]


@dataclass(frozen=True, eq=False)
class ExchangeResult:
    """exchange : ndarray (n_workplaces, n_workplaces), hours a's members work in b.
    before, after : ndarray (n_workplaces,), members' average before and after.
    society_mean : float; hours_moved : float (total hours exchanged a week)."""

    exchange: FloatArray
    before: FloatArray
    after: FloatArray
    society_mean: float
    hours_moved: float


def balance_across(
    averages: FloatArray,
    hours: FloatArray,
    *,
    band: float = 0.5,
    max_share: float = 0.25,
    names: Sequence[str] | None = None,
) -> ExchangeResult:
    """Least hours exchanged so each workplace is within ``band`` of society's mean.

    averages : ndarray of shape (n_workplaces,) — each workplace's
        hours-weighted task rating (empowerment, 1–20).
    hours : ndarray of shape (n_workplaces,) — hours worked there a week.
    names : workplaces' names, for messages (default: their positions).
    """
    from parecon.work._scipy import solve_lp

    e = np.asarray(averages, dtype=np.float64)
    h = np.asarray(hours, dtype=np.float64)
    n = e.size
    if e.ndim != 1 or h.shape != (n,) or n == 0:
        raise ValidationError("averages and hours must be two arrays of shape (n_workplaces,)")
    if not (np.isfinite(e).all() and np.isfinite(h).all()) or (h <= 0).any():
        raise ValidationError("averages must be finite and hours > 0")
    if not (0 <= max_share <= 1) or not 0 <= band < np.inf:
        raise ValidationError(
            f"max_share must be in [0, 1] and band finite and >= 0 (got {max_share:g}, {band:g})"
        )
    mean = float(e @ h / h.sum())
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    m = len(pairs)
    if m == 0:
        return ExchangeResult(np.zeros((1, 1)), e, e.copy(), mean, 0.0)
    A_ub = np.zeros((3 * n, m))
    b_ub = np.zeros(3 * n)
    A_eq = np.zeros((n, m))
    for k, (a, b) in enumerate(pairs):
        A_ub[a, k] = (e[b] - e[a]) / h[a]  # shift ≤ mean + band − e_a
        A_ub[n + a, k] = -(e[b] - e[a]) / h[a]  # −shift ≤ e_a − mean + band
        A_ub[2 * n + a, k] = 1.0  # out ≤ max_share H_a
        A_eq[a, k] += 1.0
        A_eq[b, k] -= 1.0
    b_ub[:n] = mean + band - e
    b_ub[n : 2 * n] = e - mean + band
    b_ub[2 * n :] = max_share * h
    res = solve_lp(np.ones(m), A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=np.zeros(n))
    if res.status != "optimal" or res.x is None:
        raise InfeasibleError(_why_infeasible(e, mean, band, max_share, names))
    y = np.zeros((n, n))
    for k, (a, b) in enumerate(pairs):
        y[a, b] = res.x[k]
    after = e + ((e[None, :] - e[:, None]) * y).sum(axis=1) / h
    return ExchangeResult(y, e, after, mean, float(y.sum()))


def _why_infeasible(
    e: FloatArray, mean: float, band: float, max_share: float, names: Sequence[str] | None
) -> str:
    """Name a workplace that cannot reach the band even alone, or say the exchange binds.

    Sending ``max_share`` of its hours to the workplace furthest the other way is
    the most a workplace can move its members' average.
    """
    label = [f"workplace {i}" for i in range(e.size)] if names is None else list(names)
    reach_up = e + max_share * (e.max() - e)
    reach_down = e + max_share * (e.min() - e)
    short = np.flatnonzero((reach_up < mean - band) | (reach_down > mean + band))
    head = f"no exchange brings every workplace within {band:g} of society's mean {mean:.2f}"
    if short.size:
        a = int(short[np.argmax(np.abs(e[short] - mean))])
        best = reach_up[a] if e[a] < mean else reach_down[a]
        return (
            f"{head}: {label[a]} is at {e[a]:.2f} and can reach at most {best:.2f}; allow "
            f"more than {max_share:.0%} of its hours to be worked elsewhere or widen the band"
        )
    return (
        f"{head}: each workplace could reach it alone, but hours coming in must equal hours "
        f"going out; allow more than {max_share:.0%} of hours to be exchanged or widen the band"
    )
