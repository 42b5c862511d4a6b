"""Calendar export: the iCalendar text is checked with independent readers —
the ``icalendar`` parser (every field round-trips; CRLF, folding at 75 octets,
escaping), ``dateutil`` and ``recurring-ical-events`` (recurring series expand
to exactly the due dates the application creates when its occurrences are
completed, in Berlin and New York, across DST changes and holiday shifts)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rruleset, rrulestr
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.cli import main
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.controller.recurring import RecurringFollowUps
from akquise_desktop.core import recurrence
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule
from akquise_desktop.export.ical import HORIZON_DAYS, ExportItem, calendar_text, export_user
from akquise_desktop.models import Priority, RecurrenceAnchor

from .factories import TODAY, World, make_world

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = "America/New_York"
TRICKY = 'Angebot, Preise; Rabatt \\ "Sonder"\nZweite Zeile – Grüße aus Köln'
LONG = "Überprüfung der Ölheizungsanlage in der Größenordnung " * 4
EU_DST = date(2031, 3, 30)  # the EU's change to summer time in 2031 (the US's: 9 March)


def _user(world: World, login: str, zone: str) -> Controller:
    """A user in ``zone`` (role group without chain policies, all rights)."""
    with world.db.read() as s:
        group = s.scalar(select(m.RoleGroup.id).where(m.RoleGroup.name == "Locker"))
    uid = world.admin.create_user(login, login.title(), role_group_id=group, time_zone=zone)
    assert uid.result_id is not None
    return world.controller(uid.result_id)


def _log(
    world: World, name: str, nf: NextFollowUp, text: str = "", ctl: Controller | None = None
) -> m.FollowUp:
    ctl = ctl or world.sales
    rid = world.record(name, ctl)
    ctl.log_activity(
        LogActivity(record_id=rid, subject=f"Gespräch {name}", text=text, next_follow_up=nf)
    )
    return _open(world, rid)


def _open(world: World, record_id: int) -> m.FollowUp | None:
    with world.db.read() as s:
        return s.scalar(
            select(m.FollowUp).where(m.FollowUp.record_id == record_id, m.FollowUp.state == "open")
        )


def _complete(world: World, fu: m.FollowUp, ctl: Controller | None = None) -> m.FollowUp | None:
    """Complete ``fu`` through an activity; the series' next occurrence (or None)."""
    ctl = ctl or world.sales
    ctl.log_activity(LogActivity(record_id=fu.record_id, subject="ok", completes=(fu.id,)))
    return _open(world, fu.record_id)


def _parse(text: str) -> dict[str, icalendar.cal.Component]:
    cal = icalendar.Calendar.from_ical(text)
    return {
        str(c["X-AKQUISE-FOLLOW-UP-ID"]): c for c in cal.walk() if c.name in ("VTODO", "VEVENT")
    }


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _values(entry, name: str) -> list:
    return [p.dt for prop in _as_list(entry.get(name)) for p in prop.dts]


def _dateutil_instances(entry, limit: int = 200) -> list[date | datetime]:
    """What a client expands with ``icalendar`` + ``dateutil``: DTSTART (or the
    DUE of a single to-do), RRULE, RDATE, EXDATE."""
    start = entry.decoded("DTSTART") if "DTSTART" in entry else entry.decoded("DUE")
    timed = isinstance(start, datetime)

    def as_datetime(value):
        return value if isinstance(value, datetime) else datetime.combine(value, time())

    dates = rruleset()
    dates.rdate(as_datetime(start))
    if "RRULE" in entry:
        dates.rrule(rrulestr(entry["RRULE"].to_ical().decode(), dtstart=as_datetime(start)))
    for value in _values(entry, "RDATE"):
        dates.rdate(as_datetime(value))
    for value in _values(entry, "EXDATE"):
        dates.exdate(as_datetime(value))
    found = list(itertools.islice(dates, limit))
    return found if timed else [d.date() for d in found]


def _library_instances(text: str, uid: str, start: date) -> list[date | datetime]:
    """What ``recurring-ical-events`` expands for ``uid`` over three years."""
    cal = icalendar.Calendar.from_ical(text)
    query = recurring_ical_events.of(cal, components=["VEVENT", "VTODO"])
    found = [
        c.get("DTSTART", c.get("DUE")).dt
        for c in query.between(start, start + timedelta(days=3 * 366))
        if str(c["UID"]) == uid
    ]
    return sorted(found)


def _item(number: int, due: date, at: time | None = None, zone: str = "Europe/Berlin", **kw):
    stamp = datetime(2030, 1, 1, tzinfo=UTC)
    values = dict(
        id=number, uid_id=number, record_id=number, record_name=f"Firma {number}",
        due_date=due, due_time=at, time_zone=zone, priority=0, instruction="",
        source_subject=None, source_text=None, recurrence=None, recurrence_anchor="due",
        series_start_date=None, occurrence=1, recurrence_shift=None,
        created_at=stamp, updated_at=stamp,
    )  # fmt: skip
    values.update(kw)
    if values["recurrence"] and values["series_start_date"] is None:
        values["series_start_date"] = due
    return ExportItem(**values)


def test_vtimezones_match_the_zone_database(clock):
    zones = ("Europe/Berlin", NEW_YORK, "Asia/Tokyo", "Australia/Sydney")
    clock.set(datetime(2031, 1, 5, 9, tzinfo=UTC))
    items = [_item(i, date(2031, 1, 10), time(9), zone) for i, zone in enumerate(zones)]
    cal = icalendar.Calendar.from_ical(calendar_text(items, now=clock.now()))
    built = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in cal.walk("VTIMEZONE")}
    assert sorted(built) == sorted(zones)
    for zone in zones:
        real, wall = ZoneInfo(zone), datetime(2031, 1, 1)
        while wall < datetime(2034, 1, 1):  # every hour of the coming years
            offset = wall.replace(tzinfo=real).utcoffset()
            if offset == wall.replace(tzinfo=real, fold=1).utcoffset():  # skip gaps and folds
                assert wall.replace(tzinfo=built[zone]).utcoffset() == offset, (zone, wall)
            wall += timedelta(hours=1)


def test_export_round_trips_every_field(db, clock):
    clock.set(datetime(2031, 3, 10, 9, tzinfo=UTC))  # before the EU's DST change
    world = make_world(db, clock)
    soon = world.today + timedelta(days=3)
    plain = _log(
        world,
        "Müller, Meier & Co; KG",
        NextFollowUp(soon, instruction=TRICKY, priority=Priority.HIGH),
        text=LONG,
    )
    monday = EU_DST - timedelta(days=6)
    weekly_rule = build_rule(RecurrenceSpec(Preset.WEEKLY), monday, time(9))
    weekly = _log(
        world,
        "Wöchentlich GmbH",
        NextFollowUp(
            monday,
            due_time=time(9),
            recurrence=weekly_rule,
            priority=Priority.TIME_CRITICAL,
        ),
    )
    until_rule = build_rule(
        RecurrenceSpec(Preset.DAILY, until=monday + timedelta(days=10)), monday, time(17, 15)
    )
    until = _log(
        world, "Bis AG", NextFollowUp(monday, due_time=time(17, 15), recurrence=until_rule)
    )
    by_completion = _log(
        world,
        "Nach Erledigung KG",
        NextFollowUp(
            soon,
            recurrence="FREQ=MONTHLY;INTERVAL=6",
            recurrence_anchor=RecurrenceAnchor.COMPLETION,
        ),
    )
    # Not exported: someone else's, and a cancelled one.
    world.in_campaign("Fremd GmbH", world.other)
    gone = _log(world, "Storno GmbH", NextFollowUp(soon))
    world.admin.cancel_follow_up(gone.id, expected_version=gone.version)

    now = clock.advance(minutes=30)
    text = export_user(db, world.sales_id, now=now)

    # --- raw format: CRLF, folded at 75 octets, never inside a character, escaped ---
    assert "\n" not in text.replace("\r\n", "")
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole UTF-8 characters
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/Berlin:" in text
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Müller\\, Meier & Co\\; KG: Angebot\\, Preise\\; Rabatt \\\\" in unfolded
    assert "\\nZweite Zeile" in unfolded

    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and "AkquiseDesktop" in str(cal["PRODID"])
    assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    items = _parse(text)
    assert set(items) == {str(f.id) for f in (plain, weekly, until, by_completion)}

    # --- an all-day follow-up: VTODO ---
    todo = items[str(plain.id)]
    assert todo.name == "VTODO"
    assert str(todo["UID"]) == f"followup-{plain.id}@akquise-desktop"
    assert str(todo["SUMMARY"]) == f"Müller, Meier & Co; KG: {TRICKY}"
    description = str(todo["DESCRIPTION"])
    assert TRICKY in description and LONG.strip() in description
    assert "Aktivität: Gespräch Müller, Meier & Co; KG" in description
    assert todo.decoded("DUE") == soon and "DTSTART" not in todo
    assert int(todo["PRIORITY"]) == 3
    assert str(todo["STATUS"]) == "NEEDS-ACTION"
    assert todo.decoded("DTSTAMP") == now
    assert todo.decoded("CREATED") == plain.created_at.replace(microsecond=0)
    assert todo.decoded("LAST-MODIFIED") == plain.updated_at.replace(microsecond=0)
    assert str(todo["X-AKQUISE-RECORD-ID"]) == str(plain.record_id)
    assert "RRULE" not in todo

    # --- a timed weekly series: VEVENT at 09:00 Berlin, RRULE, alarm ---
    event = items[str(weekly.id)]
    assert event.name == "VEVENT"
    start = event.decoded("DTSTART")
    assert start == datetime.combine(monday, time(9), tzinfo=BERLIN)
    assert str(start.tzinfo) == "Europe/Berlin" or start.tzname() in ("CET", "CEST")
    assert event.decoded("DTEND") - start == timedelta(minutes=30)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["MO"]
    assert int(event["PRIORITY"]) == 1
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)
    assert str(event["X-AKQUISE-RECURRENCE"]) == weekly_rule
    # Expanded by a client: 09:00 wall time on both sides of the March change.
    first = _dateutil_instances(event, limit=3)
    assert [d.astimezone(BERLIN).hour for d in first] == [9, 9, 9]
    assert [d.astimezone(UTC).hour for d in first] == [8, 7, 7]

    # --- UNTIL of a timed series is in UTC (RFC 5545 with TZID) ---
    until_event = items[str(until.id)]
    end = until_event["RRULE"]["UNTIL"][0]
    local_end = datetime.combine(monday + timedelta(days=10), time(23, 59, 59), tzinfo=BERLIN)
    assert end == local_end.astimezone(UTC)
    assert _dateutil_instances(until_event)[-1].date() == monday + timedelta(days=10)

    # --- a series counted from completion has no fixed dates: no RRULE ---
    by_done = items[str(by_completion.id)]
    assert "RRULE" not in by_done and "ab Erledigung" in str(by_done["DESCRIPTION"])


def test_series_keeps_its_uid_and_count_after_completion(db, clock):
    world = make_world(db, clock)
    start = world.today + timedelta(days=1)
    rule = build_rule(RecurrenceSpec(Preset.DAILY, count=5), start)
    first = _log(world, "Serie KG", NextFollowUp(start, recurrence=rule))
    before = _parse(export_user(db, world.sales_id, now=clock.now()))[str(first.id)]
    clock.advance(seconds=2)  # time passes
    second = _complete(world, first)
    after = _parse(export_user(db, world.sales_id, now=clock.now()))[str(second.id)]
    assert str(after["UID"]) == str(before["UID"]) == f"followup-{first.id}@akquise-desktop"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert before["RRULE"]["COUNT"] == [5] and after["RRULE"]["COUNT"] == [4]
    assert after.decoded("DTSTART") == start + timedelta(days=1)
    # A client's expansion ends on the series' last date.
    assert _dateutil_instances(after) == [start + timedelta(days=k) for k in range(1, 5)]


def test_holiday_shift_is_exported_as_rdate_and_exdate(db, clock):
    corpus_christi = date(2031, 6, 12)  # Thursday, a public holiday in NW
    clock.set(datetime(2031, 5, 2, 8, tzinfo=UTC))
    world = make_world(db, clock)
    first_due = corpus_christi - timedelta(days=14)
    fu = _log(world, "Wartung AG", NextFollowUp(first_due, due_time=time(8, 0)))
    RecurringFollowUps(world.sales).set_recurrence(
        fu.id, RecurrenceSpec(Preset.WEEKLY), expected_version=fu.version, shift_region="DE-NW"
    )
    event = _parse(export_user(db, world.sales_id, now=clock.now()))[str(fu.id)]
    assert event["RRULE"]["BYDAY"] == ["TH"]
    assert datetime.combine(corpus_christi, time(8), tzinfo=BERLIN) in _values(event, "EXDATE")
    friday = datetime.combine(corpus_christi + timedelta(days=1), time(8), tzinfo=BERLIN)
    assert friday in _values(event, "RDATE")
    horizon = first_due + timedelta(days=HORIZON_DAYS)
    got = [d.date() for d in _dateutil_instances(event, limit=500) if d.date() <= horizon]
    expected = recurrence.series_dates(
        "FREQ=WEEKLY;BYDAY=TH",
        series_start=first_due,
        due=first_due,
        at=time(8),
        shift="DE-NW",
        limit=1000,
        through=horizon,
    )
    assert got == expected
    assert all(d.weekday() < 5 for d in expected)  # never on a weekend, and never on an NW holiday:
    assert corpus_christi not in expected


def test_a_series_due_years_ahead_keeps_its_rule(db, clock):
    """Fixed: a series due more than HORIZON_DAYS ahead lost its RRULE."""
    world = make_world(db, clock)
    due = TODAY + timedelta(days=3 * 365)
    rule = build_rule(RecurrenceSpec(Preset.MONTHLY_DAY), due, time(11))
    fu = _log(world, "Fern GmbH", NextFollowUp(due, due_time=time(11), recurrence=rule))
    event = _parse(export_user(db, world.sales_id, now=clock.now()))[str(fu.id)]
    assert event["RRULE"]["FREQ"] == ["MONTHLY"]
    expected = recurrence.series_dates(
        rule, series_start=due, due=due, at=time(11), limit=12, zone="Europe/Berlin"
    )
    assert [d.date() for d in _dateutil_instances(event, limit=12)] == expected


def test_a_utc_until_is_read_in_the_follow_ups_zone(db, clock):
    """Fixed: a UTC UNTIL was read with Berlin's offset; a New York user's
    series got an extra day (and a Berlin user's could lose one)."""
    clock.set(datetime(2031, 3, 1, 12, tzinfo=UTC))
    world = make_world(db, clock)
    ny = _user(world, "nora", NEW_YORK)
    # 11:00 UTC on 12 March is 07:00 in New York: the 09:00 series ends on the 11th;
    # 03:00 UTC is still the 11th there: the all-day series ends on the 11th too.
    timed = _log(
        world,
        "York Inc",
        NextFollowUp(
            date(2031, 3, 6), due_time=time(9), recurrence="FREQ=DAILY;UNTIL=20310312T110000Z"
        ),
        ctl=ny,
    )
    all_day = _log(
        world,
        "Manhattan LLC",
        NextFollowUp(date(2031, 3, 6), recurrence="FREQ=DAILY;UNTIL=20310312T030000Z"),
        ctl=ny,
    )
    items = _parse(export_user(db, ny.user_id, now=clock.now()))
    event, todo = items[str(timed.id)], items[str(all_day.id)]
    assert event["RRULE"]["UNTIL"] == [datetime(2031, 3, 12, 11, tzinfo=UTC)]
    assert todo["RRULE"].to_ical().decode() == "FREQ=DAILY;UNTIL=20310311"
    days = [date(2031, 3, 6) + timedelta(days=k) for k in range(6)]
    assert [d.date() for d in _dateutil_instances(event)] == days
    assert _dateutil_instances(todo) == days
    assert "EXDATE" not in event and "RDATE" not in event


@pytest.mark.parametrize(
    ("zone", "region", "weekly_start"),
    [
        # Easter Monday (14 April) in NW; the EU's DST change on 30 March.
        ("Europe/Berlin", "DE-NW", date(2031, 3, 24)),
        # Presidents' Day (17 February) in the US; the US DST change on 9 March.
        (NEW_YORK, "US-NY", date(2031, 2, 10)),
    ],
)
def test_clients_expand_the_dates_the_application_creates(db, clock, zone, region, weekly_start):
    clock.set(datetime(2031, 2, 3, 12, tzinfo=UTC))
    world = make_world(db, clock)
    ctl = _user(world, "zone", zone)
    plans = {
        "weekly, moved off holidays": NextFollowUp(
            weekly_start,
            due_time=time(9),
            recurrence="FREQ=WEEKLY;BYDAY=MO;COUNT=6",
            recurrence_shift=region,
        ),
        "daily to a UTC end": NextFollowUp(
            date(2031, 3, 6), due_time=time(9), recurrence="FREQ=DAILY;UNTIL=20310312T110000Z"
        ),
        "all-day to a UTC end": NextFollowUp(
            date(2031, 3, 6), recurrence="FREQ=DAILY;UNTIL=20310312T030000Z"
        ),
        "weekly to a date end (its whole day)": NextFollowUp(
            date(2031, 3, 20), due_time=time(18), recurrence="FREQ=WEEKLY;BYDAY=TH;UNTIL=20310417"
        ),
        "first due off the rule's days (one of COUNT)": NextFollowUp(
            date(2031, 3, 4), due_time=time(8), recurrence="FREQ=WEEKLY;BYDAY=MO;COUNT=5"
        ),
    }
    firsts = {name: _log(world, name, nf, ctl=ctl) for name, nf in plans.items()}
    text = export_user(db, ctl.user_id, now=clock.now())
    entries = _parse(text)
    zones = {
        str(tz["TZID"]): tz.to_tz(lookup_tzid=False)
        for tz in icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    }
    assert list(zones) == [zone]

    def moment(fu: m.FollowUp) -> date | datetime:
        if fu.due_time is None:
            return fu.due_date
        return recurrence.local_datetime(fu.due_date, fu.due_time, zone)

    offsets = set()
    for name, first in firsts.items():
        # What the application creates: each occurrence completed on its day;
        # the export after each completion, too.
        created, exports, fu = [], [], first
        while fu is not None:
            created.append(moment(fu))
            exports.append((fu.id, export_user(db, ctl.user_id, now=clock.now())))
            clock.set(datetime.combine(fu.due_date, time(17), tzinfo=ZoneInfo(zone)))
            fu = _complete(world, fu, ctl)
        assert len(created) >= 5, name
        entry = entries[str(first.id)]
        assert _dateutil_instances(entry) == created, name
        assert _library_instances(text, str(entry["UID"]), date(2031, 2, 1)) == created, name
        # The entry (one UID) moves on: it expands to the occurrences still to come.
        for k, (fu_id, later) in enumerate(exports):
            assert _dateutil_instances(_parse(later)[str(fu_id)]) == created[k:], (name, k)
        # The export's own VTIMEZONE gives each occurrence the offset of its wall time.
        for at in created:
            if isinstance(at, datetime):
                wall = at.replace(tzinfo=None)
                assert wall.replace(tzinfo=zones[zone]).utcoffset() == at.utcoffset(), (name, at)
                offsets.add(at.utcoffset())
    assert len(offsets) == 2  # occurrences on both sides of the zone's DST change


def test_all_day_as_events_for_outlook(db, clock):
    world = make_world(db, clock)
    day = world.today + timedelta(days=4)
    fu = _log(world, "Outlook GmbH", NextFollowUp(day))
    text = export_user(db, world.sales_id, now=clock.now(), all_day_as_events=True)
    event = _parse(text)[str(fu.id)]
    assert event.name == "VEVENT"
    assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + timedelta(days=1)


def test_cli_export_ical(db, clock, tmp_path, capsys):
    world = make_world(db, clock)
    fu = _log(world, "CLI GmbH", NextFollowUp(world.today + timedelta(days=2)))
    url = db.url.render_as_string(hide_password=False)
    out = tmp_path / "wv.ics"
    assert main(["export-ical", "--user", "sales", "--out", str(out), "--db", url]) == 0
    assert "1 offene Wiedervorlagen" in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert set(_parse(data.decode("utf-8"))) == {str(fu.id)}

    assert main(["export-ical", "--user", "niemand", "--out", str(out), "--db", url]) == 2
    assert "niemand" in capsys.readouterr().err
    assert main(["export-ical", "--out", str(out), "--db", url]) == 2
    assert "--user" in capsys.readouterr().err
    bad = tmp_path / "fehlt" / "x" / "wv.ics"
    assert main(["export-ical", "--user", "sales", "--out", str(bad), "--db", url]) == 2
    assert "nicht schreiben" in capsys.readouterr().err


@pytest.mark.parametrize("count", [0, 1205])
def test_export_pages_through_many_follow_ups(db, clock, count):
    world = make_world(db, clock)
    rid = world.record("Viele GmbH", world.lax)
    day = world.today + timedelta(days=1)
    rows = [
        {
            "record_id": rid,
            "assignee_id": world.lax_id,
            "created_by_id": world.lax_id,
            "due_date": day + timedelta(days=i % 40),
            "time_zone": "Europe/Berlin",
            "priority": 0,
            "instruction": f"Nr. {i}",
            "recurrence_anchor": "due",
            "occurrence": 1,
            "state": "open",
            "created_at": clock.now(),
            "updated_at": clock.now(),
            "version": 1,
        }
        for i in range(count)
    ]
    if rows:
        with db.write() as s:
            s.execute(m.FollowUp.__table__.insert(), rows)
    items = _parse(export_user(db, world.lax_id, now=clock.now()))
    assert len(items) == count
