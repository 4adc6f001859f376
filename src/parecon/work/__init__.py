"""Balanced job complexes, effort ratings and allowances (the pure core).

NumPy/SciPy and solver libraries only; solver backends are imported lazily.
"""

from __future__ import annotations

from parecon.work.across import ExchangeResult, balance_across
from parecon.work.allowances import AllowanceResult, allowances, onerousness
from parecon.work.balance import (
    METHOD_HELP,
    METHODS,
    BalanceResult,
    BalanceStatus,
    balance,
    evaluate,
)
from parecon.work.diagnose import explain_infeasibility, smallest_band
from parecon.work.effort import EffortScores, aggregate_effort
from parecon.work.formulation import BalanceSettings
from parecon.work.generate import PlantedWorkplace, planted_workplace, synthetic_workplace
from parecon.work.rotation import rotation
from parecon.work.solvers import Capabilities, SolverLimits
from parecon.work.task_ratings import TaskRatingSummary, aggregate_task_ratings
from parecon.work.workplace import Workplace

__all__ = [
    "METHODS",
    "METHOD_HELP",
    "AllowanceResult",
    "BalanceResult",
    "BalanceSettings",
    "BalanceStatus",
    "Capabilities",
    "EffortScores",
    "ExchangeResult",
    "PlantedWorkplace",
    "SolverLimits",
    "TaskRatingSummary",
    "Workplace",
    "aggregate_effort",
    "aggregate_task_ratings",
    "allowances",
    "balance",
    "balance_across",
    "evaluate",
    "explain_infeasibility",
    "onerousness",
    "planted_workplace",
    "rotation",
    "smallest_band",
    "synthetic_workplace",
]
