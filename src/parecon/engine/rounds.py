"""What the board records of each round, and the statuses a board can be in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from parecon.engine.populations import FloatArray

__all__ = ["STATUSES", "RoundRecord", "Status"]

Status = Literal["open", "converged", "max-rounds", "stopped", "diverged", "noise-floor"]
STATUSES: tuple[Status, ...] = (
    "open",
    "converged",
    "max-rounds",
    "stopped",
    "diverged",
    "noise-floor",
)


@dataclass(frozen=True)
class RoundRecord:
    """What the board saw in one round.

    ``prices`` were announced before the round; ``supply`` and ``demand``
    (shape (n_goods,)) were proposed at them; ``next_prices`` were announced
    after it (equal to ``prices`` when planning stops here). ``opened`` and
    ``closed`` are wall-clock times (POSIX seconds, UTC) at which the round
    opened for proposals and was tallied: real rounds last days and outlive
    processes, so a monotonic clock would not do.
    """

    round: int
    prices: FloatArray
    supply: FloatArray
    demand: FloatArray
    gaps: FloatArray
    next_prices: FloatArray
    opened: float
    closed: float

    @property
    def seconds(self) -> float:
        """How long the round was open (wall-clock)."""
        return self.closed - self.opened

    @property
    def max_gap(self) -> float:
        return float(self.gaps.max(initial=0.0))

    def within(self, tolerance: float) -> int:
        """Number of goods whose gap is below ``tolerance``."""
        return int((self.gaps < tolerance).sum())
