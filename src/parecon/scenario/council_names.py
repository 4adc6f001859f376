"""Councils' names as read from economy files, kept beside the arrays that hold no names.

Populations are arrays without labels; a file's ``name`` fields are carried in
``Economy.metadata`` so that proposals, plans and budgets can name councils.
"""

from __future__ import annotations

from typing import Any

from parecon.engine import Economy

__all__ = ["COUNCIL_NAMES", "council_names"]

COUNCIL_NAMES = "council_names"
"""Key of ``Economy.metadata`` holding, per population, its councils' names (or None)."""


def council_names(economy: Economy) -> list[tuple[str, ...] | None]:
    """Each population's council names as read from its file (None where unnamed)."""
    names: Any = economy.metadata.get(COUNCIL_NAMES)
    if not isinstance(names, list | tuple) or len(names) != len(economy.populations):
        return [None] * len(economy.populations)
    return [
        tuple(n) if n is not None and len(n) == pop.n_councils else None
        for n, pop in zip(names, economy.populations, strict=True)
    ]
