"""An ICS (RFC 5545) calendar of one person's shifts over a rotation cycle.

Shifts are laid out Monday onwards from ``day_start`` with at most
``day_hours`` a day, in floating local time (the workplace's own clock).
Lines end in CRLF and are folded at 75 octets, as the RFC asks; text is
escaped as TEXT values (``\\``, ``;``, ``,``, newlines) with other control
characters dropped, so no name can start a property or an event of its own.
File names come from :func:`calendar_file_names`: people's names reduced to
letters, digits, ``.``, ``_`` and ``-`` (no folders, no leading dot), made
unique, so no name can write outside the calendars folder.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from parecon.work.workplace import FloatArray

__all__ = ["calendar_file_names", "person_calendar"]


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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")
    return slug[:80] or "person"


def calendar_file_names(people: Sequence[str]) -> list[str]:
    """One safe, distinct ``.ics`` file name per person (compared case-insensitively).

    ``ana`` stays ``ana.ics``; ``../../escape`` becomes ``escape.ics``;
    ``/etc/x`` becomes ``etc_x.ics``; a repeat gets ``-2``, ``-3``, ...
    """
    taken: set[str] = set()
    out = []
    for person in people:
        base = _slug(person)
        name, k = base, 1
        while name.lower() in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name.lower())
        out.append(f"{name}.ics")
    return out


def person_calendar(
    person: str,
    weeks: FloatArray,
    task_names: Sequence[str],
    shift_hours: FloatArray,
    start: dt.date,
    *,
    day_start: int = 9,
    day_hours: float = 8.0,
    uid: str | None = None,
) -> str:
    """ICS text for ``person``; ``weeks`` is (n_weeks, n_tasks) shifts per week.

    ``uid`` starts every event's UID (default: the person's name made safe;
    pass the calendar's unique file stem when names may collide).
    """
    stem = _slug(person) if uid is None else _slug(uid)
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
                    f"UID:{stem}-{w}-{k}@parecon",
                    f"DTSTAMP:{stamp}",
                    f"DTSTART:{begin.strftime(fmt)}",
                    f"DTEND:{end.strftime(fmt)}",
                    f"SUMMARY:{_esc(task_names[int(t)])}",
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
