"""Ratings per value summed up: how many, the median, the quartiles and the range."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from parecon.web.evaluations.values import VALUES, Value


@dataclass(frozen=True)
class ValueSummary:
    value: Value
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    low: int | None
    high: int | None

    @property
    def spread(self) -> float | None:
        """The interquartile range (0 when everyone agrees)."""
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1


def summarise(scores: Iterable[tuple[str, int]]) -> list[ValueSummary]:
    """One summary per value, in the values' order, from (value key, score) pairs."""
    by_value: dict[str, list[int]] = {v.key: [] for v in VALUES}
    for key, score in scores:
        by_value[key].append(score)
    out = []
    for v in VALUES:
        xs = sorted(by_value[v.key])
        if not xs:
            out.append(ValueSummary(v, 0, None, None, None, None, None))
            continue
        if len(xs) == 1:
            q1 = q3 = float(xs[0])
        else:
            q1, _q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
        out.append(ValueSummary(v, len(xs), float(statistics.median(xs)), q1, q3, xs[0], xs[-1]))
    return out
