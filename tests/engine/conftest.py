"""Economies for engine tests: a small generated one and Brazil 2019 from its IO table."""

from __future__ import annotations

from pathlib import Path

import pytest

from parecon.engine import Economy
from parecon.engine.generate import EconomySpec, generate_economy


@pytest.fixture(scope="module")
def small_economy() -> Economy:
    return generate_economy(EconomySpec(120, 90, 3), seed=7)


BRAZIL = Path(__file__).resolve().parents[2] / "examples" / "io" / "brazil-2019"


@pytest.fixture(scope="module")
def brazil() -> Economy:
    from parecon.scenario.io_tables.calibrate import economy_from_table
    from parecon.scenario.io_tables.pymrio_format import read_pymrio

    return economy_from_table(read_pymrio(BRAZIL))


def rounds_to_three_thresholds(economy: Economy, rule: str) -> tuple[int | None, ...]:
    """Rounds until every gap is below 3%, 1% and 0.1% (planned to 0.1%, at most 60)."""
    from parecon.engine import PlanningProcedure

    result = PlanningProcedure(rule, tolerance=0.001, max_rounds=60).run(economy)
    assert result.converged
    return tuple(result.rounds_to[t] for t in (0.03, 0.01, 0.001))


def brazil_from_perturbed_prices(brazil: Economy, seed: int) -> Economy:
    """Brazil 2019 opening at prices drawn log-normally (sigma 0.2) around the table's."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return brazil.with_prices(np.exp(rng.normal(0.0, 0.2, brazil.n_goods)))
