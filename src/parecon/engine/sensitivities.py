"""How councils' totals respond to prices: Jacobians used by the reference solver.

``jacobian(population, prices)`` returns ``(dS, dD)``, dense arrays of shape
(n_goods, n_goods) with ``dS[g, h] = ∂S_g/∂ln p_h`` (likewise demand).
Populations with a closed form give it (:meth:`Population.price_jacobian`,
exact sparse computations for Cobb-Douglas councils, zeros for quantities
that do not answer prices); any other population gets central finite
differences on log prices, so new kinds work without extra code. The price
rules never use these (a real board cannot see councils' parameters); the
equilibrium solver and analyses do.
"""

from __future__ import annotations

import numpy as np

from parecon.engine.populations import FloatArray, Population

__all__ = ["jacobian"]


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
    exact = pop.price_jacobian(prices)
    return exact if exact is not None else _numeric(pop, prices)
