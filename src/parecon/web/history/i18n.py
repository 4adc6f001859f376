"""History summaries that read in each reader's language.

A summary is written once, when the change happens, but read by members of many
languages. :class:`Said` keeps the English message and its parameters (those that are
themselves translatable, like a role's name, by their English text; dates as dates) in the event's
``data``, so the log shows each reader the summary in their own language; the
``summary`` column keeps the text as first written, for exports and older rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext


def _stored(value: object) -> object:
    if isinstance(value, datetime):
        return {"d": value.date().isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Promise):
        with translation.override("en"):
            return {"t": str(value)}
    return str(value)


@dataclass(frozen=True)
class Said:
    """A message (mark it with ``gettext_noop``) and its ``%(name)s`` parameters."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def stored(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _stored(v) for k, v in self.params.items()}}

    def __str__(self) -> str:
        return render(self.stored())


def said(msgid: str, **params: object) -> Said:
    return Said(msgid, params)


def _shown(value: object) -> object:
    if isinstance(value, dict) and "t" in value:
        return gettext(str(value["t"]))
    if isinstance(value, dict) and "d" in value:
        return formats.date_format(date.fromisoformat(str(value["d"])), "DATE_FORMAT")
    return value


def render(stored: Mapping[str, Any]) -> str:
    """The stored message in the active language (English if the catalogue disagrees)."""
    params = {k: _shown(v) for k, v in dict(stored.get("params", {})).items()}
    msgid = str(stored.get("msgid", ""))
    try:
        return gettext(msgid) % params
    except (KeyError, ValueError, TypeError):
        return msgid % params
