"""Time polls: scores and best options, grouping by the viewer's day, across time zones and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parecon.exceptions import InvalidValueError
from parecon.selfmanagement import Answer, TimeAnswer, TimeOption, count_time_poll, poll_grid

H = dt.timedelta(hours=1)


def _opt(id: str, start: str, hours: float, zone: str) -> TimeOption:
    return TimeOption(id, dt.datetime.fromisoformat(start), dt.timedelta(hours=hours), zone)


def test_three_time_zones_see_the_same_instant_at_their_own_time() -> None:
    # 18:00 in Berlin on 2026-06-10 is 12:00 in New York and 01:00 (next day) in Tokyo
    poll = count_time_poll([_opt("m", "2026-06-10T18:00", 2, "Europe/Berlin")], [])
    for zone, day, hour in [
        ("Europe/Berlin", 10, 18),
        ("America/New_York", 10, 12),
        ("Asia/Tokyo", 11, 1),
    ]:
        (d,) = poll_grid(poll, zone)
        slot = d.slots[0]
        assert (d.date, slot.start.hour, slot.end.hour) == (dt.date(2026, 6, day), hour, hour + 2)


def test_best_options_by_who_can_come_then_by_yes() -> None:
    options = [
        _opt("mon", "2026-03-02T19:00", 2, "Europe/Lisbon"),
        _opt("tue", "2026-03-03T19:00", 2, "Europe/Lisbon"),
        _opt("wed", "2026-03-04T19:00", 2, "Europe/Lisbon"),
    ]
    Y, M, N = Answer.YES, Answer.IF_NEED_BE, Answer.NO
    table = {"ana": (Y, Y, M), "ben": (M, Y, Y), "cleo": (Y, N, Y), "dev": (N, M, M)}
    answers = [
        TimeAnswer(v, o.id, a)
        for v, row in table.items()
        for o, a in zip(options, row, strict=True)
    ]
    res = count_time_poll(options, answers, invitees=["ana", "ben", "cleo", "dev", "eli"])
    scores = {s.option.id: (len(s.yes), len(s.if_need_be), len(s.no), s.score) for s in res.scores}
    assert scores == {"mon": (2, 1, 1, 3), "tue": (2, 1, 1, 3), "wed": (2, 2, 0, 4)}
    assert res.best == ("wed",)
    assert res.missing == ("eli",) and not res.everyone_answered
    answers.remove(TimeAnswer("dev", "wed", M))
    res = count_time_poll(options, answers, invitees=["ana", "ben", "cleo", "dev"])
    assert res.best == ("mon", "tue", "wed") and res.missing == ("dev",)


def test_an_option_across_the_night_clocks_go_back() -> None:
    # Berlin leaves summer time at 03:00 on 2026-10-25: 01:30 + 2 h elapsed ends at 02:30 wall time
    poll = count_time_poll([_opt("night", "2026-10-25T01:30", 2, "Europe/Berlin")], [])
    (day,) = poll_grid(poll, "Europe/Berlin")
    slot = day.slots[0]
    assert (slot.start.hour, slot.start.minute, slot.end.hour, slot.end.minute) == (1, 30, 2, 30)
    assert slot.end.astimezone(dt.UTC) - slot.start.astimezone(dt.UTC) == 2 * H
    assert slot.end - slot.start == H  # Python subtracts wall times within one zone
    assert slot.start.utcoffset() == 2 * H and slot.end.utcoffset() == H


def test_a_weekly_meeting_moves_for_a_viewer_whose_clocks_change_on_another_date() -> None:
    # Berlin and New York change on different Sundays in spring (2026-03-08 vs 2026-03-29)
    options = [_opt(f"w{d}", f"2026-03-{d:02d}T18:00", 1, "Europe/Berlin") for d in (4, 11, 25, 31)]
    grid = poll_grid(count_time_poll(options, []), "America/New_York")
    hours = [(d.date.day, d.slots[0].start.hour) for d in grid]
    assert hours == [(4, 12), (11, 13), (25, 13), (31, 12)]


def test_a_time_the_clocks_skip_is_refused_and_a_repeated_one_takes_fold() -> None:
    with pytest.raises(
        InvalidValueError, match="option 'gap', field 'start': 2026-03-29 02:30 does not exist"
    ):
        count_time_poll([_opt("gap", "2026-03-29T02:30", 1, "Europe/Berlin")], [])
    first = TimeOption("a", dt.datetime(2026, 10, 25, 2, 30), H, "Europe/Berlin")
    second = TimeOption("b", dt.datetime(2026, 10, 25, 2, 30, fold=1), H, "Europe/Berlin")
    assert second.start_utc() - first.start_utc() == H
    res = count_time_poll([second, first], [])
    assert [s.option.id for s in res.scores] == ["a", "b"]  # chronological


def test_grid_groups_by_the_viewers_day_in_order() -> None:
    options = [
        _opt("late", "2026-05-01T23:30", 1, "Europe/London"),  # 2 May 00:30 in Paris
        _opt("early", "2026-05-02T08:00", 1, "Europe/Paris"),
        _opt("before", "2026-05-01T09:00", 1, "America/Los_Angeles"),
    ]
    grid = poll_grid(count_time_poll(options, []), "Europe/Paris")
    assert [(d.date.day, [s.score.option.id for s in d.slots]) for d in grid] == [
        (1, ["before"]),
        (2, ["late", "early"]),
    ]


@pytest.mark.parametrize(
    ("options", "answers", "problem"),
    [
        (
            [_opt("a", "2026-01-01T10:00", 1, "Mars/Olympus")],
            [],
            "option 'a', field 'zone': unknown time zone",
        ),
        ([_opt("a", "2026-01-01T10:00", 0, "UTC")], [], "option 'a', field 'duration'"),
        ([_opt("a", "2026-01-01T10:00", 1, "UTC")] * 2, [], "option 'a': appears twice"),
        (
            [_opt("a", "2026-01-01T10:00", 1, "UTC")],
            [TimeAnswer("v", "b", Answer.YES)],
            "voter 'v', option 'b': unknown option",
        ),
        (
            [_opt("a", "2026-01-01T10:00", 1, "UTC")],
            [TimeAnswer("v", "a", Answer.YES)] * 2,
            "answered twice",
        ),
        (
            [_opt("a", "2026-01-01T10:00", 1, "UTC")],
            [TimeAnswer("v", "a", "maybe")],
            "field 'answer'",
        ),  # type: ignore[arg-type]
    ],
)
def test_bad_polls_name_the_option_or_voter(
    options: list[TimeOption], answers: list[TimeAnswer], problem: str
) -> None:
    with pytest.raises(InvalidValueError, match=problem):
        count_time_poll(options, answers)


def test_unknown_viewer_zone() -> None:
    with pytest.raises(InvalidValueError, match="viewer's time zone: unknown time zone"):
        poll_grid(count_time_poll([], []), "Nowhere/City")


ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "UTC",
]


@settings(max_examples=150, deadline=None)
@given(
    starts=st.lists(
        st.tuples(
            st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 31)),
            st.sampled_from(ZONES),
            st.integers(15, 600),
        ),
        min_size=1,
        max_size=6,
    ),
    viewer=st.sampled_from(ZONES),
)
def test_every_option_appears_once_at_its_instant_for_every_viewer(
    starts: list[tuple[dt.datetime, str, int]], viewer: str
) -> None:
    options = []
    for i, (start, zone, minutes) in enumerate(starts):
        o = TimeOption(f"o{i}", start.replace(microsecond=0), dt.timedelta(minutes=minutes), zone)
        try:
            o.start_utc()
        except InvalidValueError:
            continue  # a wall time the clocks skip
        options.append(o)
    grid = poll_grid(count_time_poll(options, []), viewer)
    slots = [s for d in grid for s in d.slots]
    assert sorted(s.score.option.id for s in slots) == sorted(o.id for o in options)
    assert [d.date for d in grid] == sorted({d.date for d in grid})
    for d in grid:
        for s in d.slots:
            o = s.score.option
            assert s.start.date() == d.date
            assert s.start.astimezone(dt.UTC) == o.start_utc()  # the same instant everywhere
            assert s.end.astimezone(dt.UTC) - s.start.astimezone(dt.UTC) == o.duration
            local = o.start_utc().astimezone(ZoneInfo(o.zone))
            assert local.replace(tzinfo=None) == o.start  # the wall time its author chose
