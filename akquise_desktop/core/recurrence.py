"""Recurring follow-ups: RFC 5545 RRULEs expanded on local wall time.

A series is an RRULE (without DTSTART) plus a local start date, a wall-clock
time and a time-zone name. Expansion happens on naive local datetimes, so a
09:00 follow-up stays at 09:00 across daylight-saving changes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from .errors import DomainError, Rule

ALLOWED_FREQ = {DAILY, MONTHLY, WEEKLY, YEARLY}
RULE_MAX = 500
_COUNT = re.compile(r"(^|;)COUNT=\d+", re.IGNORECASE)


def normalize(text: str) -> str:
    """Strip an ``RRULE:`` prefix and whitespace; upper-case."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    return rule.strip().upper()


def parse(text: str, start: date, at: time | None = None) -> rrule:
    """Parse and check a rule; raises ``DomainError(INVALID_RECURRENCE)``."""
    rule_text = normalize(text)
    if not rule_text:
        raise DomainError(Rule.INVALID_RECURRENCE, reason="leer / empty")
    if len(rule_text) > RULE_MAX:
        raise DomainError(Rule.INVALID_RECURRENCE, reason=f"> {RULE_MAX}")
    if any(k in rule_text for k in ("DTSTART", "\n", "EXDATE", "RDATE")):
        raise DomainError(Rule.INVALID_RECURRENCE, reason="nur eine RRULE / a single RRULE only")
    try:
        parsed = rrulestr(rule_text, dtstart=datetime.combine(start, at or time(0, 0)))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise DomainError(Rule.INVALID_RECURRENCE, reason=str(exc) or rule_text) from None
    if not isinstance(parsed, rrule) or parsed._freq not in ALLOWED_FREQ:
        raise DomainError(
            Rule.INVALID_RECURRENCE,
            reason="FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein / "
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
        )
    return parsed


def validate(text: str, start: date, at: time | None = None) -> str:
    """The normalized rule if it is valid and has an occurrence after ``start``."""
    parsed = parse(text, start, at)
    if parsed.after(datetime.combine(start, at or time(0, 0))) is None:
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
) -> date | None:
    """The due date after occurrence number ``occurrence`` (1-based), or None at the end.

    Counted from the series (``due`` is the current occurrence) or, with
    ``from_completion``, from the completion date: the rule restarts there, and
    a COUNT limit is honoured through ``occurrence``.
    """
    if from_completion is None:
        parsed = parse(text, series_start, at)
        nxt = parsed.after(datetime.combine(due, at or time(0, 0)))
        return nxt.date() if nxt else None
    rule_text = normalize(text)
    count = _count(rule_text)
    if count is not None and occurrence >= count:
        return None
    parsed = parse(_COUNT.sub("", rule_text).strip(";"), from_completion, at)
    nxt = parsed.after(datetime.combine(from_completion, at or time(0, 0)))
    return nxt.date() if nxt else None


def _count(rule_text: str) -> int | None:
    for part in rule_text.split(";"):
        key, _, value = part.partition("=")
        if key == "COUNT" and value.isdigit():
            return int(value)
    return None
