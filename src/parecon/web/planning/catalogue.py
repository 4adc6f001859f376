"""Where a plan's goods and simulated councils come from: a CSV, an economy file, the generator.

Errors are Django ``ValidationError`` s naming the file and line (or field), so a
facilitator sees one located line, never a traceback.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parecon.engine import Economy, GoodCategory, Goods, Population
from parecon.exceptions import PareconError
from parecon.web.planning.models import Category

__all__ = [
    "GoodSpec",
    "engine_goods",
    "goods_from_csv",
    "goods_from_economy",
    "load_simulation",
    "simulated_populations",
]

MAX_GOODS = 500
MAX_SIMULATED = 2_000_000
#: Keys the platform adds to a plan's ``simulation`` (counts), not part of its source.
DERIVED = ("n_consumers", "n_councils")


@dataclass(frozen=True)
class GoodSpec:
    name: str
    unit: str
    category: str
    price: float


def engine_goods(specs: Sequence[Any]) -> Goods:
    """The core's goods table for goods with ``name`` and ``category`` (names)."""
    return Goods(
        tuple(g.name for g in specs),
        np.asarray([int(GoodCategory.parse(g.category)) for g in specs], dtype=np.int8),
    )


def goods_from_csv(
    text: str, source: str = "goods.csv", default_price: float = 1.0
) -> list[GoodSpec]:
    """Read ``name,unit,category[,price]`` rows (a header line first)."""
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    for needed in ("name", "category"):
        if needed not in fields:
            raise ValidationError(
                _(
                    "%(source)s, line 1: the header needs a column %(col)r "
                    "(name, unit, category, price)."
                )
                % {"source": source, "col": needed}
            )
    goods: list[GoodSpec] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        where = f"{source}, line {line}"
        name = row.get("name", "")
        if not name:
            raise ValidationError(_("%(where)s: a good needs a name.") % {"where": where})
        if len(name) > 120:
            raise ValidationError(
                _("%(where)s: the name is longer than 120 characters.") % {"where": where}
            )
        if name in seen:
            raise ValidationError(
                _("%(where)s: good %(name)r is listed twice.") % {"where": where, "name": name}
            )
        seen.add(name)
        category = row.get("category", "").lower()
        if category not in Category.values:
            raise ValidationError(
                _("%(where)s, category: %(cat)r is not one of %(all)s.")
                % {"where": where, "cat": category, "all": ", ".join(Category.values)}
            )
        price = default_price
        if row.get("price"):
            try:
                price = float(row["price"])
            except ValueError:
                price = math.nan
            if not (math.isfinite(price) and price > 0):
                raise ValidationError(
                    _("%(where)s, price: %(value)r is not a positive number.")
                    % {"where": where, "value": row["price"]}
                )
        goods.append(GoodSpec(name, row.get("unit", "")[:40], category, price))
        if len(goods) > MAX_GOODS:
            raise ValidationError(
                _("%(source)s: at most %(n)d goods.") % {"source": source, "n": MAX_GOODS}
            )
    if not goods:
        raise ValidationError(_("%(source)s: no goods listed.") % {"source": source})
    return goods


def goods_from_economy(economy: Economy) -> list[GoodSpec]:
    """The economy's goods with its opening prices (units are not in economy files)."""
    return [
        GoodSpec(name, "", GoodCategory(int(cat)).name.lower(), float(price))
        for name, cat, price in zip(
            economy.goods.names, economy.goods.categories, economy.initial_prices, strict=True
        )
    ]


def _simulation_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "plans"


def load_simulation(simulation: dict[str, Any]) -> Economy:
    """The economy a plan's ``simulation`` describes (a stored file or generator settings)."""
    try:
        if simulation.get("source") == "generate":
            from parecon.engine.generate import EconomySpec, generate_economy

            spec = EconomySpec(
                n_consumers=int(simulation["consumers"]),
                n_workers=int(simulation["workers"]),
                goods_per_category=int(simulation.get("goods_per_category", 10)),
            )
            if spec.n_consumers + spec.n_workers > MAX_SIMULATED:
                raise ValidationError(
                    _("simulation: at most %(n)d simulated councils.") % {"n": MAX_SIMULATED}
                )
            return generate_economy(spec, seed=int(simulation.get("seed", 0)), name="simulated")
        if simulation.get("source") == "file":
            from parecon.scenario.economy_file import load_economy

            path = (_simulation_dir() / str(simulation["file"])).resolve()
            if _simulation_dir().resolve() not in path.parents:
                raise ValidationError(_("simulation: the file is outside the plans' folder."))
            return load_economy(path)
    except PareconError as exc:
        raise ValidationError(f"{simulation.get('name', 'economy file')}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("simulation: bad settings (%(e)s).") % {"e": exc}) from None
    raise ValidationError(_("simulation: unknown source %(s)r.") % {"s": simulation.get("source")})


def store_economy_file(name: str, content: bytes) -> str:
    """Keep an uploaded economy file under the data directory; return its stored name."""
    import hashlib

    suffixes = "".join(Path(name).suffixes[-2:]).lower()
    if suffixes not in (".json", ".json.gz", ".toml", ".npz"):
        raise ValidationError(
            _("%(name)s: an economy file ends in .json, .json.gz, .toml or .npz.") % {"name": name}
        )
    folder = _simulation_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = hashlib.sha256(content).hexdigest()[:24] + suffixes
    (folder / stored).write_bytes(content)
    return stored


@lru_cache(maxsize=4)
def _cached_economy(key: str) -> Economy:
    import json

    return load_simulation(json.loads(key))


def simulated_populations(
    simulation: dict[str, Any], goods: Sequence[Any]
) -> tuple[Population, ...]:
    """A plan's simulated councils, kept in memory between rounds (same settings, same councils).

    Their economy's goods must be the plan's, in the same order.
    """
    if not simulation:
        return ()
    import json

    source = {k: v for k, v in simulation.items() if k not in DERIVED}
    economy = _cached_economy(json.dumps(source, sort_keys=True))
    names = tuple(g.name for g in goods)
    if economy.goods.names != names:
        raise ValidationError(
            _("simulation: its goods (%(sim)s) are not the plan's (%(plan)s).")
            % {"sim": ", ".join(economy.goods.names[:5]), "plan": ", ".join(names[:5])}
        )
    return economy.populations
