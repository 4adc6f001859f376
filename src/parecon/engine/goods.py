"""Goods: what the facilitation board prices.

Every quantity in the engine is an array indexed by good, in the order the
economy lists its goods. A :class:`Goods` table records each good's name and
category so that rules that differ by category (public goods are shared,
natural resources and labour are in fixed supply) can be applied with masks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from parecon.exceptions import InvalidValueError

__all__ = ["PRODUCED_CATEGORIES", "GoodCategory", "Goods"]


class GoodCategory(IntEnum):
    """What kind of thing a good is; decides who supplies and who uses it."""

    PRIVATE = 0
    """Final good consumed by one council."""
    INTERMEDIATE = 1
    """Produced by worker councils and used up by other worker councils."""
    RESOURCE = 2
    """Natural resource or capital stock, supplied in a fixed amount."""
    LABOUR = 3
    """A type of labour, supplied by the members of consumer councils."""
    PUBLIC = 4
    """Final good whose cost consumer councils share."""
    POLLUTANT = 5
    """An emission whose quantity affected communities permit."""

    @classmethod
    def parse(cls, name: str) -> GoodCategory:
        """Read a category from its name, accepting common spellings."""
        key = name.strip().lower()
        aliases = {
            "private": cls.PRIVATE,
            "final": cls.PRIVATE,
            "consumer": cls.PRIVATE,
            "intermediate": cls.INTERMEDIATE,
            "input": cls.INTERMEDIATE,
            "resource": cls.RESOURCE,
            "nature": cls.RESOURCE,
            "natural": cls.RESOURCE,
            "capital": cls.RESOURCE,
            "labour": cls.LABOUR,
            "labor": cls.LABOUR,
            "public": cls.PUBLIC,
            "pollutant": cls.POLLUTANT,
        }
        if key not in aliases:
            raise InvalidValueError(
                f"unknown good category {name!r}; expected one of "
                + ", ".join(sorted({c.name.lower() for c in cls}))
            )
        return aliases[key]


PRODUCED_CATEGORIES = (GoodCategory.PRIVATE, GoodCategory.INTERMEDIATE, GoodCategory.PUBLIC)
"""What worker councils can produce; the rest is supplied in fixed amounts."""


@dataclass(frozen=True, eq=False)
class Goods:
    """The goods of an economy, in order.

    Attributes
    ----------
    names : tuple of str
        Unique name of each good.
    categories : ndarray of shape (n_goods,), dtype int8
        :class:`GoodCategory` value of each good.
    """

    names: tuple[str, ...]
    categories: NDArray[np.int8]

    def __post_init__(self) -> None:
        cats = np.asarray(self.categories, dtype=np.int8)
        object.__setattr__(self, "categories", cats)
        cats.setflags(write=False)
        if cats.shape != (len(self.names),):
            raise InvalidValueError(
                f"{len(self.names)} names but {cats.shape[0]} categories", "goods"
            )
        seen: set[str] = set()
        for i, name in enumerate(self.names):
            if name in seen:
                raise InvalidValueError(f"duplicate good name {name!r}", f"goods[{i}]")
            seen.add(name)
        valid = {int(c) for c in GoodCategory}
        bad = [i for i, c in enumerate(cats.tolist()) if c not in valid]
        if bad:
            raise InvalidValueError(f"unknown category code {cats[bad[0]]}", f"goods[{bad[0]}]")

    @classmethod
    def from_counts(cls, counts: dict[GoodCategory, int]) -> Goods:
        """Goods named ``<category>-<k>`` (1-based), categories in the given order."""
        names: list[str] = []
        cats: list[int] = []
        for cat, n in counts.items():
            names += [f"{cat.name.lower()}-{k + 1}" for k in range(n)]
            cats += [int(cat)] * n
        return cls(tuple(names), np.asarray(cats, dtype=np.int8))

    def __len__(self) -> int:
        return len(self.names)

    def mask(self, *categories: GoodCategory) -> NDArray[np.bool_]:
        """Boolean mask of shape (n_goods,) selecting the given categories."""
        return np.isin(self.categories, [int(c) for c in categories])

    def indices(self, *categories: GoodCategory) -> NDArray[np.intp]:
        """Indices of the goods in the given categories, in economy order."""
        return np.flatnonzero(self.mask(*categories))

    def index(self, name: str) -> int:
        """Position of the good called ``name``."""
        try:
            return self.names.index(name)
        except ValueError:
            raise InvalidValueError(f"unknown good {name!r}") from None
