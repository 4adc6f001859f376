"""The interface every kind of council population implements.

A population is a block of councils of one kind stored as arrays (a struct of
arrays). The facilitation board only ever needs a population's *totals* per
good at the announced prices, so :meth:`Population.respond` returns two
vectors of length ``n_goods``; per-council proposals are computed only on
request (:meth:`Population.proposals`). New kinds of council plug in by
subclassing; the planning procedure never looks inside.

What the rest of the engine needs to know about a kind (the plan's accounts,
the closed economy, revision limits, the reference equilibrium, the linear
plan) is declared here too, as the class's :attr:`Population.role` and a few
methods with defaults, so those modules never ask which concrete kind they
hold and a new kind plugs in without editing them.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from parecon.engine.goods import Goods
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "RETURNS_CLIP",
    "FloatArray",
    "Population",
    "ProducerGroups",
    "Proposals",
    "Response",
    "Role",
    "ValueFlows",
    "effort_weights",
    "final_substitution",
    "flows_from_proposals",
    "producer_groups",
    "returns_from_moves",
    "returns_from_proposals",
    "stiff",
]

RETURNS_CLIP = 0.999
"""The largest returns read from proposals (:func:`returns_from_moves`); a council
read at it answers as increasing returns would, and keeps the board's ``Σb + γ``
in the value flows unless the economy is stiff."""
STIFF_RESPONSE = 15.0
"""Median supply response ``1/(1 − θ)`` of producers whose returns were read from
their proposals from which the value flows also carry
:class:`ProducerGroups` (θ of about 0.93 and more; DEP's councils: 4–8, Brazil
2019's: median 8.6, near-constant returns: 20–100, median about 33). Below it
the linear model (each council's returns read, with the multisecant correction)
does better (Brazil from perturbed prices: 6 rounds to 3%, 7 with the curved model)."""

RESPONSE_BIN = 0.05
"""Width in ``ln(1/(1 − θ))`` of a :class:`ProducerGroups` bin. On the study's
near-constant economies (3000/3000 × 10), rounds to 3% with bins of 0.2, 0.1
and 0.05: 9–10, 6–10 and 6–7 grouped by good alone; 4–6 and 4–5 (0.1, 0.05)
grouped also by main input."""

FloatArray = NDArray[np.float64]

Role = Literal["consumers", "workers", "other"]
"""What a block's councils are to the plan's accounts (see :attr:`Population.role`)."""

_FLOW_ARRAYS = (
    "spending",
    "revenue",
    "final",
    "fixed",
    "supply_response",
    "demand_response",
    "supply_slope",
    "demand_slope",
    "substitution",
)


@dataclass(frozen=True)
class Response:
    """Totals a population proposes at one set of prices.

    Attributes
    ----------
    supply, demand : ndarray of shape (n_goods,)
        Summed over the population's councils (public goods: the
        cost-share-weighted sum, see :class:`~parecon.engine.CobbDouglasConsumers`).
    """

    supply: FloatArray
    demand: FloatArray

    def __add__(self, other: Response) -> Response:
        return Response(self.supply + other.supply, self.demand + other.demand)


@dataclass(frozen=True)
class Proposals:
    """Each council's own proposal at one set of prices.

    Attributes
    ----------
    kind : str
        The population kind (``"cobb-douglas-consumers"``, ...).
    supply, demand : sparse CSR matrix of shape (n_councils, n_goods)
        What each council offers to produce and asks to use or consume.
        Public goods appear at the quantity the council asks for given that it
        pays its share of the cost.
    extras : dict of str to ndarray of shape (n_councils,)
        Kind-specific values, such as worker councils' ``effort``.
    """

    kind: str
    supply: sp.csr_array
    demand: sp.csr_array
    extras: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def n_councils(self) -> int:
        return int(self.supply.shape[0])


@dataclass(frozen=True)
class ProducerGroups:
    """Producers grouped by good and by supply response, for a model beyond the Jacobian.

    A good's supply sums producers whose outputs answer prices as
    ``exp(a_j · dq)`` with slopes ``a_j = w_j (θ_j e_out − b_j)`` (``w_j =
    1/(1 − θ_j)``); where ``w`` is large and spread (near-constant returns)
    the sum is far from log-linear over the steps the gaps ask for. Grouping
    producers of one good whose ``ln w`` lies in one bin keeps that spread:
    ``Σ_groups R exp(A · dq)`` is the supply the proposals imply at trial
    prices. Rows of different shards simply stack.

    Attributes
    ----------
    good : ndarray of shape (m,)
        The good each group produces.
    revenue : ndarray of shape (m,)
        Value of the group's output.
    response : ndarray of shape (m, n_goods)
        Revenue-weighted ``∂ ln z/∂ ln p`` of the group's councils.
    spending : ndarray of shape (m, n_goods)
        The group's spending on each input.
    """

    good: NDArray[np.intp]
    revenue: FloatArray
    response: FloatArray
    spending: FloatArray

    def __post_init__(self) -> None:
        m = int(np.shape(self.good)[0]) if np.ndim(self.good) == 1 else -1
        shapes = [np.shape(self.revenue), np.shape(self.response), np.shape(self.spending)]
        n = shapes[1][1] if len(shapes[1]) == 2 else -1
        if m < 0 or shapes != [(m,), (m, n), (m, n)]:
            raise InvalidValueError(
                f"good {np.shape(self.good)}, revenue {shapes[0]}, response {shapes[1]} and "
                f"spending {shapes[2]} do not describe one row per group",
                "producer groups",
            )
        if m and not (int(np.min(self.good)) >= 0 and int(np.max(self.good)) < n):
            raise InvalidValueError(
                f"a group's good is not one of the {n} goods", "producer groups"
            )

    @property
    def n_goods(self) -> int:
        return int(self.response.shape[1])

    @classmethod
    def stack(cls, parts: list[ProducerGroups]) -> ProducerGroups:
        return cls(
            np.concatenate([p.good for p in parts]),
            np.concatenate([p.revenue for p in parts]),
            np.vstack([p.response for p in parts]),
            np.vstack([p.spending for p in parts]),
        )


@dataclass(frozen=True)
class ValueFlows:
    """The value flows of a round's proposals, summed by good (what a board can tabulate).

    From every council's submitted proposal (its outputs and the inputs it asks
    for) at the announced prices ``p`` the board can draw up the economy's
    value-flow table. Councils are of three kinds by what they propose:
    *producers* (some output and some inputs), *fixed suppliers* (output and
    no inputs: endowments, pledged hours, pollution permits) and *final users*
    (no output: consumer councils, fixed final demands). All arrays are in
    value (price × quantity), summed over councils, so shards add up.

    Attributes
    ----------
    spending : ndarray of shape (n_goods, n_goods)
        ``spending[g, i]``: what producers of ``g`` spend on input ``i``
        (a council's input spending is attributed to its outputs in
        proportion to their value).
    revenue : ndarray of shape (n_goods,)
        Value of producers' output of each good.
    final : ndarray of shape (n_goods,)
        Final users' spending on each good (public goods: cost-share weighted,
        as in the totals).
    fixed : ndarray of shape (n_goods,)
        Value of fixed suppliers' output of each good.
    supply_response, demand_response : ndarray of shape (n_goods, n_goods)
        ``[g, h]``: change of the value of producers' supply (input demand) of
        ``g`` per unit change of ``ln p_h`` that the proposals imply if every
        producer has Cobb-Douglas technology with its observed cost share
        ``σ`` plus ``effort_share`` ``γ`` (returns ``θ = σ + γ``):
        ``d ln z = ((θ o − v)/r)/(1 − θ)`` for output values ``o``, input
        spending ``v`` and revenue ``r``; inputs move by ``d ln z + d ln p_out −
        d ln p_in``. Computed council by council, so no aggregation error.
    supply_slope, demand_slope : ndarray of shape (n_goods, n_goods)
        Their derivatives with respect to ``γ`` (to learn ``γ`` from rounds).
    substitution : ndarray of shape (n_goods, n_goods)
        ``[g, h] = Σ v_g v_h / Σ_i v_i`` over final users (``v``: a user's
        spending per good): their spending on ``g`` weighted by their budget
        share of ``h``. With tastes of substitution elasticity ``σ`` a final
        user answers ``d ln x_g = −σ dq_g + (σ − 1) Σ_h s_h dq_h`` (Cobb-Douglas:
        ``σ = 1``, no cross term), so this table is what a board needs to
        learn ``σ`` from the rounds.
    effort_share : float
        The ``γ`` used.
    groups : ProducerGroups, optional
        Producers grouped by good and supply response (see
        :class:`ProducerGroups`), where a population found them stiff (each
        council's returns read from its last two proposals); the response
        tables then use those returns, not ``γ``.
    """

    spending: FloatArray
    revenue: FloatArray
    final: FloatArray
    fixed: FloatArray
    supply_response: FloatArray
    demand_response: FloatArray
    supply_slope: FloatArray
    demand_slope: FloatArray
    substitution: FloatArray
    effort_share: float = 0.0
    groups: ProducerGroups | None = None

    def __post_init__(self) -> None:
        n = int(np.shape(self.revenue)[0]) if np.ndim(self.revenue) == 1 else -1
        for name in _FLOW_ARRAYS:
            value = np.asarray(getattr(self, name))
            want = (n,) if name in ("revenue", "final", "fixed") else (n, n)
            if n < 0 or value.shape != want:
                raise InvalidValueError(
                    f"field {name!r} has shape {value.shape}; a table of "
                    f"{max(n, 0)} goods needs {want}",
                    "value flows",
                )
        if self.groups is not None and self.groups.n_goods != n:
            raise InvalidValueError(
                f"producer groups of {self.groups.n_goods} goods in a table of {n}",
                "value flows",
            )

    @property
    def n_goods(self) -> int:
        return int(self.revenue.shape[0])

    @classmethod
    def zeros(cls, n_goods: int, effort_share: float = 0.0) -> ValueFlows:
        def mat() -> FloatArray:
            return np.zeros((n_goods, n_goods))

        def vec() -> FloatArray:
            return np.zeros(n_goods)

        return cls(mat(), vec(), vec(), vec(), mat(), mat(), mat(), mat(), mat(), effort_share)

    @classmethod
    def total(cls, parts: list[ValueFlows]) -> ValueFlows:
        """The sum of ``parts`` in order, adding into one copy (no temporaries per part)."""
        first = parts[0]
        arrays = [np.array(getattr(first, name)) for name in _FLOW_ARRAYS]
        for part in parts[1:]:
            if part.n_goods != first.n_goods:
                raise InvalidValueError(
                    f"value flows of {part.n_goods} and {first.n_goods} goods cannot be added",
                    "value flows",
                )
            for acc, name in zip(arrays, _FLOW_ARRAYS, strict=True):
                acc += getattr(part, name)
        grouped = [part.groups for part in parts if part.groups is not None]
        return cls(
            **dict(zip(_FLOW_ARRAYS, arrays, strict=True)),
            effort_share=first.effort_share,
            groups=ProducerGroups.stack(grouped) if grouped else None,
        )

    def __add__(self, other: ValueFlows) -> ValueFlows:
        return ValueFlows.total([self, other])

    @property
    def supply_value(self) -> FloatArray:
        """Value of all supply of each good (producers' and fixed)."""
        out: FloatArray = self.revenue + self.fixed
        return out

    @property
    def demand_value(self) -> FloatArray:
        """Value of all demand for each good (producers' inputs and final use)."""
        out: FloatArray = self.spending.sum(axis=0) + self.final
        return out


def flows_from_proposals(
    supply: sp.csr_array,
    demand: sp.csr_array,
    prices: FloatArray,
    effort_share: float = 0.0,
    produced: NDArray[np.bool_] | None = None,
    returns: FloatArray | None = None,
) -> ValueFlows:
    """:class:`ValueFlows` of per-council proposals (rows) at ``prices``.

    ``returns`` (one per row, NaN where unknown) are councils' returns read from
    their earlier proposals (:func:`returns_from_proposals`); where the read
    producers are stiff (:func:`stiff`) they replace ``Σb + γ`` and the flows
    carry :class:`ProducerGroups`.

    ``supply`` and ``demand`` must be weighted as in the population's totals
    (public goods: the council's contribution). ``produced`` marks the goods
    that are produced (by the goods' categories); a council's supply of other
    goods (pledged hours, permits, endowments) is a fixed supply and does not
    make it a producer, so a consumer council with permits stays a final user.
    Without it every supplied good counts as produced. O(non-zeros) sparse work
    plus (n_goods, n_goods) products.
    """
    import scipy.sparse as sp

    n_goods = prices.shape[0]
    out_value = sp.csr_array(sp.csr_array(supply).multiply(prices[None, :]))
    in_value = sp.csr_array(sp.csr_array(demand).multiply(prices[None, :]))
    if produced is None:
        made, endowed = out_value, sp.csr_array(out_value.shape)
    else:
        keep = np.asarray(produced, dtype=bool).astype(np.float64)
        made = sp.csr_array(out_value.multiply(keep[None, :]))
        endowed = sp.csr_array(out_value.multiply(1.0 - keep[None, :]))
        made.eliminate_zeros()
    r = np.asarray(made.sum(axis=1)).ravel()
    spend = np.asarray(in_value.sum(axis=1)).ravel()
    producer = (r > 0) & (spend > 0)
    fixed_rows = (r > 0) & ~(spend > 0)
    final_rows = ~(r > 0)

    def column_sum(matrix: sp.csr_array, rows: NDArray[np.bool_]) -> FloatArray:
        if not rows.any():
            return np.zeros(n_goods)
        return np.asarray(matrix[np.flatnonzero(rows)].sum(axis=0), dtype=np.float64).ravel()

    fixed = column_sum(made, fixed_rows) + np.asarray(endowed.sum(axis=0)).ravel()
    final = column_sum(in_value, final_rows)
    substitution = final_substitution(in_value[np.flatnonzero(final_rows)])
    if not producer.any():
        return replace(
            ValueFlows.zeros(n_goods, effort_share),
            final=final,
            fixed=fixed,
            substitution=substitution,
        )
    idx = np.flatnonzero(producer)
    o, v, rp = made[idx], in_value[idx], r[idx]
    w, ww = effort_weights(1.0 - spend[idx] / rp, effort_share)
    groups = None
    if returns is not None:
        theta = np.asarray(returns, dtype=np.float64)[idx]
        if stiff(theta):
            read = ~np.isnan(theta)
            w = np.where(read, 1.0 / (1.0 - np.where(read, theta, 0.0)), w)
            ww = np.where(read, 0.0, ww)
            inv_r = sp.diags_array(1.0 / rp)
            main = np.asarray(o.argmax(axis=1)).ravel().astype(np.intp)
            groups = producer_groups(main, rp, w, sp.csr_array(inv_r @ o), sp.csr_array(inv_r @ v))
    # d ln z_j / d ln p = w (o − v)/r − o/r   (θ w = w − 1)
    dz = sp.csr_array(sp.diags_array(w / rp) @ (o - v) - sp.diags_array(1.0 / rp) @ o)
    dzd = sp.csr_array(sp.diags_array(ww / rp) @ (o - v))
    share = sp.csr_array(sp.diags_array(1.0 / rp) @ o)
    ot, vt = sp.csr_array(o.T), sp.csr_array(v.T)
    own = np.asarray(v.sum(axis=0)).ravel()
    return ValueFlows(
        spending=(share.T @ v).toarray(),
        revenue=np.asarray(o.sum(axis=0)).ravel(),
        final=final,
        fixed=fixed,
        supply_response=(ot @ dz).toarray(),
        demand_response=(vt @ (dz + share)).toarray() - np.diag(own),
        supply_slope=(ot @ dzd).toarray(),
        demand_slope=(vt @ dzd).toarray(),
        substitution=substitution,
        effort_share=effort_share,
        groups=groups,
    )


def stiff(theta: FloatArray) -> bool:
    """Whether producers with returns ``theta`` (NaN: not read) are stiff: the
    median supply response ``1/(1 − θ)`` of those read is at least
    :data:`STIFF_RESPONSE`. A property of the technologies, not of the prices
    (weighted by revenue, Brazil 2019's councils crossed the threshold at some
    far-start prices and the model changed from round to round)."""
    read = theta[~np.isnan(theta)]
    return bool(read.size) and float(np.median(1.0 / (1.0 - read))) >= STIFF_RESPONSE


def producer_groups(
    good: NDArray[np.intp],
    revenue: FloatArray,
    w: FloatArray,
    output_shares: sp.csr_array,
    cost_shares: sp.csr_array,
) -> ProducerGroups:
    """:class:`ProducerGroups` of producers (rows) by ``good``, ``ln w`` bin and
    main input (the input it spends most on).

    ``output_shares`` and ``cost_shares`` (producers × goods) are each
    producer's output values and input spending over its revenue; its output
    answers ``d ln z = (w − 1) o/r − w v/r`` (``θ w = w − 1``). Producers of
    one good differ in their inputs as much as in ``w`` (``w b_i`` of 5 and
    more), so the main input keeps apart those whose outputs move apart
    when relative input prices move.
    """
    import scipy.sparse as sp

    n = revenue.shape[0]
    bins = np.floor(np.log(w) / RESPONSE_BIN).astype(np.int64)
    bins -= bins.min(initial=0)
    main_input = np.asarray(cost_shares.argmax(axis=1)).ravel().astype(np.int64)
    key = good.astype(np.int64) * (int(bins.max(initial=0)) + 1) + bins
    key = key * cost_shares.shape[1] + main_input
    keys, group = np.unique(key, return_inverse=True)
    m = keys.shape[0]
    rows = np.arange(n)
    by_revenue = sp.csr_array((revenue, (group, rows)), shape=(m, n))
    by_response = sp.csr_array((revenue * w, (group, rows)), shape=(m, n))
    total = by_revenue @ np.ones(n)
    inv = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    own = ((by_response - by_revenue) @ output_shares).toarray()
    response = (own - (by_response @ cost_shares).toarray()) * inv[:, None]
    grouped = np.zeros(m, dtype=np.intp)
    grouped[group] = good
    return ProducerGroups(grouped, total, response, (by_revenue @ cost_shares).toarray())


def returns_from_proposals(
    before: tuple[sp.csr_array, sp.csr_array, FloatArray],
    after: tuple[sp.csr_array, sp.csr_array, FloatArray],
    produced: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Each council's returns ``θ`` read from two of its proposals ``(supply, demand,
    prices)``, NaN where they do not tell (not a producer, output hardly moved).

    A Cobb-Douglas producer's output answers log prices as ``Δ ln z = (θ Δq_out −
    b · Δq)/(1 − θ)``, so ``θ = (Δ ln z + b · Δq)/(Δ ln z + Δq_out)`` with ``b``
    its cost shares (spending over revenue) and ``q_out`` its outputs' log prices
    weighted by value: figures of the proposals alone. Clipped to ``[Σb, 0.999]``.
    Only councils whose cost shares are the same in both proposals (to 1e-6), as
    a Cobb-Douglas council's are, are read: one that moved only part of the way,
    resubmitted, or wobbled would be misread (with half the councils moving
    halfway, reads near 1 made DEP economies "stiff" and stalled the board).
    """
    import scipy.sparse as sp

    (s0, d0, p0), (s1, d1, p1) = before, after
    keep = np.ones(p1.shape[0]) if produced is None else np.asarray(produced, dtype=np.float64)
    dq = np.log(p1) - np.log(p0)
    made0 = sp.csr_array(sp.csr_array(s0).multiply((p0 * keep)[None, :]))
    made1 = sp.csr_array(sp.csr_array(s1).multiply((p1 * keep)[None, :]))
    r0, r1 = (np.asarray(m.sum(axis=1)).ravel() for m in (made0, made1))
    spend = sp.csr_array(sp.csr_array(d1).multiply(p1[None, :]))
    spent = sp.csr_array(sp.csr_array(d0).multiply(p0[None, :]))
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(r1 > 0, 1.0 / r1, 0.0)
        inv0 = np.where(r0 > 0, 1.0 / r0, 0.0)
        change = sp.csr_array(sp.diags_array(inv) @ spend - sp.diags_array(inv0) @ spent)
        drift = np.zeros(r1.shape[0])
        if change.nnz:
            drift = np.asarray(abs(change).max(axis=1).toarray()).ravel()
        dq_out = (made1 @ dq) * inv
        cost = (spend @ dq) * inv
        sum_b = np.asarray(spend.sum(axis=1)).ravel() * inv
        log_revenue = np.log(r1) - np.log(r0)
    readable = (r0 > 0) & (r1 > 0) & (sum_b > 0) & (drift <= 1e-6)
    return returns_from_moves(log_revenue, dq_out, cost, sum_b, readable)


def returns_from_moves(
    log_revenue: FloatArray,
    dq_out: FloatArray,
    cost: FloatArray,
    sum_b: FloatArray,
    readable: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Each council's returns ``θ = (Δ ln z + b · Δq)/(Δ ln z + Δq_out)`` from how
    its revenue (``Δ ln r``), its outputs' log price (``Δq_out``) and its inputs'
    (``cost = b · Δq``) moved between two proposals, clipped to ``[Σb, 0.999]``;
    NaN where it does not tell (output hardly moved, not finite, not ``readable``).
    The one formula behind :func:`returns_from_proposals` and the simulated
    workers' own reading."""
    with np.errstate(divide="ignore", invalid="ignore"):
        dlz = log_revenue - dq_out
        denominator = dlz + dq_out
        theta = (dlz + cost) / denominator
    ok = np.isfinite(theta) & (np.abs(denominator) > 1e-6)
    if readable is not None:
        ok &= readable
    return np.where(ok, np.clip(theta, sum_b, RETURNS_CLIP), np.nan)


def final_substitution(spending: sp.csr_array | FloatArray) -> FloatArray:
    """:attr:`ValueFlows.substitution` of final users' spending rows ``v`` (users × goods).

    ``Σ_users v vᵀ / Σ v``; users who spend nothing add nothing.
    """
    import scipy.sparse as sp

    if sp.issparse(spending):
        matrix = sp.csr_array(spending)
        budget = np.asarray(matrix.sum(axis=1)).ravel()
        inv = np.divide(1.0, budget, out=np.zeros_like(budget), where=budget > 0)
        scaled = sp.csr_array(sp.diags_array(inv) @ matrix)
        out: FloatArray = np.asarray((scaled.T @ matrix).toarray(), dtype=np.float64)
        return out
    dense = np.asarray(spending, dtype=np.float64)
    budget = dense.sum(axis=1)
    inv = np.divide(1.0, budget, out=np.zeros_like(budget), where=budget > 0)
    result: FloatArray = (dense * inv[:, None]).T @ dense
    return result


def effort_weights(
    margin: FloatArray, effort_share: float, read: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """``w = 1/(1 − θ̂)`` with ``θ̂ = σ + γ`` per producer (``margin = 1 − σ``), and ``∂w/∂γ``.

    A producer keeps at least a tenth of its observed margin (``γ`` never
    turns decreasing returns into increasing ones); councils with ``σ ≥ 1``
    (Pequod's increasing returns) keep their stationary-point response.
    ``read``: ``w`` of producers whose returns were read from their proposals
    (0 where not), which ``γ`` no longer moves.
    """
    raw = margin - effort_share
    floor = 0.1 * margin
    clamped = (margin > 0) & (raw < floor)
    w = 1.0 / np.where(clamped, floor, raw)
    ww = np.where(clamped, 0.0, w * w)
    if read is None:
        return w, ww
    known = read > 0
    return np.where(known, read, w), np.where(known, 0.0, ww)


def _weights(proposed: sp.csr_array, totals: FloatArray) -> FloatArray:
    """Each good's weight in a population's totals (1, or ``1/N`` for public goods)."""
    raw = np.asarray(proposed.sum(axis=0), dtype=np.float64).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        weight: FloatArray = np.where(raw > 0, totals / raw, 1.0)
    return weight


class Population(ABC):
    """A block of councils of one kind that respond to indicative prices.

    Subclasses implement the five abstract members; the rest have defaults
    that fit a kind which declares nothing more (``role = "other"``).
    """

    kind: ClassVar[str]
    role: ClassVar[Role] = "other"
    """``"consumers"``: final users spending budgets (implement :meth:`budgets`
    and :meth:`with_budgets`; their councils are numbered across the economy's
    consumer blocks for allowances and communities). ``"workers"``: producers,
    each council's proposal its outputs (supply) and inputs (demand), read by
    the accounts and the linear plan. ``"other"``: fixed supplies, members'
    labour, real councils' submissions: counted in the totals only."""
    revision_limited: ClassVar[bool] = False
    """Whether *Looking Forward*'s revision limits bind this block's proposals
    (simulated consumer or worker councils; not submissions or fixed supplies)."""

    @property
    @abstractmethod
    def n_councils(self) -> int:
        """Number of councils in the block."""

    @property
    @abstractmethod
    def n_goods(self) -> int:
        """Length of the price vector this population responds to."""

    @abstractmethod
    def respond(self, prices: FloatArray) -> Response:
        """Totals per good proposed at ``prices`` (ndarray of shape (n_goods,))."""

    @abstractmethod
    def proposals(self, prices: FloatArray) -> Proposals:
        """Every council's proposal at ``prices``."""

    @abstractmethod
    def take(self, rows: slice) -> Population:
        """The councils in ``rows`` as a population of the same kind."""

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """The :class:`ValueFlows` of this block's proposals at ``prices``.

        The default computes them from :meth:`proposals` (weighted per good as
        :meth:`respond` aggregates them, so public goods count as in the
        totals); kinds with a closed form override it.
        """
        import scipy.sparse as sp

        proposal = self.proposals(prices)
        totals = self.respond(prices)
        supply = sp.csr_array(proposal.supply, dtype=np.float64)
        demand = sp.csr_array(proposal.demand, dtype=np.float64)
        supply = sp.csr_array(supply.multiply(_weights(supply, totals.supply)[None, :]))
        demand = sp.csr_array(demand.multiply(_weights(demand, totals.demand)[None, :]))
        return flows_from_proposals(supply, demand, prices, effort_share)

    def respond_with_flows(
        self, prices: FloatArray, effort_share: float = 0.0
    ) -> tuple[Response, ValueFlows]:
        """:meth:`respond` and :meth:`value_flows` at the same prices, as a round
        of a rule that reads flows needs them. Kinds that can compute both in
        one pass over their councils override it; the default calls the two."""
        return self.respond(prices), self.value_flows(prices, effort_share)

    def forget_rounds(self) -> None:
        """Drop what the block remembers of earlier rounds' proposals (a new
        planning run starts); kinds that remember none need not override it."""
        return None

    def read_rounds(self, first: FloatArray, second: FloatArray) -> None:
        """Read what the councils' proposals at the run's first two rounds' prices
        reveal (a worker council's returns), before this round's value flows.

        Called with every flows request from the second round on (the same two
        price vectors each time), so it must be idempotent and depend on those
        prices alone, not on which rounds this copy of the councils answered:
        shards may be answered by different workers from round to round. Kinds
        that read nothing need not override it.
        """
        return None

    def goods_in_use(self, prices: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Which goods this block supplies and which it uses at ``prices`` (masks of
        shape (n_goods,)), for the check that every good can be planned. The default
        reads one response; kinds whose structure says it without a response (and
        without compiling or warming a round's kernels) override it."""
        response = self.respond(prices)
        return response.supply > 0, response.demand > 0

    def check_goods(self, goods: Goods, where: str) -> None:
        """Raise if this block cannot plan with ``goods`` (their categories);
        ``where`` names the block in the economy. The default accepts any."""
        return None

    def budgets(self) -> FloatArray:
        """Each council's budget before credits, shape (n_councils,) (consumer blocks)."""
        raise NotImplementedError(f"{self.kind} councils declare no budgets")

    def with_budgets(self, budgets: FloatArray) -> Population:
        """The same councils with these budgets, shape (n_councils,) (consumer blocks)."""
        raise NotImplementedError(f"{self.kind} councils declare no budgets")

    def credits(self, prices: FloatArray) -> FloatArray:
        """Value credited to each council on top of its budget at ``prices``
        (pollution permits), shape (n_councils,); none by default."""
        return np.zeros(self.n_councils)

    def community_credits(self, prices: FloatArray) -> dict[str, float]:
        """Value credited to each affected community this block belongs to."""
        return {}

    def without_supply_of(self, goods: NDArray[np.bool_]) -> Population | None:
        """This block without its fixed supply of ``goods`` (mask of shape
        (n_goods,)), or None when nothing is left; only fixed supplies change."""
        return self

    def price_jacobian(self, prices: FloatArray) -> tuple[FloatArray, FloatArray] | None:
        """``(∂S/∂ln p, ∂D/∂ln p)`` in closed form, dense (n_goods, n_goods), or
        None: the reference solver then takes finite differences of :meth:`respond`."""
        return None

    def welfare_loss(
        self, prices: FloatArray, clearing_prices: FloatArray, delivered: FloatArray
    ) -> FloatArray | None:
        """Fraction of each council's utility lost at ``prices`` against
        ``clearing_prices`` when a share ``delivered`` (shape (n_goods,)) of each
        good's demand is delivered; None for kinds without a utility to compare."""
        return None

    @property
    def nbytes(self) -> int:
        """Bytes held in the population's arrays (for memory reports): plain arrays and
        the three arrays of sparse matrices (SciPy's or :class:`~parecon.engine.csr.CsrArrays`),
        each array counted once however many holders share it."""
        seen: dict[tuple[int, int], int] = {}  # by address and size: views of one buffer
        for value in vars(self).values():
            arrays = [value] if isinstance(value, np.ndarray) else []
            if all(hasattr(value, a) for a in ("data", "indices", "indptr")):
                arrays = [getattr(value, a) for a in ("data", "indices", "indptr")]
            for array in arrays:
                if isinstance(array, np.ndarray):
                    seen[(array.__array_interface__["data"][0], array.nbytes)] = array.nbytes
        return sum(seen.values())

    def shard(self, n_shards: int) -> list[Population]:
        """Split into at most ``n_shards`` contiguous blocks of councils."""
        n = self.n_councils
        n_shards = max(1, min(n_shards, n))
        bounds = np.linspace(0, n, n_shards + 1).round().astype(int)
        return [self.take(slice(int(lo), int(hi))) for lo, hi in itertools.pairwise(bounds)]
