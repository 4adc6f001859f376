"""Instants the JSON API accepts: any ISO 8601 offset, kept as UTC.

Python reads offsets up to ±23:59, PostgreSQL stores only up to ±15:59: an instant
such as ``2000-01-01T00:00:00-21:00`` passed validation and ended in a database
error (a server error) on PostgreSQL while SQLite, which Django hands UTC, stored
it. Converting at the edge makes both databases see the same UTC value; an
instant that leaves the calendar once converted (year 1 at +05:00) is a
validation error naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

__all__ = ["Instant", "as_utc"]


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC when it carries an offset (naive values are left as given)."""
    if value.utcoffset() is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None


Instant = Annotated[datetime, AfterValidator(as_utc)]
"""A ``datetime`` field of an API input schema, converted to UTC."""
