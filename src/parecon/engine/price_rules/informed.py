"""A board informed by the councils' proposals: Newton steps on a value-flow model.

What it uses
------------
A real Iteration Facilitation Board receives every council's proposal: what a
worker council offers to produce and the inputs it asks for, what a consumer
council asks to consume. At the announced prices these add up to the
economy's *value-flow table* (:class:`~parecon.engine.populations.ValueFlows`):
who spends what on which good. The rule reads that table, the prices it
announced and the aggregate totals, and nothing else: no council's utility or
production parameters. Shards send back the table's few (n_goods, n_goods)
sums, never per-council proposals.

Why it converges in few rounds
------------------------------
The board seeks log prices ``q`` with ``f(q) = ln S − ln D = 0``. A worker
council whose proposal spends ``v`` on inputs out of revenue ``r`` has cost
shares ``v/r``; if its technology is Cobb-Douglas these are its input
exponents ``b``, its returns are ``θ = Σb + γ`` (``γ``: the share of effort,
which has no price and does not show in the table) and its proposal answers
prices as ``d ln z = ((θ e_out − b) / (1 − θ)) · dq`` for its output and
``d ln x_i = d ln z + dq_out − dq_i`` for each input. Consumer councils with
Cobb-Douglas tastes spend fixed budgets: ``d ln x_i = −dq_i``. Fixed supplies
(resources, capital, pledged hours, pollution permits) do not answer.
Summed council by council (in the populations, so heterogeneous producers of
the same good are not lumped into one average producer, whose error was 11%
of the Jacobian on DEP), this is an estimate ``J0`` of the Jacobian of ``f``,
refreshed every round at the current prices. On DEP economies it is within
1% of the exact Jacobian once ``γ`` is right, so Newton's method on it clears
every good to 3% in three rounds from prices at 700 or ×10 off, and in at most
eight from prices ``e^N(0, 2)`` off good by good. ``f`` is the exact
``ln S − ln D`` (:func:`log_ratios`), not the bounded gap: far off, ratios of
``e^40`` must read as 40, or the steps and the trust radius see no progress.

``γ`` is learned: the tables also carry ``∂J0/∂γ``, and after each round
the rule fits ``γ`` by least squares to the secant pairs (how ``f`` moved when
``q`` moved), one number for the economy, clipped to ``[0, max_effort_share]``.
Final users' substitution elasticity ``σ`` is learned alongside (the tables
carry final users' ``Σ v vᵀ / Σ v``, see
:attr:`~parecon.engine.populations.ValueFlows.substitution`), so CES tastes at
any ``σ`` are in the model; it starts at 1 (Cobb-Douglas) and moves only where
it explains half of what ``γ`` leaves. Pairs across long relative moves
(``pair_reach``) are left out of both fits: they measure curvature; only while
no pair is that short (far starts) is ``σ`` read from pairs within
``substitution_reach``.
What the model misses beyond ``γ`` and ``σ`` (permit schedules, fixed final
demands that do not answer prices, nonlinearity far away) is corrected by a
type-I multisecant update of ``J0`` from the last ``memory`` pairs:
``J = J0 + E`` with ``E`` the smallest change for which ``J`` reproduces the
pairs' residuals ``y − J0 s``.

Safeguards: the step ``−J⁻¹ f`` (least squares if ``J`` is singular; goods
with no information get the tâtonnement row ``elasticity``) is cut into a
trust radius in the max-norm, which grows when a round delivered what the
linear model promised and shrinks when it did not; if the gaps more than
doubled, the correction memory is dropped. One-sided goods (nobody supplies,
or nobody demands) get a bounded value, a non-finite step falls back to a
tâtonnement step, and prices are ``p · exp(step)`` with a bounded step, so
they stay positive and finite. Without flows (a board that does not collect
them) ``J0`` is the ``secant`` rule's structural prior.

Councils that lag
-----------------
People answer part of a price change at once and catch up later. The rule reads a
share ``w`` answering only ``λ`` of the way each round from its rounds
(:func:`~parecon.engine.price_rules.lag.fit_lag`), and only where that explains more
than a response that is merely smaller than the table says. With a lag read, each step
clears the next round's proposals, catching-up included (``f + λU + ρ J s = 0``), the
pairs are read in the caught-up gaps ``f + U``, ``γ`` and ``σ`` are not refitted, and
no step exceeds half the gaps it aims to clear (50% sluggish councils: 5 rounds to 3%
instead of 7; councils answering in full never read a lag). After the first move alone,
a response uniformly short of the model is hedged as a provisional lag
(:meth:`InformedRule._first_lag`).

Stiff producers
---------------
Councils with near-constant returns (``1 − θ`` of a few per cent) answer prices
20–100 times over, and a good's supply sums producers whose slopes differ
five-fold: no linear model holds over the steps the gaps ask for (even the
exact Jacobian took 14–25 rounds to 3%). There the populations read each
council's ``θ`` from two of its proposals and the flows carry
:class:`~parecon.engine.populations.ProducerGroups` (producers by good, supply
response and main input); the step then solves ``f + J s + c(s) = 0`` in the
trust radius, ``c`` the groups' curvature (:func:`curvature`), without the
multisecant correction (3–6 rounds to 3% on the tests' economies, at most 5 on
the study's, instead of 26–54; docs/convergence.md).

Where it fails
--------------
Councils are read as Cobb-Douglas: one ``γ`` where their returns are not read
(the first round, councils that lag or wobble), the groups' curvature beyond
their bins. Councils that lag are read as one lag for the economy (:mod:`.lag`): a lag
that differs by good, or councils absent at random (a lag only on average), are read
late or not at all, and sluggish councils with near-constant returns converge under no
rule (their returns are not read). Under
revision limits proposals depend on the path, not on prices (the table is of
the limited proposals the board receives). Councils whose proposals jump
(increasing returns, switching on and off) break any local model; the rule
still stops cleanly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from parecon.engine.populations import FloatArray, ProducerGroups, ValueFlows
from parecon.engine.price_rules.base import PriceRule, register_rule
from parecon.engine.price_rules.lag import NO_LAG, Lag, Move, fit_lag, pending
from parecon.engine.price_rules.secant import log_gaps
from parecon.engine.rule_state import ArrayOf, items_are, value_is
from parecon.exceptions import ValidationError

__all__ = [
    "Curvature",
    "InformedRule",
    "InformedState",
    "curvature",
    "log_ratios",
    "model_jacobian",
]


def log_ratios(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """``ln S − ln D`` per good, exact wherever both are positive.

    Unlike the bounded gaps (:func:`~parecon.engine.price_rules.secant.log_gaps`),
    a ratio of ``e^40`` reads as 40, not as the bound: far from clearing the
    Newton step needs to know how far, and a trust region judged on
    saturated gaps sees no progress and collapses. One-sided goods (nobody
    supplies, or nobody demands) keep the bounded value.
    """
    bounded = log_gaps(supply, demand)
    both = (supply > 0) & (demand > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exact = np.log(supply) - np.log(demand)
    out: FloatArray = np.where(both & np.isfinite(exact), exact, bounded)
    return out


Point = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
"""``(q, f, J0, slopes)`` of one round: log prices, log ratios, the model
Jacobian at the current ``γ`` and ``σ``, and its derivatives, shape (2, n, n)."""


_SLOPES = ArrayOf((2, "n", "n"))
_MOVE = (ArrayOf(("n",), finite=False), ArrayOf(("n",), finite=False), bool)


@dataclass(frozen=True)
class InformedState:
    """What the board remembers between rounds (``γ`` and ``σ`` also between years).

    Attributes
    ----------
    radius : float
        Current trust radius (largest change of any log price).
    effort_share : float
        Current estimate of ``γ``.
    points : list of tuple
        ``(q, f, J0, ∂J0/∂(γ, σ))`` of the period's recent rounds, oldest first.
    predicted : float, optional
        ``‖f + J·step‖`` the linear model promised for this round.
    substitution : float
        Current estimate of final users' substitution elasticity ``σ``.
    moves : tuple
        The period's rounds as :data:`~parecon.engine.price_rules.lag.Move`
        (predicted and observed changes), from which the councils' lag is read.
    lag : Lag
        The lag read in the last round (:data:`~parecon.engine.price_rules.lag.NO_LAG`
        while the councils answer in full).
    expected : tuple, optional
        The last step and the change of ``f`` the full-answer model (curvature
        included) expected from it.
    """

    radius: float
    effort_share: float
    points: list[Point] = field(
        default_factory=list,
        metadata=items_are((ArrayOf(("n",)), ArrayOf(("n",)), ArrayOf(("n", "n")), _SLOPES)),
    )
    predicted: float | None = None
    substitution: float = 1.0
    moves: tuple[Move, ...] = field(default=(), metadata=items_are(_MOVE))
    lag: Lag = NO_LAG
    expected: tuple[FloatArray, FloatArray] | None = field(
        default=None, metadata=value_is((ArrayOf(("n",)), ArrayOf(("n",))))
    )


def model_jacobian(flows: ValueFlows, substitution: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """``J0 = ∂(ln S − ln D)/∂ln p`` implied by the value flows, and its slopes.

    ``substitution`` is final users' ``σ`` (1: Cobb-Douglas). The slopes,
    shape (2, n_goods, n_goods), are ``∂J0/∂γ`` and ``∂J0/∂σ``. Rows of goods
    nobody supplies (or demands) have zero supply (demand) terms.
    """
    supply_value, demand_value = flows.supply_value, flows.demand_value
    final = np.diag(flows.final)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv_s = np.where(supply_value > 0, 1.0 / supply_value, 0.0)
        inv_d = np.where(demand_value > 0, 1.0 / demand_value, 0.0)
        cross = flows.substitution - final
        demand_response = flows.demand_response - final + (substitution - 1.0) * cross
        jac = inv_s[:, None] * flows.supply_response - inv_d[:, None] * demand_response
        slopes = np.stack(
            [
                inv_s[:, None] * flows.supply_slope - inv_d[:, None] * flows.demand_slope,
                -inv_d[:, None] * cross,
            ]
        )
    bad = ~(np.isfinite(jac).all(axis=1) & np.isfinite(slopes).all(axis=(0, 2)))
    jac[bad], slopes[:, bad] = 0.0, 0.0  # rows the model cannot describe: fallback rows
    return jac, slopes


Curvature = Callable[[FloatArray, bool], tuple[FloatArray, FloatArray | None]]
"""``c(s)`` and, if asked, ``∂c/∂s`` (see :func:`curvature`)."""


def curvature(flows: ValueFlows, groups: ProducerGroups) -> Curvature:
    """``c(s)``: what the grouped producers' supply and input demand add to ``f``
    beyond its linearisation at ``s = 0``, and ``∂c/∂s`` when asked (a trial step
    needs only the value; the Jacobian costs groups × goods² to build).

    Supply of ``g`` at log-price step ``s`` is ``Σ_groups R e^{A s} + X`` and
    demand of ``i`` is ``e^{−s_i} (Σ_groups V_i e^{(A + e_g) s} + Y_i)``, with
    ``X`` and ``Y`` the value the groups leave out (fixed supplies; final users,
    whose spending is held in value); ``c(s) = φ(s) − φ(0) − φ'(0) s`` for
    ``φ = ln S − ln D``. Sums are shifted by their largest exponent, so steps
    that move outputs by ``e^{300}`` stay finite.
    """
    n = flows.n_goods
    good, revenue = groups.good, groups.revenue
    response, spending = groups.response, groups.spending
    m = good.shape[0]
    own = np.zeros((m, n))
    own[np.arange(m), good] = 1.0
    rest_supply = np.maximum(flows.supply_value - np.bincount(good, revenue, minlength=n), 0.0)
    rest_demand = np.maximum(flows.demand_value - spending.sum(axis=0), 0.0)
    described = (flows.supply_value > 0) & (flows.demand_value > 0)
    input_response = response + own
    spends = spending > 0

    def phi(step: FloatArray, with_slope: bool) -> tuple[FloatArray, FloatArray | None]:
        a = response @ step
        top = np.full(n, -np.inf)
        np.maximum.at(top, good, a)
        top = np.where(np.isfinite(top), np.maximum(top, 0.0), 0.0)
        u = revenue * np.exp(a - top[good])
        supply = np.bincount(good, u, minlength=n) + rest_supply * np.exp(-top)
        c = a + step[good]
        c_top = np.where(spends, c[:, None], -np.inf).max(axis=0, initial=-np.inf)
        c_top = np.where(np.isfinite(c_top), np.maximum(c_top, 0.0), 0.0)
        weights = spending * np.exp(np.minimum(c[:, None] - c_top[None, :], 0.0))
        weights = np.where(spends, weights, 0.0)
        demand = weights.sum(axis=0) + rest_demand * np.exp(-c_top)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.log(supply) + top - np.log(demand) - c_top + step
        value = np.where(described & np.isfinite(value), value, 0.0)
        if not with_slope:
            return value, None
        d_supply = (own * u[:, None]).T @ response
        d_demand = weights.T @ input_response
        with np.errstate(divide="ignore", invalid="ignore"):
            # (the −s_i of demand enters as + s_i in ln S − ln D)
            jac = d_supply / supply[:, None] - d_demand / demand[:, None] + np.eye(n)
        jac[~(described & np.isfinite(jac).all(axis=1))] = 0.0
        return value, jac

    base, at_zero = phi(np.zeros(n), True)
    slope = np.zeros((n, n)) if at_zero is None else at_zero

    def extra(step: FloatArray, with_slope: bool) -> tuple[FloatArray, FloatArray | None]:
        value, jac = phi(step, with_slope)
        return value - base - slope @ step, None if jac is None else jac - slope

    return extra


@register_rule
@dataclass(repr=False)
class InformedRule(PriceRule):
    """Newton steps on a Jacobian read from the proposals' value flows.

    Parameters
    ----------
    effort_share_ : float, default 0.02
        First guess of ``γ``, the unpriced effort share of producers' returns
        (trailing underscore: :meth:`effort_share` reads the current estimate
        from the state).
    max_effort_share : float, default 0.3
        Upper bound of the fitted ``γ``.
    fit_effort : bool, default True
        Learn ``γ`` from the rounds.
    fit_substitution : bool, default True
        Learn final users' substitution elasticity ``σ`` from the rounds
        (first guess 1, Cobb-Douglas), within ``[0, max_substitution]``.
    max_substitution : float, default 50
    substitution_gain : float, default 0.5
        Share of what ``γ`` leaves unexplained that ``σ`` must explain to be
        changed (see :meth:`_fit_parameters`).
    radius : float, default 3
        Initial trust radius on log prices (``e^3 ≈ 20``: a far start's level
        is fixed in one step).
    max_radius, min_radius : float
    memory : int, default 3
        Secant pairs used to correct ``J0``.
    elasticity : float, default 5
        Own elasticity of the fallback rows (goods the flows say nothing about)
        and of the prior when no flows are given.
    pair_reach : float, default 2
        Pairs of rounds whose relative prices moved more than this (max-norm
        of the log-price step less its mean) are not used to fit ``γ`` and
        ``σ`` nor to correct ``J0``: they measure the curvature between
        far-apart points, not the Jacobian here.
    substitution_reach : float, default 3
        While no pair lies within ``pair_reach`` (the first rounds from far
        starts), ``σ`` is fitted to the pairs within this longer reach: a final
        user's own-price answer ``−σ dq`` is linear in log prices, so such pairs
        still read ``σ``. With ``pair_reach`` alone ``σ`` was learned only in
        round 5 (CES σ = 5 from ``e^N(0, 2)``: 9 rounds to 3%, 6 with this).
    fit_lag : bool, default True
        Read how far councils lag behind the prices (:mod:`.lag`) and aim each
        step at the next round's proposals, lag included.
    lag_gain, lag_keep_gain : float, default 0.25 and 0.1
        Share of the better full-answer model's squared error (as proposed, or only
        smaller) a lag must explain to be read; once read, to be kept (a lag that
        came and went with each round's draw of absent councils cost rounds).
    lag_memory : int, default 20
        Rounds of the period the lag is read from.
    first_lag_below, first_lag_pace, first_lag_fit : float, default 0.95, 0.3 and 0.2
        A provisional lag read from the first move alone (:meth:`_first_lag`):
        when the gaps moved less than ``first_lag_below`` of what the model said,
        uniformly (misfit within ``first_lag_fit``), the shortfall is read as a lag
        of pace ``first_lag_pace``; 0 turns it off. (With 20% sluggish, 5% fixed,
        10% noisy and 10% absent councils: 5 rounds to 3% instead of 7; paces of
        0.5 and 0.7 cost the sluggish economy a round.)
    """

    effort_share_: float = 0.02
    max_effort_share: float = 0.3
    fit_effort: bool = True
    fit_substitution: bool = True
    max_substitution: float = 50.0
    substitution_gain: float = 0.5
    radius: float = 3.0
    max_radius: float = 3.0
    min_radius: float = 0.01
    memory: int = 3
    elasticity: float = 5.0
    pair_reach: float = 2.0
    substitution_reach: float = 3.0
    model_iterations: int = 30
    fit_lag: bool = True
    lag_gain: float = 0.25
    lag_keep_gain: float = 0.1
    lag_memory: int = 20
    first_lag_below: float = 0.95
    first_lag_pace: float = 0.3
    first_lag_fit: float = 0.2
    name: ClassVar[str] = "informed"
    uses_flows: ClassVar[bool] = True
    stalls_on_noise: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not 0 <= self.effort_share_ <= self.max_effort_share < 1:
            raise ValidationError("need 0 <= effort_share_ <= max_effort_share < 1")
        if not (np.isfinite(self.max_substitution) and self.max_substitution >= 1):
            raise ValidationError(f"max_substitution must be >= 1, got {self.max_substitution!r}")
        if not 0 < self.min_radius <= self.radius <= self.max_radius < np.inf:
            raise ValidationError("need 0 < min_radius <= radius <= max_radius < inf")
        if self.memory < 0:
            raise ValidationError(f"memory must be >= 0, got {self.memory!r}")
        if not (np.isfinite(self.elasticity) and self.elasticity > 0):
            raise ValidationError(f"elasticity must be > 0, got {self.elasticity!r}")
        if not 0 <= self.substitution_gain <= 1:
            raise ValidationError(
                f"substitution_gain must be in [0, 1], got {self.substitution_gain!r}"
            )
        if not self.pair_reach > 0:
            raise ValidationError(f"pair_reach must be > 0, got {self.pair_reach!r}")
        if not 0 <= self.first_lag_below <= 1:
            raise ValidationError(
                f"first_lag_below must be in [0, 1], got {self.first_lag_below!r}"
            )
        if not 0 < self.first_lag_pace < 1:
            raise ValidationError(f"first_lag_pace must be in (0, 1), got {self.first_lag_pace!r}")
        if not self.first_lag_fit >= 0:
            raise ValidationError(f"first_lag_fit must be >= 0, got {self.first_lag_fit!r}")
        if not self.substitution_reach > 0:
            raise ValidationError(
                f"substitution_reach must be > 0, got {self.substitution_reach!r}"
            )

    def start(self, prices: FloatArray) -> InformedState:
        return InformedState(radius=self.radius, effort_share=self.effort_share_)

    def effort_share(self, state: InformedState) -> float:
        return float(state.effort_share) if isinstance(state, InformedState) else 0.0

    def _model(
        self, flows: ValueFlows | None, n: int, substitution: float
    ) -> tuple[FloatArray, FloatArray]:
        if flows is None or flows.supply_response.shape != (n, n):
            # No table: the secant rule's structural prior (relative prices
            # answer with ``elasticity``, the level five times less).
            jac = self.elasticity * (np.eye(n) - 0.8 * np.ones((n, n)) / n)
            return jac, np.zeros((2, n, n))
        jac, slopes = model_jacobian(flows, substitution)
        empty = np.abs(jac).sum(axis=1) <= 1e-12
        jac[empty, :] = 0.0
        jac[empty, empty] = self.elasticity
        return jac, slopes

    def _radius(self, state: InformedState, q: FloatArray, f: FloatArray) -> tuple[float, bool]:
        """The trust radius for this round, and whether to forget older points."""
        radius = state.radius
        if not state.points:
            return radius, False
        before = float(np.linalg.norm(state.points[-1][1]))
        now = float(np.linalg.norm(f))
        moved = float(np.abs(q - state.points[-1][0]).max(initial=0.0))
        promised = state.predicted
        if now > 2.0 * before:
            return max(self.min_radius, 0.5 * moved), True
        if now > before:
            return max(self.min_radius, 0.5 * min(radius, moved)), False
        if promised is not None and before - promised > 0:
            ratio = (before - now) / (before - promised)
            if ratio < 0.25:
                radius = max(self.min_radius, 0.5 * min(radius, moved))
            elif ratio > 0.75 and moved >= 0.9 * radius:
                radius = min(self.max_radius, 2.0 * radius)
        return radius, False

    def update(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: InformedState,
        flows: ValueFlows | None = None,
    ) -> tuple[FloatArray, InformedState]:
        n = prices.shape[0]
        q = np.log(prices)
        f = log_ratios(supply, demand)
        sigma = float(state.substitution)
        jac, slopes = self._model(flows, n, sigma)
        gamma = state.effort_share
        if flows is not None:
            gamma = float(flows.effort_share)
        radius, forget = self._radius(state, q, f)
        groups = flows.groups if flows is not None else None
        curved = groups is not None and bool(groups.good.size)
        moves, lag = self._lag(state, q, f, jac)
        points = state.points[-1:] if forget else state.points
        points = [*points, (q, f, jac, slopes)][-(self.memory + 1) :]
        # the pairs are read where the full-answer model holds: gaps once every
        # council has caught up, f + U (the same points while no lag is read)
        behind = pending(lag, moves) if lag.active else []
        shifted = [
            (a, b + u, c, d)
            for (a, b, c, d), u in zip(points, self._align(behind, len(points), f), strict=True)
        ]
        # (while a lag is read, the pairs measure it, not γ or σ: refitting them to
        # the caught-up gaps sent a sluggish economy's 7% gap to 14% in a round)
        if flows is not None and len(shifted) >= 2 and not lag.active:
            jac, moved, gamma, sigma = self._refit(shifted, gamma, sigma)
            points = [(a, raw[1], c, d) for (a, _b, c, d), raw in zip(moved, points, strict=True)]
            shifted = moved
        # the step clears next round's proposals: f + λU + ρ J s = 0
        target = (f + lag.pace * behind[-1]) / lag.at_once if lag.active else f
        model = jac  # the full-answer model, what a lag is read against next round
        if not curved:
            jac = self._corrected(jac, shifted, target, lag.active)
        # (with grouped producers the pairs' departures from J are mostly the
        # curvature the model now holds: correcting J by them counts it twice,
        # 9–27 rounds to 3% instead of 5–8 on the tests' near-constant economies)
        if lag.active:
            # a lag read from few rounds is an estimate: no step beyond half the gaps
            # it aims to clear (a weak direction of J0 asked 6× on the mix; with 20%
            # absent councils a step of the gaps' size took 19 rounds to 3%, half 10)
            radius = min(radius, max(self.min_radius, 0.5 * float(np.abs(target).max())))
        step = self._newton(jac, target)
        if float(np.abs(step).max(initial=0.0)) > radius:
            step = self._damped(jac, target, radius)
        predicted = float(np.linalg.norm(target + jac @ step))
        if curved and flows is not None and groups is not None:
            extra = curvature(flows, groups)
            step, predicted = self._curved_step(jac, target, extra, step, radius)
            expected = model @ step + extra(step, False)[0]
        else:
            expected = model @ step
        predicted *= lag.at_once
        new_state = replace(
            state,
            radius=radius,
            effort_share=gamma,
            points=points,
            predicted=predicted,
            substitution=sigma,
            moves=moves,
            lag=lag,
            expected=(step, expected),
        )
        return prices * np.exp(step), new_state

    def _corrected(
        self, jac: FloatArray, points: list[Point], target: FloatArray, lagging: bool
    ) -> FloatArray:
        """``J0 + E``; with a lag read, ``J0`` alone where ``E`` would more than
        double the step (the pairs' departures are then mostly the lag's misfit: such
        a correction sent a 7% gap to 83% in one round on sluggish councils)."""
        corrected = jac + self._correction(points)
        if not lagging:
            return corrected
        plain = float(np.abs(self._newton(jac, target)).max(initial=0.0))
        bold = float(np.abs(self._newton(corrected, target)).max(initial=0.0))
        return corrected if bold <= 2.0 * plain else jac

    def _lag(
        self, state: InformedState, q: FloatArray, f: FloatArray, jac: FloatArray
    ) -> tuple[tuple[Move, ...], Lag]:
        """The period's moves with this round's added, and the lag they show."""
        if not self.fit_lag or not state.points:
            return state.moves, NO_LAG
        q0, f0, j0, _ = state.points[-1]
        s = q - q0
        relative = s - s.mean() if s.size else s
        usable = float(np.abs(relative).max(initial=0.0)) <= self.pair_reach
        predicted = 0.5 * (j0 + jac) @ s
        if state.expected is not None and np.allclose(state.expected[0], s, atol=1e-9):
            predicted = state.expected[1]
        moves = (*state.moves, (predicted, f - f0, usable))[-self.lag_memory :]
        if not all(np.isfinite(m[0]).all() and np.isfinite(m[1]).all() for m in moves):
            return moves, NO_LAG
        gain = self.lag_keep_gain if state.lag.active else self.lag_gain
        lag = fit_lag(moves, gain=gain)
        if not lag.active and len(moves) == 1 and usable:
            lag = self._first_lag(moves[0])
        return moves, lag

    def _first_lag(self, move: Move) -> Lag:
        """A provisional lag read from the period's first move, or :data:`NO_LAG`.

        One move cannot tell a lag from a smaller response (:func:`fit_lag` waits
        for two), but the two call for opposite steps: a lag's pending answer
        ``U = (1 − ρ) a`` arrives next round on top of the step, while a smaller
        response never does. When the change ``y`` is the model's ``a`` scaled
        down (``ρ = y·a/a·a`` below ``first_lag_below``, the rest within
        ``first_lag_fit`` of ``|y|``), the rule hedges: it reads a lag with that
        ``ρ`` and pace ``first_lag_pace``, so the step expects part of ``U``
        (pace 0.5 would split the difference; the hedge leans to the response).
        Next round the two-move fit confirms or drops it.
        """
        if self.first_lag_below <= 0:
            return NO_LAG
        a, y, _ = move
        aa = float(a @ a)
        if not aa > 0:
            return NO_LAG
        rho = float(y @ a) / aa
        misfit = float(np.linalg.norm(y - rho * a))
        if not (0.5 < rho < self.first_lag_below) or misfit > self.first_lag_fit * float(
            np.linalg.norm(y)
        ):
            return NO_LAG
        share = min(1.0, (1.0 - rho) / (1.0 - self.first_lag_pace))
        return Lag(share, self.first_lag_pace)

    @staticmethod
    def _align(behind: list[FloatArray], count: int, f: FloatArray) -> list[FloatArray]:
        """The pending answers at the last ``count`` points (zeros where unknown)."""
        zero = np.zeros_like(f)
        tail = behind[-count:] if behind else []
        return [zero] * (count - len(tail)) + tail

    def _refit(
        self, points: list[Point], gamma: float, sigma: float
    ) -> tuple[FloatArray, list[Point], float, float]:
        """Fit ``γ`` and ``σ`` to the pairs; the latest ``J0`` and the points moved to them."""
        fitted = [self.fit_effort, self.fit_substitution]
        delta = self._fit_parameters(points, fitted, self.pair_reach)
        if self.fit_substitution and not self._pairs(points):
            # far starts: every pair so far is long; σ can be read from them
            delta[1] = self._fit_parameters(points, fitted, self.substitution_reach)[1]
        new_gamma = float(np.clip(gamma + delta[0], 0.0, self.max_effort_share))
        new_sigma = float(np.clip(sigma + delta[1], 0.0, self.max_substitution))
        shift = np.array([new_gamma - gamma, new_sigma - sigma])
        moved = [(a, b, c + np.tensordot(shift, d, axes=1), d) for a, b, c, d in points]
        return moved[-1][2], moved, new_gamma, new_sigma

    def _curved_step(
        self,
        jac: FloatArray,
        f: FloatArray,
        extra: Curvature,
        linear_step: FloatArray,
        radius: float,
    ) -> tuple[FloatArray, float]:
        """The step that solves ``f + J s + c(s) = 0`` within the trust radius.

        Damped Newton on the model from the better of no step and the linear
        model's step, each trial clipped into the radius; the model's residual
        norm there is what the round is judged against.
        """

        def residual_at(step: FloatArray) -> FloatArray:
            out: FloatArray = f + jac @ step + extra(step, False)[0]
            return out

        def slope_at(step: FloatArray) -> FloatArray:
            curve = extra(step, True)[1]
            return jac if curve is None else jac + curve

        best = np.zeros_like(f)
        residual = residual_at(best)
        trial = residual_at(linear_step)
        if np.isfinite(trial).all() and np.linalg.norm(trial) < np.linalg.norm(residual):
            best, residual = linear_step, trial
        norm = float(np.linalg.norm(residual))
        for _ in range(self.model_iterations):
            slope = slope_at(best)
            direction = self._newton(slope, residual)
            if float(np.abs(best + direction).max(initial=0.0)) > radius:
                direction = self._damped(slope, residual, radius)
            t = 1.0
            while t > 1e-4:
                candidate = np.clip(best + t * direction, -radius, radius)
                value = residual_at(candidate)
                value_norm = float(np.linalg.norm(value))
                if np.isfinite(value_norm) and value_norm < (1.0 - 1e-4 * t) * norm:
                    break
                t *= 0.5
            else:
                break
            best, residual, norm = candidate, value, value_norm
            if norm < 1e-12:
                break
        if not best.any():  # the model's residual grows every way: the linear step
            return linear_step, float(np.linalg.norm(f + jac @ linear_step))
        return best, norm

    def _newton(self, jac: FloatArray, f: FloatArray) -> FloatArray:
        try:
            step: FloatArray = np.asarray(-np.linalg.solve(jac, f), dtype=np.float64)
        except np.linalg.LinAlgError:
            step = np.asarray(-np.linalg.lstsq(jac, f, rcond=1e-10)[0], dtype=np.float64)
        if not np.isfinite(step).all():
            fallback: FloatArray = -f / self.elasticity
            return fallback
        return step

    def _damped(self, jac: FloatArray, f: FloatArray, radius: float) -> FloatArray:
        """The Levenberg–Marquardt step ``−(JᵀJ + μI)⁻¹Jᵀf`` with the smallest
        ``μ`` that keeps it within ``radius`` (max-norm): the least-squares
        model's best step in the trust region, not the Newton step cut short,
        which far from equilibrium is mostly the weakly determined price level."""
        values, vectors = np.linalg.eigh(jac.T @ jac)
        values = np.maximum(values, 0.0)
        rhs = vectors.T @ (jac.T @ f)

        def step_at(mu: float) -> FloatArray:
            out: FloatArray = -(vectors @ (rhs / (values + mu)))
            return out

        top = float(values.max(initial=0.0))
        lo, hi = 1e-12 * max(top, 1e-300), max(top, 1e-300)
        while float(np.abs(step_at(hi)).max(initial=0.0)) > radius and hi < 1e300:
            hi *= 10.0
        for _ in range(60):
            mid = float(np.sqrt(lo * hi))
            if float(np.abs(step_at(mid)).max(initial=0.0)) > radius:
                lo = mid
            else:
                hi = mid
            if hi / lo < 1.01:
                break
        step = step_at(hi)
        if not np.isfinite(step).all():
            fallback: FloatArray = np.clip(-f / self.elasticity, -radius, radius)
            return fallback
        return step

    def _pairs(self, points: list[Point], reach: float | None = None) -> list[Point]:
        """``(s, y, J_mid, slopes_mid)`` of consecutive points within ``reach``
        (default ``pair_reach``).

        A pair across a long step measures the curvature between its ends, not
        the Jacobian here: fitting ``γ`` or correcting ``J0`` to it misleads.
        Moves of the price level alone act almost linearly (incomes are fixed in
        money), so only the relative part of the step (its mean removed) counts.
        """
        reach = self.pair_reach if reach is None else reach
        out = []
        for (q0, f0, j0, d0), (q1, f1, j1, d1) in itertools.pairwise(points):
            s = q1 - q0
            relative = s - s.mean() if s.size else s
            if float(np.abs(relative).max(initial=0.0)) > reach:
                continue
            out.append((s, f1 - f0, 0.5 * (j0 + j1), 0.5 * (d0 + d1)))
        return out

    def _fit_parameters(self, points: list[Point], fitted: list[bool], reach: float) -> FloatArray:
        """Least-squares changes of ``(γ, σ)`` that best explain the pairs within
        ``reach`` (0 where not fitted).

        ``σ`` is changed only if it explains at least ``substitution_gain`` of
        what the model with ``γ`` alone leaves unexplained: with Cobb-Douglas
        tastes its direction fits only curvature and noise, which a second
        parameter would chase.
        """
        k = len(fitted)
        gram, rhs, unexplained = np.zeros((k, k)), np.zeros(k), 0.0
        for s, y, jac, slopes in self._pairs(points, reach):
            cols = np.stack([slope @ s for slope in slopes])  # (k, n)
            resid = y - jac @ s
            gram += cols @ cols.T
            rhs += cols @ resid
            unexplained += float(resid @ resid)
        out = np.zeros(k)
        use = [i for i in range(k) if fitted[i] and gram[i, i] > 0]
        if not use:
            return out
        solved = self._least_squares(gram, rhs, use)
        if 1 in use and 0 in use:
            alone = self._least_squares(gram, rhs, [0])
            gain = float(rhs @ solved) - float(rhs @ alone)
            if gain < self.substitution_gain * (unexplained - float(rhs @ alone)):
                solved = alone
        elif 1 in use and float(rhs @ solved) < self.substitution_gain * unexplained:
            solved = np.zeros(k)
        return solved

    @staticmethod
    def _least_squares(gram: FloatArray, rhs: FloatArray, use: list[int]) -> FloatArray:
        """The normal equations' solution in the parameters ``use`` (others 0)."""
        out = np.zeros(rhs.shape[0])
        solved = np.linalg.lstsq(gram[np.ix_(use, use)], rhs[use], rcond=1e-8)[0]
        if np.isfinite(solved).all():
            out[use] = solved
        return out

    def _correction(self, points: list[Point]) -> FloatArray:
        """``E`` with ``(J0 + E) s = y`` on the pairs and least Frobenius norm."""
        n = points[-1][0].shape[0]
        pairs = self._pairs(points)
        if not pairs or self.memory == 0:
            return np.zeros((n, n))
        s = np.column_stack([p[0] for p in pairs])
        resid = np.column_stack([p[1] - p[2] @ p[0] for p in pairs])
        gram_inv = np.linalg.pinv(s.T @ s, rcond=1e-10)
        correction: FloatArray = resid @ gram_inv @ s.T
        if not np.isfinite(correction).all():
            return np.zeros((n, n))
        return correction

    def finish(
        self,
        prices: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        state: InformedState,
    ) -> InformedState:
        """Next period keeps the learned ``γ`` and ``σ``, not this period's pairs."""
        return InformedState(
            radius=self.radius,
            effort_share=state.effort_share,
            substitution=state.substitution,
        )
