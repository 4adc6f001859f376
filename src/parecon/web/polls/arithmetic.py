"""The one place the platform calls the poll arithmetic of :mod:`parecon.selfmanagement`.

Rows become the core's plain values (voters are keys ``m<id>`` for members and
``g<id>`` for guests) and the core's errors become Django's ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement.time_polls import (
    Answer,
    PollDay,
    TimeAnswer,
    TimeOption,
    TimePollResult,
    count_time_poll,
    poll_grid,
    zone,
)
from parecon.web.polls.models import PollAnswer, PollOption


def check_zone(name: str, field: str = "zone") -> str:
    try:
        zone(name)
    except InvalidValueError as exc:
        raise ValidationError({field: exc.problem}) from None
    return name


def option_instant(local_start: datetime, zone_name: str, field: str) -> datetime:
    """The UTC instant of a wall-clock start in ``zone_name`` (refusing skipped times)."""
    option = TimeOption(field, local_start.replace(tzinfo=None), timedelta(minutes=1), zone_name)
    try:
        return option.start_utc()
    except InvalidValueError as exc:
        raise ValidationError({field: exc.problem}) from None


def _core_option(o: PollOption) -> TimeOption:
    return TimeOption(str(o.pk), o.starts_at, timedelta(minutes=o.duration_minutes), o.zone)


def count(
    options: Iterable[PollOption], answers: Iterable[PollAnswer], invitees: Iterable[str]
) -> TimePollResult:
    """Scores per option (chronological), the best ones, and who has not answered all."""
    return count_time_poll(
        [_core_option(o) for o in options],
        [TimeAnswer(a.voter, str(a.option_id), Answer(a.choice), a.comment) for a in answers],
        invitees,
    )


def grid(result: TimePollResult, viewer_zone: str) -> tuple[PollDay, ...]:
    """The options grouped by the day they start on in ``viewer_zone``."""
    try:
        return poll_grid(result, viewer_zone)
    except InvalidValueError as exc:
        raise ValidationError({"tz": exc.problem}) from None
