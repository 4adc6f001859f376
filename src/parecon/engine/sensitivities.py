"""How councils' totals respond to prices: Jacobians used by the reference solver.

``jacobian(population, prices)`` returns ``(dS, dD)``, dense arrays of shape
(n_goods, n_goods) with ``dS[g, h] = ∂S_g/∂ln p_h`` (likewise demand).
Populations with a closed form get an exact sparse computation; any other
population gets central finite differences on log prices, so new kinds work
without extra code. The price rules never use these (a real board cannot
see councils' parameters); the equilibrium solver and analyses do.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from parecon.engine.populations import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    FixedSupply,
    FloatArray,
    Population,
    SubmittedProposals,
)

__all__ = ["jacobian"]


def _workers(pop: CobbDouglasWorkers, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
    n, n_goods = pop.n_councils, pop.n_goods
    _, own, scale = pop._precompute()
    z = pop.output_quantities(prices)
    revenue = prices[pop.output] * z
    rows = np.arange(n)
    produces = sp.csr_array((np.ones(n), (rows, pop.output)), shape=(n, n_goods))
    # ∂ln z_j/∂ln p: θ/(1−θ) on the own output, −b/(1−θ) on each input
    scaled = sp.csr_array(pop.inputs.multiply(scale[:, None]))
    dlogz = sp.csr_array((own, (rows, pop.output)), shape=(n, n_goods)) - scaled
    d_supply = (produces.T @ (dlogz.multiply(z[:, None]).tocsr())).toarray()
    weighted = pop.inputs.multiply(revenue[:, None]).tocsr()
    demand = (pop.inputs.T @ revenue) / prices
    d_demand = (weighted.T @ (dlogz + produces)).toarray() / prices[:, None]
    d_demand[np.diag_indices(n_goods)] -= demand
    return d_supply, d_demand


def _numeric(
    pop: Population, prices: FloatArray, step: float = 1e-6
) -> tuple[FloatArray, FloatArray]:
    n = pop.n_goods
    d_supply = np.empty((n, n))
    d_demand = np.empty((n, n))
    for h in range(n):
        up, down = prices.copy(), prices.copy()
        up[h] *= np.exp(step)
        down[h] *= np.exp(-step)
        hi, lo = pop.respond(up), pop.respond(down)
        d_supply[:, h] = (hi.supply - lo.supply) / (2 * step)
        d_demand[:, h] = (hi.demand - lo.demand) / (2 * step)
    return d_supply, d_demand


def jacobian(pop: Population, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``(∂S/∂ln p, ∂D/∂ln p)`` of one population at ``prices``."""
    n = pop.n_goods
    if isinstance(pop, FixedSupply | SubmittedProposals):
        return np.zeros((n, n)), np.zeros((n, n))
    if isinstance(pop, CobbDouglasConsumers):
        return np.zeros((n, n)), np.diag(-pop.respond(prices).demand)
    if isinstance(pop, CobbDouglasWorkers):
        return _workers(pop, prices)
    return _numeric(pop, prices)
