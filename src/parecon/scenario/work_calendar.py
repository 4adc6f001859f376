"""An ICS (RFC 5545) calendar of one person's shifts over a rotation cycle.

Shifts are laid out Monday onwards from ``day_start`` with at most
``day_hours`` a day, in floating local time (the workplace's own clock).
Lines end in CRLF and are folded at 75 octets, as the RFC asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from parecon.work.workplace import FloatArray

__all__ = ["person_calendar"]


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    cur = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not parts else 74):
            parts.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    parts.append(cur.decode("utf-8"))
    return "\r\n ".join(parts)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def person_calendar(
    person: str,
    weeks: FloatArray,
    task_names: Sequence[str],
    shift_hours: FloatArray,
    start: dt.date,
    *,
    day_start: int = 9,
    day_hours: float = 8.0,
) -> str:
    """ICS text for ``person``; ``weeks`` is (n_weeks, n_tasks) shifts per week."""
    fmt = "%Y%m%dT%H%M%S"
    monday = start - dt.timedelta(days=start.weekday())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//parecon//job complexes//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_esc(person)} shifts",
    ]
    stamp = dt.datetime(monday.year, monday.month, monday.day).strftime(fmt)
    k = 0
    for w, row in enumerate(np.asarray(weeks)):
        day, used = 0, 0.0
        for t in np.flatnonzero(row > 0):
            for _ in range(round(float(row[t]))):
                length = float(shift_hours[t])
                if used + length > day_hours and used > 0:
                    day, used = day + 1, 0.0
                begin = dt.datetime.combine(
                    monday + dt.timedelta(weeks=w, days=day % 7), dt.time(day_start)
                ) + dt.timedelta(hours=used)
                end = begin + dt.timedelta(hours=length)
                used += length
                k += 1
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{_esc(person)}-{w}-{k}@parecon",
                    f"DTSTAMP:{stamp}",
                    f"DTSTART:{begin.strftime(fmt)}",
                    f"DTEND:{end.strftime(fmt)}",
                    f"SUMMARY:{_esc(task_names[int(t)])}",
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
