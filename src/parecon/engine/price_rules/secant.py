"""A quasi-Newton facilitation board: multisecant updates on log prices.

Why it converges in few rounds
------------------------------
The board looks for log prices ``q`` at which ``f(q) = ln S(q) − ln D(q)`` is
zero for every good. In DEP-like economies ``f`` is close to linear in ``q``
(consumers' demand is exactly log-linear in prices, a worker council's output
is log-linear, and totals are sums of such terms), so Newton's method on
``f`` would clear the market in three or four rounds. The board does not know
the Jacobian ``∂f/∂q`` -- that would mean reading councils' parameters -- but
every round gives it one more *secant pair*: how the aggregate log gaps moved
(``Δf``) when it moved the log prices (``Δq``). The rule keeps all pairs of
the period and applies the type-II multisecant (Anderson) inverse Jacobian
``H = H0 + (S − H0 Y)(YᵀY)⁻¹Yᵀ`` on top of a prior guess ``H0``: with
``γ = argmin ‖f − Yγ‖`` the step is ``−Sγ − H0 (f − Yγ)``, a jump to the point
the pairs predict has the smallest gaps plus a prior step on what the pairs
cannot explain. On a linear ``f`` this is GMRES on ``H0 J`` delayed by one
prior step; it beat the type-I ("good Broyden") update this rule used before
by up to a round on generated economies (max 7 instead of 8 rounds to 3%).

The prior carries the one structural fact a board knows without reading any
council: *relative* prices move quantities strongly (own-price elasticities
of ``f`` around 5: supply rises and demand falls), while the *level* of all
prices moves them weakly (incomes are fixed in money and effort in real
terms, so a uniform rise is almost neutral: eigenvalue around 1). Hence
``H0 = (I + level · 11ᵀ/n) / elasticity``: an ordinary tâtonnement step for
relative prices and a step ``1 + level`` times larger for the price level.
Without that second term the first rounds waste themselves on the level.

Safeguards: the step in log prices is scaled into a trust radius (in the
max-norm) that grows while the gaps shrink and shrinks when they grow; a round
that makes the gaps much worse drops the secant memory back to the prior;
gaps are taken from the signed gap, so a good nobody supplies or demands
gives a bounded value, never ``inf``; any non-finite step falls back to the
prior's step. Prices are ``p · exp(step)`` with a finite, bounded step, so
they stay positive and finite.

Far first guesses: a uniform change of all prices by ``e^c`` changes the log
gaps almost exactly by ``c·v`` for a fixed vector ``v`` (measured linear to
three digits for ``c`` up to ±2.3 on DEP-like economies), so a large mean log
gap in the first round says the *level* is wrong. The first step is then a
uniform move by the prior's level gain (``level_first``); its pair measures
``v`` exactly and the multisecant removes the level from every later step.
This costs one round against a start at the right level, instead of two or
three.

Economies far from DEP's (real input-output tables calibrated into councils)
have industries close to constant returns: a good's gap answers its own price
10–30 times over, not 5, and a prior step overshoots by that factor. The rule
therefore measures the answer: after each pair, the Barzilai–Borwein ratio
``Σ‖y‖²/Σ sᵀy`` of the pairs' relative parts (their mean removed), times
``adapt``, raises the prior's elasticity when it is larger (never lowers it,
never above ``max_elasticity``). On DEP-like economies the estimate stays
below 5/``adapt``, so nothing changes there; on Brazil 2019 it damps the steps
and cut the rounds to 1% from 21–57 to 17–27.

The same economies showed two failures of the multisecant model: pairs from far
off (the first rounds, when gaps were near ±2) make it promise to clear the
gaps with a tiny step that then barely moves them (a seven-good economy with
pollutants crawled for 25 rounds), and under Looking Forward's revision limits,
where proposals depend on the path, large extrapolated steps at small gaps set
off rounds of catching up that the pairs cannot explain. Safeguards: a step may
be at most ``step_cap`` times the prior's step; if the pairs promised to remove
half of the gaps and less than a tenth went, only the latest pair is kept; and
after ``reset_after`` rounds of growing gaps the memory is dropped.

The level-only first step uses the goods' categories when the board knows them
(:meth:`SecantRule.bind`): a wrong price level moves the demand for every final
good the same way (incomes are fixed in money), so the step is taken only if
at least ``coherence`` of the final goods' gaps share the sign of the mean.
Random relative errors on near-constant-returns industries also give a large
mean log gap (the log of a sum is convex), and a level move then only adds to
the error.

Where it is weaker: the prior's conditioning (``H0 J`` has eigenvalues from
about 0.2, on resources and labour, whose supply is fixed, to about 1.9, on
intermediate goods) bounds any Krylov-type rule at about 6 rounds to 3% from
700 on the harder generated economies, so a far start (+1 round) can need 8;
councils whose responses jump (increasing returns) or depend on the path
(revision limits) break the near-linearity that the secants rely on.

A finished period's pairs are folded into a dense inverse-Jacobian estimate
(:meth:`SecantRule.finish`), so next year's board starts from last year's
knowledge and needs one or two rounds after small changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from parecon.engine.gaps import signed_gaps
from parecon.engine.goods import GoodCategory, Goods
from parecon.engine.populations import FloatArray, ValueFlows
from parecon.engine.price_rules.base import PriceRule, register_rule
from parecon.engine.rule_state import ArrayOf, items_are
from parecon.exceptions import ValidationError

__all__ = ["SecantRule", "SecantState"]

_MAX_LOG_GAP = 6.0
"""Bound on ``|ln S − ln D|`` (a ratio of about 400): one-sided goods stay finite."""


_VECTOR = ArrayOf(("n",))


@dataclass(frozen=True)
class SecantState:
    """What the board remembers between rounds (and, folded, between years).

    Attributes
    ----------
    radius : float
        Current trust radius: the largest change of any log price next round.
    scale : float
        Fraction of the quasi-Newton step taken last round (< 1: cut to the radius).
    log_prices, log_gaps : list of ndarray of shape (n_goods,)
        The points ``q`` and ``f = ln S − ln D`` seen this period, oldest first.
    inverse : ndarray of shape (n_goods, n_goods), optional
        An inverse-Jacobian estimate carried over from a previous period, used
        instead of the structural prior.
    elasticity : float, optional
        The prior's elasticity as adapted this period (``None``: the setting).
    """

    radius: float
    scale: float = 1.0
    log_prices: list[FloatArray] = field(default_factory=list, metadata=items_are(_VECTOR))
    log_gaps: list[FloatArray] = field(default_factory=list, metadata=items_are(_VECTOR))
    inverse: FloatArray | None = None
    elasticity: float | None = None
    growing: int = 0
    predicted: float | None = None


def log_gaps(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """``ln S − ln D`` per good, bounded, 0 where nobody supplies or demands."""
    half = np.clip(0.5 * signed_gaps(supply, demand), -1.0, 1.0)
    with np.errstate(divide="ignore"):
        out = np.log1p(half) - np.log1p(-half)
    bounded: FloatArray = np.clip(out, -_MAX_LOG_GAP, _MAX_LOG_GAP)
    return bounded


@register_rule
@dataclass(repr=False)
class SecantRule(PriceRule):
    """Multisecant quasi-Newton on log prices with a trust radius.

    Parameters
    ----------
    elasticity : float, default 5
        Prior guess of how strongly a good's log gap reacts to its own log
        price; the first step is ``-f / elasticity`` for relative prices.
    level : float, default 4
        How many times more the price *level* may move than relative prices
        in the prior (see the module docstring).
    radius : float, default 0.5
        Initial trust radius on log prices (``e^0.5 ≈ 1.65``).
    max_radius, min_radius : float
        Bounds of the trust radius.
    memory : int, default 30
        Most recent secant pairs kept within a period.
    level_first : float, default 0.3
        If the mean log gap of the first round of a period (with no carried
        inverse) exceeds this in size, the first step moves only the price
        level (see the module docstring); ``inf`` turns this off.
    max_level : float, default 3
        Largest level move of that first step (``e^3 ≈ 20``).
    adapt : float, default 0.35
        Factor on the Barzilai–Borwein estimate of the elasticity from the
        secant pairs; the prior's elasticity rises to it when it is larger
        (see :meth:`_elasticity`); 0 keeps the prior fixed.
    max_elasticity : float, default 50
        Cap on that estimate.
    coherence : float, default 0.9
        With the goods' categories known (:meth:`bind`), the level-only first
        step needs at least this share of final goods to have gaps of the
        sign of the mean log gap.
    step_cap : float, default 5
        A multisecant step may be at most this many times the prior's step
        (max-norm): extrapolating far from small gaps is what the pairs do
        worst, and with path-dependent responses (revision limits) a large
        move when the gaps are small sets off many rounds of catching up.
        0 turns the cap off.
    reset_after : int, default 2
        After this many rounds in a row of growing gaps the pairs are
        dropped (0: never).
    stall : float, default 0.9
        If the pairs promised to remove at least half of ``‖f‖`` and the gaps
        fell by less than ``1 − stall``, only the latest ``stall_keep``
        points are kept (0 turns this off).
    stall_keep : int, default 2
    categories : tuple of int, optional
        Each good's :class:`~parecon.engine.goods.GoodCategory`, set by :meth:`bind`.
    """

    elasticity: float = 5.0
    level: float = 4.0
    radius: float = 0.5
    max_radius: float = 2.0
    min_radius: float = 0.01
    memory: int = 30
    level_first: float = 0.3
    max_level: float = 3.0
    adapt: float = 0.35
    max_elasticity: float = 50.0
    coherence: float = 0.9
    step_cap: float = 5.0
    reset_after: int = 2
    stall: float = 0.9
    stall_keep: int = 2
    categories: tuple[int, ...] | None = field(default=None, repr=False)
    name: ClassVar[str] = "secant"

    def __post_init__(self) -> None:
        if not (np.isfinite(self.elasticity) and self.elasticity > 0):
            raise ValidationError(f"elasticity must be > 0, got {self.elasticity!r}")
        if not (np.isfinite(self.level) and self.level >= 0):
            raise ValidationError(f"level must be >= 0, got {self.level!r}")
        if not 0 < self.min_radius <= self.radius <= self.max_radius < np.inf:
            raise ValidationError("need 0 < min_radius <= radius <= max_radius < inf")
        if self.memory < 1:
            raise ValidationError(f"memory must be >= 1, got {self.memory!r}")
        if not self.level_first > 0:
            raise ValidationError(f"level_first must be > 0, got {self.level_first!r}")
        if not (np.isfinite(self.max_level) and self.max_level > 0):
            raise ValidationError(f"max_level must be > 0, got {self.max_level!r}")
        if not (np.isfinite(self.adapt) and self.adapt >= 0):
            raise ValidationError(f"adapt must be >= 0, got {self.adapt!r}")
        if not self.elasticity <= self.max_elasticity < np.inf:
            raise ValidationError("need elasticity <= max_elasticity < inf")
        if not 0 <= self.coherence <= 1:
            raise ValidationError(f"coherence must be in [0, 1], got {self.coherence!r}")
        if not (np.isfinite(self.step_cap) and self.step_cap >= 0):
            raise ValidationError(f"step_cap must be >= 0, got {self.step_cap!r}")
        if self.reset_after < 0 or self.stall_keep < 1:
            raise ValidationError("need reset_after >= 0 and stall_keep >= 1")
        if not 0 <= self.stall < np.inf:
            raise ValidationError(f"stall must be >= 0, got {self.stall!r}")

    def bind(self, goods: Goods) -> SecantRule:
        """This rule, knowing each good's category (see :meth:`_level_is_off`)."""
        return replace(self, categories=tuple(int(c) for c in goods.categories))

    def _level_is_off(self, f: FloatArray) -> bool:
        """Do the first round's gaps say that the price *level* is wrong?

        Consumers' incomes are fixed in money, so a wrong level moves the
        demand for every final good (private and public) the same way. A
        large mean log gap whose sign most final goods do not share comes
        from relative prices instead (e.g. near-constant-returns industries
        far off their cost prices), and a level move would only add to it.
        """
        level = float(f.mean()) if f.size else 0.0
        if abs(level) <= self.level_first:
            return False
        if self.categories is None or len(self.categories) != f.size:
            return True
        cats = np.asarray(self.categories)
        final = np.isin(cats, [int(GoodCategory.PRIVATE), int(GoodCategory.PUBLIC)])
        if not final.any():
            return True
        agree = float((np.sign(f[final]) == np.sign(level)).mean())
        return agree >= self.coherence

    def start(self, prices: FloatArray) -> SecantState:
        return SecantState(radius=self.radius)

    def _prior(self, state: SecantState, x: FloatArray) -> FloatArray:
        """``H0 @ x`` for a vector or an (n_goods, k) matrix.

        ``H0 = (I + level·11ᵀ/n) / elasticity``, the inverse of
        ``elasticity·(I − α 11ᵀ/n)`` with ``α = level/(1 + level)``.
        """
        if state.inverse is not None:
            carried: FloatArray = state.inverse @ x
            return carried
        y = x / (state.elasticity or self.elasticity)
        out: FloatArray = y + self.level * y.mean(axis=0, keepdims=True)
        return out

    def _pairs(self, state: SecantState) -> tuple[FloatArray, FloatArray]:
        """Secant pairs ``S = Δq`` and ``Y = Δf``, each (n_goods, k)."""
        s = np.diff(np.array(state.log_prices), axis=0).T
        y = np.diff(np.array(state.log_gaps), axis=0).T
        return s, y

    def _step(self, state: SecantState, f: FloatArray) -> tuple[FloatArray, float | None]:
        """``−H f`` with ``H`` the type-II multisecant update of the prior, and
        the share of ``‖f‖`` that the pairs cannot explain (``None``: no pairs)."""
        prior_step = -self._prior(state, f)
        if len(state.log_prices) < 2:
            return prior_step, None
        s, y = self._pairs(state)
        # H = H0 + (S − H0 Y)(YᵀY)⁻¹Yᵀ honours H Y = S. With γ = argmin ‖f − Yγ‖:
        # −H f = −Sγ − H0 (f − Yγ): jump to the point that the pairs predict has
        # the least gap, then a prior step on what the pairs cannot explain.
        coef = np.linalg.lstsq(y, f, rcond=1e-10)[0]
        rest = f - y @ coef
        step: FloatArray = -s @ coef - self._prior(state, rest)
        if not np.isfinite(step).all():
            return prior_step, None
        size = float(np.linalg.norm(f))
        return step, (float(np.linalg.norm(rest)) / size if size > 0 else None)

    def update(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: SecantState,
        flows: ValueFlows | None = None,
    ) -> tuple[FloatArray, SecantState]:
        q = np.log(prices)
        f = log_gaps(supply, demand)
        state = self._observe(state, q, f)
        level = float(f.mean()) if f.size else 0.0
        if len(state.log_prices) == 1 and state.inverse is None and self._level_is_off(f):
            # Far from the right price level: move the level only, by the prior's
            # level gain. Uniform moves act almost linearly on the log gaps, so
            # this round's pair measures their effect exactly for later steps.
            gain = (1.0 + self.level) / self.elasticity
            move = float(np.clip(-gain * level, -self.max_level, self.max_level))
            return prices * np.exp(move), replace(state, scale=1.0, predicted=None)
        step, unexplained = self._step(state, f)
        largest = float(np.abs(step).max(initial=0.0))
        radius = state.radius
        if self.step_cap > 0:
            prior = float(np.abs(self._prior(state, f)).max(initial=0.0))
            radius = min(radius, max(self.step_cap * prior, self.min_radius))
        scale = min(1.0, radius / largest) if largest > 0 else 1.0
        predicted = None if unexplained is None else 1.0 - scale * (1.0 - unexplained)
        return prices * np.exp(scale * step), replace(state, scale=scale, predicted=predicted)

    def _observe(self, state: SecantState, q: FloatArray, f: FloatArray) -> SecantState:
        """Add the round to the memory and adapt the trust radius."""
        radius = state.radius
        growing = 0
        qs, fs = [*state.log_prices, q], [*state.log_gaps, f]
        if len(state.log_prices) >= 1:
            before = float(np.linalg.norm(state.log_gaps[-1]))
            now = float(np.linalg.norm(f))
            moved = float(np.abs(q - state.log_prices[-1]).max(initial=0.0))
            if now > 2.0 * before:
                # The model misled us: shrink, and keep only the latest pair.
                radius = max(self.min_radius, 0.5 * moved)
                qs, fs = qs[-2:], fs[-2:]
            elif (
                self.stall > 0
                and state.predicted is not None
                and state.predicted < 0.5
                and now > self.stall * before
            ):
                # The pairs promised to clear most of the gaps and barely
                # moved them: they describe other prices (far-off rounds, or
                # responses that depend on the path). Keep only the latest.
                qs, fs = qs[-self.stall_keep :], fs[-self.stall_keep :]
                if now > before:
                    radius = max(self.min_radius, 0.5 * max(moved, radius))
            elif now > before:
                radius = max(self.min_radius, 0.5 * max(moved, radius))
                growing = state.growing + 1
                if self.reset_after and growing >= self.reset_after:
                    # The gaps keep growing: the pairs no longer describe how
                    # the totals answer (e.g. revision limits make them depend
                    # on the path). Start learning afresh from here.
                    qs, fs = qs[-1:], fs[-1:]
                    growing = 0
            elif state.scale < 1.0 and before - now > 0.5 * state.scale * before:
                # A cut step delivered at least half the reduction it promised.
                radius = min(self.max_radius, 2.0 * radius)
        keep = self.memory + 1
        state = replace(
            state, radius=radius, log_prices=qs[-keep:], log_gaps=fs[-keep:], growing=growing
        )
        if self.adapt > 0 and len(state.log_prices) >= 2:
            state = replace(state, elasticity=self._elasticity(state))
        return state

    def _elasticity(self, state: SecantState) -> float:
        """The prior's elasticity, raised when the gaps answer more strongly.

        Barzilai–Borwein estimate ``Σ‖y‖² / Σ sᵀy`` over the period's pairs,
        on relative prices (each pair's mean removed; pure level moves skipped),
        times ``adapt``; never below ``elasticity`` nor below last round's
        estimate, so the prior only ever damps: near-constant-returns
        industries (supply elasticities of 10–30) then get steps that do not
        overshoot, while DEP-like economies keep the prior.
        """
        current = state.elasticity or self.elasticity
        s, y = self._pairs(state)
        size = np.linalg.norm(s, axis=0)
        s, y = s - s.mean(axis=0), y - y.mean(axis=0)
        relative = np.linalg.norm(s, axis=0) > 0.1 * size
        s, y = s[:, relative], y[:, relative]
        sy = float((s * y).sum())
        if not (sy > 0 and np.isfinite(sy)):
            return current
        estimate = self.adapt * float((y * y).sum()) / sy
        if not np.isfinite(estimate):
            return current
        return max(current, min(estimate, self.max_elasticity))

    def finish(
        self, prices: FloatArray, supply: FloatArray, demand: FloatArray, state: SecantState
    ) -> SecantState:
        """Fold this period's pairs into a dense inverse Jacobian for the next.

        The economy changes between periods, so points of different periods
        must not be paired; what carries over is the learned ``H``.
        """
        q = np.log(prices)
        if not state.log_prices or not np.array_equal(state.log_prices[-1], q):
            state = self._observe(state, q, log_gaps(supply, demand))
        eye = np.eye(prices.shape[0])
        if len(state.log_prices) < 2:
            return SecantState(radius=self.radius, inverse=state.inverse)
        s, y = self._pairs(state)
        inverse = self._prior(state, eye)
        h0_y = inverse @ y
        middle = np.linalg.pinv(s.T @ h0_y, rcond=1e-10)
        inverse = inverse + (s - h0_y) @ middle @ (s.T @ inverse)
        if not np.isfinite(inverse).all():
            return SecantState(radius=self.radius, inverse=state.inverse)
        return SecantState(radius=self.radius, inverse=inverse)
