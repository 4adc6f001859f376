"""Weight bands for anonymous ballots: no weight that only one voter has.

If a ballot records a weight that one member alone has, the ballot names
them. Anonymous decisions therefore count each ballot with its band's weight:
voters are grouped into bands of neighbouring weights, each holding at least
``min_size`` voters, and every voter in a band counts with the band's mean
weight (so the total weight is kept). The bands are chosen to change weights
as little as possible (least squared change; dynamic programming over the
distinct weights, which keeps equal weights in one band).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.exact import Weight, exact

__all__ = ["WeightBand", "WeightBands", "weight_bands"]


@dataclass(frozen=True)
class WeightBand:
    """Weights from ``low`` to ``high``; its ``size`` voters count with ``weight`` each."""

    low: Fraction
    high: Fraction
    weight: Fraction
    size: int

    @property
    def label(self) -> str:
        """The band as shown: ``0.25–0.5`` (or one number when low equals high)."""
        lo, hi = (f"{float(x):g}" for x in (self.low, self.high))
        return lo if self.low == self.high else f"{lo}–{hi}"


@dataclass(frozen=True)
class WeightBands:
    """The bands, lowest first, and each voter's band index."""

    bands: tuple[WeightBand, ...]
    band_of: Mapping[str, int]

    def weight(self, voter: str) -> Fraction:
        """The weight ``voter``'s anonymous ballot counts with."""
        return self.bands[self.band_of[voter]].weight

    def weights(self) -> dict[str, Fraction]:
        """Every voter's banded weight (an electorate for :func:`decide`)."""
        return {v: self.bands[i].weight for v, i in self.band_of.items()}


def weight_bands(weights: Mapping[str, Weight], min_size: int = 3) -> WeightBands:
    """Group ``weights`` into bands of at least ``min_size`` voters each."""
    if min_size < 1:
        raise InvalidValueError(f"must be >= 1 (got {min_size})", "min_size")
    exact_w: dict[str, Fraction] = {}
    for v, w in weights.items():
        try:
            exact_w[v] = exact(w, "weight")
        except ValueError as exc:
            raise InvalidValueError(str(exc), f"voter {v!r}") from None
    if len(exact_w) < min_size:
        raise InvalidValueError(
            f"{len(exact_w)} voter(s) cannot hide among bands of {min_size}", "weights"
        )
    counts = Counter(exact_w.values())
    values = sorted(counts)
    m = len(values)
    n_pre = [0] * (m + 1)
    s_pre = [Fraction(0)] * (m + 1)
    q_pre = [Fraction(0)] * (m + 1)
    for i, x in enumerate(values):
        n_pre[i + 1] = n_pre[i] + counts[x]
        s_pre[i + 1] = s_pre[i] + counts[x] * x
        q_pre[i + 1] = q_pre[i] + counts[x] * x * x

    def cost(i: int, j: int) -> Fraction:
        n = n_pre[j] - n_pre[i]
        s = s_pre[j] - s_pre[i]
        return q_pre[j] - q_pre[i] - s * s / n

    best: list[tuple[Fraction, int] | None] = [None] * (m + 1)
    best[0] = (Fraction(0), 0)
    for j in range(1, m + 1):
        for i in range(j):
            prev = best[i]
            if prev is None or n_pre[j] - n_pre[i] < min_size:
                continue
            total = prev[0] + cost(i, j)
            cur = best[j]
            if cur is None or total < cur[0]:
                best[j] = (total, i)
    cuts = []
    j = m
    while j > 0:
        entry = best[j]
        assert entry is not None
        cuts.append((entry[1], j))
        j = entry[1]
    cuts.reverse()
    bands = []
    index_of: dict[Fraction, int] = {}
    for b, (i, j) in enumerate(cuts):
        n = n_pre[j] - n_pre[i]
        bands.append(WeightBand(values[i], values[j - 1], (s_pre[j] - s_pre[i]) / n, n))
        for x in values[i:j]:
            index_of[x] = b
    return WeightBands(tuple(bands), {v: index_of[w] for v, w in exact_w.items()})
