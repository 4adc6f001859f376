"""Parsing the poll pages' forms: option rows, answers, deadlines (no Django forms:
the rows are repeated inputs, located by their number in errors)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from parecon.web.polls import arithmetic
from parecon.web.polls.models import Choice

ROWS = 8
DURATIONS = (30, 45, 60, 90, 120, 180, 240)


def zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def parse_options(post: QueryDict) -> list[tuple[datetime, int]]:
    """Rows of ``date``, ``time`` and ``minutes``; blank rows are skipped."""
    dates, times, minutes = post.getlist("date"), post.getlist("time"), post.getlist("minutes")
    rows = []
    for i, day in enumerate(dates[:100]):
        at = times[i] if i < len(times) else ""
        length = minutes[i] if i < len(minutes) else "60"
        if not day.strip() and not at.strip():
            continue
        field = f"option {i + 1}"
        try:
            start = datetime.combine(
                date.fromisoformat(day.strip()), time.fromisoformat(at.strip())
            )
            n = int(length)
        except ValueError:
            raise ValidationError(
                {field: _("Give a date (YYYY-MM-DD), a time (HH:MM) and minutes.")}
            ) from None
        rows.append((start.replace(second=0, microsecond=0), n))
    return rows


def parse_deadline(value: str, zone: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({"closes_at": _("Give the deadline as a date and time.")}) from None
    return arithmetic.option_instant(local, zone, "closes_at")


def parse_answers(post: Mapping[str, str], option_ids: list[int]) -> dict[int, tuple[str, str]]:
    """``answer-<id>`` (yes / if_need_be / no) and ``comment-<id>`` per option."""
    out = {}
    for pk in option_ids:
        choice = post.get(f"answer-{pk}", "")
        if not choice:
            continue
        if choice not in Choice.values:
            raise ValidationError({f"answer-{pk}": _("Answer yes, if need be or no.")})
        out[pk] = (choice, post.get(f"comment-{pk}", "")[:1000])
    return out
