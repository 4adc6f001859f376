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
