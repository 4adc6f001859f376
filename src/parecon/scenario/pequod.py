"""Pequod's economy format (``dep1exNN.json``), as in ``msszczep/pequod-cljs``.

A document has ``ccs`` (consumer councils) and ``wcs`` (worker councils);
goods are numbered from 1 within five categories. The economy built here
lists goods as Pequod reports them: private, intermediate, natural
resources, labour, public; each resource and labour type is supplied in a
fixed amount (1000), and all prices open at 700.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from parecon.engine import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
)
from parecon.engine.csr import CsrArrays
from parecon.engine.populations import ReturnsMode
from parecon.exceptions import InputError, ValidationError

__all__ = ["PEQUOD_ORDER", "economy_from_pequod", "is_pequod"]

PEQUOD_ORDER = (
    GoodCategory.PRIVATE,
    GoodCategory.INTERMEDIATE,
    GoodCategory.RESOURCE,
    GoodCategory.LABOUR,
    GoodCategory.PUBLIC,
)
_INDUSTRY = {0: GoodCategory.PRIVATE, 1: GoodCategory.INTERMEDIATE, 2: GoodCategory.PUBLIC}
_INPUT_KINDS = (
    ("input-exponents", GoodCategory.INTERMEDIATE),
    ("nature-exponents", GoodCategory.RESOURCE),
    ("labor-exponents", GoodCategory.LABOUR),
)


def is_pequod(document: Any) -> bool:
    return isinstance(document, Mapping) and "ccs" in document and "wcs" in document


def _field(council: Any, key: str, where: str) -> Any:
    if not isinstance(council, Mapping):
        raise ValidationError("must be an object", where)
    if key not in council:
        raise ValidationError(f"missing key {key!r}", where)
    return council[key]


def _numbers(value: Any, key: str, where: str) -> list[float]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValidationError(f"field {key!r} must be a list of numbers", where)
    out = []
    for j, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ValidationError(f"field {key!r}[{j}] must be a number (got {v!r})", where)
        out.append(float(v))
    return out


def _number(council: Any, key: str, where: str) -> float:
    value = _field(council, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"field {key!r} must be a number (got {value!r})", where)
    return float(value)


def economy_from_pequod(
    document: Any,
    *,
    name: str = "pequod",
    supply: float = 1000.0,
    price: float = 700.0,
    returns: ReturnsMode = "refuse",
    source: str | Path | None = None,
) -> Economy:
    """Build an :class:`Economy` from a parsed Pequod document.

    Errors name the file (``source``), the council (``wcs[17]``) and the field.
    """
    prefix = f"{source}: " if source is not None else ""
    try:
        return _build(document, name, supply, price, returns)
    except ValidationError as exc:
        where = f"{prefix}{exc.where}" if exc.where else str(source or "pequod document")
        raise InputError(exc.problem, where) from None


@dataclass(frozen=True)
class _Councils:
    """The councils of a Pequod document as arrays (inputs in council, then kind order)."""

    private: np.ndarray
    public: np.ndarray
    income: np.ndarray
    out_kind: np.ndarray
    out_idx: np.ndarray
    params: np.ndarray
    rows: np.ndarray
    kinds: np.ndarray
    idx: np.ndarray
    exps: np.ndarray


class _Irregular(Exception):
    """The fast reader met something it does not check; the exact reader locates it."""


_NUMBER = {int, float}
_MAX_INDEX = 10_000_000
"""Largest good number within a category (an index past it is a typo, not an economy)."""


def _numeric(values: list[Any], types: set[type] = _NUMBER) -> np.ndarray:
    """``values`` as floats, refusing (for the exact reader) anything but ``types``."""
    if not set(map(type, values)) <= types:
        raise _Irregular
    return np.array(values, dtype=np.float64)


def _matrix(rows: list[Any]) -> np.ndarray:
    """Equal-length lists of numbers as a float matrix (ragged or odd rows: irregular)."""
    lengths = _lengths(rows)
    width = int(lengths[0]) if lengths.size else 0
    if (lengths != width).any():
        raise _Irregular
    return _flat(rows, len(rows) * width).reshape(len(rows), width)


def _flat(lists: list[Any], total: int, types: set[type] = _NUMBER) -> np.ndarray:
    """The items of ``lists`` (already known to be lists) in order, as floats."""
    if not set(map(type, chain.from_iterable(lists))) <= types:
        raise _Irregular
    return np.fromiter(chain.from_iterable(lists), np.float64, total)


def _lengths(lists: list[Any]) -> np.ndarray:
    if not set(map(type, lists)) <= {list}:
        raise _Irregular
    return np.fromiter(map(len, lists), np.intp, len(lists))


_KIND_OF_INDUSTRY = np.array([int(_INDUSTRY[i]) for i in range(3)], dtype=np.int64)


def _councils_fast(ccs: list[Any], wcs: list[Any]) -> _Councils:
    """Read every council with one NumPy conversion per field (no Python loop per number)."""
    try:
        private = _matrix([c["utility-exponents"] for c in ccs])
        public = _matrix([c["public-good-exponents"] for c in ccs])
        income = _numeric([c["income"] for c in ccs])
        industry = _numeric([w["industry"] for w in wcs], {int})
        product = _numeric([w["product"] for w in wcs], {int})
        if not (
            np.isin(industry, list(_INDUSTRY)).all()
            and (product >= 1).all()
            and (product <= _MAX_INDEX).all()
        ):
            raise _Irregular
        params = _numeric([w[key] for w in wcs for key in ("a", "c", "du", "s")]).reshape(
            len(wcs), 4
        )
        lists = [w["production-inputs"] for w in wcs]
        if (_lengths(lists) != 3).any():
            raise _Irregular
        rows, kinds, idx, exps = [], [], [], []
        council = np.arange(len(wcs), dtype=np.intp)
        for k, (key, kind) in enumerate(_INPUT_KINDS):
            goods = [ls[k] for ls in lists]
            values = [w[key] for w in wcs]
            n_goods = _lengths(goods)
            if (n_goods != _lengths(values)).any():
                raise _Irregular
            total = int(n_goods.sum())
            idx.append(_flat(goods, total, {int}))
            exps.append(_flat(values, total))
            rows.append(np.repeat(council, n_goods))
            kinds.append(np.full(total, int(kind), np.int64))
    except (KeyError, TypeError, ValueError, IndexError, OverflowError):
        raise _Irregular from None
    row = np.concatenate(rows)
    order = np.argsort(row, kind="stable")  # per council, kinds in file order
    raw = np.concatenate(idx)[order]
    if raw.size and (raw.min() < 1 or raw.max() > _MAX_INDEX):
        raise _Irregular
    index = raw.astype(np.int64)
    return _Councils(
        private,
        public,
        income,
        _KIND_OF_INDUSTRY[industry.astype(np.intp)],
        product.astype(np.int64),
        params,
        row[order],
        np.concatenate(kinds)[order],
        index,
        np.concatenate(exps)[order],
    )


def _councils_exact(ccs: list[Any], wcs: list[Any]) -> _Councils:
    """Read every council number by number, naming the council and field of any error."""
    private = [
        _numbers(_field(c, "utility-exponents", f"ccs[{i}]"), "utility-exponents", f"ccs[{i}]")
        for i, c in enumerate(ccs)
    ]
    public = [
        _numbers(
            _field(c, "public-good-exponents", f"ccs[{i}]"), "public-good-exponents", f"ccs[{i}]"
        )
        for i, c in enumerate(ccs)
    ]
    n_private, n_public = len(private[0]), len(public[0])
    for i, (a, b) in enumerate(zip(private, public, strict=True)):
        if len(a) != n_private or len(b) != n_public:
            raise ValidationError(
                f"has {len(a)} private and {len(b)} public exponents; ccs[0] has "
                f"{n_private} and {n_public}",
                f"ccs[{i}]",
            )
    income = np.array([_number(c, "income", f"ccs[{i}]") for i, c in enumerate(ccs)])

    # Worker councils: gather inputs as (council, category, 1-based index, exponent).
    rows: list[int] = []
    kinds: list[int] = []
    idx: list[int] = []
    exps: list[float] = []
    out_kind: list[int] = []
    out_idx: list[int] = []
    params = np.empty((len(wcs), 4))
    for j, w in enumerate(wcs):
        where = f"wcs[{j}]"
        industry = _field(w, "industry", where)
        if type(industry) is not int or industry not in _INDUSTRY:
            raise ValidationError(f"field 'industry' must be 0, 1 or 2 (got {industry!r})", where)
        product = _field(w, "product", where)
        if type(product) is not int or not 1 <= product <= _MAX_INDEX:
            raise ValidationError(
                f"field 'product' must be an integer from 1 to {_MAX_INDEX} (got {product!r})",
                where,
            )
        out_kind.append(int(_INDUSTRY[industry]))
        out_idx.append(product)
        params[j] = [_number(w, key, where) for key in ("a", "c", "du", "s")]
        lists = _field(w, "production-inputs", where)
        if not isinstance(lists, list) or len(lists) != 3:
            raise ValidationError(
                "field 'production-inputs' must be [[intermediate], [resources], [labour]]", where
            )
        for (key, kind), goods in zip(_INPUT_KINDS, lists, strict=True):
            values = _numbers(_field(w, key, where), key, where)
            if not isinstance(goods, list) or len(goods) != len(values):
                raise ValidationError(
                    f"field {key!r} has {len(values)} exponents for "
                    f"{len(goods) if isinstance(goods, list) else '?'} inputs",
                    where,
                )
            for g, v in zip(goods, values, strict=True):
                if type(g) is not int or not 1 <= g <= _MAX_INDEX:
                    raise ValidationError(
                        f"field 'production-inputs' holds {g!r}, not a 1-based index "
                        f"(1 to {_MAX_INDEX})",
                        where,
                    )
                rows.append(j)
                kinds.append(int(kind))
                idx.append(g)
                exps.append(v)
    return _Councils(
        np.asarray(private, dtype=np.float64).reshape(len(ccs), n_private),
        np.asarray(public, dtype=np.float64).reshape(len(ccs), n_public),
        income,
        np.asarray(out_kind, dtype=np.int64),
        np.asarray(out_idx, dtype=np.int64),
        params,
        np.asarray(rows, dtype=np.intp),
        np.asarray(kinds, dtype=np.int64),
        np.asarray(idx, dtype=np.int64),
        np.asarray(exps, dtype=np.float64),
    )


def _build(document: Any, name: str, supply: float, price: float, returns: ReturnsMode) -> Economy:
    if not is_pequod(document):
        raise ValidationError("a Pequod economy needs the keys 'ccs' and 'wcs'")
    ccs, wcs = document["ccs"], document["wcs"]
    if not isinstance(ccs, list) or not isinstance(wcs, list):
        raise ValidationError("'ccs' and 'wcs' must be lists of councils")
    if not ccs:
        raise ValidationError("no consumer councils", "ccs")
    if not wcs:
        raise ValidationError("no worker councils: nothing would be produced", "wcs")
    try:
        found = _councils_fast(ccs, wcs)
    except _Irregular:
        found = _councils_exact(ccs, wcs)
    if not (found.income > 0).any():
        where = "ccs[0]" if len(ccs) == 1 else "ccs"
        raise ValidationError(
            "field 'income' is 0 for every consumer council: no council could demand anything",
            where,
        )
    n_private, n_public = found.private.shape[1], found.public.shape[1]
    kinds, idx = found.kinds, found.idx
    counts = {
        GoodCategory.PRIVATE: n_private,
        GoodCategory.PUBLIC: n_public,
    }
    for cat in (GoodCategory.INTERMEDIATE, GoodCategory.RESOURCE, GoodCategory.LABOUR):
        used = idx[kinds == int(cat)]
        made = found.out_idx[found.out_kind == int(cat)]
        counts[cat] = int(max(used.max(initial=0), made.max(initial=0)))
    for cat in (GoodCategory.PRIVATE, GoodCategory.PUBLIC):
        beyond = (found.out_kind == int(cat)) & (found.out_idx > counts[cat])
        if beyond.any():
            j = int(np.argmax(beyond))
            raise ValidationError(
                f"field 'product' is {int(found.out_idx[j])} but there are {counts[cat]} "
                f"{cat.name.lower()} goods (the length of the consumer councils' exponents)",
                f"wcs[{j}]",
            )
    for cat in (GoodCategory.INTERMEDIATE, GoodCategory.RESOURCE, GoodCategory.LABOUR):
        _check_numbering(cat, counts[cat], found)
    offset = {}
    start = 0
    for cat in PEQUOD_ORDER:
        offset[int(cat)] = start
        start += counts[cat]
    goods = Goods.from_counts({cat: counts[cat] for cat in PEQUOD_ORDER})
    n_goods = len(goods)
    offsets = np.array([offset.get(int(k), 0) for k in GoodCategory], dtype=np.intp)
    columns = offsets[kinds] + idx.astype(np.intp) - 1 if kinds.size else kinds.astype(np.intp)
    inputs = CsrArrays.from_sorted_rows(found.exps, found.rows, columns, (len(wcs), n_goods))
    output = offsets[found.out_kind] + found.out_idx.astype(np.intp) - 1

    consumer_goods = np.concatenate(
        [
            offset[int(GoodCategory.PRIVATE)] + np.arange(n_private),
            offset[int(GoodCategory.PUBLIC)] + np.arange(n_public),
        ]
    )
    consumers = CobbDouglasConsumers(
        income=found.income,
        goods=consumer_goods,
        exponents=np.hstack([found.private, found.public]),
        public=np.r_[np.zeros(n_private, bool), np.ones(n_public, bool)],
        n_sharing=len(ccs),
        total_goods=n_goods,
    )
    workers = CobbDouglasWorkers(
        output=output,
        a=found.params[:, 0],
        c=found.params[:, 1],
        k=found.params[:, 2],
        s=found.params[:, 3],
        inputs=inputs,
        returns=returns,
    )
    fixed = goods.indices(GoodCategory.RESOURCE, GoodCategory.LABOUR)
    endowment = FixedSupply(fixed, np.full(len(fixed), supply), n_goods)
    return Economy(
        goods,
        (consumers, workers, endowment),
        np.full(n_goods, price),
        name,
        {"format": "pequod"},
    )


def _check_numbering(cat: GoodCategory, count: int, found: _Councils) -> None:
    """Goods of ``cat`` are numbered 1..count without gaps; a gap is most likely a typo."""
    used = found.idx[found.kinds == int(cat)]
    present = np.zeros(count + 1, bool)
    present[used] = True
    present[found.out_idx[found.out_kind == int(cat)]] = True
    missing = np.flatnonzero(~present[1:]) + 1
    if missing.size == 0:
        return
    top = int(count)
    users = found.rows[(found.kinds == int(cat)) & (found.idx == top)]
    makers = np.flatnonzero((found.out_kind == int(cat)) & (found.out_idx == top))
    j = int(users[0]) if users.size else int(makers[0])
    field = "production-inputs" if users.size else "product"
    raise ValidationError(
        f"field {field!r} refers to {cat.name.lower()} good {top}, but no council uses or "
        f"makes {cat.name.lower()} good {int(missing[0])}"
        + (f" (nor {missing.size - 1} others below {top})" if missing.size > 1 else "")
        + "; Pequod numbers goods from 1 without gaps",
        f"wcs[{j}]",
    )
