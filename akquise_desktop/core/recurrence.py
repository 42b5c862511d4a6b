"""Recurring follow-ups: RFC 5545 RRULEs expanded on local wall time.

A series is an RRULE (without DTSTART) plus a local start date, a wall-clock
time and a time-zone name. Expansion happens on naive local datetimes, so a
09:00 follow-up stays at 09:00 across daylight-saving changes.
"""

from __future__ import annotations

import datetime as _datetime_module
import re
import threading
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

import dateutil.rrule as _rrule_module
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from .errors import DomainError, Rule
from .holidays_calendar import shift_off_days_off

ALLOWED_FREQ = {DAILY, MONTHLY, WEEKLY, YEARLY}
RULE_MAX = 500
_COUNT = re.compile(r"(^|;)COUNT=\d+", re.IGNORECASE)


def normalize(text: str) -> str:
    """Strip an ``RRULE:`` prefix and whitespace; upper-case."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    return rule.strip().upper()


DEFAULT_ZONE = "Europe/Berlin"
_UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z")


def _until_to_wall_time(rule_text: str, zone: str) -> str:
    """RFC 5545 writes UNTIL in UTC when the start has a time zone; the series
    is expanded on local wall time, so UNTIL becomes wall time in ``zone``."""

    def local(match: re.Match[str]) -> str:
        moment = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + moment.astimezone(ZoneInfo(zone)).strftime("%Y%m%dT%H%M%S")

    return _UTC_UNTIL.sub(local, rule_text)


def parse(text: str, start: date, at: time | None = None, *, zone: str = DEFAULT_ZONE) -> rrule:
    """Parse and check a rule; raises ``DomainError(INVALID_RECURRENCE)``.

    ``zone``: the series' time zone (where a UTC UNTIL is converted to)."""
    rule_text = normalize(text)
    if not rule_text:
        raise DomainError(Rule.INVALID_RECURRENCE, reason="leer / empty")
    if len(rule_text) > RULE_MAX:
        raise DomainError(Rule.INVALID_RECURRENCE, reason=f"> {RULE_MAX}")
    if any(k in rule_text for k in ("DTSTART", "\n", "EXDATE", "RDATE")):
        raise DomainError(Rule.INVALID_RECURRENCE, reason="nur eine RRULE / a single RRULE only")
    try:
        parsed = rrulestr(
            _until_to_wall_time(rule_text, zone), dtstart=datetime.combine(start, at or time(0, 0))
        )
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason=f"„{rule_text}“ ist keine lesbare RRULE / is not a readable RRULE ({exc})",
        ) from None
    if not isinstance(parsed, rrule) or parsed._freq not in ALLOWED_FREQ:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein / "
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
        )
    if parsed._interval < 1:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="INTERVAL muss mindestens 1 sein / INTERVAL must be at least 1",
        )
    if parsed._count is not None and parsed._until is not None:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="COUNT und UNTIL schließen sich aus / COUNT and UNTIL exclude each other",
        )
    return parsed


# How far ahead a next occurrence is searched: a rule whose next date lies
# further away, or that never occurs at all (the 30th of February, a weekday an
# INTERVAL never lands on), counts as having none.
HORIZON_YEARS = 10
_SEARCH_LOCK = threading.Lock()


class _BoundedDatetime(types.ModuleType):
    """The ``datetime`` module as dateutil's rrule sees it, with MAXYEAR lowered.

    dateutil checks UNTIL only against dates that match the rule, so a rule
    that never matches is iterated period by period up to the year 9999
    (seconds to minutes for a daily rule). Its only other stop is
    ``datetime.MAXYEAR``, which this proxy lowers for the duration of a search.
    """

    def __init__(self, maxyear: int) -> None:
        super().__init__("datetime")
        self.MAXYEAR = maxyear

    def __getattr__(self, name: str):
        return getattr(_datetime_module, name)


def after(parsed: rrule, moment: datetime) -> datetime | None:
    """The first occurrence strictly after ``moment`` within the horizon, or None."""
    horizon = moment.year + HORIZON_YEARS
    with _SEARCH_LOCK:
        _rrule_module.datetime = _BoundedDatetime(horizon)  # type: ignore[attr-defined]
        try:
            found = parsed.after(moment)
        except ValueError:
            return None
        finally:
            _rrule_module.datetime = _datetime_module  # type: ignore[attr-defined]
    return found if found is not None and found.year <= horizon else None


def validate(text: str, start: date, at: time | None = None, *, zone: str = DEFAULT_ZONE) -> str:
    """The normalized rule if it is valid and has an occurrence after ``start``."""
    parsed = parse(text, start, at, zone=zone)
    if after(parsed, datetime.combine(start, at or time(0, 0))) is None:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="keine weitere Fälligkeit / no further occurrence",
        )
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
    ``from_completion``, from the completion date: the rule restarts there, and
    a COUNT limit is honoured through ``occurrence``. With ``shift`` (a holiday
    region, see :mod:`.holidays_calendar`) a date on a weekend or public holiday
    moves to the next working day; the series goes on after the moved date.
    """
    if from_completion is None:
        parsed = parse(text, series_start, at, zone=zone)
        nxt = after(parsed, datetime.combine(due, at or time(0, 0)))
        return _shifted(nxt.date(), shift) if nxt else None
    rule_text = normalize(text)
    count = _count(rule_text)
    if count is not None and occurrence >= count:
        return None
    parsed = parse(_COUNT.sub("", rule_text).strip(";"), from_completion, at, zone=zone)
    nxt = after(parsed, datetime.combine(from_completion, at or time(0, 0)))
    return _shifted(nxt.date(), shift) if nxt else None


def _shifted(day: date, shift: str | None) -> date:
    return shift_off_days_off(day, shift)


def _count(rule_text: str) -> int | None:
    for part in rule_text.split(";"):
        key, _, value = part.partition("=")
        if key == "COUNT" and value.isdigit():
            return int(value)
    return None


# --- presets (the recurrence dialog) -----------------------------------------------


class Preset(StrEnum):
    """The choices of the recurrence dialog; CUSTOM takes any RRULE."""

    DAILY = "daily"
    WEEKLY = "weekly"  # on a weekday
    EVERY_N_WEEKS = "every_n_weeks"  # on a weekday
    MONTHLY_DAY = "monthly_day"  # on day N (the last day in shorter months)
    MONTHLY_LAST_WEEKDAY = "monthly_last_weekday"  # e.g. the last Friday
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    CUSTOM = "custom"


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
INTERVAL_MAX = 999
COUNT_MAX = 9_999
FRIDAY = 4


@dataclass(frozen=True)
class RecurrenceSpec:
    """A recurrence as the dialog describes it.

    ``interval``: every n days (DAILY), weeks (EVERY_N_WEEKS, at least 2) or
    months (MONTHLY_DAY). ``weekday`` (0 = Monday) for the weekly presets and
    MONTHLY_LAST_WEEKDAY, ``month_day`` (1-31) for MONTHLY_DAY; both default to
    the first due date's (Friday for MONTHLY_LAST_WEEKDAY). The series ends
    after ``count`` occurrences (the first included) or on ``until``, or never.
    """

    preset: Preset
    interval: int = 1
    weekday: int | None = None
    month_day: int | None = None
    count: int | None = None
    until: date | None = None
    custom: str | None = None


def _refuse(de: str, en: str) -> DomainError:
    return DomainError(Rule.INVALID_RECURRENCE, reason=f"{de} / {en}")


def _month_day_part(day: int) -> str:
    """Day ``day`` of every month, or the month's last day where it is shorter."""
    if day <= 28:
        return f"BYMONTHDAY={day}"
    if day >= 31:
        return "BYMONTHDAY=-1"
    days = ",".join(str(d) for d in range(28, day + 1))
    return f"BYMONTHDAY={days};BYSETPOS=-1"


def _core_rule(spec: RecurrenceSpec, start: date) -> str:
    preset = Preset(spec.preset)
    interval = spec.interval
    if not 1 <= interval <= INTERVAL_MAX:
        raise _refuse(
            f"Intervall {interval} nicht zwischen 1 und {INTERVAL_MAX}",
            f"interval {interval} not between 1 and {INTERVAL_MAX}",
        )
    weekday = spec.weekday
    if weekday is None:
        weekday = FRIDAY if preset is Preset.MONTHLY_LAST_WEEKDAY else start.weekday()
    if not 0 <= weekday <= 6:
        raise _refuse(f"Wochentag {weekday} ungültig", f"invalid weekday {weekday}")
    month_day = spec.month_day if spec.month_day is not None else start.day
    if not 1 <= month_day <= 31:
        raise _refuse(f"Monatstag {month_day} ungültig", f"invalid day of month {month_day}")
    byday = WEEKDAYS[weekday]
    if preset is Preset.DAILY:
        return "FREQ=DAILY" + (f";INTERVAL={interval}" if interval > 1 else "")
    if preset is Preset.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={byday}"
    if preset is Preset.EVERY_N_WEEKS:
        if interval < 2:
            raise _refuse("„alle N Wochen“ braucht N ≥ 2", "“every N weeks” needs N ≥ 2")
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={byday}"
    if preset is Preset.MONTHLY_DAY:
        every = f";INTERVAL={interval}" if interval > 1 else ""
        return f"FREQ=MONTHLY{every};{_month_day_part(month_day)}"
    if preset is Preset.MONTHLY_LAST_WEEKDAY:
        return f"FREQ=MONTHLY;BYDAY=-1{byday}"
    if preset is Preset.QUARTERLY:
        return f"FREQ=MONTHLY;INTERVAL=3;{_month_day_part(start.day)}"
    if preset is Preset.HALF_YEARLY:
        return f"FREQ=MONTHLY;INTERVAL=6;{_month_day_part(start.day)}"
    if preset is Preset.YEARLY:
        if start.month == 2 and start.day == 29:
            return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"
        return f"FREQ=YEARLY;BYMONTH={start.month};BYMONTHDAY={start.day}"
    return normalize(spec.custom or "")  # checked by build_rule


def rule_parts(rule_text: str) -> dict[str, str]:
    """``"FREQ=WEEKLY;BYDAY=MO"`` → ``{"FREQ": "WEEKLY", "BYDAY": "MO"}`` (normalized)."""
    parts: dict[str, str] = {}
    for part in normalize(rule_text).split(";"):
        key, _, value = part.partition("=")
        if key:
            parts[key] = value
    return parts


def join_rule(parts: dict[str, str]) -> str:
    """The inverse of :func:`rule_parts`."""
    return ";".join(f"{k}={v}" for k, v in parts.items())


def build_rule(spec: RecurrenceSpec, start: date, at: time | None = None) -> str:
    """The RRULE text for ``spec``, the series starting on ``start`` (at ``at``).

    Refuses (``DomainError(INVALID_RECURRENCE)``) a broken rule, COUNT together
    with UNTIL, an end before the first repetition, and a rule with no
    occurrence after ``start``.
    """
    parts = rule_parts(_core_rule(spec, start))
    if spec.count is not None and spec.until is not None:
        raise _refuse(
            "entweder Anzahl oder Enddatum, nicht beides", "either a count or an end date, not both"
        )
    has_end = spec.count is not None or spec.until is not None
    if has_end and ("COUNT" in parts or "UNTIL" in parts):
        raise _refuse("die Regel hat schon ein Ende", "the rule already has an end")
    if spec.count is not None:
        if not 2 <= spec.count <= COUNT_MAX:
            raise _refuse(
                f"Anzahl {spec.count} nicht zwischen 2 und {COUNT_MAX}",
                f"count {spec.count} not between 2 and {COUNT_MAX}",
            )
        parts["COUNT"] = str(spec.count)
    if spec.until is not None:
        # Local wall time, like DTSTART: the whole end day is included.
        parts["UNTIL"] = spec.until.strftime("%Y%m%d") + "T235959"
    return check_rule(join_rule(parts), start, at)


def check_rule(text: str, start: date, at: time | None = None) -> str:
    """:func:`validate` plus the checks :func:`parse` leaves out: COUNT and
    UNTIL together, a UTC UNTIL (the series is on local wall time)."""
    parts = rule_parts(text)
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse(
            "COUNT und UNTIL schließen sich aus", "COUNT and UNTIL are mutually exclusive"
        )
    until = parts.get("UNTIL", "")
    if until.endswith("Z"):
        raise _refuse("UNTIL in Ortszeit ohne „Z“ angeben", "give UNTIL in local time, without “Z”")
    if until:
        end = parse(text, start, at)._until
        if end is not None and end.date() < start:
            raise _refuse("das Enddatum liegt vor dem Beginn", "the end date is before the start")
    return validate(text, start, at)


def spec_from_rule(text: str, start: date) -> RecurrenceSpec:
    """The dialog's view of a stored rule: a preset where one fits, else CUSTOM."""
    parts = rule_parts(text)
    count = int(parts.pop("COUNT")) if parts.get("COUNT", "").isdigit() else None
    until_text = parts.pop("UNTIL", None)
    until = None
    if until_text:
        until = date(int(until_text[:4]), int(until_text[4:6]), int(until_text[6:8]))
    end = {"count": count, "until": until}
    freq = parts.pop("FREQ", "")
    interval_text = parts.pop("INTERVAL", "1")
    interval = int(interval_text) if interval_text.isdigit() else 0
    custom = RecurrenceSpec(Preset.CUSTOM, custom=join_rule({"FREQ": freq, **rule_parts(text)}))
    byday = parts.get("BYDAY", "")
    month_day = _month_day_of(parts)
    if freq == "DAILY" and not parts:
        return RecurrenceSpec(Preset.DAILY, interval=interval, **end)
    if freq == "WEEKLY" and set(parts) == {"BYDAY"} and byday in WEEKDAYS:
        weekday = WEEKDAYS.index(byday)
        if interval == 1:
            return RecurrenceSpec(Preset.WEEKLY, weekday=weekday, **end)
        return RecurrenceSpec(Preset.EVERY_N_WEEKS, interval=interval, weekday=weekday, **end)
    if freq == "MONTHLY" and month_day is not None:
        if interval == 3 and month_day == _clamped_start_day(start):
            return RecurrenceSpec(Preset.QUARTERLY, **end)
        if interval == 6 and month_day == _clamped_start_day(start):
            return RecurrenceSpec(Preset.HALF_YEARLY, **end)
        return RecurrenceSpec(Preset.MONTHLY_DAY, interval=interval, month_day=month_day, **end)
    if (
        freq == "MONTHLY"
        and interval == 1
        and set(parts) == {"BYDAY"}
        and byday.startswith("-1")
        and byday[2:] in WEEKDAYS
    ):
        return RecurrenceSpec(Preset.MONTHLY_LAST_WEEKDAY, weekday=WEEKDAYS.index(byday[2:]), **end)
    if freq == "YEARLY" and interval == 1:
        leap = {"BYMONTH": "2", "BYMONTHDAY": "28,29", "BYSETPOS": "-1"}
        if parts == leap or parts == {
            "BYMONTH": str(start.month),
            "BYMONTHDAY": str(start.day),
        }:
            return RecurrenceSpec(Preset.YEARLY, **end)
    return custom


def _clamped_start_day(start: date) -> int:
    return 31 if start.day >= 31 else start.day


def _month_day_of(parts: dict[str, str]) -> int | None:
    """N of a "day N of the month" rule part (as :func:`_month_day_part` writes it)."""
    day = parts.get("BYMONTHDAY")
    rest = set(parts) - {"BYMONTHDAY", "BYSETPOS"}
    if day is None or rest:
        return None
    if day == "-1" and "BYSETPOS" not in parts:
        return 31
    if day.isdigit() and "BYSETPOS" not in parts and 1 <= int(day) <= 28:
        return int(day)
    days = day.split(",")
    if parts.get("BYSETPOS") == "-1" and days[0] == "28" and len(days) in (2, 3):
        expected = [str(d) for d in range(28, 28 + len(days))]
        if days == expected:
            return int(days[-1])
    return None


def describe(text: str, start: date, lang: str = "de") -> str:
    """A short readable description of a rule, e.g. "wöchentlich am Montag"."""
    spec = spec_from_rule(text, start)
    de = lang == "de"
    day_name = WEEKDAY_NAMES["de" if de else "en"]
    wd = day_name[spec.weekday] if spec.weekday is not None else ""
    n = spec.interval
    if spec.preset is Preset.DAILY:
        core = (
            ("täglich" if de else "daily")
            if n == 1
            else (f"alle {n} Tage" if de else f"every {n} days")
        )
    elif spec.preset is Preset.WEEKLY:
        core = f"wöchentlich am {wd}" if de else f"weekly on {wd}"
    elif spec.preset is Preset.EVERY_N_WEEKS:
        core = f"alle {n} Wochen am {wd}" if de else f"every {n} weeks on {wd}"
    elif spec.preset is Preset.MONTHLY_DAY:
        day = (
            ("am Monatsletzten" if de else "on the last day")
            if spec.month_day == 31
            else (f"am {spec.month_day}." if de else f"on day {spec.month_day}")
        )
        every = (
            ("monatlich" if de else "monthly")
            if n == 1
            else (f"alle {n} Monate" if de else f"every {n} months")
        )
        core = f"{every} {day}"
    elif spec.preset is Preset.MONTHLY_LAST_WEEKDAY:
        core = f"monatlich am letzten {wd}" if de else f"monthly on the last {wd}"
    elif spec.preset is Preset.QUARTERLY:
        core = "vierteljährlich" if de else "quarterly"
    elif spec.preset is Preset.HALF_YEARLY:
        core = "halbjährlich" if de else "half-yearly"
    elif spec.preset is Preset.YEARLY:
        core = "jährlich" if de else "yearly"
    else:
        core = f"RRULE:{normalize(text)}"
        return core
    if spec.count is not None:
        core += f", {spec.count}-mal" if de else f", {spec.count} times"
    elif spec.until is not None:
        core += f" bis {spec.until:%d.%m.%Y}" if de else f" until {spec.until.isoformat()}"
    return core


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
