"""Calendar export: the iCalendar text is checked with the independent
``icalendar`` parser — every field round-trips; format rules of RFC 5545
(CRLF, folding at 75 octets, escaping); recurring series with DST and
holiday shifts expand to the dates the application creates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.easter import easter
from dateutil.rrule import rrulestr
from sqlalchemy import select

from akquise_desktop import models as m
from akquise_desktop.cli import main
from akquise_desktop.controller import Controller, LogActivity, NextFollowUp
from akquise_desktop.controller.recurring import RecurringFollowUps
from akquise_desktop.core import recurrence
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule
from akquise_desktop.export.ical import HORIZON_DAYS, escape_text, export_user, fold, vtimezone
from akquise_desktop.models import Priority, RecurrenceAnchor

from .factories import World, make_world

BERLIN = ZoneInfo("Europe/Berlin")
NEXT_YEAR = date.today().year + 1
TRICKY = 'Angebot, Preise; Rabatt \\ "Sonder"\nZweite Zeile – Grüße aus Köln'
LONG = "Überprüfung der Ölheizungsanlage in der Größenordnung " * 4


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _log(world: World, name: str, nf: NextFollowUp, text: str = "") -> m.FollowUp:
    rid = world.record(name)
    world.sales.log_activity(
        LogActivity(record_id=rid, subject=f"Gespräch {name}", text=text, next_follow_up=nf)
    )
    with world.db.read() as s:
        return s.scalar(
            select(m.FollowUp).where(m.FollowUp.record_id == rid, m.FollowUp.state == "open")
        )


def _parse(text: str) -> dict[str, icalendar.cal.Component]:
    cal = icalendar.Calendar.from_ical(text)
    return {
        str(c["X-AKQUISE-FOLLOW-UP-ID"]): c for c in cal.walk() if c.name in ("VTODO", "VEVENT")
    }


def _complete(world: World, fu: m.FollowUp, later: timedelta = timedelta(0)) -> m.FollowUp:
    ctl = Controller(world.db, world.sales_id, clock=lambda: datetime.now(UTC) + later)
    ctl.log_activity(LogActivity(record_id=fu.record_id, subject="ok", completes=(fu.id,)))
    with world.db.read() as s:
        return s.scalar(
            select(m.FollowUp).where(
                m.FollowUp.record_id == fu.record_id, m.FollowUp.state == "open"
            )
        )


def test_format_rules_folding_escaping_crlf():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "ä" * 60  # 12 + 120 octets
    folded = fold(line)
    assert folded.endswith("\r\n")
    parts = folded[:-2].split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line  # no character split
    assert fold("SHORT:x") == "SHORT:x\r\n"


def test_vtimezone_matches_the_zone_database():
    for zone in ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"):
        text = "\r\n".join(["BEGIN:VCALENDAR", *vtimezone(zone, 2026, 2028), "END:VCALENDAR"])
        [tz_comp] = icalendar.Calendar.from_ical(text + "\r\n").walk("VTIMEZONE")
        built = tz_comp.to_tz(lookup_tzid=False)
        real = ZoneInfo(zone)
        probe = datetime(2026, 1, 1, 12, tzinfo=UTC)
        while probe < datetime(2029, 1, 1, tzinfo=UTC):
            assert probe.astimezone(built).utcoffset() == probe.astimezone(real).utcoffset(), (
                zone,
                probe,
            )
            probe += timedelta(days=5, hours=7)


def test_export_round_trips_every_field(db):
    world = make_world(db)
    soon = date.today() + timedelta(days=3)
    plain = _log(
        world,
        "Müller, Meier & Co; KG",
        NextFollowUp(soon, instruction=TRICKY, priority=Priority.HIGH),
        text=LONG,
    )
    monday = _last_sunday(NEXT_YEAR, 3) - timedelta(days=6)
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

    now = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
    text = export_user(db, world.sales_id, now=now)

    # --- raw format ---
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/Berlin:" in text

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
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    first = list(rule[:3])
    assert [d.astimezone(BERLIN).hour for d in first] == [9, 9, 9]
    assert [d.astimezone(UTC).hour for d in first] == [8, 7, 7]

    # --- UNTIL of a timed series is in UTC (RFC 5545 with TZID) ---
    until_event = items[str(until.id)]
    end = until_event["RRULE"]["UNTIL"][0]
    local_end = datetime.combine(monday + timedelta(days=10), time(23, 59, 59), tzinfo=BERLIN)
    assert end == local_end.astimezone(UTC)
    expanded = rrulestr(
        until_event["RRULE"].to_ical().decode(), dtstart=until_event.decoded("DTSTART")
    )
    assert list(expanded)[-1].date() == monday + timedelta(days=10)

    # --- a series counted from completion has no fixed dates: no RRULE ---
    by_done = items[str(by_completion.id)]
    assert "RRULE" not in by_done and "ab Erledigung" in str(by_done["DESCRIPTION"])


def test_series_keeps_its_uid_and_count_after_completion(db):
    world = make_world(db)
    start = date.today() + timedelta(days=1)
    rule = build_rule(RecurrenceSpec(Preset.DAILY, count=5), start)
    first = _log(world, "Serie KG", NextFollowUp(start, recurrence=rule))
    before = _parse(export_user(db, world.sales_id))[str(first.id)]
    second = _complete(world, first, later=timedelta(seconds=2))  # time passes
    after = _parse(export_user(db, world.sales_id))[str(second.id)]
    assert str(after["UID"]) == str(before["UID"]) == f"followup-{first.id}@akquise-desktop"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert before["RRULE"]["COUNT"] == [5] and after["RRULE"]["COUNT"] == [4]
    assert after.decoded("DTSTART") == start + timedelta(days=1)
    # A client's expansion ends on the series' last date.
    dates = [
        d.date()
        for d in rrulestr(
            after["RRULE"].to_ical().decode(),
            dtstart=datetime.combine(after.decoded("DTSTART"), time()),
        )
    ]
    assert dates == [start + timedelta(days=k) for k in range(1, 5)]


def test_holiday_shift_is_exported_as_rdate_and_exdate(db):
    world = make_world(db)
    corpus_christi = easter(NEXT_YEAR) + timedelta(days=60)  # Thursday, NW holiday
    first_due = corpus_christi - timedelta(days=14)
    fu = _log(world, "Wartung AG", NextFollowUp(first_due, due_time=time(8, 0)))
    RecurringFollowUps(world.sales).set_recurrence(
        fu.id, RecurrenceSpec(Preset.WEEKLY), expected_version=fu.version, shift_region="DE-NW"
    )
    now = datetime.now(UTC)
    event = _parse(export_user(db, world.sales_id, now=now))[str(fu.id)]
    assert event["RRULE"]["BYDAY"] == ["TH"]
    start = event.decoded("DTSTART")
    client = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    horizon = now.date() + timedelta(days=HORIZON_DAYS)
    got = {d for d in client if d.date() <= horizon}
    rdates = {p.dt for r in _as_list(event.get("RDATE")) for p in r.dts}
    exdates = {p.dt for r in _as_list(event.get("EXDATE")) for p in r.dts}
    assert datetime.combine(corpus_christi, time(8), tzinfo=BERLIN) in exdates
    assert datetime.combine(corpus_christi + timedelta(days=1), time(8), tzinfo=BERLIN) in rdates
    got = {d.date() for d in (got | rdates) - exdates}
    expected = recurrence.series_dates(
        "FREQ=WEEKLY;BYDAY=TH",
        series_start=first_due,
        due=first_due,
        at=time(8),
        shift="DE-NW",
        limit=1000,
        through=horizon,
    )
    assert sorted(got) == expected
    assert all(d.weekday() < 5 for d in expected)  # never on a weekend, and never on an NW holiday:
    assert corpus_christi not in expected


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_all_day_as_events_for_outlook(db):
    world = make_world(db)
    day = date.today() + timedelta(days=4)
    fu = _log(world, "Outlook GmbH", NextFollowUp(day))
    event = _parse(export_user(db, world.sales_id, all_day_as_events=True))[str(fu.id)]
    assert event.name == "VEVENT"
    assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + timedelta(days=1)


def test_cli_export_ical(db, tmp_path, capsys):
    world = make_world(db)
    fu = _log(world, "CLI GmbH", NextFollowUp(date.today() + timedelta(days=2)))
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
def test_export_pages_through_many_follow_ups(db, count):
    world = make_world(db)
    rid = world.record("Viele GmbH", world.lax)
    day = date.today() + timedelta(days=1)
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
            "created_at": datetime.now(UTC),
            "updated_at": datetime.now(UTC),
            "version": 1,
        }
        for i in range(count)
    ]
    if rows:
        with db.write() as s:
            s.execute(m.FollowUp.__table__.insert(), rows)
    items = _parse(export_user(db, world.lax_id))
    assert len(items) == count
