"""The aggregate of a task's private ratings: median, spread, how many outliers.

The core's :func:`parecon.work.aggregate_task_ratings` does the arithmetic. Nothing
here returns who rated what: a task's aggregate is shown only once
:data:`MIN_RATERS` members have rated it, so a median is never one person's rating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from parecon.web.jobs.models import Task, TaskRating
from parecon.work import aggregate_task_ratings

#: Fewest raters before a task's aggregate is shown (below it, the median of one or
#: two people would be their rating).
MIN_RATERS = 3
#: Where an unrated task sits on the 1–20 scale in a balance (its middle).
UNRATED = 10.5


@dataclass(frozen=True)
class RatingSummary:
    """One task's aggregate on one scale (None when too few have rated)."""

    median: float | None
    q1: float | None
    q3: float | None
    spread: float | None
    outliers: int


@dataclass(frozen=True)
class TaskAggregate:
    task_id: int
    count: int
    empowerment: RatingSummary
    desirability: RatingSummary

    @property
    def shown(self) -> bool:
        return self.count >= MIN_RATERS

    @property
    def scales(self) -> tuple[RatingSummary, RatingSummary]:
        return (self.empowerment, self.desirability)


def latest_ratings(task_ids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(member id, task id) → (empowerment, desirability) of each member's latest rating."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    rows = (
        TaskRating.objects.filter(task_id__in=list(task_ids))
        .order_by("created_at", "id")
        .values_list("member_id", "task_id", "empowerment", "desirability")
    )
    for member_id, task_id, e, d in rows.iterator(chunk_size=5000):
        out[(member_id, task_id)] = (e, d)
    return out


def rating_matrices(
    task_ids: list[int], latest: dict[tuple[int, int], tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """(raters, tasks) arrays of empowerment and desirability, NaN where not rated."""
    raters = sorted({m for m, _t in latest})
    row = {m: i for i, m in enumerate(raters)}
    col = {t: j for j, t in enumerate(task_ids)}
    emp = np.full((len(raters), len(task_ids)), np.nan)
    des = np.full_like(emp, np.nan)
    for (m, t), (e, d) in latest.items():
        if t in col:
            emp[row[m], col[t]] = e
            des[row[m], col[t]] = d
    return emp, des


def _summaries(matrix: np.ndarray, shown: np.ndarray) -> list[RatingSummary]:
    n_tasks = matrix.shape[1]
    rated = np.flatnonzero((~np.isnan(matrix)).sum(axis=0) > 0)
    out = [RatingSummary(None, None, None, None, 0) for _ in range(n_tasks)]
    if rated.size == 0:
        return out
    agg = aggregate_task_ratings(matrix[:, rated])
    for k, t in enumerate(rated):
        if not shown[t]:
            continue
        out[t] = RatingSummary(
            float(agg.median[k]),
            float(agg.q1[k]),
            float(agg.q3[k]),
            float(agg.spread[k]),
            int(agg.outliers[:, k].sum()),
        )
    return out


#: (task ids, their last rating's id and time): ratings are append-only, so a new
#: rating of any of them changes the key, in every process (one small query); the
#: time tells apart ratings whose ids a rolled-back transaction let be reused.
Version = tuple[tuple[int, ...], int, float]


def _version(ids: tuple[int, ...]) -> Version:
    from django.db.models import Max

    row = TaskRating.objects.filter(task_id__in=ids).aggregate(last=Max("id"), at=Max("created_at"))
    return (ids, int(row["last"] or 0), row["at"].timestamp() if row["at"] else 0.0)


_AGGREGATES: dict[Version, dict[int, TaskAggregate]] = {}


def aggregate(tasks: list[Task]) -> dict[int, TaskAggregate]:
    """Each task's aggregate, by task id (kept per process until someone rates again)."""
    ids = tuple(t.pk for t in tasks)
    key = _version(ids)
    if key not in _AGGREGATES:
        if len(_AGGREGATES) > 64:
            _AGGREGATES.clear()
        _AGGREGATES[key] = _aggregate(list(ids))
    return _AGGREGATES[key]


def _aggregate(ids: list[int]) -> dict[int, TaskAggregate]:
    emp, des = rating_matrices(ids, latest_ratings(ids))
    count = (~np.isnan(emp)).sum(axis=0) if emp.size else np.zeros(len(ids), dtype=int)
    shown = count >= MIN_RATERS
    e, d = _summaries(emp, shown), _summaries(des, shown)
    return {t: TaskAggregate(t, int(count[j]), e[j], d[j]) for j, t in enumerate(ids)}


_MEDIANS: dict[Version, tuple[np.ndarray, np.ndarray, list[int]]] = {}


def medians(task_ids: list[int]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """:func:`_medians`, kept per process like :func:`aggregate` (copies handed out)."""
    ids = tuple(task_ids)
    key = _version(ids)
    if key not in _MEDIANS:
        if len(_MEDIANS) > 64:
            _MEDIANS.clear()
        _MEDIANS[key] = _medians(list(ids))
    emp, des, unrated = _MEDIANS[key]
    return emp.copy(), des.copy(), list(unrated)


def _medians(task_ids: list[int]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Median empowerment and desirability per task for the balancer, and the unrated ones.

    Every rating counts here (the balance needs them even below :data:`MIN_RATERS`;
    only the complexes, never a task's median, are shown with the result).
    """
    emp, des = rating_matrices(task_ids, latest_ratings(task_ids))
    e_out = np.full(len(task_ids), UNRATED)
    d_out = np.full(len(task_ids), UNRATED)
    if emp.size:
        rated = np.flatnonzero((~np.isnan(emp)).sum(axis=0) > 0)
        if rated.size:
            e_out[rated] = aggregate_task_ratings(emp[:, rated]).median
            d_out[rated] = aggregate_task_ratings(des[:, rated]).median
    unrated = [t for j, t in enumerate(task_ids) if emp.size == 0 or np.isnan(emp[:, j]).all()]
    return e_out, d_out, unrated
