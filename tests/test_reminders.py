"""Tray reminders without Qt: the due check (both databases) and the logic of
announcing, grouping, rate limiting and the next look, on a pinned clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from akquise_desktop.controller import NextFollowUp
from akquise_desktop.core.clock import FixedClock
from akquise_desktop.desktop.reminders import (
    MIN_GAP,
    POLL,
    Reminders,
    Snooze,
    Why,
    due_at,
    next_midnight,
    snooze_target,
)
from akquise_desktop.queries.reminders import DueCheck, DueFollowUp, due_check

from .factories import TODAY, make_world, pinned_clock

BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(days=1)
NEW_YORK = ZoneInfo("America/New_York")


def fu(
    ident: int,
    due: date = TODAY,
    at: time | None = None,
    *,
    priority: int = 0,
    zone: str = "Europe/Berlin",
    record: str = "Müller GmbH",
) -> DueFollowUp:
    return DueFollowUp(ident, 1, 100 + ident, record, f"Anruf {ident}", due, at, zone, priority)


def found(*items: DueFollowUp, count: int | None = None) -> DueCheck:
    return DueCheck(len(items) if count is None else count, tuple(items))


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


# --- the query ------------------------------------------------------------------------


def test_due_check_counts_due_and_overdue_and_lists_the_window(db, clock):
    world = make_world(db, clock)
    today = clock.today()
    rid = world.record("Fällig GmbH")
    clock.advance(days=-10)  # made in the past, so some are overdue now
    for days, at, priority in (
        (-5, None, 0),  # overdue, outside the window: counted only
        (-1, time(9, 0), 2),
        (0, None, 0),
        (0, time(15, 30), 1),
        (1, None, 0),  # tomorrow: in the window, not counted
        (3, None, 0),  # later: neither
    ):
        world.lax.create_follow_up(
            rid,
            NextFollowUp(
                today + timedelta(days=days), due_time=at, priority=priority,
                instruction=f"in {days} Tagen", assignee_id=world.sales_id,
            ),
        )  # fmt: skip
    # Someone else's follow-up is not the user's.
    world.lax.create_follow_up(rid, NextFollowUp(today, assignee_id=world.other_id))
    clock.advance(days=10)
    with db.read() as s:
        result = due_check(
            s, world.sales_id, today=today, since=today - timedelta(days=1),
            until=today + timedelta(days=1),
        )  # fmt: skip
    assert result.count == 4
    assert [(f.due_date - today).days for f in result.window] == [-1, 0, 0, 1]
    first = result.window[0]
    assert first.record_name == "Fällig GmbH" and first.instruction == "in -1 Tagen"
    assert first.due_time == time(9, 0) and first.priority == 2
    assert first.time_zone == "Europe/Berlin" and first.version == 1
    with db.read() as s:  # an empty window still says the count
        empty = due_check(s, world.sales_id, today=today, since=date(2040, 1, 1),
                          until=date(2040, 1, 2))  # fmt: skip
    assert empty == DueCheck(4, ())


def test_due_check_walks_the_assignee_index(db, clock):
    from sqlalchemy import text

    from akquise_desktop.queries.reminders import _due_statement

    make_world(db, clock)
    stmt = _due_statement().params(
        user_id=1, today=TODAY, since=TODAY, until=TODAY + timedelta(days=1), limit=200
    )
    with db.read() as s:
        sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        if db.is_sqlite:
            plan = " ".join(str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert plan.count("ix_follow_up_assignee_open_due") == 2, plan
        else:
            # (an empty table: the planner may pick either index on follow_up)
            s.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(r[0] for r in s.execute(text("EXPLAIN " + sql)))
            assert "Seq Scan on follow_up" not in plan, plan


# --- when a follow-up falls due -------------------------------------------------------


def test_due_moment_date_only_in_the_users_zone_timed_in_its_own_zone():
    assert due_at(fu(1), BERLIN) == berlin(TODAY, 0)
    assert due_at(fu(1), NEW_YORK) == datetime(2030, 6, 12, 4, 0, tzinfo=UTC)  # NY midnight
    timed = fu(2, at=time(14, 0))
    assert due_at(timed, BERLIN) == due_at(timed, NEW_YORK) == berlin(TODAY, 14)
    broken = fu(3, at=time(14, 0), zone="Nowhere/Atlantis")
    assert due_at(broken, BERLIN) == berlin(TODAY, 14)  # an unknown zone: the user's


def test_a_follow_up_is_announced_when_it_falls_due_and_only_once():
    clock = FixedClock.on(TODAY, 13, 50)
    r = Reminders(poll=DAY)  # (the poll would come first)
    item = fu(1, at=time(14, 0))
    first = r.check(found(item, count=0), clock.now(), BERLIN)
    assert first.reminder is None and first.count == 0
    assert first.next_check == berlin(TODAY, 14)  # the follow-up's moment, not the poll
    clock.set(berlin(TODAY, 14))
    assert r.tick(clock.now(), BERLIN) is Why.PLANNED
    due = r.check(found(item), clock.now(), BERLIN)
    assert due.reminder is not None and due.reminder.items == (item,)
    assert due.reminder.total == 1 and due.count == 1
    clock.advance(minutes=10)
    again = r.check(found(item), clock.now(), BERLIN)
    assert again.reminder is None  # still due, already announced
    assert again.next_check == next_midnight(clock.now(), BERLIN)


def test_several_at_once_are_one_message_time_critical_first():
    now = berlin(TODAY, 10)
    r = Reminders(poll=DAY)  # (the poll would come first)
    normal_early = fu(1, at=time(8, 0))
    high = fu(2, at=time(9, 0), priority=1)
    critical = fu(3, at=time(9, 30), priority=2)
    day = fu(4)
    later = fu(5, at=time(11, 0), priority=2)
    result = r.check(found(normal_early, high, critical, day, later, count=7), now, BERLIN)
    assert result.reminder is not None
    assert [f.id for f in result.reminder.items] == [3, 2, 4, 1]
    assert result.reminder.time_critical and result.reminder.total == 7
    assert result.next_check == berlin(TODAY, 11)


def test_rate_limit_holds_new_ones_back_and_groups_them():
    clock = FixedClock.on(TODAY, 10, 0)
    r = Reminders()
    a, b, c = fu(1, at=time(10, 0)), fu(2, at=time(10, 1)), fu(3, at=time(10, 1, 30))
    assert r.check(found(a, b, c), clock.now(), BERLIN).reminder.items == (a,)  # type: ignore[union-attr]
    clock.set(berlin(TODAY, 10, 1))
    held = r.check(found(a, b, c), clock.now(), BERLIN)
    assert held.reminder is None and held.waiting == 1
    assert held.next_check == berlin(TODAY, 10, 1) + timedelta(seconds=30)  # c falls due first
    clock.set(
        berlin(
            TODAY,
            10,
            1,
        )
        + timedelta(seconds=30)
    )
    held = r.check(found(a, b, c), clock.now(), BERLIN)
    assert held.reminder is None and held.waiting == 2
    assert held.next_check == berlin(TODAY, 10) + MIN_GAP
    clock.set(berlin(TODAY, 10) + MIN_GAP)
    released = r.check(found(a, b, c), clock.now(), BERLIN)
    assert released.reminder is not None and [f.id for f in released.reminder.items] == [2, 3]


def test_one_done_while_held_back_is_not_announced():
    r = Reminders()
    a, b, c = fu(1, at=time(10, 0)), fu(2, at=time(10, 1)), fu(3, at=time(10, 1))
    r.check(found(a, b, c), berlin(TODAY, 10), BERLIN)
    r.check(found(a, b, c), berlin(TODAY, 10, 1), BERLIN)
    # b was completed meanwhile: no longer in the answer.
    released = r.check(found(a, c), berlin(TODAY, 10, 2), BERLIN)
    assert released.reminder is not None and released.reminder.items == (c,)


def test_a_snoozed_follow_up_is_announced_again_at_its_new_moment():
    r = Reminders(poll=DAY)  # (the poll would come first)
    item = fu(1, at=time(10, 0))
    now = berlin(TODAY, 10)
    assert r.check(found(item), now, BERLIN).reminder is not None
    new_date, new_time = snooze_target(item, Snooze.MINUTES_15, now, BERLIN)
    moved = DueFollowUp(1, 2, item.record_id, item.record_name, item.instruction,
                        new_date, new_time, item.time_zone, 0)  # fmt: skip
    result = r.check(found(moved, count=0), now + timedelta(minutes=1), BERLIN)
    assert result.reminder is None and result.next_check == berlin(TODAY, 10, 15)
    result = r.check(found(moved), berlin(TODAY, 10, 15), BERLIN)
    assert result.reminder is not None and result.reminder.items == (moved,)


# --- the clock: midnight, sleep, time zone --------------------------------------------


def test_midnight_is_a_planned_look_and_date_only_follow_ups_fall_due_then():
    clock = FixedClock.on(TODAY, 23, 50)
    r = Reminders(poll=DAY)  # (the poll would come first)
    tomorrow = TODAY + timedelta(days=1)
    item = fu(1, tomorrow)
    window = r.window(clock.now(), BERLIN)
    assert (window.today, window.since, window.until) == (
        TODAY, TODAY - timedelta(days=1), tomorrow,
    )  # fmt: skip
    result = r.check(found(item, count=0), clock.now(), BERLIN)
    assert result.reminder is None
    assert result.next_check == berlin(tomorrow, 0) == next_midnight(clock.now(), BERLIN)
    clock.set(berlin(tomorrow, 0))
    assert r.tick(clock.now(), BERLIN) is Why.PLANNED
    window = r.window(clock.now(), BERLIN)
    assert window.today == tomorrow and window.since == TODAY - timedelta(days=1)
    result = r.check(found(item), clock.now(), BERLIN)
    assert result.reminder is not None and result.reminder.items == (item,)


def test_the_poll_bounds_the_next_look():
    now = berlin(TODAY, 10)
    assert Reminders().check(found(), now, BERLIN).next_check == now + POLL


def test_heartbeat_quiet_until_the_planned_moment():
    clock = FixedClock.on(TODAY, 10, 0)
    r = Reminders()
    assert r.tick(clock.now(), BERLIN) is Why.FIRST
    r.check(found(fu(1, at=time(10, 3))), clock.now(), BERLIN)
    for _ in range(5):
        clock.advance(seconds=30)
        assert r.tick(clock.now(), BERLIN) is None
    clock.advance(seconds=30)  # 10:03
    assert r.tick(clock.now(), BERLIN) is Why.PLANNED


def test_sleep_gap_looks_at_once_and_groups_what_fell_due_while_asleep():
    clock = FixedClock.on(TODAY, 17, 0)
    r = Reminders()
    r.tick(clock.now(), BERLIN)
    r.check(found(count=0), clock.now(), BERLIN)
    # The lid closes at 17:00 and opens next morning at 8:30: the first
    # heartbeat after wake-up comes 15.5 hours late.
    clock.set(berlin(TODAY + timedelta(days=1), 8, 30))
    assert r.tick(clock.now(), BERLIN) is Why.JUMP
    window = r.window(clock.now(), BERLIN)
    assert window.since == TODAY - timedelta(days=1)  # back before the last look
    evening, night, morning = (
        fu(1, TODAY, time(18, 0)),
        fu(2, TODAY + timedelta(days=1)),
        fu(3, TODAY + timedelta(days=1), time(8, 0), priority=2),
    )
    result = r.check(found(evening, night, morning), clock.now(), BERLIN)
    assert result.reminder is not None
    assert [f.id for f in result.reminder.items] == [3, 1, 2]


def test_wall_clock_set_back_is_a_jump_too():
    r = Reminders()
    now = berlin(TODAY, 10)
    r.tick(now, BERLIN)
    r.check(found(), now, BERLIN)
    assert r.tick(now - timedelta(hours=1), BERLIN) is Why.JUMP


def test_a_time_zone_change_looks_at_once_and_repeats_nothing():
    clock = FixedClock.on(TODAY, 10, 0)
    r = Reminders(poll=DAY)  # (the poll would come first)
    timed = fu(1, at=time(9, 0))
    day = fu(2)
    r.tick(clock.now(), BERLIN)
    first = r.check(found(timed, day), clock.now(), BERLIN)
    assert first.reminder is not None and len(first.reminder.items) == 2
    clock.advance(seconds=30)
    assert r.tick(clock.now(), NEW_YORK) is Why.ZONE
    # 04:00 in New York: the user's "today" is still TODAY; nothing new.
    window = r.window(clock.now(), NEW_YORK)
    assert window.today == TODAY
    again = r.check(found(timed, day), clock.now(), NEW_YORK)
    assert again.reminder is None
    # Tomorrow's date-only follow-ups now fall due at New York's midnight.
    assert again.next_check == datetime(2030, 6, 13, 4, 0, tzinfo=UTC)


def test_the_zone_decides_what_today_is():
    late = berlin(TODAY, 23, 30)  # 17:30 in New York
    r = Reminders()
    assert r.window(late, BERLIN).today == TODAY
    tokyo = ZoneInfo("Asia/Tokyo")
    assert r.window(late, tokyo).today == TODAY + timedelta(days=1)
    tomorrow = fu(1, TODAY + timedelta(days=1))
    assert r.check(found(tomorrow), late, tokyo).reminder is not None
    assert Reminders().check(found(tomorrow, count=0), late, BERLIN).reminder is None


# --- snooze ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (Snooze.MINUTES_15, (TODAY, time(10, 15))),
        (Snooze.HOUR, (TODAY, time(11, 0))),
        (Snooze.TOMORROW, (TODAY + timedelta(days=1), time(9, 0))),
    ],
)
def test_snooze_targets(choice, expected):
    now = pinned_clock().now()  # 10:00 Berlin
    assert snooze_target(fu(1, at=time(9, 0)), choice, now, BERLIN) == expected


def test_snooze_rounds_up_crosses_midnight_and_keeps_a_date_only_day():
    late = berlin(TODAY, 23, 50) + timedelta(seconds=20)
    assert snooze_target(fu(1), Snooze.MINUTES_15, late, BERLIN) == (
        TODAY + timedelta(days=1), time(0, 6),
    )  # fmt: skip
    assert snooze_target(fu(1), Snooze.TOMORROW, late, BERLIN) == (TODAY + timedelta(days=1), None)
    # In the follow-up's own zone.
    ny = fu(2, at=time(9, 0), zone="America/New_York")
    assert snooze_target(ny, Snooze.HOUR, berlin(TODAY, 10), BERLIN) == (TODAY, time(5, 0))
