"""Calendar export: a user's open follow-ups as an iCalendar file (RFC 5545),
built with the ``icalendar`` package (which also escapes, folds and writes the
VTIMEZONEs, from the zone database).

* An all-day follow-up is a VTODO (DUE on its day; a recurring one starts on
  its day, DTSTART, as RFC 5545 wants DUE after DTSTART); a timed one a VEVENT of
  :data:`EVENT_MINUTES` at its wall-clock time in its time zone (TZID).
  ``all_day_as_events`` writes all-day ones as all-day VEVENTs instead —
  Outlook imports events only.
* Stable UIDs, ``followup-<id>@akquise-desktop``: importing a newer export
  updates the entries instead of duplicating them. A recurring series keeps
  the UID of its first occurrence, so completing an occurrence moves the
  calendar entry on; SEQUENCE and LAST-MODIFIED grow with every change.
* A series counted from the due date carries its RRULE, however far ahead it
  is due (the remaining COUNT; UNTIL in UTC, or as a date for an all-day one,
  read in the follow-up's time zone); where the series differs from what a
  client expands from that RRULE (occurrences moved off weekends and
  holidays) RDATE/EXDATE correct it for :data:`HORIZON_DAYS` from its due
  date. A current occurrence off the rule's dates (moved, rescheduled) has no
  RRULE — RFC 5545 leaves that undefined — but its coming dates as RDATEs.
  A series counted from the completion date has no fixed dates: it is
  exported as its current occurrence.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m
from akquise_desktop.core import recurrence
from akquise_desktop.core.clock import SYSTEM_CLOCK
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.models import FollowUpState, Priority, RecurrenceAnchor

PRODID = "-//AkquiseDesktop//Wiedervorlagen 1.0//DE"
UID_DOMAIN = "akquise-desktop"
EVENT_MINUTES = 30
HORIZON_DAYS = 2 * 366  # RDATE/EXDATE corrections, counted from the due date
MAX_CORRECTIONS = 500
ZONE_YEARS = 30  # the VTIMEZONEs' transitions, from the last due date on
SUB_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# Follow-up priority -> iCalendar PRIORITY (1 highest, 5 medium, 9 lowest).
PRIORITY_OF = {Priority.NORMAL: 5, Priority.HIGH: 3, Priority.TIME_CRITICAL: 1}
PRIORITY_NAME = {
    Priority.NORMAL: "Normal",
    Priority.HIGH: "Hoch",
    Priority.TIME_CRITICAL: "Zeitkritisch",
}


@dataclass(frozen=True)
class ExportItem:
    """One open follow-up, as plain data."""

    id: int
    uid_id: int  # the series' first occurrence (or the follow-up itself)
    record_id: int
    record_name: str
    due_date: date
    due_time: time | None
    time_zone: str
    priority: int
    instruction: str
    source_subject: str | None
    source_text: str | None
    recurrence: str | None
    recurrence_anchor: str
    series_start_date: date | None
    occurrence: int
    recurrence_shift: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def uid(self) -> str:
        return f"followup-{self.uid_id}@{UID_DOMAIN}"


# --- reading ----------------------------------------------------------------------------


def _roots(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Follow-up id -> the first follow-up of its series (via previous_id)."""
    if not ids:
        return {}
    fu = m.FollowUp
    chain = (
        select(fu.id.label("start"), fu.id.label("node"), fu.previous_id.label("prev"))
        .where(fu.id.in_(ids))
        .cte("chain", recursive=True)
    )
    parent = aliased(fu)
    chain = chain.union_all(
        select(chain.c.start, parent.id, parent.previous_id).join(parent, parent.id == chain.c.prev)
    )
    rows = session.execute(select(chain.c.start, chain.c.node).where(chain.c.prev.is_(None))).all()
    roots = {start: node for start, node in rows}
    return {i: roots.get(i, i) for i in ids}


_COLUMNS = (
    "id", "record_id", "due_date", "due_time", "time_zone", "priority", "instruction",
    "recurrence", "recurrence_anchor", "series_start_date", "occurrence", "recurrence_shift",
    "created_at", "updated_at",
)  # fmt: skip


def load_items(session: Session, user_id: int, *, batch: int = 500) -> Iterator[ExportItem]:
    """A user's open follow-ups by due date, read in batches (keyset paging)."""
    fu = m.FollowUp
    source = aliased(m.Activity)
    after: tuple[date, int] | None = None
    while True:
        stmt = (
            select(
                *(getattr(fu, c) for c in _COLUMNS),
                fu.previous_id,
                m.Record.name,
                source.subject,
                source.text,
            )
            .join(m.Record, m.Record.id == fu.record_id)
            .outerjoin(source, source.id == fu.source_activity_id)
            .where(fu.assignee_id == user_id, fu.state == FollowUpState.OPEN)
            .order_by(fu.due_date, fu.id)
            .limit(batch)
        )
        if after is not None:
            stmt = stmt.where(
                (fu.due_date > after[0]) | ((fu.due_date == after[0]) & (fu.id > after[1]))
            )
        rows = session.execute(stmt).all()
        if not rows:
            return
        roots = _roots(session, [r.id for r in rows if r.previous_id is not None])
        for r in rows:
            yield ExportItem(
                **{c: getattr(r, c) for c in _COLUMNS},
                uid_id=roots.get(r.id, r.id),
                record_name=r.name,
                source_subject=r.subject,
                source_text=r.text,
            )
        after = (rows[-1].due_date, rows[-1].id)


# --- components ------------------------------------------------------------------------------


def _summary(item: ExportItem) -> str:
    if item.instruction:
        return f"{item.record_name}: {item.instruction}"
    return f"Wiedervorlage {item.record_name}"


def _description(item: ExportItem) -> str:
    lines = []
    if item.instruction:
        lines.append(item.instruction)
    if item.source_subject:
        lines.append(f"Aktivität: {item.source_subject}")
    if item.source_text:
        lines.append(item.source_text)
    lines.append(f"Priorität: {PRIORITY_NAME[Priority(item.priority)]}")
    if item.recurrence:
        start = item.series_start_date or item.due_date
        anchor = " (ab Erledigung)" if item.recurrence_anchor == RecurrenceAnchor.COMPLETION else ""
        described = recurrence.describe(item.recurrence, start, zone=item.time_zone)
        lines.append(f"Wiederholung: {described}{anchor}")
    lines.append(f"Datensatz #{item.record_id}, Wiedervorlage #{item.id}")
    return "\n".join(lines)


def _sequence(item: ExportItem) -> int:
    return max(0, int((item.updated_at - SEQUENCE_EPOCH).total_seconds()))


def _moment(item: ExportItem, day: date) -> date | datetime:
    """``day`` as the item's DTSTART-type value: a date, or the aware wall time."""
    if item.due_time is None:
        return day
    return recurrence.local_datetime(day, item.due_time, item.time_zone)


def _until(value: str, item: ExportItem) -> str:
    """A stored UNTIL (wall time, a date for its whole day, or UTC with ``Z``)
    as RFC 5545 wants it beside the item's DTSTART: in UTC for a timed one,
    else a date; wall time is the follow-up's zone's, as the application reads it."""
    day, _, clock = value.rstrip("Z").partition("T")
    moment = datetime.strptime(day + (clock or "235959"), "%Y%m%d%H%M%S")
    zone = ZoneInfo(item.time_zone)
    aware = moment.replace(tzinfo=UTC if value.endswith("Z") else zone)
    if item.due_time is not None:
        return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return aware.astimezone(zone).strftime("%Y%m%d")


def _series(item: ExportItem) -> tuple[str | None, list[date], list[date]] | None:
    """(RRULE text, RDATEs, EXDATEs) of a due-anchored series with a date
    after the current one, or None.

    Without RRULE when the current due date is not on the rule's grid (moved
    off a holiday, rescheduled): the coming dates are listed as RDATEs instead."""
    if not item.recurrence or item.recurrence_anchor == RecurrenceAnchor.COMPLETION:
        return None
    # Sub-day parts of an old stored rule: the application reads it without them.
    parts = {k: v for k, v in recurrence.rule_parts(item.recurrence).items() if k not in SUB_DAY}
    if "COUNT" in parts:
        remaining = int(parts["COUNT"]) - item.occurrence + 1
        if remaining < 2:
            return None
        parts["COUNT"] = str(remaining)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until(parts["UNTIL"], item)
    rule = ";".join(f"{k}={v}" for k, v in parts.items())
    through = item.due_date + timedelta(days=HORIZON_DAYS)
    actual = recurrence.series_dates(
        item.recurrence,
        series_start=item.series_start_date or item.due_date,
        due=item.due_date,
        at=item.due_time,
        occurrence=item.occurrence,
        shift=item.recurrence_shift,
        limit=MAX_CORRECTIONS * 4,
        through=through,
        zone=item.time_zone,
    )
    # What a client expands: the exported RRULE from DTSTART.
    start = _moment(item, item.due_date)
    if not isinstance(start, datetime):
        start = datetime.combine(start, time())
    client: list[date] = []
    for occurrence in rrulestr(rule, dtstart=start):
        if occurrence.date() > through or len(client) >= MAX_CORRECTIONS * 4:
            break
        client.append(occurrence.date())
    if not client or client[0] != item.due_date:
        coming = actual[1 : MAX_CORRECTIONS + 1]
        return (None, coming, []) if coming else None
    rdates = sorted(set(actual) - set(client))[:MAX_CORRECTIONS]
    exdates = sorted(set(client) - set(actual))[:MAX_CORRECTIONS]
    return rule, rdates, exdates


def component(
    item: ExportItem, *, stamp: datetime, all_day_as_events: bool = False
) -> icalendar.Component:
    """The VTODO or VEVENT of one follow-up."""
    timed = item.due_time is not None
    entry = icalendar.Event() if timed or all_day_as_events else icalendar.Todo()
    entry.add("UID", item.uid)
    entry.add("DTSTAMP", stamp.astimezone(UTC))
    entry.add("CREATED", item.created_at.astimezone(UTC))
    entry.add("LAST-MODIFIED", item.updated_at.astimezone(UTC))
    entry.add("SEQUENCE", _sequence(item))
    entry.add("SUMMARY", _summary(item))
    entry.add("DESCRIPTION", _description(item))
    entry.add("PRIORITY", PRIORITY_OF[Priority(item.priority)])
    entry.add("CATEGORIES", ["Wiedervorlage"])
    start = _moment(item, item.due_date)
    series = _series(item)
    if isinstance(entry, icalendar.Event):
        length = timedelta(minutes=EVENT_MINUTES) if timed else timedelta(days=1)
        entry.add("DTSTART", start)
        entry.add("DTEND", start + length)
        if not timed:
            entry.add("TRANSP", "TRANSPARENT")
        entry.add("STATUS", "CONFIRMED")
    else:
        # RFC 5545 wants DUE strictly after DTSTART: a single follow-up has its
        # day as DUE; a series needs DTSTART (its recurrence anchor).
        entry.add("DUE" if series is None else "DTSTART", start)
        entry.add("STATUS", "NEEDS-ACTION")
    if series is not None:
        rule, rdates, exdates = series
        if rule is not None:
            entry.add("RRULE", icalendar.vRecur.from_ical(rule))
        if rdates:
            entry.add("RDATE", [_moment(item, d) for d in rdates])
        if exdates:
            entry.add("EXDATE", [_moment(item, d) for d in exdates])
    entry.add("X-AKQUISE-FOLLOW-UP-ID", str(item.id))
    entry.add("X-AKQUISE-RECORD-ID", str(item.record_id))
    if item.recurrence:
        entry.add("X-AKQUISE-RECURRENCE", item.recurrence)
    if item.priority == Priority.TIME_CRITICAL and timed:
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", _summary(item))
        alarm.add("TRIGGER", -timedelta(minutes=15))
        entry.add_component(alarm)
    return entry


def calendar_text(
    items: Iterable[ExportItem],
    *,
    now: datetime,
    name: str = "Wiedervorlagen",
    all_day_as_events: bool = False,
) -> str:
    """The whole calendar as iCalendar text (CRLF line ends, folded)."""
    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", icalendar.vText(name))
    days = [now.date()]
    for item in items:
        cal.add_component(component(item, stamp=now, all_day_as_events=all_day_as_events))
        days.append(item.due_date)
    last = max(days) + timedelta(days=HORIZON_DAYS)
    cal.add_missing_timezones(date(min(days).year, 1, 1), date(last.year + ZONE_YEARS, 1, 1))
    return cal.to_ical().decode("utf-8")


# --- entry points ---------------------------------------------------------------------------


def export_user(
    db,
    user_id: int,
    *,
    now: datetime | None = None,
    all_day_as_events: bool = False,
) -> str:
    """A user's open follow-ups as iCalendar text."""
    return _export(db, user_id, now=now, all_day_as_events=all_day_as_events)[0]


def _export(db, user_id: int, *, now: datetime | None, all_day_as_events: bool) -> tuple[str, int]:
    with db.read() as s:
        user = s.get(m.User, user_id)
        if user is None:
            raise AkquiseError(f"Benutzer #{user_id} gibt es nicht.")
        items = list(load_items(s, user_id))
        name = f"Wiedervorlagen {user.display_name}"
    text = calendar_text(
        items, now=now or SYSTEM_CLOCK.now(), name=name, all_day_as_events=all_day_as_events
    )
    return text, len(items)


def export_to_file(db, login: str, out: Path, *, all_day_as_events: bool = False) -> int:
    """Write ``login``'s open follow-ups to ``out``; returns how many."""
    with db.read() as s:
        user_id = s.scalar(select(m.User.id).where(m.User.login == login))
    if user_id is None:
        raise AkquiseError(f"Den Benutzer „{login}“ gibt es nicht.")
    text, count = _export(db, user_id, now=None, all_day_as_events=all_day_as_events)
    try:
        out.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise AkquiseError(f"Die Datei {out} lässt sich nicht schreiben: {exc.strerror}") from None
    return count


def cli_export(db, login: str | None, out: str, *, all_day_as_events: bool = False) -> int:
    """The ``export-ical`` subcommand."""
    if not login:
        raise AkquiseError("export-ical braucht --user LOGIN (wessen Wiedervorlagen).")
    db.open(create=False)
    path = Path(out).expanduser()
    count = export_to_file(db, login, path, all_day_as_events=all_day_as_events)
    print(f"{count} offene Wiedervorlagen von {login} nach {path} exportiert.", file=sys.stdout)
    return 0
