"""parecon's own economy format (JSON or TOML, described by a JSON Schema).

``load_economy`` reads either this format or Pequod's (recognised by its
``ccs``/``wcs`` keys), from ``.json``, ``.json.gz`` or ``.toml``. Errors name
the file, the council and the field (``economy.toml: workers[2].inputs.steel:
unknown good``). Writing is in :mod:`parecon.scenario.economy_writer`.
"""

from __future__ import annotations

import gc
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from parecon.engine import (
    CESConsumers,
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
    Population,
    SubmittedProposals,
)
from parecon.engine.closed_economy import MembersLabour
from parecon.engine.csr import CsrArrays
from parecon.engine.economy import PRODUCED_CATEGORIES
from parecon.engine.populations import Community, affect_consumers
from parecon.engine.validation import check_goods_in_use
from parecon.exceptions import InputError, UnusedGoodsWarning, ValidationError
from parecon.scenario.columns import float_column, float_matrix, index_column
from parecon.scenario.council_names import COUNCIL_NAMES
from parecon.scenario.files import read_document
from parecon.scenario.pequod import economy_from_pequod, is_pequod

if TYPE_CHECKING:
    pass

__all__ = ["check_plannable", "economy_from_document", "load_economy", "schema"]

_SAMPLE = 50  # items of each long array checked by the schema; columns.py checks all


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the format."""
    text = resources.files("parecon.scenario").joinpath("economy.schema.json").read_text()
    result: dict[str, Any] = json.loads(text)
    return result


def load_economy(
    path: str | Path, *, returns: str | None = None, check: bool = True, **options: Any
) -> Economy:
    """Read an economy file in parecon's or Pequod's format.

    ``returns`` (``"refuse"`` or ``"pequod"``) overrides the file's treatment of
    worker councils with θ ≥ 1 in either format. With ``check`` (the default) an
    economy that cannot be planned — a good supplied that no council uses, or
    used that no council supplies — is refused with the good named; goods that
    nobody supplies or uses are named in a warning.
    """
    path = Path(path)
    name = path.name.split(".")[0]
    # extreme values (k = 1e-320) overflow on the way to the checks that refuse them:
    # the checks speak, NumPy's warnings would only repeat them in worse words
    with _no_garbage_collection(), np.errstate(all="ignore"):
        # a parsed document is millions of small objects and no cycles: the cyclic
        # collector would walk them again and again while they are created
        document = read_document(path)
        if is_pequod(document):
            if returns is not None:
                options["returns"] = returns
            economy = economy_from_pequod(document, name=name, source=path, **options)
        else:
            economy = economy_from_document(document, source=path, name=name, returns=returns)
        del document
    if check:
        check_plannable(economy, str(path))
    return economy


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_plannable(economy: Economy, source: str = "<economy>") -> None:
    """Refuse an economy on one of whose goods no plan can agree; warn of unused goods."""
    with np.errstate(all="ignore"):
        supplied, used = economy.goods_in_use(economy.initial_prices)
    try:
        unused = check_goods_in_use(economy.goods.names, supplied, used)
    except ValidationError as exc:
        raise InputError(exc.problem, f"{source}: {exc.where}") from None
    if unused:
        listed = ", ".join(repr(g) for g in unused[:5])
        more = f" and {len(unused) - 5} more" if len(unused) > 5 else ""
        warnings.warn(
            f"{source}: no council supplies or uses {listed}{more}; left out of the plan",
            UnusedGoodsWarning,
            stacklevel=2,
        )


def _json_path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _sample(value: Any) -> Any:
    """The first items of a column (list or array), as JSON-like lists."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":  # complex, text, objects: not numbers for the schema
            return f"an array of {value.dtype}"
        return value[:_SAMPLE].tolist()
    if isinstance(value, list):
        return value[:_SAMPLE]
    if isinstance(value, dict):
        return {k: _sample(v) for k, v in value.items()}
    return value


def _sampled(document: Any) -> Any:
    """A copy of ``document`` whose columnar arrays are cut to a sample."""
    if not isinstance(document, dict):
        return document
    out = dict(document)
    if isinstance(out.get("goods"), list):
        out["goods"] = out["goods"][:_SAMPLE]  # every good is checked by _check_goods
    for key in ("consumer_blocks", "worker_blocks"):
        blocks = out.get(key)
        if isinstance(blocks, list):
            out[key] = [_sample(b) for b in blocks]
    for key, value in out.items():
        if isinstance(value, np.ndarray):
            out[key] = value.tolist()
    return out


@cache
def _validator() -> Any:
    """A validator of the schema with its ``$ref``s inlined (the schema has no cycles):
    resolving references was 90% of validating a sampled document (0.27 s)."""
    import jsonschema

    root = schema()
    defs = root.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: inline(v) for k, v in node.items() if k != "$ref"}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = inline(defs[ref.removeprefix("#/$defs/")])
            return {**out, "allOf": [*out.get("allOf", []), target]} if out else target
        return out

    flat = {k: inline(v) for k, v in root.items() if k != "$defs"}
    return jsonschema.Draft202012Validator(flat)


def _check_schema(document: Any, source: str) -> None:
    import jsonschema

    validator = _validator()
    errors = sorted(validator.iter_errors(_sampled(document)), key=lambda e: list(e.path))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        raise InputError(err.message, f"{source}: {_json_path(err.absolute_path)}")


def economy_from_document(
    document: Any,
    source: str | Path = "<economy>",
    name: str = "economy",
    returns: str | None = None,
) -> Economy:
    """Build an economy from a parsed document of parecon's format."""
    source = str(source)
    if not isinstance(document, dict) or document.get("format") != "parecon-economy":
        raise InputError(
            'not an economy file: expected "format": "parecon-economy" '
            "(or Pequod's 'ccs' and 'wcs')",
            source,
        )
    if not any(document.get(key) for key in _COUNCIL_KEYS):
        raise InputError(
            "the economy has no councils and no supplies (none of "
            f"{', '.join(_COUNCIL_KEYS)} is given)",
            source,
        )
    _check_schema(document, source)
    try:
        _check_goods(document["goods"])
        return _build(document, name, returns)
    except ValidationError as exc:
        raise InputError(exc.problem, f"{source}: {exc.where}" if exc.where else source) from None


_COUNCIL_KEYS = ("consumers", "consumer_blocks", "workers", "worker_blocks", "supplies")
_GOOD_KEYS = {"name", "category", "unit", "price"}
_CATEGORIES = {
    "private",
    "public",
    "intermediate",
    "resource",
    "capital",
    "labour",
    "labor",
    "pollutant",
}


def _check_goods(entries: list[Any]) -> None:
    """Every good, also past the schema's sample: an object with a unique name and a category."""
    seen: dict[str, int] = {}
    for i, g in enumerate(entries):
        where = f"goods[{i}]"
        if not isinstance(g, dict) or not g.keys() <= _GOOD_KEYS:
            raise ValidationError("must be an object with 'name' and 'category'", where)
        name, category = g.get("name"), g.get("category")
        if not isinstance(name, str) or not name:
            raise ValidationError("'name' must be a non-empty string", where)
        if category not in _CATEGORIES:
            raise ValidationError(f"'category' must be one of {sorted(_CATEGORIES)}", where)
        if "price" in g and not (
            type(g["price"]) in (int, float) and g["price"] > 0 and g["price"] < float("inf")
        ):
            raise ValidationError("'price' must be a number > 0", where)
        if name in seen:
            raise ValidationError(
                f"good {name!r} is listed twice (first as goods[{seen[name]}])", where
            )
        seen[name] = i


def _build(doc: dict[str, Any], default_name: str, returns_override: str | None) -> Economy:
    import scipy.sparse as sp

    entries = doc["goods"]
    goods = Goods(
        tuple(g["name"] for g in entries),
        np.array([GoodCategory.parse(g["category"]) for g in entries], np.int8),
    )
    n_goods = len(goods)
    index = {name: i for i, name in enumerate(goods.names)}

    def good(name: str, where: str) -> int:
        if name not in index:
            raise ValidationError(f"unknown good {name!r}", where)
        return index[name]

    prices = _prices(doc.get("prices"), entries, goods, index)
    public_mask = goods.mask(GoodCategory.PUBLIC)
    consumer_rows = doc.get("consumers", [])
    blocks = doc.get("consumer_blocks", [])
    n_sharing = len(consumer_rows) + sum(len(b["income"]) for b in blocks)
    if n_sharing == 0 and not doc.get("fixed_demand"):
        raise ValidationError(
            "the economy has no consumer councils (and no fixed demand): nothing would be "
            "planned for anyone to use",
            "consumers",
        )
    block_incomes = [
        float_column(b["income"], f"consumer_blocks[{i}].income") for i, b in enumerate(blocks)
    ]
    incomes = [c["income"] for c in consumer_rows] + [float(i.sum()) for i in block_incomes]
    if n_sharing and not any(i > 0 for i in incomes) and not doc.get("communities"):
        raise ValidationError(
            "every consumer council's income is 0: no council could demand anything",
            "consumers[0].income" if consumer_rows else "consumer_blocks[0].income",
        )
    populations: list[Population] = []
    names: list[tuple[str, ...] | None] = []
    populations += _consumers_from_rows(consumer_rows, good, public_mask, n_sharing, n_goods)
    names += [_row_names(consumer_rows, "consumers")] if consumer_rows else []
    for b, block in enumerate(blocks):
        where = f"consumer_blocks[{b}]"
        wanted = np.array([good(g, f"{where}.goods") for g in block["goods"]], dtype=np.intp)
        income = block_incomes[b]
        common = dict(
            income=income,
            goods=wanted,
            exponents=float_matrix(
                block["exponents"], f"{where}.exponents", (len(income), len(wanted)), "income"
            ),
            public=public_mask[wanted],
            n_sharing=n_sharing,
            total_goods=n_goods,
        )
        populations.append(
            _located(
                where,
                lambda c=common, blk=block, w=where, n=income.shape[0]: (
                    CESConsumers(**c, sigma=_sigma(blk.get("sigma", 1.0), f"{w}.sigma", n))
                    if blk.get("model") == "ces"
                    else CobbDouglasConsumers(**c)
                ),
            )
        )
        names.append(None)
    returns: Any = returns_override or doc.get("returns", "refuse")
    workers = doc.get("workers", [])
    if workers:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for j, w in enumerate(workers):
            for g, v in w["inputs"].items():
                rows.append(j)
                cols.append(good(g, f"workers[{j}].inputs"))
                vals.append(float(v))
        inputs = sp.csr_array((vals, (rows, cols)), shape=(len(workers), n_goods))
        output = [good(w["output"], f"workers[{j}].output") for j, w in enumerate(workers)]
        for j, g in enumerate(output):
            category = GoodCategory(int(goods.categories[g]))
            if category not in PRODUCED_CATEGORIES:
                raise ValidationError(
                    f"produces {goods.names[g]!r}, a {category.name.lower()} good; worker "
                    "councils produce private, intermediate or public goods",
                    f"workers[{j}]",
                )
        populations.append(
            _located(
                "workers",
                lambda: CobbDouglasWorkers(
                    output=np.asarray(output, dtype=np.intp),
                    a=np.array([w["a"] for w in workers], float),
                    c=np.array([w["c"] for w in workers], float),
                    k=np.array([w["k"] for w in workers], float),
                    s=np.array([w.get("s", 1.0) for w in workers], float),
                    inputs=inputs,
                    returns=returns,
                ),
            )
        )
        names.append(_row_names(workers, "workers"))
    for b, block in enumerate(doc.get("worker_blocks", [])):
        where = f"worker_blocks[{b}]"
        a = float_column(block["a"], f"{where}.a")
        n = len(a)
        csr = block["inputs"]
        indptr = index_column(csr["indptr"], f"{where}.inputs.indptr")
        indices = index_column(csr["indices"], f"{where}.inputs.indices")
        data = float_column(csr["exponents"], f"{where}.inputs.exponents")
        _check_csr(indptr, indices, data, n, n_goods, f"{where}.inputs")
        matrix = CsrArrays(data, indices, indptr, (n, n_goods))
        columns = {
            key: float_column(block[key], f"{where}.{key}", n, "a") for key in ("c", "k", "s")
        }
        produced = index_column(block["output"], f"{where}.output", n, "a")
        populations.append(
            _located(where, _worker_block_builder(a, produced, columns, matrix, returns))
        )
        names.append(None)
    supplies = doc.get("supplies", {})
    if supplies:
        fixed = np.array([good(g, "supplies") for g in supplies], dtype=np.intp)
        populations.append(FixedSupply(fixed, np.array(list(supplies.values()), float), n_goods))
    populations = _extensions(doc, populations, good, n_sharing, n_goods)
    if not populations:
        raise ValidationError("the economy has no councils and no supplies")
    metadata: dict[str, Any] = {"format": "parecon", **doc.get("metadata", {})}
    if any(n is not None for n in names):
        metadata[COUNCIL_NAMES] = names + [None] * (len(populations) - len(names))
    return Economy(goods, tuple(populations), prices, doc.get("name", default_name), metadata)


def _row_names(rows: list[dict[str, Any]], key: str) -> tuple[str, ...] | None:
    """Councils' ``name`` fields (``key[i]`` where one is missing); None if none is named."""
    if not any("name" in r for r in rows):
        return None
    return tuple(str(r.get("name", f"{key}[{i}]")) for i, r in enumerate(rows))


def _extensions(
    doc: dict[str, Any], populations: list[Population], good: Any, n_consumers: int, n_goods: int
) -> list[Population]:
    """Fixed demands, members' labour and pollution communities (all optional)."""
    import scipy.sparse as sp

    fixed = doc.get("fixed_demand", {})
    if fixed:
        demand = np.zeros((1, n_goods))
        for g, q in fixed.items():
            demand[0, good(g, "fixed_demand")] += float(q)
        populations.append(
            SubmittedProposals.dense(np.zeros((1, n_goods)), demand, np.zeros(n_goods, bool))
        )
    labour = doc.get("members_labour", {})
    if labour:
        hours = np.zeros((n_consumers, n_goods))
        for g, column in labour.items():
            if len(column) != n_consumers:
                raise ValidationError(
                    f"{len(column)} values for {n_consumers} consumer councils",
                    f"members_labour.{g}",
                )
            hours[:, good(g, "members_labour")] = column
        populations.append(_located("members_labour", lambda: MembersLabour(sp.csr_array(hours))))
    communities = [
        Community(
            c["name"],
            c["members"] if c["members"] != "all" else list(range(n_consumers)),
            {
                good(g, f"communities[{i}].permits"): (
                    float(p["units"]),
                    float(p.get("price", 1.0)),
                    float(p.get("elasticity", 1.0)),
                )
                for g, p in c["permits"].items()
            },
            c.get("shares"),
        )
        for i, c in enumerate(doc.get("communities", []))
    ]
    if communities:
        return affect_consumers(populations, communities, n_goods)
    return populations


def _worker_block_builder(
    a: np.ndarray,
    output: np.ndarray,
    columns: dict[str, np.ndarray],
    matrix: CsrArrays,
    returns: str,
) -> Any:
    def build() -> CobbDouglasWorkers:
        return CobbDouglasWorkers(
            output=output,
            a=a,
            c=columns["c"],
            k=columns["k"],
            s=columns["s"],
            inputs=matrix,
            returns=returns,  # type: ignore[arg-type]
        )

    return build


def _check_csr(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n: int, n_goods: int, where: str
) -> None:
    """The CSR columns of a worker block agree with each other and with its council count."""
    problem = None
    if indptr.shape != (n + 1,):
        problem = (
            f"'indptr' has {indptr.shape[0]} entries; {n} councils (the length of 'a') need {n + 1}"
        )
    elif indptr[0] != 0 or (np.diff(indptr) < 0).any():
        problem = "'indptr' must start at 0 and never decrease"
    elif indptr[-1] != len(indices):
        problem = f"'indptr' ends at {int(indptr[-1])} but 'indices' has {len(indices)} entries"
    elif len(data) != len(indices):
        problem = f"'exponents' has {len(data)} entries for {len(indices)} 'indices'"
    elif indices.size and indices.max() >= n_goods:
        i = int(np.argmax(indices >= n_goods))
        problem = (
            f"'indices'[{i}] refers to good {int(indices[i])}; the economy has {n_goods} goods "
            f"(0..{n_goods - 1})"
        )
    if problem is not None:
        raise ValidationError(f"inconsistent CSR arrays: {problem}", where)


def _sigma(value: Any, where: str, n: int) -> np.ndarray:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return np.full(n, float(value))
    return float_column(value, where, n, "income")


def _located(where: str, build: Any) -> Population:
    """Run ``build`` and prefix any validation error with ``where``."""
    try:
        pop: Population = build()
    except ValidationError as exc:
        detail = exc.where or ""
        for kind in ("consumer council ", "worker council "):
            if detail.startswith(kind) and detail[len(kind) :].isdigit():
                raise ValidationError(exc.problem, f"{where}[{detail[len(kind) :]}]") from None
        raise ValidationError(exc.problem, where) from None
    return pop


def _consumers_from_rows(
    rows: list[dict[str, Any]], good: Any, public_mask: Any, n_sharing: int, n_goods: int
) -> list[Population]:
    if not rows:
        return []
    wanted = sorted(
        {good(g, f"consumers[{i}].exponents") for i, c in enumerate(rows) for g in c["exponents"]}
    )
    col = {g: i for i, g in enumerate(wanted)}
    exps = np.zeros((len(rows), len(wanted)))
    for i, c in enumerate(rows):
        for g, v in c["exponents"].items():
            exps[i, col[good(g, "")]] = v
    cols = np.asarray(wanted, dtype=np.intp)
    sigma = np.array([c.get("sigma", 1.0) for c in rows], float)
    common = dict(
        income=np.array([c["income"] for c in rows], float),
        goods=cols,
        exponents=exps,
        public=public_mask[cols],
        n_sharing=n_sharing,
        total_goods=n_goods,
    )
    if np.all(sigma == 1.0):
        return [_located("consumers", lambda: CobbDouglasConsumers(**common))]
    return [_located("consumers", lambda: CESConsumers(**common, sigma=sigma))]


def _prices(
    spec: Any, entries: list[dict[str, Any]], goods: Goods, index: dict[str, int]
) -> np.ndarray:
    n = len(goods)
    if isinstance(spec, list):
        if len(spec) != n:
            raise ValidationError(f"{len(spec)} prices for {n} goods", "prices")
        prices = np.asarray(spec, float)
    else:
        prices = np.full(n, float(spec) if isinstance(spec, int | float) else np.nan)
        if isinstance(spec, dict):
            for g, v in spec.items():
                if g not in index:
                    raise ValidationError(f"unknown good {g!r}", "prices")
                prices[index[g]] = v
    for i, entry in enumerate(entries):
        if "price" in entry:
            prices[i] = entry["price"]
    missing = np.flatnonzero(np.isnan(prices))
    if missing.size:
        raise ValidationError(
            f"no opening price for good {goods.names[missing[0]]!r}; give 'prices' or a "
            "'price' per good",
            "prices",
        )
    return prices
