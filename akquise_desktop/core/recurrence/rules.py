"""Checking a recurrence rule (one check, whoever typed it) and expanding a
series on local wall time.

A series is an RRULE (without DTSTART) plus a local start date, a wall-clock
time and a time-zone name. Expansion happens on naive local datetimes, so a
09:00 follow-up stays at 09:00 across daylight-saving changes.

Follow-ups are date-level with one optional time, so a rule repeats by the
day: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY, and the sub-day parts (BYHOUR,
BYMINUTE, BYSECOND) are refused. Every rule text goes through one check
(:func:`check_parts`), whoever typed it. As RFC 5545 says, the first due date
(DTSTART) is the first occurrence whether or not the rule produces it, so
COUNT counts it: the series ends after occurrence number COUNT. A date-only
UNTIL includes its day; a UTC UNTIL is read as wall time in the series' zone.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from ..errors import DomainError, Rule
from ..holidays_calendar import shift_off_days_off

FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
SUB_DAY_FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY")
SUB_DAY_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
NOT_A_RULE = ("DTSTART", "EXDATE", "RDATE", "EXRULE")
PARTS = (
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
    "BYMONTH", "BYSETPOS", "WKST",
)  # fmt: skip
RULE_MAX = 500
INTERVAL_MAX = 999
COUNT_MAX = 9_999
DEFAULT_ZONE = "Europe/Berlin"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INTEGER = re.compile(r"[+-]?\d{1,4}")
_UNTIL = re.compile(r"(\d{8})(?:T(\d{6})(Z?))?")
# Lists of numbers: (lowest, highest, negative values allowed).
_RANGES = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
# Parts RFC 5545 allows only with some frequencies.
_ONLY_WITH = {
    "BYWEEKNO": ("YEARLY",),
    "BYYEARDAY": ("YEARLY",),
    "BYMONTHDAY": ("DAILY", "MONTHLY", "YEARLY"),
}


def _refuse(de: str, en: str) -> DomainError:
    return DomainError(Rule.INVALID_RECURRENCE, reason=f"{de} / {en}")


def normalize(text: str) -> str:
    """Strip an ``RRULE:`` prefix, white space and empty parts (a trailing
    ``;``); upper-case."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    pieces = (piece.strip() for piece in rule.upper().split(";"))
    return ";".join(piece for piece in pieces if piece)


def rule_parts(rule_text: str) -> dict[str, str]:
    """``"FREQ=WEEKLY;BYDAY=MO"`` → ``{"FREQ": "WEEKLY", "BYDAY": "MO"}`` (normalized,
    unchecked: see :func:`check_parts`)."""
    parts: dict[str, str] = {}
    for part in normalize(rule_text).split(";"):
        key, _, value = part.partition("=")
        if key:
            parts[key.strip()] = value.strip()
    return parts


def join_rule(parts: dict[str, str]) -> str:
    """The inverse of :func:`rule_parts`."""
    return ";".join(f"{k}={v}" for k, v in parts.items())


def check_parts(text: str) -> dict[str, str]:
    """The parts of a rule text, checked against RFC 5545 as far as follow-ups
    use it. Raises ``DomainError(INVALID_RECURRENCE)`` with a readable reason
    (German / English) for anything else: an empty or over-long text, a part
    that is not ``NAME=VALUE``, an unknown, repeated or sub-day part, a value out
    of its range, a part the frequency does not allow, COUNT with UNTIL."""
    rule_text = normalize(text)
    if not rule_text:
        raise _refuse("die Regel ist leer", "the rule is empty")
    if len(rule_text) > RULE_MAX:
        raise _refuse(
            f"die Regel ist länger als {RULE_MAX} Zeichen",
            f"the rule is longer than {RULE_MAX} characters",
        )
    parts: dict[str, str] = {}
    for piece in rule_text.split(";"):
        key, sep, value = (p.strip() for p in piece.partition("="))
        if key in NOT_A_RULE or "\n" in piece:
            raise _refuse("nur eine RRULE, ohne " + key, "a single RRULE only, without " + key)
        if not sep or not key or not value:
            raise _refuse(
                f"„{piece}“ hat nicht die Form NAME=WERT",
                f"“{piece}” is not of the form NAME=VALUE",
            )
        if key in SUB_DAY_PARTS:
            raise _refuse(
                f"{key} geht nicht: Wiedervorlagen wiederholen sich tageweise, die Uhrzeit "
                "kommt aus der Wiedervorlage",
                f"{key} is not possible: follow-ups repeat by the day, the time comes from "
                "the follow-up",
            )
        if key not in PARTS:
            raise _refuse(f"unbekannter Teil „{key}“", f"unknown part “{key}”")
        if key in parts:
            raise _refuse(f"{key} steht doppelt in der Regel", f"{key} appears twice in the rule")
        parts[key] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise _refuse("FREQ fehlt", "FREQ is missing")
    if freq in SUB_DAY_FREQUENCIES:
        raise _refuse(
            f"FREQ={freq} geht nicht, Wiedervorlagen wiederholen sich tageweise: "
            "FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein",
            f"FREQ={freq} is not possible, follow-ups repeat by the day: "
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
        )
    if freq not in FREQUENCIES:
        raise _refuse(
            "FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein",
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
        )
    for key, lowest, highest in (("INTERVAL", 1, INTERVAL_MAX), ("COUNT", 1, COUNT_MAX)):
        if key in parts:
            _number(key, parts[key], lowest, highest, signed=False)
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse("COUNT und UNTIL schließen sich aus", "COUNT and UNTIL exclude each other")
    if "UNTIL" in parts:
        _until_moment(parts["UNTIL"], DEFAULT_ZONE)  # checks the form and the date
    for key, (lowest, highest, signed) in _RANGES.items():
        for item in parts.get(key, "").split(",") if key in parts else ():
            _number(key, item, lowest, highest, signed=signed)
    for key, freqs in _ONLY_WITH.items():
        if key in parts and freq not in freqs:
            raise _refuse(
                f"{key} geht nicht mit FREQ={freq}", f"{key} is not allowed with FREQ={freq}"
            )
    if "BYSETPOS" in parts and not any(k.startswith("BY") and k != "BYSETPOS" for k in parts):
        raise _refuse("BYSETPOS braucht einen weiteren BY-Teil", "BYSETPOS needs another BY part")
    if "BYDAY" in parts:
        _check_byday(parts["BYDAY"], freq, "BYWEEKNO" in parts)
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise _refuse(
            f"WKST={parts['WKST']} ist kein Wochentag", f"WKST={parts['WKST']} is no weekday"
        )
    return parts


def _number(key: str, text: str, lowest: int, highest: int, *, signed: bool) -> int:
    value = int(text) if _INTEGER.fullmatch(text) else None
    if value is None or not (lowest <= abs(value) <= highest) or (value < 0 and not signed):
        span = f"{lowest}…{highest}"
        if signed:
            span = f"-{highest}…-{lowest}, {span}"
        raise _refuse(f"{key}={text}: erlaubt ist {span}", f"{key}={text}: allowed is {span}")
    return value


def _check_byday(text: str, freq: str, with_weekno: bool) -> None:
    for item in text.split(","):
        match = _BYDAY.fullmatch(item)
        if match is None:
            raise _refuse(f"BYDAY={item} ist kein Wochentag", f"BYDAY={item} is not a weekday")
        if match.group(2) is None:
            if match.group(1):
                raise _refuse(f"BYDAY={item} ist kein Wochentag", f"BYDAY={item} is not a weekday")
            continue
        if freq not in ("MONTHLY", "YEARLY") or with_weekno:
            raise _refuse(
                f"BYDAY={item}: eine Nummer vor dem Wochentag nur bei MONTHLY oder YEARLY "
                "(ohne BYWEEKNO)",
                f"BYDAY={item}: a number before the weekday only with MONTHLY or YEARLY "
                "(without BYWEEKNO)",
            )
        highest = 5 if freq == "MONTHLY" else 53
        if not 1 <= int(match.group(2)) <= highest:
            raise _refuse(
                f"BYDAY={item}: die Nummer muss zwischen 1 und {highest} liegen",
                f"BYDAY={item}: the number must be between 1 and {highest}",
            )


def _until_moment(text: str, zone: str) -> datetime:
    """UNTIL as local wall time: a date includes its whole day, a UTC time
    (``Z``) is converted to ``zone``'s wall time, a local time stays."""
    match = _UNTIL.fullmatch(text)
    moment = None
    if match is not None:
        day, clock, utc = match.groups()
        try:
            moment = datetime.strptime(day + (clock or "235959"), "%Y%m%d%H%M%S")
        except ValueError:
            moment = None
        if moment is not None and utc:
            moment = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if moment is None:
        raise _refuse(
            f"UNTIL={text} ist kein Datum (JJJJMMTT oder JJJJMMTTTHHMMSS[Z])",
            f"UNTIL={text} is not a date (YYYYMMDD or YYYYMMDDTHHMMSS[Z])",
        )
    return moment


@dataclass(frozen=True)
class _Series:
    """A checked rule ready to expand: its parts, the occurrence limit (COUNT,
    counted by occurrence number since the first due date is the first
    occurrence) and the dateutil rule without COUNT, UNTIL as wall time."""

    parts: dict[str, str]
    count: int | None
    rule: rrule
    start: date

    def counted(self) -> rrule:
        """The rule with COUNT as dateutil counts: the first due date (DTSTART)
        is one of COUNT even where the rule does not produce it."""
        if self.count is None:
            return self.rule
        first = self.rule._dtstart
        on_rule = _first_after(self, first - timedelta(seconds=1)) == first
        rest = self.count if on_rule else self.count - 1
        return self.rule.replace(count=rest) if rest else self.rule.replace(until=first)


def _series(text: str, start: date, at: time | None, zone: str) -> _Series:
    parts = check_parts(text)
    expand = {k: v for k, v in parts.items() if k not in ("COUNT", "UNTIL")}
    until = _until_moment(parts["UNTIL"], zone) if "UNTIL" in parts else None
    try:
        rule = rrulestr(join_rule(expand), dtstart=datetime.combine(start, at or time(0, 0)))
    except (ValueError, TypeError, KeyError, IndexError):
        raise _refuse(
            f"„{normalize(text)}“ ist keine lesbare RRULE",
            f"“{normalize(text)}” is not a readable RRULE",
        ) from None
    if until is not None:
        rule = rule.replace(until=until)
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    return _Series(parts, count, rule, start)


def parse(text: str, start: date, at: time | None = None, *, zone: str = DEFAULT_ZONE) -> rrule:
    """Check a rule (:func:`check_parts`) and build it as dateutil expands it,
    starting on ``start`` at ``at``: UNTIL as wall time in ``zone``, COUNT
    counted from the first due date (which RFC 5545 counts as the first
    occurrence even where the rule does not produce it)."""
    return _series(text, start, at, zone).counted()


def first_after(
    text: str, start: date, at: time | None, moment: datetime, *, zone: str = DEFAULT_ZONE
) -> datetime | None:
    """The first occurrence of the series started on ``start`` (at ``at``)
    strictly after the wall time ``moment``, within :data:`HORIZON_YEARS`
    (COUNT honoured); None if there is none."""
    return _first_after(_series(text, start, at, zone), moment, counted=True)


# How far ahead a next occurrence is searched: a rule whose next date lies
# further away, or that never occurs at all (the 30th of February, a weekday an
# INTERVAL never lands on), counts as having none.
HORIZON_YEARS = 10


def _day_end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def _first_after(series: _Series, moment: datetime, *, counted: bool = False) -> datetime | None:
    """The first occurrence strictly after ``moment`` within :data:`HORIZON_YEARS`.

    dateutil stops at UNTIL only on a date that matches the rule, so a rule
    that never matches would be walked period by period up to the year 9999.
    Neither dateutil nor its globals are touched to avoid that: the days ahead
    are first checked against the rule's filters (:func:`_may_occur`); only a
    rule with such a day is walked, with UNTIL at the horizon."""
    rule = series.rule
    end = datetime(min(moment.year + HORIZON_YEARS, 9998), 12, 31, 23, 59, 59)
    if not _may_occur(series, moment.date(), end.date()):
        return None
    if counted and series.count is not None:  # COUNT ends the walk
        found = series.counted().after(moment)
        return found if found is not None and found <= end else None
    until = rule._until
    return rule.replace(until=end if until is None or until > end else until).after(moment)


def _may_occur(series: _Series, after: date, end: date) -> bool:
    """Whether a day in (``after``, ``end``] passes the rule's interval and day
    filters: every day it can produce (BYSETPOS only picks among them). Checked
    day by day from ``after`` on, so it ends at the next such day (a few steps)
    or, for a rule that never occurs, after the horizon's few thousand days.
    YEARLY rules are left to dateutil, for which a year is one step."""
    parts, start = series.parts, series.start
    freq = parts["FREQ"]
    if freq == "YEARLY":
        return True
    interval = int(parts.get("INTERVAL", "1"))
    months = {int(x) for x in parts["BYMONTH"].split(",")} if "BYMONTH" in parts else None
    month_days = {int(x) for x in parts["BYMONTHDAY"].split(",")} if "BYMONTHDAY" in parts else None
    weekdays: set[tuple[int, int | None]] | None = None
    if "BYDAY" in parts:
        weekdays = set()
        for item in parts["BYDAY"].split(","):
            sign, number, name = _BYDAY.fullmatch(item).groups()  # type: ignore[union-attr]
            weekdays.add((WEEKDAYS.index(name), int(sign + number) if number else None))
    elif freq == "WEEKLY":
        weekdays = {(start.weekday(), None)}
    if freq == "MONTHLY" and weekdays is None and month_days is None:
        month_days = {start.day}
    week_start = start - timedelta(
        days=(start.weekday() - WEEKDAYS.index(parts.get("WKST", "MO"))) % 7
    )

    def passes(day: date) -> bool:
        if freq == "DAILY" and (day - start).days % interval:
            return False
        if freq == "WEEKLY" and ((day - week_start).days // 7) % interval:
            return False
        if (
            freq == "MONTHLY"
            and ((day.year - start.year) * 12 + day.month - start.month) % interval
        ):
            return False
        if months is not None and day.month not in months:
            return False
        length = monthrange(day.year, day.month)[1]
        if month_days is not None and not {day.day, day.day - length - 1} & month_days:
            return False
        if weekdays is None:
            return True
        ordinals = {(day.day - 1) // 7 + 1, -((length - day.day) // 7 + 1), None}
        return any(w == day.weekday() and n in ordinals for w, n in weekdays)

    day = max(after, start - timedelta(days=1))
    while day < end:
        day += timedelta(days=1)
        if passes(day):
            return True
    return False


def validate(text: str, start: date, at: time | None = None, *, zone: str = DEFAULT_ZONE) -> str:
    """The normalized rule if it is valid and has an occurrence after ``start``
    (the first due date). The one check every rule text goes through."""
    series = _series(text, start, at, zone)
    until = series.rule._until
    if until is not None and until.date() < start:
        raise _refuse("das Enddatum liegt vor dem Beginn", "the end date is before the start")
    if (series.count is not None and series.count < 2) or _first_after(
        series, _day_end(start)
    ) is None:
        raise _refuse("keine weitere Fälligkeit", "no further occurrence")
    return normalize(text)


def next_occurrence(
    text: str,
    *,
    series_start: date,
    due: date,
    at: time | None,
    occurrence: int,
    from_completion: date | None = None,
    shift: str | None = None,
    zone: str = DEFAULT_ZONE,
) -> date | None:
    """The due date after occurrence number ``occurrence`` (1-based), or None at the end.

    Counted from the series (``due`` is the current occurrence) or, with
    ``from_completion``, from the completion date: the rule restarts there.
    Always on a later day than ``due`` (and the completion), never a second one
    on the same day. COUNT ends the series after occurrence number COUNT. With
    ``shift`` (a holiday region, see :mod:`.holidays_calendar`) a date on a
    weekend or public holiday moves to the next working day; the series goes on
    after the moved date. A stored rule from before sub-day parts were refused
    is read without them: its follow-up's time stands for them.
    """
    stored = join_rule({k: v for k, v in rule_parts(text).items() if k not in SUB_DAY_PARTS})
    series = _series(stored, from_completion or series_start, at, zone)
    if series.count is not None and occurrence >= series.count:
        return None
    nxt = _first_after(series, _day_end(from_completion or due))
    return shift_off_days_off(nxt.date(), shift) if nxt else None


# --- expanding a series ------------------------------------------------------------


def series_dates(
    text: str,
    *,
    series_start: date,
    due: date,
    at: time | None = None,
    occurrence: int = 1,
    from_completion: bool = False,
    shift: str | None = None,
    limit: int = 100,
    through: date | None = None,
    zone: str = DEFAULT_ZONE,
) -> list[date]:
    """The current due date and the following ones, as completing each
    occurrence on its due date would create them (at most ``limit``, none
    after ``through``). ``zone``: the series' time zone (a UTC UNTIL is read
    as that zone's wall time)."""
    dates: list[date] = []
    current: date | None = due
    number = occurrence
    while current is not None and len(dates) < limit:
        if through is not None and current > through:
            break
        dates.append(current)
        current = next_occurrence(
            text,
            series_start=series_start,
            due=current,
            at=at,
            occurrence=number,
            from_completion=current if from_completion else None,
            shift=shift,
            zone=zone,
        )
        number += 1
    return dates


def local_datetime(day: date, at: time, zone: str) -> datetime:
    """The aware instant of wall time ``at`` on ``day`` in ``zone``."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))
