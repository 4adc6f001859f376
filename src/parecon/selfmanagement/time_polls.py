"""Time polls: when can we meet? Options in their own time zones, answers, best options.

An option starts at a wall-clock time in an IANA time zone and lasts an
elapsed duration; it is kept as an instant (UTC), so a viewer anywhere sees
it at their own local time, and an option on the night clocks change ends
when it really ends. A local start that does not exist (the hour skipped
when clocks go forward) is refused; one that happens twice (clocks go back)
is the first unless the datetime's ``fold`` is 1.

Each invitee answers yes, if need be, or no. An option's score is how many
can come (yes plus if need be); the best options have the highest score and,
among those, the most yes answers (fewer people stretching themselves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parecon.exceptions import InvalidValueError

__all__ = [
    "Answer",
    "PollDay",
    "PollSlot",
    "TimeAnswer",
    "TimeOption",
    "TimeOptionScore",
    "TimePollResult",
    "count_time_poll",
    "poll_grid",
    "zone",
]


def zone(name: str, where: str = "time zone") -> ZoneInfo:
    """The IANA zone called ``name``; an InvalidValueError names ``where`` when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(
            f"unknown time zone {name!r} (an IANA name such as 'Europe/Berlin')", where
        ) from None


class Answer(StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


@dataclass(frozen=True)
class TimeOption:
    """A possible meeting: ``start`` as wall time in ``zone`` (naive, or aware), and how long."""

    id: str
    start: dt.datetime
    duration: dt.timedelta
    zone: str

    def start_utc(self) -> dt.datetime:
        """The start as an instant in UTC; an InvalidValueError if that wall time never occurs."""
        where = f"option {self.id!r}"
        tz = zone(self.zone, f"{where}, field 'zone'")
        if self.start.tzinfo is not None:
            return self.start.astimezone(dt.UTC)
        local = self.start.replace(tzinfo=tz)
        instant = local.astimezone(dt.UTC)
        if instant.astimezone(tz).replace(tzinfo=None) != self.start:
            raise InvalidValueError(
                f"{self.start:%Y-%m-%d %H:%M} does not exist in {self.zone} (the clocks skip it)",
                f"{where}, field 'start'",
            )
        return instant

    def end_utc(self) -> dt.datetime:
        return self.start_utc() + self.duration


@dataclass(frozen=True)
class TimeAnswer:
    """One invitee's answer to one option, with an optional comment."""

    voter: str
    option: str
    answer: Answer
    comment: str = ""


@dataclass(frozen=True)
class TimeOptionScore:
    """An option's answers by kind, its score (yes + if need be), whether it is among the best."""

    option: TimeOption
    yes: tuple[str, ...]
    if_need_be: tuple[str, ...]
    no: tuple[str, ...]
    best: bool

    @property
    def score(self) -> int:
        return len(self.yes) + len(self.if_need_be)


@dataclass(frozen=True)
class TimePollResult:
    """Scores in chronological order, the best option ids, and who has not answered everything."""

    scores: tuple[TimeOptionScore, ...]
    best: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def everyone_answered(self) -> bool:
        return not self.missing


def count_time_poll(
    options: Sequence[TimeOption],
    answers: Iterable[TimeAnswer],
    invitees: Iterable[str] = (),
) -> TimePollResult:
    """Count ``answers``; an invitee is missing until they have answered every option."""
    by_id: dict[str, TimeOption] = {}
    for o in options:
        if o.id in by_id:
            raise InvalidValueError("appears twice", f"option {o.id!r}")
        if o.duration <= dt.timedelta(0):
            raise InvalidValueError(
                f"duration must be positive (got {o.duration})",
                f"option {o.id!r}, field 'duration'",
            )
        o.start_utc()
        by_id[o.id] = o
    given: dict[tuple[str, str], Answer] = {}
    for a in answers:
        where = f"voter {a.voter!r}, option {a.option!r}"
        if a.option not in by_id:
            raise InvalidValueError("unknown option", where)
        if (a.voter, a.option) in given:
            raise InvalidValueError("answered twice", where)
        try:
            given[(a.voter, a.option)] = Answer(a.answer)
        except ValueError:
            raise InvalidValueError(
                f"answer must be yes, if_need_be or no (got {a.answer!r})",
                f"{where}, field 'answer'",
            ) from None
    chrono = sorted(by_id.values(), key=lambda o: (o.start_utc(), o.id))
    rows = []
    for o in chrono:
        who = {
            k: tuple(sorted(v for (v, oid), ans in given.items() if oid == o.id and ans == k))
            for k in Answer
        }
        rows.append((o, who[Answer.YES], who[Answer.IF_NEED_BE], who[Answer.NO]))
    top = max(((len(y) + len(i), len(y)) for _, y, i, _ in rows), default=(0, 0))
    scores = tuple(
        TimeOptionScore(o, y, i, n, top[0] > 0 and (len(y) + len(i), len(y)) == top)
        for o, y, i, n in rows
    )
    voters = set(invitees) | {v for v, _ in given}
    missing = tuple(sorted(v for v in voters if any((v, o) not in given for o in by_id)))
    return TimePollResult(scores, tuple(s.option.id for s in scores if s.best), missing)


@dataclass(frozen=True)
class PollSlot:
    """An option as a viewer sees it: local start and end, and its score."""

    start: dt.datetime
    end: dt.datetime
    score: TimeOptionScore


@dataclass(frozen=True)
class PollDay:
    """One day of the viewer's calendar and the options that start on it."""

    date: dt.date
    slots: tuple[PollSlot, ...]


def poll_grid(result: TimePollResult, viewer_zone: str) -> tuple[PollDay, ...]:
    """The options grouped by the day they start on in ``viewer_zone``, days in order."""
    tz = zone(viewer_zone, "viewer's time zone")
    days: dict[dt.date, list[PollSlot]] = {}
    for s in result.scores:
        start = s.option.start_utc().astimezone(tz)
        end = s.option.end_utc().astimezone(tz)
        days.setdefault(start.date(), []).append(PollSlot(start, end, s))
    return tuple(PollDay(d, tuple(slots)) for d, slots in sorted(days.items()))
