"""The recurrence dialog's presets: a :class:`RecurrenceSpec` built into an
RRULE (:func:`build_rule`), read back from one (:func:`spec_from_rule`), and
described in words (:func:`describe`). Every rule built here passes the one
check of :mod:`.rules`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import TypedDict

from ..errors import DomainError
from .rules import (
    COUNT_MAX,
    DEFAULT_ZONE,
    INTERVAL_MAX,
    WEEKDAYS,
    _refuse,
    _until_moment,
    check_parts,
    join_rule,
    normalize,
    rule_parts,
    validate,
)


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


WEEKDAY_NAMES = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
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


def build_rule(
    spec: RecurrenceSpec, start: date, at: time | None = None, *, zone: str = DEFAULT_ZONE
) -> str:
    """The RRULE text for ``spec``, the series starting on ``start`` (at ``at``,
    in ``zone``).

    Refuses (``DomainError(INVALID_RECURRENCE)``) what :func:`validate`
    refuses, a count together with an end date, and an end added to a custom
    rule that has one already.
    """
    if spec.custom is not None and Preset(spec.preset) is Preset.CUSTOM:
        check_parts(spec.custom)  # a repeated part must not vanish into the dict below
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
    return validate(join_rule(parts), start, at, zone=zone)


class _End(TypedDict):
    """How a series ends, as :class:`RecurrenceSpec` keywords."""

    count: int | None
    until: date | None


def spec_from_rule(text: str, start: date, *, zone: str = DEFAULT_ZONE) -> RecurrenceSpec:
    """The dialog's view of a stored rule: a preset where one fits, else CUSTOM.
    ``zone``: the series' zone (the end day of a UTC UNTIL is taken there)."""
    parts = rule_parts(text)
    count = int(parts.pop("COUNT")) if parts.get("COUNT", "").isdigit() else None
    until_text = parts.pop("UNTIL", None)
    until = None
    if until_text:
        try:
            until = _until_moment(until_text, zone).date()
        except DomainError:
            until = None
    end: _End = {"count": count, "until": until}
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


def describe(text: str, start: date, lang: str = "de", *, zone: str = DEFAULT_ZONE) -> str:
    """A short readable description of a rule, e.g. "wöchentlich am Montag"
    (an end day in the series' ``zone``)."""
    spec = spec_from_rule(text, start, zone=zone)
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
