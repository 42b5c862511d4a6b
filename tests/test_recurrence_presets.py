"""Recurring follow-ups: dialog presets against their expected dates, the end
of a series, invalid rules, DST (Europe/Berlin), the shift off weekends and
DE-NW holidays, completion and cancellation through the controller."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.easter import easter
from sqlalchemy import func, select

from akquise_desktop import models as m
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.controller.recurring import RecurringFollowUps, upcoming
from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.holidays_calendar import WorkCalendar, normalize_region
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule, describe
from akquise_desktop.models import RecurrenceAnchor

from .factories import TODAY, World, make_world

BERLIN = ZoneInfo("Europe/Berlin")
NEXT_YEAR = TODAY.year + 1  # the calendar facts below lie after the pinned today


def _dates(spec: RecurrenceSpec, start: date, n: int = 6, at: time | None = None) -> list[date]:
    rule = build_rule(spec, start, at)
    return recurrence.series_dates(rule, series_start=start, due=start, at=at, limit=n)


# --- presets against their expected dates -----------------------------------------------------

PRESET_CASES = [
    (
        RecurrenceSpec(Preset.DAILY),
        date(2025, 1, 30),
        "FREQ=DAILY",
        ["2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02"],
    ),
    (
        RecurrenceSpec(Preset.DAILY, interval=3),
        date(2025, 2, 26),
        "FREQ=DAILY;INTERVAL=3",
        ["2025-02-26", "2025-03-01", "2025-03-04", "2025-03-07"],
    ),
    (
        RecurrenceSpec(Preset.WEEKLY, weekday=0),
        date(2025, 3, 3),
        "FREQ=WEEKLY;BYDAY=MO",
        ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"],
    ),
    (
        # Weekday defaults to the start's; a start on another day comes first.
        RecurrenceSpec(Preset.WEEKLY, weekday=4),
        date(2025, 3, 5),
        "FREQ=WEEKLY;BYDAY=FR",
        ["2025-03-05", "2025-03-07", "2025-03-14", "2025-03-21"],
    ),
    (
        RecurrenceSpec(Preset.EVERY_N_WEEKS, interval=2, weekday=4),
        date(2025, 1, 3),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        ["2025-01-03", "2025-01-17", "2025-01-31", "2025-02-14"],
    ),
    (
        RecurrenceSpec(Preset.MONTHLY_DAY, month_day=15),
        date(2025, 1, 15),
        "FREQ=MONTHLY;BYMONTHDAY=15",
        ["2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15"],
    ),
    (
        # Day 31: the last day in shorter months, not skipped months.
        RecurrenceSpec(Preset.MONTHLY_DAY, month_day=31),
        date(2025, 1, 31),
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"],
    ),
    (
        RecurrenceSpec(Preset.MONTHLY_DAY, month_day=30),
        date(2024, 1, 30),
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
        ["2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30"],
    ),
    (
        RecurrenceSpec(Preset.MONTHLY_DAY, interval=2, month_day=10),
        date(2025, 1, 10),
        "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10",
        ["2025-01-10", "2025-03-10", "2025-05-10", "2025-07-10"],
    ),
    (
        RecurrenceSpec(Preset.MONTHLY_LAST_WEEKDAY),  # Friday by default
        date(2025, 1, 31),
        "FREQ=MONTHLY;BYDAY=-1FR",
        ["2025-01-31", "2025-02-28", "2025-03-28", "2025-04-25", "2025-05-30"],
    ),
    (
        RecurrenceSpec(Preset.QUARTERLY),
        date(2025, 1, 31),
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
        ["2025-01-31", "2025-04-30", "2025-07-31", "2025-10-31", "2026-01-31"],
    ),
    (
        RecurrenceSpec(Preset.QUARTERLY),
        date(2025, 2, 14),
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=14",
        ["2025-02-14", "2025-05-14", "2025-08-14", "2025-11-14"],
    ),
    (
        RecurrenceSpec(Preset.HALF_YEARLY),
        date(2025, 8, 31),
        "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1",
        ["2025-08-31", "2026-02-28", "2026-08-31", "2027-02-28"],
    ),
    (
        RecurrenceSpec(Preset.YEARLY),
        date(2025, 6, 2),
        "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=2",
        ["2025-06-02", "2026-06-02", "2027-06-02"],
    ),
    (
        # 29 February: 28 February in common years.
        RecurrenceSpec(Preset.YEARLY),
        date(2024, 2, 29),
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
        ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
    ),
    (
        RecurrenceSpec(Preset.CUSTOM, custom="RRULE:freq=monthly;byday=1mo"),
        date(2025, 1, 6),
        "FREQ=MONTHLY;BYDAY=1MO",
        ["2025-01-06", "2025-02-03", "2025-03-03", "2025-04-07"],
    ),
]


@pytest.mark.parametrize(("spec", "start", "rule", "expected"), PRESET_CASES)
def test_preset_rule_and_dates(spec, start, rule, expected):
    assert build_rule(spec, start) == rule
    got = _dates(spec, start, len(expected))
    assert [d.isoformat() for d in got] == expected
    # The dialog reopens on the same choice.
    back = recurrence.spec_from_rule(rule, start)
    assert build_rule(back, start) == rule
    if spec.preset is not Preset.CUSTOM:
        assert back.preset in {spec.preset, Preset.MONTHLY_DAY}


def test_end_after_n_times_or_at_a_date():
    start = date(2025, 3, 3)
    by_count = build_rule(RecurrenceSpec(Preset.WEEKLY, count=3), start, time(9))
    assert by_count == "FREQ=WEEKLY;BYDAY=MO;COUNT=3"
    assert recurrence.series_dates(by_count, series_start=start, due=start, at=time(9)) == [
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
    ]
    # The end date is included, also for a 17:00 follow-up.
    until = build_rule(RecurrenceSpec(Preset.WEEKLY, until=date(2025, 3, 17)), start, time(17))
    assert until == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20250317T235959"
    got = recurrence.series_dates(until, series_start=start, due=start, at=time(17))
    assert got[-1] == date(2025, 3, 17) and len(got) == 3


def test_describe_is_readable():
    start = date(2025, 1, 31)
    rule = build_rule(RecurrenceSpec(Preset.MONTHLY_LAST_WEEKDAY, count=5), start)
    assert describe(rule, start, "de") == "monatlich am letzten Freitag, 5-mal"
    assert describe(rule, start, "en") == "monthly on the last Friday, 5 times"
    weekly = build_rule(RecurrenceSpec(Preset.EVERY_N_WEEKS, interval=2, weekday=0), start)
    assert describe(weekly, start, "de") == "alle 2 Wochen am Montag"
    assert describe("FREQ=MONTHLY;BYDAY=1MO", start, "en") == "RRULE:FREQ=MONTHLY;BYDAY=1MO"


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=SOMETIMES"), "ungültig"),
        (RecurrenceSpec(Preset.CUSTOM, custom=""), "leer"),
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=HOURLY"), "FREQ"),
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=DAILY;COUNT=2;UNTIL=20300101T000000"), "UNTIL"),
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=DAILY;FREQ=WEEKLY"), "doppelt"),
        (RecurrenceSpec(Preset.WEEKLY, count=1), "Anzahl"),
        (RecurrenceSpec(Preset.WEEKLY, count=3, until=date(2030, 1, 1)), "nicht beides"),
        (RecurrenceSpec(Preset.WEEKLY, until=date(2024, 12, 1)), "Beginn"),
        (RecurrenceSpec(Preset.WEEKLY, until=date(2025, 1, 2)), "keine weitere"),
        (RecurrenceSpec(Preset.DAILY, interval=0), "Intervall"),
        (RecurrenceSpec(Preset.EVERY_N_WEEKS, interval=1), "N ≥ 2"),
        (RecurrenceSpec(Preset.WEEKLY, weekday=9), "Wochentag"),
        (RecurrenceSpec(Preset.MONTHLY_DAY, month_day=32), "Monatstag"),
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), "keine"),
    ],
)
def test_invalid_rules_are_refused_readably(spec, fragment):
    with pytest.raises(DomainError) as err:
        build_rule(spec, date(2025, 1, 1))
    assert err.value.rule is Rule.INVALID_RECURRENCE
    message = err.value.message_de
    assert message.startswith("Die Wiederholungsregel ist ungültig")
    assert fragment.lower() in message.lower(), message


# --- holidays and the shift off days off --------------------------------------------------------


def test_work_calendar_de_nw():
    nw = WorkCalendar("de-nw")
    assert nw.region == "DE-NW"
    assert nw.holiday_name(date(2025, 6, 19)) == "Fronleichnam"
    assert not nw.is_working_day(date(2025, 6, 19))  # Corpus Christi, NW
    assert WorkCalendar("DE-BE").is_working_day(date(2025, 6, 19))  # not in Berlin
    assert nw.next_working_day(date(2025, 12, 24)) == date(2025, 12, 24)
    assert nw.next_working_day(date(2025, 12, 25)) == date(2025, 12, 29)  # 25/26, weekend
    assert WorkCalendar().next_working_day(date(2025, 12, 25)) == date(2025, 12, 25)
    assert WorkCalendar().next_working_day(date(2025, 12, 27)) == date(2025, 12, 29)
    for bad in ("", "XX", "DE-XX", "DE-NW-1"):
        with pytest.raises(DomainError):
            normalize_region(bad)


def test_a_shifted_series_goes_on_after_the_moved_date():
    # Weekly on Friday over Christmas 2026 (Friday) and New Year 2027 (Friday).
    rule = build_rule(RecurrenceSpec(Preset.WEEKLY), date(2026, 12, 18))
    got = recurrence.series_dates(
        rule, series_start=date(2026, 12, 18), due=date(2026, 12, 18), shift="DE-NW", limit=4
    )
    assert got == [date(2026, 12, 18), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 8)]
    preview = upcoming(rule, first_due=date(2026, 12, 18), shift_region="DE-NW", count=4)
    assert [o.due_date for o in preview] == got
    assert preview[1].moved_from == date(2026, 12, 25)
    assert preview[1].holiday == "Erster Weihnachtstag"
    assert preview[2].moved_from == date(2027, 1, 1) and preview[2].holiday == "Neujahr"
    assert preview[3].moved_from is None


def test_preview_of_a_timed_series_keeps_wall_time_across_dst():
    rule = build_rule(RecurrenceSpec(Preset.WEEKLY), date(2025, 3, 24))
    preview = upcoming(rule, first_due=date(2025, 3, 24), at=time(9), count=3)
    assert [o.at.timetz().replace(tzinfo=None) for o in preview] == [time(9)] * 3
    assert [o.at.utcoffset() for o in preview] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]


# --- through the controller ----------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _recurring(world: World, due: date, rule: str, at: time | None = None, **nf) -> m.FollowUp:
    rid = world.record("Serie GmbH")
    world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Vereinbarung",
            next_follow_up=NextFollowUp(due, due_time=at, recurrence=rule, **nf),
        )
    )
    return _open_one(world, rid)


def _open_one(world: World, record_id: int) -> m.FollowUp:
    with world.db.read() as s:
        [fu] = s.scalars(
            select(m.FollowUp).where(
                m.FollowUp.record_id == record_id, m.FollowUp.state == m.FollowUpState.OPEN
            )
        ).all()
        return fu


def _complete(world: World, fu: m.FollowUp, ctl: Controller | None = None) -> m.FollowUp | None:
    (ctl or world.sales).log_activity(
        LogActivity(record_id=fu.record_id, subject="erledigt", completes=(fu.id,))
    )
    with world.db.read() as s:
        return s.scalar(
            select(m.FollowUp).where(
                m.FollowUp.record_id == fu.record_id, m.FollowUp.state == m.FollowUpState.OPEN
            )
        )


def _count_follow_ups(world: World) -> int:
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(m.FollowUp))


def test_weekly_nine_oclock_stays_at_nine_across_both_dst_changes(db):
    world = make_world(db)
    march = _last_sunday(NEXT_YEAR, 3)
    october = _last_sunday(NEXT_YEAR, 10)
    for change in (march, october):
        monday_before = change - timedelta(days=6)
        rule = build_rule(RecurrenceSpec(Preset.WEEKLY), monday_before, time(9))
        fu = _recurring(world, monday_before, rule, time(9))
        before = recurrence.local_datetime(fu.due_date, fu.due_time, fu.time_zone)
        nxt = _complete(world, fu)
        assert nxt is not None
        assert (nxt.due_date, nxt.due_time) == (monday_before + timedelta(days=7), time(9))
        after = recurrence.local_datetime(nxt.due_date, nxt.due_time, nxt.time_zone)
        assert before.astimezone(BERLIN).hour == after.astimezone(BERLIN).hour == 9
        # Same wall time, different instants: UTC 08:00 -> 07:00 in March, 07:00 -> 08:00 after.
        utc_hours = (before.astimezone(UTC).hour, after.astimezone(UTC).hour)
        assert utc_hours == ((8, 7) if change == march else (7, 8))
        assert nxt.occurrence == 2 and nxt.previous_id == fu.id
        assert nxt.series_start_date == monday_before


def test_completing_creates_exactly_one_next_occurrence_until_the_count_ends(db):
    world = make_world(db)
    start = TODAY + timedelta(days=1)
    fu = _recurring(world, start, build_rule(RecurrenceSpec(Preset.DAILY, count=3), start))
    total = _count_follow_ups(world)
    second = _complete(world, fu)
    assert _count_follow_ups(world) == total + 1
    assert second.due_date == start + timedelta(days=1)
    third = _complete(world, second)
    assert third.due_date == start + timedelta(days=2) and third.occurrence == 3
    # The third of three: the series ends. Under the chain policy the record
    # then needs a next follow-up of its own (it has no campaign: none needed).
    assert _complete(world, third) is None
    assert _count_follow_ups(world) == total + 2


def test_next_occurrence_from_the_completion_date(db):
    world = make_world(db)
    due = TODAY + timedelta(days=3)
    rule = build_rule(RecurrenceSpec(Preset.DAILY, interval=10), due)
    fu = _recurring(world, due, rule, recurrence_anchor=RecurrenceAnchor.COMPLETION)
    completed_on = world.clock.today()
    nxt = _complete(world, fu)
    assert nxt.due_date == completed_on + timedelta(days=10)


def test_cancelling_ends_the_series(db):
    world = make_world(db)
    due = TODAY + timedelta(days=2)
    fu = _recurring(world, due, build_rule(RecurrenceSpec(Preset.WEEKLY), due))
    total = _count_follow_ups(world)
    world.lax.cancel_follow_up(fu.id, expected_version=fu.version, reason="Kunde will nicht")
    assert _count_follow_ups(world) == total
    with db.read() as s:
        assert s.get(m.FollowUp, fu.id).state == "cancelled"
        assert not s.scalars(select(m.FollowUp).where(m.FollowUp.previous_id == fu.id)).all()


def test_set_recurrence_with_holiday_shift_moves_the_next_occurrence(db):
    world = make_world(db)
    corpus_christi = easter(NEXT_YEAR) + timedelta(days=60)  # Thursday, holiday in NW
    first = corpus_christi - timedelta(days=7)
    rid = world.record("Wartung AG")
    world.sales.log_activity(
        LogActivity(record_id=rid, subject="Wartungsvertrag", next_follow_up=NextFollowUp(first))
    )
    fu = _open_one(world, rid)
    series = RecurringFollowUps(world.sales)
    series.set_recurrence(
        fu.id,
        RecurrenceSpec(Preset.WEEKLY),
        expected_version=fu.version,
        shift_region="de-nw",
    )
    fu = _open_one(world, rid)
    assert (fu.recurrence, fu.recurrence_shift) == ("FREQ=WEEKLY;BYDAY=TH", "DE-NW")
    assert fu.series_start_date == first and fu.occurrence == 1
    second = _complete(world, fu)
    assert second.due_date == corpus_christi + timedelta(days=1)  # Friday
    assert second.recurrence_shift == "DE-NW"  # kept by the series
    with db.read() as s:
        assert s.get(m.Record, rid).next_follow_up_date == second.due_date
    third = _complete(world, second)
    assert third.due_date == corpus_christi + timedelta(days=7)  # back on Thursday
    # Only weekends: a Saturday occurrence moves to Monday.
    saturday = corpus_christi + timedelta(days=9)
    series.set_recurrence(
        third.id,
        RecurrenceSpec(Preset.WEEKLY, weekday=5),
        expected_version=third.version,
        shift_region="WEEKENDS",
    )
    fourth = _complete(world, _open_one(world, rid))
    assert fourth.due_date == saturday + timedelta(days=2)


def test_set_recurrence_refusals_change_nothing(db):
    world = make_world(db)
    rid = world.record("Alt GmbH")
    past = world.clock.now() - timedelta(days=30)
    world.sales.log_activity(
        LogActivity(
            record_id=rid,
            subject="Altes Gespräch",
            occurred_at=past,
            next_follow_up=NextFollowUp(TODAY - timedelta(days=20)),
        )
    )
    fu = _open_one(world, rid)
    series = RecurringFollowUps(world.sales)
    cases = [
        # every occurrence lies before today
        (RecurrenceSpec(Preset.DAILY, until=TODAY - timedelta(days=5)), {}),
        (RecurrenceSpec(Preset.CUSTOM, custom="FREQ=HOURLY"), {}),
        (RecurrenceSpec(Preset.WEEKLY), {"shift_region": "DE-XY"}),
        (RecurrenceSpec(Preset.WEEKLY), {"expected_version": fu.version + 1}),
    ]
    for spec, extra in cases:
        kwargs = {"expected_version": fu.version, **extra}
        with pytest.raises(DomainError) as err:
            series.set_recurrence(fu.id, spec, **kwargs)
        assert err.value.message_de
    assert "künftige" in _refusal(series, fu, cases[0][0]).message_de
    again = _open_one(world, rid)
    assert (again.version, again.recurrence) == (fu.version, None)
    # A rule with occurrences ahead is fine; None ends the series again.
    series.set_recurrence(fu.id, RecurrenceSpec(Preset.DAILY), expected_version=fu.version)
    made = _open_one(world, rid)
    assert made.recurrence == "FREQ=DAILY"
    series.set_recurrence(fu.id, None, expected_version=made.version)
    assert _open_one(world, rid).recurrence is None


def _refusal(series, fu, spec) -> DomainError:
    with pytest.raises(DomainError) as err:
        series.set_recurrence(fu.id, spec, expected_version=fu.version)
    return err.value


def test_set_recurrence_needs_the_right_on_the_record(db):
    world = make_world(db)
    due = TODAY + timedelta(days=2)
    rid = world.in_campaign("Nord GmbH", world.sales)
    fu = _open_one(world, rid)
    with pytest.raises(DomainError) as err:
        RecurringFollowUps(world.other).set_recurrence(
            fu.id, RecurrenceSpec(Preset.WEEKLY), expected_version=fu.version
        )
    assert err.value.rule is Rule.NO_RIGHT
    assert _open_one(world, rid).due_date == due
