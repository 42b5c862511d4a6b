"""Recurrence against RFC 5545: one validation with readable messages, COUNT
counting the first due date, the whole UNTIL day, no sub-day repetition, and
a bounded search that leaves dateutil alone (each test failed before its fix)."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import dateutil.rrule
import pytest
from dateutil.rrule import DAILY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.controller.recurring import upcoming
from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule, describe

from .factories import TODAY, make_world

WEDNESDAY = date(2026, 3, 4)
assert WEDNESDAY.weekday() == 2


def refusal(text: str, start: date = WEDNESDAY, at: time | None = time(9, 0)) -> DomainError:
    with pytest.raises(DomainError) as err:
        recurrence.validate(text, start, at)
    assert err.value.rule is Rule.INVALID_RECURRENCE
    return err.value


# --- 1. sub-day parts ----------------------------------------------------------------


@pytest.mark.parametrize("part", ["BYHOUR=10", "BYMINUTE=30", "BYSECOND=0"])
def test_sub_day_parts_are_refused_readably(part):
    err = refusal(f"FREQ=WEEKLY;{part};COUNT=3")
    name = part.split("=")[0]
    assert name in err.message_de and "tageweise" in err.message_de
    assert name in err.message_en and "by the day" in err.message_en


def test_a_sub_day_rule_never_gives_two_occurrences_on_one_day(db, clock):
    """Completing through the controller: refused up front, so no series of
    same-day follow-ups; a rule stored before the check still moves on by day
    and ends after COUNT."""
    world = make_world(db, clock)
    rid = world.record("Stunden GmbH")
    due = TODAY + timedelta(days=2)
    with pytest.raises(DomainError) as err:
        world.sales.log_activity(
            LogActivity(
                record_id=rid,
                subject="Takt",
                next_follow_up=NextFollowUp(
                    due, due_time=time(10, 0), recurrence="FREQ=WEEKLY;BYHOUR=10;COUNT=3"
                ),
            )
        )
    assert err.value.rule is Rule.INVALID_RECURRENCE
    # A legacy row with the sub-day part (written before the check existed):
    world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Takt",
            next_follow_up=NextFollowUp(
                due, due_time=time(10, 0), recurrence="FREQ=WEEKLY;COUNT=3"
            ),
        )
    )
    with db.write() as s:
        fu = s.scalar(select(m.FollowUp).where(m.FollowUp.record_id == rid))
        fu.recurrence = "FREQ=WEEKLY;BYHOUR=10;COUNT=3"
    days = _complete_series(world, clock, rid)
    assert days == [due, due + timedelta(weeks=1), due + timedelta(weeks=2)]


def _complete_series(world, clock, rid: int, limit: int = 6) -> list[date]:
    """Complete the record's open follow-up on its due day, again and again:
    the due dates of the series as the controller makes them."""
    days: list[date] = []
    for _ in range(limit):
        with world.db.read() as s:
            fu = s.scalar(
                select(m.FollowUp).where(
                    m.FollowUp.record_id == rid, m.FollowUp.state == m.FollowUpState.OPEN
                )
            )
        if fu is None:
            break
        days.append(fu.due_date)
        clock.set(datetime.combine(fu.due_date, time(12, 0), tzinfo=clock.local_zone))
        world.lax.log_activity(LogActivity(record_id=rid, subject="erledigt", completes=(fu.id,)))
    return days


# --- 2. COUNT counts the first due date --------------------------------------------


def test_count_includes_a_first_due_date_that_is_not_on_the_rule():
    rule = build_rule(RecurrenceSpec(Preset.WEEKLY, weekday=4, count=3), WEDNESDAY)
    dates = recurrence.series_dates(rule, series_start=WEDNESDAY, due=WEDNESDAY)
    assert dates == [WEDNESDAY, date(2026, 3, 6), date(2026, 3, 13)]
    assert [o.due_date for o in upcoming(rule, first_due=WEDNESDAY)] == dates
    assert describe(rule, WEDNESDAY) == "wöchentlich am Freitag, 3-mal"
    # On the rule from the start, the count is the same.
    friday = date(2026, 3, 6)
    on_rule = build_rule(RecurrenceSpec(Preset.WEEKLY, count=3), friday)
    assert len(recurrence.series_dates(on_rule, series_start=friday, due=friday)) == 3
    # parse() gives the same three instants, the first due date included.
    parsed = recurrence.parse(rule, WEDNESDAY, time(9, 0))
    assert [d.date() for d in parsed] == dates[1:]


def test_count_through_the_controller_ends_after_the_count(db, clock):
    world = make_world(db, clock)
    rid = world.record("Zähl AG")
    first = TODAY + timedelta(days=(2 - TODAY.weekday()) % 7 + 7)  # a Wednesday ahead
    rule = build_rule(RecurrenceSpec(Preset.WEEKLY, weekday=4, count=3), first)
    world.sales.log_activity(
        LogActivity(
            record_id=rid, subject="Serie", next_follow_up=NextFollowUp(first, recurrence=rule)
        )
    )
    made = _complete_series(world, clock, rid)
    assert made == recurrence.series_dates(rule, series_start=first, due=first)
    assert len(made) == 3


# --- 3. invalid values are invalid -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
        ("FREQ=YEARLY;BYMONTH=0", "BYMONTH=0"),
        ("FREQ=YEARLY;BYYEARDAY=0", "BYYEARDAY=0"),
        ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO=54"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS=0"),
        ("FREQ=MONTHLY;BYDAY=6MO", "6MO"),
        ("FREQ=WEEKLY;BYDAY=1MO", "1MO"),
        ("FREQ=WEEKLY;BYDAY=XX", "XX"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL=-1"),
        ("FREQ=DAILY;COUNT=0", "COUNT=0"),
        ("FREQ=DAILY;WKST=XY", "WKST"),
        ("FREQ=DAILY;UNTIL=20260230", "UNTIL"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS"),
    ],
)
def test_rfc_invalid_values_are_refused_as_invalid(text, fragment):
    err = refusal(text)
    assert fragment in err.message_de and fragment in err.message_en
    assert "keine weitere" not in err.message_de


# --- 5. one validation, readable messages ---------------------------------------------


INTERNALS = (
    "unpack", "__init__", "required positional", "argument", "invalid literal", "Traceback",
    "NoneType", "object has no",
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["FREQ", "FREQ=DAILY;INTERVAL", "=", ";;", "INTERVAL=2", "FREQ=DAILY;INTERVAL=x",
     "FREQ=DAILY;FOO=1", "FREQ=DAILY;UNTIL=2026", "FREQ=DAILY;COUNT=2;UNTIL=20300101",
     "FREQ=DAILY;FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "DTSTART:20260101",
     "FREQ=HOURLY", "FREQ=SOMETIMES", "x" * 600],
)  # fmt: skip
def test_messages_name_the_problem_not_python(text):
    for check in (
        lambda: recurrence.validate(text, WEDNESDAY, time(9, 0)),
        lambda: build_rule(RecurrenceSpec(Preset.CUSTOM, custom=text), WEDNESDAY, time(9, 0)),
    ):
        with pytest.raises(DomainError) as err:
            check()
        assert err.value.rule is Rule.INVALID_RECURRENCE
        for message in (err.value.message_de, err.value.message_en):
            assert not any(word in message for word in INTERNALS), message


@pytest.mark.parametrize(
    "text",
    ["FREQ=WEEKLY;BYDAY=FR;", "rrule:freq=weekly;byday=fr", "FREQ=WEEKLY;UNTIL=20260401T080000Z"],
)
def test_the_activity_dialog_and_the_recurrence_dialog_accept_the_same_texts(text):
    """The activity dialog validates a custom rule, the recurrence dialog builds
    it: both go through one check and accept (and refuse) the same texts."""
    validated = recurrence.validate(text, WEDNESDAY, time(9, 0))
    built = build_rule(RecurrenceSpec(Preset.CUSTOM, custom=text), WEDNESDAY, time(9, 0))
    assert validated == built == recurrence.normalize(text)
    assert not validated.endswith(";")


def test_a_utc_until_is_read_in_the_series_zone():
    """08:00 UTC on 1 April is 10:00 in Berlin (after 09:00: included) but
    04:00 in New York (before 09:00: excluded)."""
    rule = "FREQ=DAILY;UNTIL=20260401T080000Z"
    start = date(2026, 3, 30)
    berlin = recurrence.series_dates(rule, series_start=start, due=start, at=time(9, 0))
    new_york = recurrence.series_dates(
        rule, series_start=start, due=start, at=time(9, 0), zone="America/New_York"
    )
    assert berlin[-1] == date(2026, 4, 1)
    assert new_york[-1] == date(2026, 3, 31)


# --- 6. a date-only UNTIL includes its day --------------------------------------------


@pytest.mark.parametrize("at", [None, time(9, 0), time(23, 30)])
def test_a_date_only_until_includes_its_end_day(at):
    start = date(2026, 3, 8)
    custom = recurrence.series_dates(
        "FREQ=DAILY;UNTIL=20260310", series_start=start, due=start, at=at
    )
    preset = recurrence.series_dates(
        build_rule(RecurrenceSpec(Preset.DAILY, until=date(2026, 3, 10)), start, at),
        series_start=start,
        due=start,
        at=at,
    )
    assert custom == preset == [date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)]


# --- 4. a bounded search that leaves dateutil's globals alone -------------------------


def test_a_rule_without_occurrences_is_refused_quickly_without_touching_dateutil():
    module_datetime = dateutil.rrule.datetime
    for text in (
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30,31",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3",  # from a start in March: only ever March...
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=4",  # ...so never April
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",  # from a Wednesday: always Wednesday
    ):
        if text.endswith("BYMONTH=3"):
            assert recurrence.validate(text, WEDNESDAY) == text
            continue
        assert "keine weitere" in refusal(text).message_de
    assert dateutil.rrule.datetime is module_datetime


def test_searches_do_not_disturb_other_rrule_users_in_other_threads():
    """While one thread searches rules that never occur, another expands its
    own rrule: it must always get every occurrence (the old MAXYEAR swap cut
    them short), and every search must still be refused."""
    stop = threading.Event()
    refused: list[int] = []
    errors: list[BaseException] = []

    def search() -> None:
        try:
            while not stop.is_set():
                try:
                    recurrence.validate("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", WEDNESDAY)
                except DomainError:
                    refused.append(1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    expected = (date(2045, 1, 1) - date(2026, 1, 1)).days + 1
    other = rrule(DAILY, dtstart=datetime(2026, 1, 1), until=datetime(2045, 1, 1))
    searcher = threading.Thread(target=search)
    searcher.start()
    try:
        lengths = {len(list(other)) for _ in range(30)}
    finally:
        stop.set()
        searcher.join(timeout=30)
    assert not errors and refused
    assert lengths == {expected}


_WEEKDAY = st.sampled_from(recurrence.WEEKDAYS)


@st.composite
def day_rules(draw) -> str:
    """DAILY / WEEKLY / MONTHLY rules with day filters, some of which never occur."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 14))}"]
    if draw(st.booleans()):
        months = draw(st.sets(st.integers(1, 12), min_size=1, max_size=3))
        parts.append("BYMONTH=" + ",".join(map(str, sorted(months))))
    if freq != "WEEKLY" and draw(st.booleans()):
        days = draw(st.sets(st.integers(-31, 31).filter(bool), min_size=1, max_size=3))
        parts.append("BYMONTHDAY=" + ",".join(map(str, sorted(days))))
    if draw(st.booleans()):
        ordinal = st.integers(-5, 5).filter(bool) if freq == "MONTHLY" else st.none()
        items = draw(st.lists(st.tuples(ordinal | st.none(), _WEEKDAY), min_size=1, max_size=2))
        parts.append("BYDAY=" + ",".join(f"{n or ''}{d}" for n, d in items))
    return ";".join(parts)


@settings(max_examples=40, deadline=None)
@given(text=day_rules(), start=st.dates(date(2020, 1, 1), date(2040, 12, 31)))
def test_the_bounded_search_finds_what_dateutil_finds(text, start):
    """The day check before the walk never hides an occurrence: the bounded
    search gives dateutil's own next occurrence whenever that lies within the
    horizon, and None otherwise."""
    try:
        parsed = recurrence.parse(text, start, time(9, 0))
    except DomainError:
        return  # refused as invalid: nothing to search
    moment = datetime.combine(start, time(9, 0))
    end = datetime(moment.year + recurrence.HORIZON_YEARS, 12, 31, 23, 59, 59)
    reference = parsed.replace(until=end).after(moment)  # dateutil alone (may walk long)
    assert recurrence.first_after(text, start, time(9, 0), moment) == reference


def test_the_description_names_the_end_day_in_the_series_zone():
    """03:00 UTC on 12 March 2031 is still 11 March in New York (23:00), but
    12 March in Berlin (04:00)."""
    rule = build_rule(RecurrenceSpec(Preset.WEEKLY), date(2031, 3, 5)) + ";UNTIL=20310312T030000Z"
    assert describe(rule, date(2031, 3, 5), "de", zone="America/New_York").endswith("11.03.2031")
    assert describe(rule, date(2031, 3, 5), "en", zone="Europe/Berlin").endswith("2031-03-12")
