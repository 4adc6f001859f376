"""An LP optimum of the linearised economy, to measure how good a plan is.

At a plan's prices every worker council uses fixed amounts of inputs per unit
of output (Leontief coefficients read from its proposal). With those
technologies, the year's fixed supplies (resources, capital stocks, labour,
imports, the permits communities grant at the plan's pollutant prices) and the
development plan's fixed demands, the LP finds activity levels that deliver
the largest multiple ``s`` of the consumer councils' proposed basket:

    max s  subject to  Σ_j (out_j − in_j) z_j + F ≥ s · C + G,  z ≥ 0.

``s* = 1`` means the plan is as good as the linear economy can do with the
same means; ``s* − 1`` is its distance from the optimum. HiGHS solves it with
its interior-point method (through SciPy), which suits the Leontief structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from parecon.engine.economy import Economy
from parecon.engine.populations import FloatArray
from parecon.exceptions import InfeasibleError, InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["LinearOptimum", "linear_optimum"]

Solver = Literal["ipm"]


@dataclass(frozen=True)
class LinearOptimum:
    """The LP optimum next to the plan it linearises.

    Attributes
    ----------
    scale : float
        ``s*``: multiple of the plan's consumption basket the linear economy
        can deliver (1 = the plan is optimal).
    activity : ndarray of shape (n_worker_councils,)
        Optimal output of each worker council (Cobb-Douglas blocks in order).
    plan_activity : ndarray of shape (n_worker_councils,)
        Output each council proposed in the plan.
    shadow_prices : ndarray of shape (n_goods,)
        Duals of the goods balances, normalised so the basket costs what it
        does at the plan's prices.
    solver : str
    seconds : float
    """

    scale: float
    activity: FloatArray
    plan_activity: FloatArray
    shadow_prices: FloatArray
    solver: str
    seconds: float

    @property
    def distance(self) -> float:
        """``s* − 1``: how much more (or, if negative, less) the optimum delivers."""
        return self.scale - 1.0


def linear_optimum(economy: Economy, prices: FloatArray, solver: Solver = "ipm") -> LinearOptimum:
    """Solve the LP of ``economy`` linearised at ``prices`` (shape (n_goods,))."""
    import scipy.sparse as sp

    if solver != "ipm":
        raise InvalidValueError(f"solver must be 'ipm' (HiGHS interior point), not {solver!r}")
    import time

    prices = np.asarray(prices, dtype=float)
    n_goods = economy.n_goods
    columns: list[sp.csc_array] = []
    plan_z: list[FloatArray] = []
    basket = np.zeros(n_goods)
    other = np.zeros(n_goods)  # fixed supply minus fixed demand
    for pop in economy.populations:
        if pop.role == "workers":
            props = pop.proposals(prices)
            z = np.asarray(props.supply.sum(axis=1)).ravel()
            per_unit = (props.supply - props.demand).multiply(1.0 / z[:, None])
            columns.append(sp.csc_array(sp.csr_array(per_unit).T))
            plan_z.append(z)
        elif pop.role == "consumers":
            response = pop.respond(prices)
            basket += response.demand
            other += response.supply
        else:
            response = pop.respond(prices)
            other += response.supply - response.demand
    if not columns:
        raise InvalidValueError("the economy has no worker councils to plan")
    net = sp.hstack([*columns, sp.csc_array(-basket[:, None])]).tocsc()
    n_cols = net.shape[1]
    cost = np.r_[np.zeros(n_cols - 1), -1.0]
    start = time.perf_counter()
    try:
        x, duals = _scipy_ipm(net, other, cost)
    except InfeasibleError as exc:
        why = _why_infeasible(net, other, np.concatenate(plan_z), economy)
        raise InfeasibleError(f"{exc}; {why}") from None
    seconds = time.perf_counter() - start
    value = float(duals @ basket)
    shadow = duals * (float(prices @ basket) / value) if value > 0 else duals
    return LinearOptimum(float(x[-1]), x[:-1], np.concatenate(plan_z), shadow, solver, seconds)


def _scipy_ipm(
    net: sp.csc_array, other: FloatArray, cost: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """HiGHS's interior-point method through SciPy (no console output)."""
    from scipy.optimize import linprog

    res = linprog(cost, A_ub=-net, b_ub=other, bounds=(0, None), method="highs-ipm")
    if res.status != 0:
        raise InfeasibleError(f"the linearised economy has no optimum ({res.message})")
    return np.asarray(res.x), np.abs(np.asarray(res.ineqlin.marginals))


def _why_infeasible(
    net: sp.csc_array, other: FloatArray, plan_z: FloatArray, economy: Economy
) -> str:
    """Which good the fixed demands cannot get, even with no consumption at all.

    Solves the same balances with ``s = 0`` and a shortfall ``t_g ≥ 0`` allowed
    on each good, minimising ``Σ t_g / volume_g`` (``volume_g``: the good's
    supply in the plan); the largest relative shortfall names the binding good.
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog

    a = net[:, : net.shape[1] - 1]
    n_goods, n_z = a.shape
    volume = np.asarray(abs(a) @ plan_z).ravel() / 2 + np.abs(other)
    size = np.maximum(volume, 1e-12 * max(float(volume.max()), 1.0))
    # first the fixed stocks (resources, capital, labour, imports, permits) that would have
    # to be larger; failing that, any good
    for may_lack in (other > 0, np.ones(n_goods, dtype=bool)):
        lack = sp.identity(n_goods, format="csc")[:, np.flatnonzero(may_lack)]
        res = linprog(
            np.r_[np.zeros(n_z), 1.0 / size[may_lack]],
            A_ub=sp.hstack([-a, -lack]).tocsc(),
            b_ub=other,
            bounds=(0, None),
            method="highs-ipm",
        )
        if res.status == 0:
            break
    else:
        return f"no diagnosis ({res.message})"
    short = np.zeros(n_goods)
    short[may_lack] = np.asarray(res.x[n_z:])
    g = int(np.argmax(short / size))
    if short[g] <= 1e-9 * size[g]:
        return "the fixed demands can be met; the consumption basket cannot be scaled"
    return (
        f"even with no consumption the fixed demands (exports, investment, deliveries of "
        f"the plan) need {short[g]:.6g} more of {economy.goods.names[g]!r} than the plan's "
        f"technologies and the fixed supplies provide ({100 * short[g] / size[g]:.3g}% of "
        "its volume in the plan)"
    )
