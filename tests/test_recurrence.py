"""Recurring follow-ups: RRULE expansion on local wall time (core/recurrence.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import DomainError, Rule

BERLIN = ZoneInfo("Europe/Berlin")


def series(rule: str, start: date, *, at: time | None = None, count: int = 20) -> list[date]:
    """Walk a due-anchored series through next_occurrence, as completing it does."""
    dates = [start]
    while len(dates) < count:
        nxt = recurrence.next_occurrence(
            rule, series_start=start, due=dates[-1], at=at, occurrence=len(dates)
        )
        if nxt is None:
            break
        dates.append(nxt)
    return dates


def test_normalize_strips_prefix_and_upper_cases():
    assert recurrence.normalize("  rrule:freq=weekly;interval=2 ") == "FREQ=WEEKLY;INTERVAL=2"


@pytest.mark.parametrize(
    ("start", "changes_on"),
    [(date(2026, 3, 20), date(2026, 3, 29)), (date(2026, 10, 16), date(2026, 10, 25))],
    ids=["march", "october"],
)
def test_weekly_at_nine_stays_nine_local_across_dst(start, changes_on):
    rule = "FREQ=WEEKLY"
    dates = series(rule, start, at=time(9, 0), count=4)
    assert dates == [start + timedelta(weeks=k) for k in range(4)]
    # Expanded occurrences are local wall time: 09:00 before and after the change.
    expanded = recurrence.parse(rule, start, time(9, 0))
    occurrences = [expanded[k] for k in range(4)]
    assert [o.time() for o in occurrences] == [time(9, 0)] * 4
    offsets = {o.replace(tzinfo=BERLIN).utcoffset() for o in occurrences}
    assert len(offsets) == 2, "the series must straddle the DST change"
    utc_hours = [o.replace(tzinfo=BERLIN).astimezone(UTC).hour for o in occurrences]
    before = [h for o, h in zip(occurrences, utc_hours, strict=True) if o.date() < changes_on]
    after = [h for o, h in zip(occurrences, utc_hours, strict=True) if o.date() > changes_on]
    assert before and after and set(before) != set(after)


def test_monthly_on_day_31_skips_short_months():
    dates = series("FREQ=MONTHLY;BYMONTHDAY=31", date(2026, 1, 31), count=5)
    assert dates == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
        date(2026, 8, 31),
    ]


def test_monthly_last_day_of_month():
    dates = series("FREQ=MONTHLY;BYMONTHDAY=-1", date(2026, 1, 31), count=4)
    assert dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_last_friday_of_the_month():
    dates = series("FREQ=MONTHLY;BYDAY=-1FR", date(2026, 1, 30), count=4)
    assert dates == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24)]
    assert all(d.weekday() == 4 for d in dates)


def test_every_six_months():
    dates = series("FREQ=MONTHLY;INTERVAL=6", date(2026, 2, 15), count=4)
    assert dates == [date(2026, 2, 15), date(2026, 8, 15), date(2027, 2, 15), date(2027, 8, 15)]


def test_count_ends_the_series():
    dates = series("FREQ=WEEKLY;COUNT=3", date(2026, 3, 2), count=10)
    assert dates == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def test_until_ends_the_series_inclusive():
    dates = series("FREQ=WEEKLY;UNTIL=20260316", date(2026, 3, 2), count=10)
    assert dates == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def test_until_in_utc_ends_a_zoned_series():
    """RFC 5545: with a start in a time zone, UNTIL is given in UTC (calendar
    programs write it so). 2026-04-15 09:00 Berlin is 07:00Z, so it is included."""
    rule = "FREQ=WEEKLY;UNTIL=20260415T070000Z"
    assert recurrence.validate(rule, date(2026, 4, 1), time(9, 0)) == rule
    dates = series(rule, date(2026, 4, 1), at=time(9, 0), count=10)
    assert dates == [date(2026, 4, 1), date(2026, 4, 8), date(2026, 4, 15)]


def test_a_late_completion_keeps_the_due_anchored_grid():
    # Due 2 March, completed late: the next one still comes from the series.
    nxt = recurrence.next_occurrence(
        "FREQ=WEEKLY;INTERVAL=2",
        series_start=date(2026, 3, 2),
        due=date(2026, 3, 2),
        at=None,
        occurrence=1,
    )
    assert nxt == date(2026, 3, 16)


def test_completion_anchor_counts_from_the_completion_date():
    nxt = recurrence.next_occurrence(
        "FREQ=WEEKLY;INTERVAL=2",
        series_start=date(2026, 3, 2),
        due=date(2026, 3, 2),
        at=time(9, 0),
        occurrence=1,
        from_completion=date(2026, 3, 10),
    )
    assert nxt == date(2026, 3, 24)
    six_months = recurrence.next_occurrence(
        "FREQ=MONTHLY;INTERVAL=6",
        series_start=date(2026, 1, 15),
        due=date(2026, 1, 15),
        at=None,
        occurrence=1,
        from_completion=date(2026, 2, 3),
    )
    assert six_months == date(2026, 8, 3)


def test_completion_anchor_honours_count():
    kwargs = {"series_start": date(2026, 3, 2), "at": None}
    rule = "FREQ=WEEKLY;COUNT=2"
    first = recurrence.next_occurrence(
        rule, due=date(2026, 3, 2), occurrence=1, from_completion=date(2026, 3, 5), **kwargs
    )
    assert first == date(2026, 3, 12)
    assert (
        recurrence.next_occurrence(
            rule, due=first, occurrence=2, from_completion=date(2026, 3, 13), **kwargs
        )
        is None
    )


def test_completion_anchor_honours_until():
    rule = "FREQ=WEEKLY;UNTIL=20260320"
    nxt = recurrence.next_occurrence(
        rule,
        series_start=date(2026, 3, 2),
        due=date(2026, 3, 2),
        at=None,
        occurrence=1,
        from_completion=date(2026, 3, 16),
    )
    assert nxt is None


@pytest.mark.parametrize(
    "rule",
    ["", "garbage", "FREQ=HOURLY", "FREQ=MINUTELY;COUNT=3", "FREQ=WEEKLY;COUNT=1",
     "DTSTART:20260101T000000\nRRULE:FREQ=WEEKLY", "FREQ=WEEKLY;DTSTART=20260101",
     "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;UNTIL=20200101"],
)  # fmt: skip
def test_validate_refuses(rule):
    with pytest.raises(DomainError) as info:
        recurrence.validate(rule, date(2026, 3, 20), time(9, 0))
    assert info.value.rule is Rule.INVALID_RECURRENCE
    assert info.value.message("de") and info.value.message("en")


def test_parse_and_validate_accept_prefix_and_lower_case():
    assert recurrence.validate("RRULE:freq=monthly;interval=6", date(2026, 1, 1)) == (
        "FREQ=MONTHLY;INTERVAL=6"
    )
    occurrences = recurrence.parse("FREQ=DAILY;COUNT=2", date(2026, 1, 1), time(8, 30))
    assert list(occurrences) == [datetime(2026, 1, 1, 8, 30), datetime(2026, 1, 2, 8, 30)]
