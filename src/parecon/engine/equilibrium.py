"""The reference equilibrium: exact clearing prices, to score any plan.

An independent solver (damped Newton on log prices with the exact Jacobian
where populations provide one) finds prices at which every good's supply
equals its demand. Plans reached by a price rule in a few rounds can then be
scored by their largest gap, their price error and the consumer welfare they
lose compared with the clearing plan.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from parecon.engine.economy import Economy
from parecon.engine.gaps import gaps
from parecon.engine.populations import FloatArray
from parecon.engine.sensitivities import jacobian
from parecon.exceptions import ConvergenceWarning

__all__ = ["EquilibriumResult", "PlanScore", "score_plan", "solve_equilibrium"]


@dataclass(frozen=True)
class EquilibriumResult:
    """Clearing prices and how precisely they clear.

    Attributes
    ----------
    prices, supply, demand : ndarray of shape (n_goods,)
    max_gap : float
        Largest ``2|S−D|/(S+D)`` at ``prices``.
    iterations : int
        Newton steps taken.
    converged : bool
    message : str
    """

    prices: FloatArray
    supply: FloatArray
    demand: FloatArray
    max_gap: float
    iterations: int
    converged: bool
    message: str


def _residual(economy: Economy, log_p: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    p = np.exp(log_p)
    r = economy.respond(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.log(r.demand) - np.log(r.supply)
    return np.where(np.isfinite(f), f, 0.0), r.supply, r.demand


def solve_equilibrium(
    economy: Economy,
    start: FloatArray | None = None,
    *,
    tol: float = 1e-12,
    max_iter: int = 200,
) -> EquilibriumResult:
    """Clearing prices of ``economy`` by damped Newton on ``ln D − ln S = 0``.

    ``start`` defaults to the economy's initial prices. Each step is halved
    until the residual norm falls (at most 30 times). Far from clearing
    (prices off by factors of hundreds, near-constant returns, strong
    substitution) the exact Jacobian describes only a small neighbourhood and
    the halving can stall. Newton then restarts from the prices the
    facilitation board's default rule reaches from there; if it stalls again,
    from where MINPACK's Levenberg–Marquardt (``scipy.optimize.root``, method
    ``lm``, with the same exact Jacobian) gets from ``start`` (it minimises
    ``‖f‖²`` in a trust region scaled per price, which gets through the valleys
    where step halving stops: with near-constant returns an industry's supply
    answers its relative price 20–100 times over, and from there the board's
    rule could end at gap 2.0 after 200 rounds), then once more from the
    board's prices. The answer is always Newton's, to ``tol``, from a start
    inside its basin.
    """
    log_p0 = np.log(economy.initial_prices if start is None else np.asarray(start, float))
    log_p, f, supply, demand, it, stalled = _newton(economy, log_p0, tol, max_iter)
    for restart in ("board", "least squares", "board"):
        if not stalled or it >= max_iter:
            break
        if restart == "board":
            log_p = np.log(_board_prices(economy, np.exp(log_p)))
        else:
            log_p = _least_squares_prices(economy, log_p0)
        log_p, f, supply, demand, more, stalled = _newton(economy, log_p, tol, max_iter - it)
        it += more
    prices = np.exp(log_p)
    worst = float(gaps(supply, demand).max(initial=0.0))
    # f is zeroed where supply or demand is 0, so the gaps must say "cleared" too
    converged = float(np.abs(f).max(initial=0.0)) < max(tol, 1e-9) and worst < 1e-6
    message = (
        f"clearing prices found in {it} Newton steps (largest gap {worst:.2e})"
        if converged
        else f"Newton stopped after {it} steps with largest gap {worst:.2e}"
    )
    if not converged:
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
    return EquilibriumResult(prices, supply, demand, worst, it, converged, message)


def _least_squares_prices(economy: Economy, log_p: FloatArray) -> FloatArray:
    """Log prices where MINPACK's Levenberg–Marquardt on ``f`` stops, from ``log_p``
    (``log_p`` itself if it fails or leaves the finite range)."""
    from scipy.optimize import root

    def residual(x: FloatArray) -> FloatArray:
        with np.errstate(over="ignore", invalid="ignore"):
            f = _residual(economy, x)[0]
        return np.where(np.isfinite(f), f, 0.0)

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            solution = root(
                residual,
                log_p,
                jac=lambda x: _jacobian(economy, x),
                method="lm",
                options={"maxiter": 400},
            )
    except (ValueError, np.linalg.LinAlgError):
        return log_p
    found: FloatArray = np.asarray(solution.x, dtype=np.float64)
    return found if np.isfinite(found).all() and np.abs(found).max() < 700 else log_p


def _jacobian(economy: Economy, log_p: FloatArray) -> FloatArray:
    """Exact ``∂(ln D − ln S)/∂ln p`` (rows of goods without supply or demand: 0)."""
    p = np.exp(log_p)
    totals = economy.respond(p)
    d_s = np.zeros((economy.n_goods, economy.n_goods))
    d_d = np.zeros_like(d_s)
    for pop in economy.populations:
        a, b = jacobian(pop, p)
        d_s += a
        d_d += b
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = d_d / totals.demand[:, None] - d_s / totals.supply[:, None]
    out: FloatArray = np.where(np.isfinite(jac), jac, 0.0)
    return out


def _board_prices(economy: Economy, prices: FloatArray) -> FloatArray:
    """Where the default price rule gets from ``prices`` (gaps below 0.1%, or its last round)."""
    from parecon.engine.procedure import PlanningProcedure

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = PlanningProcedure(tolerance=1e-3, max_rounds=200).run(economy.with_prices(prices))
    final: FloatArray = result.prices
    return final


def _newton(
    economy: Economy, log_p: FloatArray, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, int, bool]:
    """Damped Newton from ``log_p``: the last point, its residual and totals, the
    steps taken and whether the step halving stalled before ``tol``."""
    f, supply, demand = _residual(economy, log_p)
    norm = float(np.linalg.norm(f))
    it = 0
    stalled = False
    for it in range(1, max_iter + 1):  # noqa: B007
        if float(np.abs(f).max(initial=0.0)) < tol:
            break
        jac = _jacobian(economy, log_p)
        try:
            step = np.linalg.solve(jac, -f)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(jac, -f, rcond=None)[0]
        step = np.clip(step, -2.0, 2.0)
        scale = 1.0
        for _ in range(30):
            trial = log_p + scale * step
            f_new, s_new, d_new = _residual(economy, trial)
            new_norm = float(np.linalg.norm(f_new))
            if np.isfinite(new_norm) and new_norm < norm:
                break
            scale *= 0.5
        else:
            stalled = True
            break
        log_p, f, supply, demand, norm = trial, f_new, s_new, d_new, new_norm
    return log_p, f, supply, demand, it, stalled


@dataclass(frozen=True)
class PlanScore:
    """How good a plan is compared with the clearing plan.

    Attributes
    ----------
    max_gap : float
        Largest gap of the plan.
    price_error : float
        Largest ``|ln(p / p*)|`` over goods (0.01 ≈ 1% off).
    welfare_loss : float
        Mean fraction of consumer utility lost against the clearing plan,
        when each good short of demand is rationed in proportion
        (``x · min(1, S/D)``), over the councils whose kind can say
        (:meth:`Population.welfare_loss`: Cobb-Douglas consumers). ``nan``
        without such councils.
    """

    max_gap: float
    price_error: float
    welfare_loss: float


def score_plan(economy: Economy, prices: FloatArray, equilibrium: EquilibriumResult) -> PlanScore:
    """Score the plan proposed at ``prices`` against ``equilibrium``."""
    plan = economy.respond(prices)
    ratio = np.minimum(
        1.0,
        np.divide(plan.supply, plan.demand, out=np.ones_like(plan.supply), where=plan.demand > 0),
    )
    losses = []
    for pop in economy.populations:
        loss_of = pop.welfare_loss(prices, equilibrium.prices, ratio)
        if loss_of is not None:
            losses.append(loss_of)
    loss = float(np.mean(np.concatenate(losses))) if losses else float("nan")
    return PlanScore(
        max_gap=float(gaps(plan.supply, plan.demand).max(initial=0.0)),
        price_error=float(np.abs(np.log(prices / equilibrium.prices)).max(initial=0.0)),
        welfare_loss=loss,
    )
