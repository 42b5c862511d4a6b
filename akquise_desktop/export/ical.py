"""Calendar export: a user's open follow-ups as an iCalendar file (RFC 5545).

* An all-day follow-up is a VTODO (DUE on its day; a recurring one starts on
  its day, DTSTART, as RFC 5545 wants DUE after DTSTART); a timed one a VEVENT of
  :data:`EVENT_MINUTES` at its wall-clock time in its time zone (TZID with a
  VTIMEZONE built from the zone's rules). ``all_day_as_events`` writes all-day
  ones as all-day VEVENTs instead — Outlook imports events only.
* Stable UIDs, ``followup-<id>@akquise-desktop``: importing a newer export
  updates the entries instead of duplicating them. A recurring series keeps
  the UID of its first occurrence, so completing an occurrence moves the
  calendar entry on; SEQUENCE and LAST-MODIFIED grow with every change.
* A series counted from the due date carries its RRULE (the remaining COUNT,
  UNTIL in UTC or as a date as RFC 5545 asks); where the series differs from
  what a client expands from that RRULE (occurrences moved off weekends and
  holidays, a rescheduled current occurrence) RDATE/EXDATE correct it within
  :data:`HORIZON_DAYS`. A series counted from the completion date has no
  fixed dates: it is exported as its current occurrence.
* Text is escaped (``\\``, ``;``, ``,``, newlines), lines are folded at 75
  octets without splitting a UTF-8 character, lines end with CRLF.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from akquise_desktop import models as m
from akquise_desktop.core import recurrence
from akquise_desktop.core.errors import AkquiseError
from akquise_desktop.models import FollowUpState, Priority, RecurrenceAnchor

PRODID = "-//AkquiseDesktop//Wiedervorlagen 1.0//DE"
UID_DOMAIN = "akquise-desktop"
EVENT_MINUTES = 30
HORIZON_DAYS = 2 * 366
MAX_CORRECTIONS = 500
FOLD_OCTETS = 75
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


def load_items(session: Session, user_id: int, *, batch: int = 500) -> Iterator[ExportItem]:
    """A user's open follow-ups by due date, read in batches (keyset paging)."""
    fu = m.FollowUp
    source = aliased(m.Activity)
    after: tuple[date, int] | None = None
    while True:
        stmt = (
            select(
                fu.id,
                fu.record_id,
                m.Record.name,
                fu.due_date,
                fu.due_time,
                fu.time_zone,
                fu.priority,
                fu.instruction,
                source.subject,
                source.text,
                fu.recurrence,
                fu.recurrence_anchor,
                fu.series_start_date,
                fu.occurrence,
                fu.recurrence_shift,
                fu.created_at,
                fu.updated_at,
                fu.previous_id,
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
                id=r.id,
                uid_id=roots.get(r.id, r.id),
                record_id=r.record_id,
                record_name=r.name,
                due_date=r.due_date,
                due_time=r.due_time,
                time_zone=r.time_zone,
                priority=r.priority,
                instruction=r.instruction,
                source_subject=r.subject,
                source_text=r.text,
                recurrence=r.recurrence,
                recurrence_anchor=r.recurrence_anchor,
                series_start_date=r.series_start_date,
                occurrence=r.occurrence,
                recurrence_shift=r.recurrence_shift,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
        after = (rows[-1].due_date, rows[-1].id)


# --- content lines ------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with a space),
    never inside a UTF-8 character; the result ends with CRLF."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    limit = FOLD_OCTETS
    current = bytearray()
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = bytearray()
            limit = FOLD_OCTETS - 1  # the leading space counts
        current.extend(encoded)
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts) + "\r\n"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


# --- VTIMEZONE from the zone database ---------------------------------------------------------


@dataclass(frozen=True)
class _Transition:
    local: datetime  # wall time before the transition (in the old offset)
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    result = []
    probe = start
    offset = probe.astimezone(zone).utcoffset()
    step = timedelta(hours=1)
    while probe < end:
        nxt = probe + step
        new = nxt.astimezone(zone).utcoffset()
        if new != offset:
            low, high = probe, nxt  # bisect to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    low = mid
                else:
                    high = mid
            after = high.astimezone(zone)
            assert offset is not None and new is not None
            local = (high + offset).replace(tzinfo=None)
            result.append(_Transition(local, offset, new, after.tzname() or "", bool(after.dst())))
            offset = new
        probe = nxt
    return result


def _by_day(day: date) -> tuple[str, str]:
    """("2SU", "-1SU")-style positions of a day in its month."""
    weekday = recurrence.WEEKDAYS[day.weekday()]
    nth = (day.day - 1) // 7 + 1
    next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    last = -(((next_month - day).days - 1) // 7) - 1
    return f"{nth}{weekday}", f"{last}{weekday}"


def vtimezone(zone_name: str, first_year: int, last_year: int) -> list[str]:
    """VTIMEZONE lines for ``zone_name``: yearly rules where the zone's
    transitions follow one (e.g. last Sunday of March), else each transition
    of the years given."""
    zone = ZoneInfo(zone_name)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    # From the year before: the first dates of ``first_year`` need the
    # previous year's last transition in force.
    first_year -= 1
    transitions = _transitions(zone, first_year, last_year)
    if not transitions:
        at = datetime(first_year, 1, 1, tzinfo=zone)
        offset = at.utcoffset() or timedelta(0)
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{escape_text(at.tzname() or zone_name)}",
            "END:STANDARD",
        ]
        return [*lines, "END:VTIMEZONE"]
    groups: dict[tuple, list[_Transition]] = {}
    for t in transitions:
        key = (t.is_dst, t.offset_from, t.offset_to, t.name, t.local.month, t.local.time())
        groups.setdefault(key, []).append(t)
    years = set(range(first_year, last_year + 1))
    for members in groups.values():
        positions = [_by_day(t.local.date()) for t in members]
        rule = None
        for index in (1, 0):  # prefer "last Sunday" to "4th Sunday"
            common = {p[index] for p in positions}
            if len(common) == 1 and {t.local.year for t in members} == years:
                rule = f"FREQ=YEARLY;BYMONTH={members[0].local.month};BYDAY={common.pop()}"
                break
        starts = [members[0]] if rule else members
        for t in starts:
            kind = "DAYLIGHT" if t.is_dst else "STANDARD"
            lines += [
                f"BEGIN:{kind}",
                f"DTSTART:{_local(t.local)}",
                f"TZOFFSETFROM:{_offset(t.offset_from)}",
                f"TZOFFSETTO:{_offset(t.offset_to)}",
                f"TZNAME:{escape_text(t.name)}",
            ]
            if rule:
                lines.append(f"RRULE:{rule}")
            lines.append(f"END:{kind}")
    return [*lines, "END:VTIMEZONE"]


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
        lines.append(f"Wiederholung: {recurrence.describe(item.recurrence, start)}{anchor}")
    lines.append(f"Datensatz #{item.record_id}, Wiedervorlage #{item.id}")
    return "\n".join(lines)


def _sequence(item: ExportItem) -> int:
    return max(0, int((item.updated_at - SEQUENCE_EPOCH).total_seconds()))


def _series(
    item: ExportItem, horizon_end: date
) -> tuple[str | None, list[date], list[date]] | None:
    """(RRULE text, RDATEs, EXDATEs) of a due-anchored series, or None.

    Without RRULE (None) when the current due date is not on the rule's grid
    (moved off a holiday, rescheduled): RFC 5545 leaves a DTSTART outside the
    rule undefined, so the coming dates are listed as RDATEs instead."""
    if not item.recurrence or item.recurrence_anchor == RecurrenceAnchor.COMPLETION:
        return None
    parts = recurrence.rule_parts(item.recurrence)
    if "COUNT" in parts:
        remaining = int(parts["COUNT"]) - item.occurrence + 1
        if remaining < 2:
            return None
        parts["COUNT"] = str(remaining)
    until_local: datetime | None = None
    if "UNTIL" in parts:
        text = parts["UNTIL"]
        until_local = (
            datetime.strptime(text[:15], "%Y%m%dT%H%M%S")
            if "T" in text
            else (datetime.strptime(text[:8], "%Y%m%d").replace(hour=23, minute=59, second=59))
        )
        if item.due_time is None:
            parts["UNTIL"] = _date(until_local.date())
        else:
            aware = until_local.replace(tzinfo=ZoneInfo(item.time_zone))
            parts["UNTIL"] = _utc(aware)
    rule = recurrence.join_rule(parts)
    at = item.due_time or time(0, 0)
    actual = recurrence.series_dates(
        item.recurrence,
        series_start=item.series_start_date or item.due_date,
        due=item.due_date,
        at=item.due_time,
        occurrence=item.occurrence,
        shift=item.recurrence_shift,
        limit=MAX_CORRECTIONS * 4,
        through=horizon_end,
    )
    # What a client expands: the exported RRULE from DTSTART, DTSTART included.
    client_rule = dict(parts)
    if "UNTIL" in client_rule and until_local is not None:
        client_rule["UNTIL"] = _local(until_local)
    expanded = rrulestr(
        recurrence.join_rule(client_rule), dtstart=datetime.combine(item.due_date, at)
    )
    client: list[date] = []
    for occurrence in expanded:
        if occurrence.date() > horizon_end or len(client) > MAX_CORRECTIONS * 4:
            break
        client.append(occurrence.date())
    if not client or client[0] != item.due_date:
        return None, actual[1 : MAX_CORRECTIONS + 1], []
    wanted = set(actual)
    rdates = sorted(wanted - set(client))[:MAX_CORRECTIONS]
    exdates = sorted(set(client) - wanted)[:MAX_CORRECTIONS]
    return rule, rdates, exdates


def _dates_property(name: str, days: list[date], item: ExportItem) -> str:
    if item.due_time is None:
        return f"{name};VALUE=DATE:" + ",".join(_date(d) for d in days)
    values = ",".join(_local(datetime.combine(d, item.due_time)) for d in days)
    return f"{name};TZID={item.time_zone}:{values}"


def component(
    item: ExportItem, *, stamp: datetime, horizon_end: date, all_day_as_events: bool = False
) -> list[str]:
    timed = item.due_time is not None
    kind = "VEVENT" if timed or all_day_as_events else "VTODO"
    lines = [
        f"BEGIN:{kind}",
        f"UID:{item.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"CREATED:{_utc(item.created_at)}",
        f"LAST-MODIFIED:{_utc(item.updated_at)}",
        f"SEQUENCE:{_sequence(item)}",
        f"SUMMARY:{escape_text(_summary(item))}",
        f"DESCRIPTION:{escape_text(_description(item))}",
        f"PRIORITY:{PRIORITY_OF[Priority(item.priority)]}",
        "CATEGORIES:Wiedervorlage",
    ]
    if timed:
        assert item.due_time is not None
        start = datetime.combine(item.due_date, item.due_time)
        end = start + timedelta(minutes=EVENT_MINUTES)
        lines += [
            f"DTSTART;TZID={item.time_zone}:{_local(start)}",
            f"DTEND;TZID={item.time_zone}:{_local(end)}",
            "STATUS:CONFIRMED",
        ]
    elif kind == "VEVENT":
        lines += [
            f"DTSTART;VALUE=DATE:{_date(item.due_date)}",
            f"DTEND;VALUE=DATE:{_date(item.due_date + timedelta(days=1))}",
            "TRANSP:TRANSPARENT",
            "STATUS:CONFIRMED",
        ]
    series = _series(item, horizon_end)
    if kind == "VTODO":
        # RFC 5545 wants DUE strictly after DTSTART: a single follow-up has its
        # day as DUE; a series needs DTSTART (its recurrence anchor) and has
        # each occurrence's day as its start day.
        if series is None:
            lines.append(f"DUE;VALUE=DATE:{_date(item.due_date)}")
        else:
            lines.append(f"DTSTART;VALUE=DATE:{_date(item.due_date)}")
        lines.append("STATUS:NEEDS-ACTION")
    if series is not None:
        rule, rdates, exdates = series
        if rule is not None:
            lines.append(f"RRULE:{rule}")
        if rdates:
            lines.append(_dates_property("RDATE", rdates, item))
        if exdates:
            lines.append(_dates_property("EXDATE", exdates, item))
    lines += [
        f"X-AKQUISE-FOLLOW-UP-ID:{item.id}",
        f"X-AKQUISE-RECORD-ID:{item.record_id}",
    ]
    if item.recurrence:
        lines.append(f"X-AKQUISE-RECURRENCE:{item.recurrence}")
    if item.priority == Priority.TIME_CRITICAL and timed:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(_summary(item))}",
            "TRIGGER:-PT15M",
            "END:VALARM",
        ]
    lines.append(f"END:{kind}")
    return lines


def calendar_text(
    items: Iterable[ExportItem],
    *,
    now: datetime,
    name: str = "Wiedervorlagen",
    all_day_as_events: bool = False,
) -> str:
    """The whole calendar as iCalendar text (CRLF line ends, folded)."""
    items = list(items)
    horizon_end = now.date() + timedelta(days=HORIZON_DAYS)
    zones = sorted({i.time_zone for i in items if i.due_time is not None})
    first_year = min([i.due_date.year for i in items] + [now.year])
    last_year = max([i.due_date.year for i in items] + [horizon_end.year])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for zone in zones:
        lines += vtimezone(zone, first_year, last_year)
    for item in items:
        lines += component(
            item, stamp=now, horizon_end=horizon_end, all_day_as_events=all_day_as_events
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


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
        items, now=now or m.utcnow(), name=name, all_day_as_events=all_day_as_events
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
