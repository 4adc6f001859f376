"""The suggestions study (benchmarks/study_suggestions.py) is reproducible, and its
noise floor measures the bots' noise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_PRICES = (
    "from benchmarks.study_suggestions import play;"
    "b = play(400, 0.5, True, 3);"
    "print(len(b.history), b.prices.tobytes().hex())"
)


def test_a_run_depends_on_its_seed_not_on_string_hashing() -> None:
    """Two processes with different hash seeds plan to the same prices, bit for bit
    (sets of goods walked in hash order used to reorder the sums: runs differed)."""
    out = [
        subprocess.run(
            [sys.executable, "-c", _PRICES],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "NUMBA_NUM_THREADS": "1"},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
        for seed in ("1", "2")
    ]
    assert out[0] == out[1] and out[0].strip()


def test_the_noise_floor_is_the_bots_noise() -> None:
    from benchmarks.study_suggestions import noise_floor

    quiet, _ = noise_floor(400, 0.5, 0, draws=5, noise=0.0)
    small, _ = noise_floor(400, 0.5, 0, draws=20)
    large, _ = noise_floor(1600, 0.5, 0, draws=20)
    assert quiet < 0.001  # the plan's own tolerance: no noise, no floor
    assert small > large > 0.002  # more councils average the same noise out
