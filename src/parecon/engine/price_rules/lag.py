"""Councils that catch up slowly: the board's model of lagging proposals.

People do not answer new prices in full at once. Some councils move part of the
way from their last proposal (a sluggish assembly, a draft carried over), some miss
a round, some keep last round's figures. A board whose model assumes every council
answers in full reads the shortfall as inelastic goods and the catching-up that
follows, at unchanged prices, as a surprise; it steps too far twice.

The model here is partial adjustment at the level of the economy: a share ``w`` of
the response answers each round only ``λ`` of the way from where it stands to where
the prices say. With ``a_t = J s_t`` the full answer the value-flow model predicts
for round ``t``'s log-price step and ``U`` the answer still pending (in units of
``ln S − ln D``),

    ``y_t = f_t − f_{t−1} = (1 − w (1 − λ)) a_t + λ U_{t−1}``,
    ``U_t = (1 − λ) (U_{t−1} + w a_t)``,   ``U_0 = 0``.

Both ``w`` and ``λ`` are read from the rounds (a small grid, least squares on the
changes ``y``), and the model is used only where it explains most of what the
full-answer model leaves unexplained: in a period where councils answer in full
``w = 0`` and nothing changes. With it the board aims each step at clearing the
*next* round's proposals, lag included: ``f + λ U + ρ J s = 0`` (``ρ`` the share
answered at once), and the pairs it learns from are read in the coordinates
``f + U`` (the gaps once everyone has caught up), where the full-answer model holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parecon.engine.populations import FloatArray

__all__ = ["Lag", "Move", "fit_lag", "pending"]

Move = tuple[FloatArray, FloatArray, bool]
"""``(a, y, usable)`` of one round: the model's predicted change ``J s``, the
observed change of ``ln S − ln D``, and whether the step was short enough
(within the rule's pair reach) for the pair to read the lag."""

SHARES = np.linspace(0.1, 1.0, 10)
PACES = np.linspace(0.2, 0.9, 8)


@dataclass(frozen=True)
class Lag:
    """A fitted lag: ``share`` of the response moves ``pace`` of the way each round."""

    share: float = 0.0
    pace: float = 1.0

    @property
    def active(self) -> bool:
        return self.share > 0.0 and self.pace < 1.0

    @property
    def at_once(self) -> float:
        """``ρ``: the share of a price change's full answer given in the same round."""
        return 1.0 - self.share * (1.0 - self.pace)


NO_LAG = Lag()


def pending(lag: Lag, moves: Sequence[Move]) -> list[FloatArray]:
    """``U_0 … U_T``: the answer still pending after each round (``U_0 = 0``)."""
    n = moves[0][0].shape[0] if moves else 0
    out = [np.zeros(n)]
    for a, _y, _usable in moves:
        out.append((1.0 - lag.pace) * (out[-1] + lag.share * a))
    return out


def _weight(a: FloatArray, y: FloatArray) -> float:
    """Each round counts by its relative misfit: a far start's first step moves
    the gaps a hundred times more than the rounds that read the lag."""
    size = float(a @ a + y @ y)
    return 1.0 / size if size > 0 else 0.0


def _error(lag: Lag, moves: Sequence[Move]) -> float:
    total, before = 0.0, np.zeros(moves[0][0].shape[0])
    for a, y, usable in moves:
        if usable:
            miss = y - lag.at_once * a - lag.pace * before
            total += _weight(a, y) * float(miss @ miss)
        before = (1.0 - lag.pace) * (before + lag.share * a)
    return total


def fit_lag(
    moves: Sequence[Move], *, gain: float = 0.5, min_moves: int = 2, min_at_once: float = 0.3
) -> Lag:
    """The lag that best explains the rounds' changes, or :data:`NO_LAG`.

    A lag is accepted only when it removes at least ``gain`` of the squared error
    the full-answer model leaves, on at least ``min_moves`` usable rounds (one round
    cannot tell a lag from a smaller response); ``ρ`` stays at least
    ``min_at_once`` so that steps are never blown up more than ``1/min_at_once``.
    """
    usable = [(a, y) for a, y, ok in moves if ok]
    if len(usable) < min_moves:
        return NO_LAG
    full = _error(NO_LAG, moves)
    # a lag must beat a response that is only smaller than the model says (fixed
    # councils, a misread returns share): that one the rule's pairs already learn
    weights = [_weight(a, y) for a, y in usable]
    aa = sum(w * float(a @ a) for w, (a, _y) in zip(weights, usable, strict=True))
    ya = sum(w * float(y @ a) for w, (a, y) in zip(weights, usable, strict=True))
    scale = ya / aa if aa > 0 else 1.0
    smaller = sum(
        w * float((y - scale * a) @ (y - scale * a))
        for w, (a, y) in zip(weights, usable, strict=True)
    )
    full = min(full, smaller)
    if not np.isfinite(full) or full <= 0.0:
        return NO_LAG
    best, best_error = NO_LAG, full
    for share in SHARES:
        for pace in PACES:
            lag = Lag(float(share), float(pace))
            if lag.at_once < min_at_once:
                continue
            error = _error(lag, moves)
            if error < best_error:
                best, best_error = lag, error
    if best_error > (1.0 - gain) * full:
        return NO_LAG
    return best
