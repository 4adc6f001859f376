"""Pequod's economy format (``dep1exNN.json``), as in ``msszczep/pequod-cljs``.

A document has ``ccs`` (consumer councils) and ``wcs`` (worker councils);
goods are numbered from 1 within five categories. The economy built here
lists goods as Pequod reports them: private, intermediate, natural
resources, labour, public; each resource and labour type is supplied in a
fixed amount (1000), and all prices open at 700.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from parecon.engine import (
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
)
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


def _build(document: Any, name: str, supply: float, price: float, returns: ReturnsMode) -> Economy:
    if not is_pequod(document):
        raise ValidationError("a Pequod economy needs the keys 'ccs' and 'wcs'")
    ccs, wcs = document["ccs"], document["wcs"]
    if not isinstance(ccs, list) or not isinstance(wcs, list):
        raise ValidationError("'ccs' and 'wcs' must be lists of councils")
    if not ccs:
        raise ValidationError("no consumer councils", "ccs")

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
        if industry not in _INDUSTRY:
            raise ValidationError(f"field 'industry' must be 0, 1 or 2 (got {industry!r})", where)
        product = _field(w, "product", where)
        if isinstance(product, bool) or not isinstance(product, int) or product < 1:
            raise ValidationError(
                f"field 'product' must be an integer >= 1 (got {product!r})", where
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
                if isinstance(g, bool) or not isinstance(g, int) or g < 1:
                    raise ValidationError(
                        f"field 'production-inputs' holds {g!r}, not a 1-based index", where
                    )
                rows.append(j)
                kinds.append(int(kind))
                idx.append(g)
                exps.append(v)

    counts = {
        GoodCategory.PRIVATE: n_private,
        GoodCategory.INTERMEDIATE: _count(GoodCategory.INTERMEDIATE, kinds, idx, out_kind, out_idx),
        GoodCategory.RESOURCE: _count(GoodCategory.RESOURCE, kinds, idx, out_kind, out_idx),
        GoodCategory.LABOUR: _count(GoodCategory.LABOUR, kinds, idx, out_kind, out_idx),
        GoodCategory.PUBLIC: n_public,
    }
    offset = {}
    start = 0
    for cat in PEQUOD_ORDER:
        offset[int(cat)] = start
        start += counts[cat]
    goods = Goods.from_counts({cat: counts[cat] for cat in PEQUOD_ORDER})
    n_goods = len(goods)

    for j, (k, p) in enumerate(zip(out_kind, out_idx, strict=True)):
        if p > counts[GoodCategory(k)]:
            raise ValidationError(
                f"field 'product' is {p} but there are {counts[GoodCategory(k)]} "
                f"{GoodCategory(k).name.lower()} goods",
                f"wcs[{j}]",
            )
    offsets = np.array([offset[k] for k in kinds], dtype=np.intp)
    columns = offsets + np.asarray(idx, dtype=np.intp) - 1
    inputs = sp.csr_array(
        (np.asarray(exps), (np.asarray(rows, dtype=np.intp), columns)), shape=(len(wcs), n_goods)
    )
    output = np.array(
        [offset[k] + p - 1 for k, p in zip(out_kind, out_idx, strict=True)], dtype=np.intp
    )

    consumer_goods = np.concatenate(
        [
            offset[int(GoodCategory.PRIVATE)] + np.arange(n_private),
            offset[int(GoodCategory.PUBLIC)] + np.arange(n_public),
        ]
    )
    consumers = CobbDouglasConsumers(
        income=income,
        goods=consumer_goods,
        exponents=np.hstack([np.asarray(private), np.asarray(public)]),
        public=np.r_[np.zeros(n_private, bool), np.ones(n_public, bool)],
        n_sharing=len(ccs),
        total_goods=n_goods,
    )
    workers = CobbDouglasWorkers(
        output=output,
        a=params[:, 0],
        c=params[:, 1],
        k=params[:, 2],
        s=params[:, 3],
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


def _count(
    cat: GoodCategory, kinds: list[int], idx: list[int], out_kind: list[int], out_idx: list[int]
) -> int:
    """Goods in a category: the largest index any council uses or produces."""
    used = [i for k, i in zip(kinds, idx, strict=True) if k == int(cat)]
    made = [i for k, i in zip(out_kind, out_idx, strict=True) if k == int(cat)]
    return max([0, *used, *made])
