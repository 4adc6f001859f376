"""Base-year permit prices of a table's pollutants, one per pollutant.

Emission accounts come in their own physical units (kg of CO2, kg of a water
pollutant, t of SO2), so one price for all of them makes no sense: a price
that makes CO2's charges reasonable can make another pollutant's charge on
its main emitter larger than that industry's output. Each pollutant ``e``
therefore gets the price at which its charges are an equal part of
``emission_charges`` of gross output::

    p_e = emission_charges · ΣX / (n_pollutants · Σ_j E_ej)

and all prices are then lowered by one common factor, where needed, so that
no industry pays more than ``_MAX_OF_SURPLUS`` of its surplus in charges
(industries with no surplus are supported by the plan and do not bind). The
prices open the plan, cap the permits and are reported in the economy's
metadata; at them every industry emits exactly the table's emissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from parecon.scenario.io_tables.table import IOTable

if TYPE_CHECKING:
    from parecon.scenario.io_tables.calibrate import Calibration

__all__ = ["pollutant_prices"]

_MAX_OF_SURPLUS = 0.5


def pollutant_prices(table: IOTable, cal: Calibration) -> dict[str, float]:
    """Base price per unit of each pollutant that the table's industries emit."""
    totals = {e: float(v.sum()) for e, (_, v) in table.emissions.items()}
    emitted = [e for e, t in totals.items() if t > 0]
    if not emitted:
        return {}
    if cal.pollutant_price is not None:
        return dict.fromkeys(emitted, cal.pollutant_price)
    x = table.output
    prices = {
        e: cal.emission_charges * float(x.sum()) / (len(emitted) * totals[e]) for e in emitted
    }
    charges = sum((p * table.emissions[e][1] for e, p in prices.items()), np.zeros(table.n))
    bought = (
        table.intermediate.sum(axis=0)
        + table.imports
        + table.value_added_of("labour")
        + table.value_added_of("resources")
    )
    surplus = x - bought
    binding = (charges > 0) & (surplus > 0)
    if binding.any():
        factor = min(1.0, float((_MAX_OF_SURPLUS * surplus[binding] / charges[binding]).min()))
        prices = {e: p * factor for e, p in prices.items()}
    return prices
