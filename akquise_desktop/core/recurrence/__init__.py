"""Recurring follow-ups: RFC 5545 RRULEs expanded on local wall time.

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

:mod:`.rules` checks a rule and expands a series; :mod:`.presets` holds the
recurrence dialog's presets (build a rule, read it back, describe it).
"""

from .presets import (
    FRIDAY,
    WEEKDAY_NAMES,
    Preset,
    RecurrenceSpec,
    build_rule,
    describe,
    spec_from_rule,
)
from .rules import (
    COUNT_MAX,
    DEFAULT_ZONE,
    FREQUENCIES,
    HORIZON_YEARS,
    INTERVAL_MAX,
    NOT_A_RULE,
    PARTS,
    RULE_MAX,
    SUB_DAY_FREQUENCIES,
    SUB_DAY_PARTS,
    WEEKDAYS,
    check_parts,
    first_after,
    join_rule,
    local_datetime,
    next_occurrence,
    normalize,
    parse,
    rule_parts,
    series_dates,
    validate,
)

__all__ = [
    "COUNT_MAX",
    "DEFAULT_ZONE",
    "FREQUENCIES",
    "FRIDAY",
    "HORIZON_YEARS",
    "INTERVAL_MAX",
    "NOT_A_RULE",
    "PARTS",
    "RULE_MAX",
    "SUB_DAY_FREQUENCIES",
    "SUB_DAY_PARTS",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "Preset",
    "RecurrenceSpec",
    "build_rule",
    "check_parts",
    "describe",
    "first_after",
    "join_rule",
    "local_datetime",
    "next_occurrence",
    "normalize",
    "parse",
    "rule_parts",
    "series_dates",
    "spec_from_rule",
    "validate",
]
