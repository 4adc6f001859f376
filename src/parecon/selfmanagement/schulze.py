"""Schulze's beatpath method on weighted pairwise preferences.

``d[a][b]`` is the weight of the voters who rank a above b. A path's strength
is its weakest link (winning votes: a link a→b exists when d[a][b] > d[b][a]
and has strength d[a][b]); ``p[a][b]`` is the strongest path from a to b
(Floyd–Warshall). a is better than b when p[a][b] > p[b][a]; Schulze proved
this relation transitive, so the ranking is built tier by tier: the options
no remaining option beats, then the same among the rest. Ties are reported
as ties, never broken by chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["Matrix", "schulze_tiers", "strongest_paths"]

Matrix = list[list[Fraction]]


def strongest_paths(d: Matrix) -> Matrix:
    """``p`` of shape (n, n): the strength of the strongest path between each pair."""
    n = len(d)
    zero = Fraction(0)
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else zero for j in range(n)] for i in range(n)]
    for k in range(n):
        pk = p[k]
        for i in range(n):
            if i == k:
                continue
            pik = p[i][k]
            if not pik:
                continue
            pi = p[i]
            for j in range(n):
                if j != i and j != k:
                    via = pik if pik < pk[j] else pk[j]
                    if via > pi[j]:
                        pi[j] = via
    return p


def schulze_tiers(options: Sequence[str], d: Matrix) -> tuple[tuple[str, ...], ...]:
    """``options`` ranked by Schulze, as tiers best first (ties within a tier, in input order)."""
    p = strongest_paths(d)
    left = list(range(len(options)))
    tiers: list[tuple[str, ...]] = []
    while left:
        top = [i for i in left if all(p[i][j] >= p[j][i] for j in left if j != i)]
        tiers.append(tuple(options[i] for i in top))
        left = [i for i in left if i not in top]
    return tuple(tiers)
