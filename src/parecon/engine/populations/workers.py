"""Worker councils with Cobb-Douglas technologies and effort (Pequod's model).

Council ``j`` produces ``z = a e^c Π_i x_i^{b_i}`` of one good and dislikes
effort as ``S e^k``. At output price ``λ`` and input prices ``p`` it proposes
the plan that maximises ``λ z − Σ p_i x_i − S e^k``, which has the closed form

    ln z = [ln a + (c/k)(ln λ + ln c − ln S − ln k) + Σ b_i (ln λ + ln b_i − ln p_i)] / (1 − θ)

with ``θ = Σ b + c/k``, ``x_i = λ b_i z / p_i`` and ``e = (λ c z / (S k))^{1/k}``.
This is a maximum only for ``θ < 1`` (decreasing returns). Collecting terms,
``ln z = κ + θ/(1−θ) ln λ − Σ_i b_i/(1−θ) ln p_i``: one sparse
matrix-vector product and one ``exp`` per council per round, and the input
totals are a second (transposed) product. No Python loop over councils.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from parecon.engine.csr import CsrArrays
from parecon.engine.goods import PRODUCED_CATEGORIES, GoodCategory, Goods
from parecon.engine.kernels import respond_flows as fused_flows
from parecon.engine.kernels import sampled_flows
from parecon.engine.kernels.cobb_douglas import MIN_NONZEROS, flow_sums, fused_kernel
from parecon.engine.populations.base import (
    RETURNS_CLIP,
    FloatArray,
    Population,
    Proposals,
    Response,
    Role,
    ValueFlows,
    effort_weights,
    producer_groups,
    returns_from_moves,
    stiff,
)
from parecon.engine.validation import as_float_array, as_index_array, check_values
from parecon.exceptions import InvalidValueError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["CobbDouglasWorkers", "ReturnsMode"]

_WHO = "worker council"

ReturnsMode = Literal["refuse", "pequod"]
"""What to do with councils whose θ ≥ 1 (constant or increasing returns).

``"refuse"`` (the default) rejects the economy and names the councils: their
closed form is a stationary point that is not a maximum, so any number it
gives would be a silent wrong answer. ``"pequod"`` computes that stationary
point anyway, as Pequod does, for exact reproduction of its runs.
"""


@dataclass(eq=False)
class CobbDouglasWorkers(Population):
    """Worker councils, one produced good each, any number of inputs.

    Attributes
    ----------
    output : ndarray of shape (n_councils,)
        Economy index of the good each council produces.
    a, c, k, s : ndarray of shape (n_councils,)
        Productivity, effort exponent in production, disutility exponent and
        disutility coefficient.
    inputs : sparse CSR matrix of shape (n_councils, n_goods)
        Input exponents ``b``: row ``j`` holds council ``j``'s exponent on each
        good it uses (intermediate goods, resources, labour).
    returns : {"refuse", "pequod"}
        Treatment of councils with ``θ ≥ 1``; see :data:`ReturnsMode`.
    """

    output: NDArray[np.intp]
    a: FloatArray
    c: FloatArray
    k: FloatArray
    s: FloatArray
    inputs: sp.csr_array
    returns: ReturnsMode = "refuse"
    fused_threshold: int = MIN_NONZEROS
    """Use the fused Numba kernel from this many input exponents (when installed)."""
    sampled_flows_from: int | None = None
    """From this many councils (and with the fused kernel) the value flows' tables by
    output and of input pairs are estimated from a sample of the councils
    (:mod:`parecon.engine.kernels.sampled_flows`; the response stays exact). None:
    :data:`~parecon.engine.kernels.sampled_flows.SAMPLE_FROM` (off)."""
    kind: ClassVar[str] = "cobb-douglas-workers"
    role: ClassVar[Role] = "workers"
    revision_limited: ClassVar[bool] = True
    _derived: tuple[FloatArray, FloatArray, FloatArray] | None = field(
        default=None, init=False, repr=False
    )
    _margin: FloatArray | None = field(default=None, init=False, repr=False)
    _last_round: tuple[FloatArray, FloatArray] | None = field(default=None, init=False, repr=False)
    _pairs: int | None = field(default=None, init=False, repr=False)
    _producers: FloatArray | None = field(default=None, init=False, repr=False)
    _pilot: NDArray[np.intp] | None = field(default=None, init=False, repr=False)
    """Each good's producers and the pilot's councils, for sampled flows (once)."""
    _sum_b: FloatArray | None = field(default=None, init=False, repr=False)
    _b: CsrArrays = field(init=False, repr=False)
    """``(prices, revenue per council)`` of the last :meth:`respond`, so the value
    flows of the same round need no second pass over the councils' inputs."""
    _read_from: tuple[FloatArray, FloatArray] | None = field(default=None, init=False, repr=False)
    """The two rounds' prices the returns were read from (:meth:`read_rounds`)."""
    _returns_read: FloatArray | None = field(default=None, init=False, repr=False)
    _stiff: bool = field(default=False, init=False, repr=False)
    """Whether the returns read are stiff (decided once, when they are read)."""
    _read_w: FloatArray | None = field(default=None, init=False, repr=False)
    """:meth:`_read_weights`, computed once they are read."""

    def __post_init__(self) -> None:
        if isinstance(self.inputs, CsrArrays):
            # a reader's arrays: no SciPy until something asks for ``inputs``
            b = self.inputs.canonical()
            del self.inputs
        else:
            import scipy.sparse as sp

            self.inputs = sp.csr_array(self.inputs, dtype=np.float64)
            self.inputs.sum_duplicates()
            b = CsrArrays.of(self.inputs)
        n, total = b.shape
        self.output = as_index_array(self.output, "output", _WHO, n, total)
        for name in ("a", "c", "k", "s"):
            arr = as_float_array(getattr(self, name), name, _WHO, (n,))
            check_values(arr, name, _WHO, positive=True)
            setattr(self, name, arr)
        b.data = np.asarray(b.data, dtype=np.float64)
        if b.nnz < 2**31 - 1 and total < 2**31 - 1:
            # 32-bit indices: a round streams them twice, so this is a third of its bytes
            b.indices = b.indices.astype(np.int32, copy=False)
            b.indptr = b.indptr.astype(np.int32, copy=False)
            if "inputs" in vars(self):
                self.inputs.indices, self.inputs.indptr = b.indices, b.indptr
        self._b = b
        if b.nnz:
            data = b.data
            bad = ~(data > 0) | (data == np.inf)  # one pass: NaN fails the first test
            if bad.any():
                i = int(np.argmax(bad))
                row = int(np.searchsorted(b.indptr, i, side="right")) - 1
                raise InvalidValueError(
                    f"input exponent on good {b.indices[i]} must be finite "
                    f"and > 0 (got {float(data[i])!r})",
                    f"{_WHO} {row}",
                )
        if self.returns not in ("refuse", "pequod"):
            raise InvalidValueError(f"returns must be 'refuse' or 'pequod', not {self.returns!r}")
        if self.returns == "refuse":
            bad = self.theta >= 1.0
            if bad.any():
                idx = np.flatnonzero(bad)
                shown = ", ".join(str(i) for i in idx[:10]) + (" ..." if len(idx) > 10 else "")
                raise InvalidValueError(
                    f"{len(idx)} worker council(s) have θ = Σb + c/k >= 1 (constant or "
                    f"increasing returns; first θ = {self.theta[idx[0]]:.6g}): their "
                    f"proposal would not be a maximum. Councils: {shown}. Use "
                    f"returns='pequod' to reproduce Pequod's number anyway.",
                    _WHO + "s",
                )

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # ``inputs`` as SciPy's CSR matrix, built on first use from the arrays a
            # reader gave (a round needs only the arrays: see ``parecon.engine.csr``)
            b = self.__dict__.get("_b")
            if name != "inputs" or b is None:
                raise AttributeError(name)
            matrix = b.to_scipy()
            self.__dict__["inputs"] = matrix
            return matrix

    @property
    def n_councils(self) -> int:
        return int(self._b.shape[0])

    @property
    def n_goods(self) -> int:
        return int(self._b.shape[1])

    @property
    def theta(self) -> FloatArray:
        """``Σ b + c/k`` of each council: returns to scale including effort."""
        return self._input_sums() + self.c / self.k

    def _input_sums(self) -> FloatArray:
        """``Σ b`` per council, computed once (the checks, the constants of a round
        and the value flows' margins all need it)."""
        if self._sum_b is None:
            self._sum_b = self._b.row_sums(self._b.data)
        return self._sum_b

    def _precompute(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """``κ``, ``θ/(1−θ)`` and ``1/(1−θ)`` per council, cached on first use.

        The input exponents stay in one CSR matrix read by both products of a
        round: ``ln z`` uses ``(B @ ln p) / (1−θ)``, so no row-scaled copy.
        """
        if self._derived is None:
            scale = 1.0 / (1.0 - self.theta)
            ck = self.c / self.k
            b_log_b = self._sum_b_log_b()
            log_effort_terms = np.log(self.c) - np.log(self.s) - np.log(self.k)
            kappa = (np.log(self.a) + ck * log_effort_terms + b_log_b) * scale
            self._derived = (kappa, self.theta * scale, scale)
        return self._derived

    def _sum_b_log_b(self) -> FloatArray:
        b = self._b
        return b.row_sums(b.data * np.log(b.data))

    def output_quantities(self, prices: FloatArray) -> FloatArray:
        """``z`` of shape (n_councils,): each council's proposed output."""
        kappa, own, scale = self._precompute()
        log_p = np.log(prices)
        z: FloatArray = np.exp(kappa + own * log_p[self.output] - self._b.matvec(log_p) * scale)
        return z

    @property
    def margin(self) -> FloatArray:
        """``1 − Σb`` per council, the share of revenue not spent on priced inputs
        (computed once: the value flows need it every round)."""
        if self._margin is None:
            self._margin = 1.0 - self._input_sums()
        return self._margin

    def respond(self, prices: FloatArray) -> Response:
        kernel = fused_kernel() if self._b.nnz >= self.fused_threshold else None
        if kernel is not None:
            kappa, own, scale = self._precompute()
            b = self._b
            revenue = np.empty(self.n_councils)
            supply, demand = kernel(
                b.indptr,
                b.indices,
                b.data,
                kappa,
                own,
                scale,
                self.output,
                np.log(prices),
                prices,
                self.n_goods,
                revenue,
            )
            self._remember(prices, revenue)
            return Response(supply, demand)
        z = self.output_quantities(prices)
        supply = np.bincount(self.output, z, minlength=self.n_goods).astype(np.float64)
        revenue = prices[self.output] * z
        self._remember(prices, revenue)
        demand = self._b.rmatvec(revenue) / prices
        return Response(supply, demand)

    def _remember(self, prices: FloatArray, revenue: FloatArray) -> None:
        """Keep this round's revenues (its value flows, or a reading, may need them)."""
        self._last_round = (np.array(prices, dtype=np.float64), revenue)

    def forget_rounds(self) -> None:
        self._last_round, self._read_from, self._returns_read = None, None, None
        self._stiff, self._read_w = False, None

    def read_rounds(self, first: FloatArray, second: FloatArray) -> None:
        """Read each council's returns ``θ`` from its proposals at the run's first two
        rounds' prices (:meth:`returns_read`); nothing if already read from these.

        Stateless in the rounds: a copy of the councils on any worker, at any round,
        reads the same ``θ`` from the same two price vectors (the two proposals are
        the councils' answers to them), so every executor plans alike. The first
        reading costs two passes over the councils.
        """
        read = self._read_from
        if read is not None and np.array_equal(read[0], first) and np.array_equal(read[1], second):
            return
        p0, p1 = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
        # computed here, not taken from a round's response (which may have come from
        # the kernel, rounded otherwise): every copy reads the same bits
        r0 = p0[self.output] * self.output_quantities(p0)
        r1 = p1[self.output] * self.output_quantities(p1)
        dq = np.log(p1) - np.log(p0)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_revenue = np.log(r1) - np.log(r0)
        self._returns_read = returns_from_moves(
            log_revenue, dq[self.output], self._b.matvec(dq), self._input_sums()
        )
        self._stiff = stiff(self._returns_read)
        self._read_w = None
        self._read_from = (p0.copy(), p1.copy())

    def returns_read(self) -> FloatArray | None:
        """Each council's returns ``θ`` as its first two proposals of a run reveal them.

        A Cobb-Douglas council's output answers log prices as ``Δ ln z =
        (θ Δq_out − b · Δq)/(1 − θ)``, so ``θ = (Δ ln z + b · Δq)/(Δ ln z +
        Δq_out)``, with ``b`` its cost shares and ``z`` its output (revenue over
        price): what the proposals show, not the effort share, which has no
        price. Read once per run (:meth:`read_rounds`, which the responder calls
        from the second round on; a technology's returns do not change within
        it); councils whose output hardly moved (NaN) keep the board's ``Σb + γ``.
        Values outside ``[Σb, 0.999]`` are clipped to it. None before the second round.
        """
        return self._returns_read

    def _read_weights(self) -> FloatArray | None:
        """``1/(1 − θ)`` of each council whose returns its proposals revealed
        (:meth:`returns_read`), 0 where they did not (NaN) or read as increasing
        (clipped at the top: Pequod's θ > 1 councils); None before they are read
        and for stiff councils (whose flows also carry groups, :meth:`value_flows`).

        With these the value flows use each council's own supply response instead
        of the board's ``Σb + γ``: one ``γ`` for the economy misreads producers
        whose effort shares differ (Brazil 2019's industries: 7–9 rounds to 3%
        from far starts instead of 6–8; docs/convergence.md).
        """
        theta = self.returns_read()
        if theta is None or self._stiff:
            return None
        if self._read_w is None:
            read = ~np.isnan(theta) & (theta < RETURNS_CLIP)
            self._read_w = np.where(read, 1.0 / (1.0 - np.where(read, theta, 0.0)), 0.0)
        return self._read_w

    def _stiff_returns(self) -> FloatArray | None:
        """The returns read (:meth:`returns_read`; NaN: not read) where the
        councils are stiff (:func:`~parecon.engine.populations.base.stiff`)."""
        theta = self.returns_read()
        return theta if theta is not None and self._stiff else None

    def goods_in_use(self, prices: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """From the councils' structure: with θ < 1 (checked on construction unless
        ``returns="pequod"``) every council's output ``z = e^(…)`` is positive and
        finite at positive prices, so it supplies its good and uses each good it
        has an exponent on. One scatter over the exponents instead of a response
        (at 6M councils the response's kernel and constants cost seconds)."""
        if self.returns != "refuse":
            return super().goods_in_use(prices)
        supplied = np.zeros(self.n_goods, dtype=np.bool_)
        supplied[self.output] = True
        used = np.zeros(self.n_goods, dtype=np.bool_)
        used[self._b.indices] = True
        return supplied, used

    def _revenue(self, prices: FloatArray) -> FloatArray:
        """Each council's revenue at ``prices``: from the round's response if it was
        at these prices, else computed."""
        if self._last_round is not None and np.array_equal(self._last_round[0], prices):
            return self._last_round[1]
        revenue: FloatArray = prices[self.output] * self.output_quantities(prices)
        return revenue

    def proposals(self, prices: FloatArray) -> Proposals:
        import scipy.sparse as sp

        z = self.output_quantities(prices)
        revenue = prices[self.output] * z
        b = self.inputs
        quantities = b.data * np.repeat(revenue, np.diff(b.indptr)) / prices[b.indices]
        demand = sp.csr_array((quantities, b.indices.copy(), b.indptr.copy()), shape=b.shape)
        n = self.n_councils
        supply = sp.csr_array((z, self.output.copy(), np.arange(n + 1)), shape=b.shape)
        effort = (revenue * self.c / (self.s * self.k)) ** (1.0 / self.k)
        input_cost = np.asarray(demand @ prices).ravel()
        return Proposals(
            self.kind,
            supply,
            demand,
            {
                "effort": effort,
                "social_benefit": revenue,
                "social_cost": input_cost,
                "theta": self.theta,
            },
        )

    def value_flows(self, prices: FloatArray, effort_share: float = 0.0) -> ValueFlows:
        """:class:`ValueFlows` from the proposals' cost shares, in O(non-zeros).

        A council's input spending is ``r b`` (``r`` its revenue), so the
        cost shares the board observes are the exponents ``b``; the board's
        returns are ``θ̂ = Σb + γ`` (``γ = effort_share``, since effort is not
        priced), and ``d ln z = w (e_out − b) − e_out`` with ``w = 1/(1 − θ̂)``.
        """
        n_goods = self.n_goods
        r = self._revenue(prices)
        b = self.inputs
        w, ww = effort_weights(self.margin, effort_share, self._read_weights())
        theta = self._stiff_returns()
        groups = None
        if theta is not None:
            import scipy.sparse as sp

            read = ~np.isnan(theta)
            w = np.where(read, 1.0 / (1.0 - np.where(read, theta, 0.0)), w)
            ww = np.where(read, 0.0, ww)  # returns read: γ no longer moves them
            n = self.n_councils
            produces = sp.csr_array((np.ones(n), self.output, np.arange(n + 1)), shape=b.shape)
            groups = producer_groups(self.output, r, w, produces, b)
        rw, rww = r * w, r * ww

        def per_good(values: FloatArray) -> FloatArray:
            return np.bincount(self.output, values, minlength=n_goods).astype(np.float64)

        # [g, i] = Σ_{j produces g} x_j b_ji for x = r, rw, rww; and Σ_j x_j b_ji b_jl
        # for x = rw, rww: one pass over the councils' inputs.
        by_output, pairs = flow_sums(b, self.output, np.vstack([r, rw, rww]), first_pair=1)
        goods = np.stack([per_good(r), per_good(rw - r), per_good(rww)])
        flows = _flows(goods, by_output, pairs, effort_share)
        return flows if groups is None else replace(flows, groups=groups)

    def respond_with_flows(
        self, prices: FloatArray, effort_share: float = 0.0
    ) -> tuple[Response, ValueFlows]:
        """:meth:`respond` and :meth:`value_flows` in one pass over the councils'
        inputs where the fused kernel applies (the same totals, bit for bit, and
        the same tables to rounding); otherwise the two in turn."""
        kernel = (
            fused_flows.respond_flows_kernel()
            if self._b.nnz >= self.fused_threshold and self.n_goods <= fused_flows.MAX_GOODS
            else None
        )
        if kernel is None or self._stiff_returns() is not None:
            # stiff councils: value flows with their returns read and the groups
            return super().respond_with_flows(prices, effort_share)
        kappa, own, scale = self._precompute()
        b = self._b
        revenue = np.empty(self.n_councils)
        read_w = self._read_weights()
        sampled = (
            sampled_flows.sampled_flows_kernel()
            if self.n_councils >= (self.sampled_flows_from or sampled_flows.SAMPLE_FROM)
            and read_w is None
            else None
        )
        pairs = self._pair_count() // 4 if sampled is not None else self._pair_count()
        chunks = fused_flows.flow_chunks(pairs, self.n_goods)
        args = (
            b.indptr,
            b.indices,
            b.data,
            kappa,
            own,
            scale,
            self.output,
            np.log(prices),
            prices,
            self.margin,
            float(effort_share),
            self.n_goods,
            chunks,
            revenue,
        )
        if sampled is not None:
            if self._producers is None:
                self._producers = np.bincount(self.output, minlength=self.n_goods).astype(float)
                self._pilot = sampled_flows.pilot_rows(self.n_councils)
            supply, demand, *tables = sampled(*args, self._producers, self._pilot)
        else:
            no_reads = np.empty(0) if read_w is None else read_w
            supply, demand, *tables = kernel(*args, read_w=no_reads, threads=chunks > 1)
        return self._fused_flows(prices, revenue, supply, demand, tables, effort_share)

    def _fused_flows(
        self,
        prices: FloatArray,
        revenue: FloatArray,
        supply: FloatArray,
        demand: FloatArray,
        tables: list[FloatArray],
        effort_share: float,
    ) -> tuple[Response, ValueFlows]:
        self._remember(prices, revenue)
        per_good, by_output, pairs = tables
        return Response(supply, demand), _flows(
            *fused_flows.fold(per_good, by_output, pairs), effort_share
        )

    def _pair_count(self) -> int:
        """``Σ_j (inputs of j)²``: the work of a council's input pairs (computed once)."""
        if self._pairs is None:
            self._pairs = int(np.square(np.diff(self._b.indptr)).sum(dtype=np.int64))
        return self._pairs

    def check_goods(self, goods: Goods, where: str) -> None:
        """Worker councils produce private, intermediate or public goods."""
        cats = goods.categories[self.output]
        bad = ~np.isin(cats, [int(c) for c in PRODUCED_CATEGORIES])
        if bad.any():
            j = int(np.argmax(bad))
            raise InvalidValueError(
                f"produces {goods.names[self.output[j]]!r}, a "
                f"{GoodCategory(int(cats[j])).name.lower()} good; worker councils "
                "produce private, intermediate or public goods",
                f"{_WHO} {j}",
            )

    def price_jacobian(self, prices: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Exact ``(∂S/∂ln p, ∂D/∂ln p)`` from the closed form, by sparse products."""
        import scipy.sparse as sp

        n, n_goods = self.n_councils, self.n_goods
        _, own, scale = self._precompute()
        z = self.output_quantities(prices)
        revenue = prices[self.output] * z
        rows = np.arange(n)
        produces = sp.csr_array((np.ones(n), (rows, self.output)), shape=(n, n_goods))
        # ∂ln z_j/∂ln p: θ/(1−θ) on the own output, −b/(1−θ) on each input
        scaled = sp.csr_array(self.inputs.multiply(scale[:, None]))
        dlogz = sp.csr_array((own, (rows, self.output)), shape=(n, n_goods)) - scaled
        d_supply = (produces.T @ (dlogz.multiply(z[:, None]).tocsr())).toarray()
        weighted = self.inputs.multiply(revenue[:, None]).tocsr()
        demand = (self.inputs.T @ revenue) / prices
        d_demand = (weighted.T @ (dlogz + produces)).toarray() / prices[:, None]
        d_demand[np.diag_indices(n_goods)] -= demand
        return d_supply, d_demand

    def take(self, rows: slice) -> CobbDouglasWorkers:
        return CobbDouglasWorkers(
            output=self.output[rows],
            a=self.a[rows],
            c=self.c[rows],
            k=self.k[rows],
            s=self.s[rows],
            inputs=self.inputs[rows],
            returns=self.returns,
            fused_threshold=self.fused_threshold,
            sampled_flows_from=self.sampled_flows_from,
        )


def _flows(
    goods: FloatArray, by_output: FloatArray, pairs: FloatArray, effort_share: float
) -> ValueFlows:
    """Worker councils' :class:`ValueFlows` from their sums by good.

    ``goods`` (3, n_goods): per good produced, Σ r, Σ r (w − 1) and Σ r w';
    ``by_output`` (3, n_goods, n_goods): ``[·, g, i] = Σ_{j produces g} x_j b_ji``
    for x = r, r w, r w'; ``pairs`` (2, n_goods, n_goods): ``Σ_j x_j b_ji b_jl``
    for x = r w, r w'.
    """
    spending, out_rw, out_rww = by_output
    pairs_rw, pairs_rww = pairs
    n_goods = spending.shape[0]
    zeros = np.zeros(n_goods)
    return ValueFlows(
        spending,
        goods[0],
        zeros,
        zeros.copy(),
        np.diag(goods[1]) - out_rw,
        out_rw.T - pairs_rw - np.diag(spending.sum(axis=0)),
        np.diag(goods[2]) - out_rww,
        out_rww.T - pairs_rww,
        np.zeros((n_goods, n_goods)),
        effort_share,
    )
