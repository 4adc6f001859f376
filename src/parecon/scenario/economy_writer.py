"""Writing economies in parecon's format: councils in columnar blocks.

Columnar blocks (one array per field) stay compact for millions of councils
and load back exactly; :func:`economy_document` is the inverse of
:func:`parecon.scenario.economy_file.economy_from_document`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from parecon.engine import (
    AffectedConsumers,
    CESConsumers,
    CobbDouglasConsumers,
    CobbDouglasWorkers,
    Economy,
    FixedSupply,
    GoodCategory,
    Goods,
    SubmittedProposals,
)
from parecon.engine.closed_economy import MembersLabour
from parecon.exceptions import InputError
from parecon.scenario.files import NPZ_ARRAY, write_json

__all__ = ["ECONOMY_SUFFIXES", "check_economy_path", "economy_document", "save_economy"]


def economy_document(economy: Economy, *, arrays: bool = False) -> dict[str, Any]:
    """The document of parecon's format for ``economy`` (columnar blocks).

    With ``arrays=True`` the columns stay NumPy arrays (for ``.npz`` files);
    otherwise they are lists, ready for JSON.
    """

    def out(values: np.ndarray) -> Any:
        return values if arrays else values.tolist()

    goods = economy.goods
    doc: dict[str, Any] = {
        "format": "parecon-economy",
        "version": 1,
        "name": economy.name,
        "goods": [
            {"name": n, "category": GoodCategory(int(c)).name.lower()}
            for n, c in zip(goods.names, goods.categories, strict=True)
        ],
        "prices": economy.initial_prices.tolist(),
        "metadata": {
            k: v
            for k, v in economy.metadata.items()
            if isinstance(v, str | int | float | bool) or v is None
        },
    }
    supplies: dict[str, float] = {}
    consumers_seen = 0
    stakes: list[tuple[Any, int, Any]] = []
    for pop in economy.populations:
        if isinstance(pop, AffectedConsumers):
            stakes.append((pop, consumers_seen, pop.schedules))
            pop = pop.consumers
        if isinstance(pop, CobbDouglasConsumers | CESConsumers):
            consumers_seen += pop.n_councils
            block: dict[str, Any] = {
                "model": "ces" if isinstance(pop, CESConsumers) else "cobb-douglas",
                "goods": [goods.names[g] for g in pop.goods],
                "income": out(pop.income),
                "exponents": out(pop.exponents),
            }
            if isinstance(pop, CESConsumers):
                block["sigma"] = out(pop.sigma)
            doc.setdefault("consumer_blocks", []).append(block)
        elif isinstance(pop, CobbDouglasWorkers):
            doc["returns"] = pop.returns
            doc.setdefault("worker_blocks", []).append(
                {
                    "model": "cobb-douglas",
                    "output": out(pop.output),
                    "a": out(pop.a),
                    "c": out(pop.c),
                    "k": out(pop.k),
                    "s": out(pop.s),
                    "inputs": {
                        "indptr": out(pop.inputs.indptr),
                        "indices": out(pop.inputs.indices),
                        "exponents": out(pop.inputs.data),
                    },
                }
            )
        elif isinstance(pop, FixedSupply):
            for g, q in zip(pop.goods, pop.quantities, strict=True):
                supplies[goods.names[g]] = supplies.get(goods.names[g], 0.0) + float(q)
        elif isinstance(pop, SubmittedProposals) and pop.supply.nnz == 0:
            totals = np.asarray(pop.demand.sum(axis=0)).ravel()
            fixed = doc.setdefault("fixed_demand", {})
            for g in np.flatnonzero(totals):
                fixed[goods.names[g]] = fixed.get(goods.names[g], 0.0) + float(totals[g])
        elif isinstance(pop, MembersLabour):
            dense = pop.hours.toarray()
            doc["members_labour"] = {
                goods.names[g]: dense[:, g].tolist() for g in np.flatnonzero(dense.any(axis=0))
            }
        else:
            raise InputError(f"cannot save a population of kind {pop.kind!r} to a file")
    if supplies:
        doc["supplies"] = supplies
    if stakes:
        doc["communities"] = _communities_document(stakes, goods)
    return doc


def _communities_document(stakes: list[tuple[Any, int, Any]], goods: Goods) -> list[dict[str, Any]]:
    schedules = stakes[0][2]
    out = []
    for c, name in enumerate(schedules.names):
        members: dict[int, float] = {}
        for pop, offset, _ in stakes:
            mine = schedules.community[pop.stake_entry] == c
            for council, share in zip(pop.stake_council[mine], pop.stake_share[mine], strict=True):
                members[int(council) + offset] = float(share)
        entries = np.flatnonzero(schedules.community == c)
        out.append(
            {
                "name": name,
                "members": sorted(members),
                "shares": [members[m] for m in sorted(members)],
                "permits": {
                    goods.names[schedules.good[e]]: {
                        "units": float(schedules.units[e]),
                        "price": float(schedules.price[e]),
                        "elasticity": float(schedules.elasticity[e]),
                    }
                    for e in entries
                },
            }
        )
    return out


ECONOMY_SUFFIXES = (".json", ".json.gz", ".npz")
"""The names economies are written under (TOML is for hand-written economies)."""


def check_economy_path(path: str | Path) -> Path:
    """``path`` if an economy can be written there; a located error otherwise."""
    path = Path(path)
    if path.name.lower().endswith((".toml", ".toml.gz")):
        # read_document parses these as TOML; JSON written there would not load back.
        raise InputError("cannot write TOML: name the file .json, .json.gz or .npz", str(path))
    if not path.name.lower().endswith(ECONOMY_SUFFIXES):
        raise InputError(
            f"economies are written as {', '.join(ECONOMY_SUFFIXES)} "
            f"({path.name!r} ends in none of them; TOML is for hand-written economies)",
            str(path),
        )
    return path


def save_economy(economy: Economy, path: str | Path, *, compress: bool = False) -> None:
    """Write ``economy`` as JSON (``.json``, ``.json.gz``) or NumPy's ``.npz``.

    ``.npz`` keeps the columns binary (a JSON header names them): the format
    for millions of councils. Columns are stored uncompressed unless
    ``compress``: reading them back is then a copy at disk speed (6 million
    councils in well under a second) instead of a decompression.
    """
    path = check_economy_path(path)
    if path.suffix.lower() != ".npz":
        write_json(economy_document(economy), path)
        return
    columns: dict[str, np.ndarray] = {}

    def detach(node: Any) -> Any:
        if isinstance(node, np.ndarray):
            key = f"a{len(columns)}"
            columns[key] = node
            return {NPZ_ARRAY: key}
        if isinstance(node, dict):
            return {k: detach(v) for k, v in node.items()}
        if isinstance(node, list):
            return [detach(v) for v in node]
        return node

    header = detach(economy_document(economy, arrays=True))
    tmp = path.with_name(path.name + ".tmp.npz")
    save = np.savez_compressed if compress else np.savez
    save(tmp, header=np.array(json.dumps(header)), **columns)  # type: ignore[arg-type]
    tmp.replace(path)
