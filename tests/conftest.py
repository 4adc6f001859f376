"""Shared fixtures: paths to the reference data in ``../shared/data``."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PEQUOD = SHARED / "pequod"


@pytest.fixture(scope="session")
def pequod_dir() -> Path:
    """The DEP economies and Pequod's runs; CI always has them (never skipped)."""
    assert PEQUOD.is_dir(), f"reference data missing at {PEQUOD}"
    return PEQUOD
