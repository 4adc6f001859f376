"""Searching names in any letter case, beyond ASCII, on every database.

SQLite's ``LIKE`` (behind Django's ``icontains``) folds ASCII letters only, so "école"
did not find "École"; PostgreSQL folds by the cluster's locale. On SQLite the search
runs through ``REGEXP``, which Django's backend answers with Python's :mod:`re`
(Unicode case folding), the typed text escaped so it stays a literal.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q

__all__ = ["name_contains"]


def name_contains(field: str, text: str) -> Q:
    """``field`` holds ``text`` in any letter case ("é" finds "É")."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__iregex": re.escape(text)})
    return Q(**{f"{field}__icontains": text})
