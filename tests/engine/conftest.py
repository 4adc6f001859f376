"""Small economies for engine tests."""

from __future__ import annotations

import pytest

from parecon.engine import Economy
from parecon.engine.generate import EconomySpec, generate_economy


@pytest.fixture(scope="module")
def small_economy() -> Economy:
    return generate_economy(EconomySpec(120, 90, 3), seed=7)
