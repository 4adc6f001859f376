"""How far the proposals are from a feasible plan, per good."""

from __future__ import annotations

import numpy as np

from parecon.engine.populations import FloatArray

__all__ = ["gaps", "signed_gaps"]


def signed_gaps(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """``(S − D) / ((S + D)/2)`` per good: > 0 is excess supply, in [−2, 2].

    A good nobody supplies or demands has gap 0.
    """
    mean = 0.5 * (supply + demand)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (supply - demand) / mean
    return np.where(mean > 0, out, 0.0)


def gaps(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """``2|S − D| / (S + D)`` per good, Pequod's measure of infeasibility."""
    return np.abs(signed_gaps(supply, demand))
