"""Where a game's economy comes from: a generated town or city, Barcelona's demo, or a file.

The generated ones use the core's generator with DEP's distributions; Barcelona's
is the planning demo's economy (named goods and councils); a facilitator's own
economy file is stored and read as the planning app stores and reads them. The
economy is kept in memory per process, so rounds reuse the same councils.
"""

from __future__ import annotations

import json
import tomllib
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parecon.engine import Economy, GoodCategory
from parecon.exceptions import PareconError

__all__ = ["SCENARIOS", "economy_of", "scenario_label"]

#: Built-in scenarios: name -> (label, generator settings or None for Barcelona's file).
SCENARIOS: dict[str, tuple[Any, dict[str, int] | None]] = {
    "town": (
        gettext_lazy("A town: 60 consumer and 60 worker councils, five goods"),
        {"consumers": 60, "workers": 60, "goods_per_category": 1},
    ),
    "city": (
        gettext_lazy("A city: 200 consumer and 200 worker councils, ten goods"),
        {"consumers": 200, "workers": 200, "goods_per_category": 2},
    ),
    "barcelona": (
        gettext_lazy("Barcelona's neighbourhoods: bread, beer, pizza and a park"),
        None,
    ),
}


def scenario_label(scenario: dict[str, Any]) -> str:
    source = scenario.get("source", "")
    if source in SCENARIOS:
        return str(SCENARIOS[source][0])
    return _("Economy file %(name)s") % {"name": scenario.get("name", "")}


def economy_of(scenario: dict[str, Any]) -> Economy:
    """The scenario's economy (cached per process), or a located ``ValidationError``."""
    return _load(json.dumps(scenario, sort_keys=True))


@lru_cache(maxsize=8)
def _load(key: str) -> Economy:
    economy = _read(json.loads(key))
    _warm(economy)
    return economy


def _warm(economy: Economy) -> None:
    """Play one throw-away round, so the first real close does not pay the kernels' start-up.

    The first round in a process compiles the engine's kernels (seconds); done here, it
    is paid when the facilitator starts the game rather than while a room waits.
    """
    import numpy as np
    import scipy.sparse as sp

    from parecon.engine import SubmittedProposals
    from parecon.engine.price_rules import DEFAULT_RULE
    from parecon.web.planning.facilitation import new_board, play_round

    board = new_board(
        DEFAULT_RULE, economy.initial_prices.tolist(), economy.goods, tolerance=0.03, max_rounds=2
    )
    n = economy.n_goods
    empty = sp.csr_array((1, n))
    public = np.asarray(economy.goods.categories == int(GoodCategory.PUBLIC))
    played = SubmittedProposals(empty, empty, public, 1, ("warm-up",), economy.goods.categories)
    play_round(board, [played, *economy.populations])


def _read(scenario: dict[str, Any]) -> Economy:
    source = scenario.get("source")
    from parecon.web.planning.catalogue import load_simulation

    if source in SCENARIOS:
        settings = SCENARIOS[source][1]
        if settings is not None:
            return load_simulation(
                {"source": "generate", **settings, "seed": int(scenario.get("seed", 1))}
            )
        from parecon.scenario.economy_file import economy_from_document
        from parecon.web.planning.demo import ECONOMY

        try:
            return economy_from_document(tomllib.loads(ECONOMY), "barcelona.toml", "barcelona")
        except PareconError as exc:  # pragma: no cover - the demo's file is known good
            raise ValidationError(str(exc)) from None
    if source == "file":
        return load_simulation(
            {"source": "file", "file": scenario["file"], "name": scenario.get("name", "")}
        )
    raise ValidationError(_("scenario: unknown source %(s)r.") % {"s": source})
