"""Working days: weekends and the public holidays of a region.

A region is an ISO 3166 code with an optional subdivision, e.g. ``"DE"`` or
``"DE-NW"`` (North Rhine-Westphalia); the holidays come from the ``holidays``
package. :data:`WEEKENDS_ONLY` is the pseudo region "weekends, no holidays".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .errors import DomainError, Rule

WEEKENDS_ONLY = "WEEKENDS"
MONDAY_TO_FRIDAY = frozenset(range(5))
REGION_MAX = 20
# A working day is always found within this many days (guards endless loops
# on a calendar whose every day is a holiday, which no real one is).
MAX_SEARCH_DAYS = 366


def _invalid(region: str) -> DomainError:
    return DomainError(
        Rule.INVALID_VALUE,
        value=region or "—",
        field_de="Feiertagsregion (z. B. DE-NW)",
        field_en="holiday region (e.g. DE-NW)",
    )


def normalize_region(region: str) -> str:
    """``"de-nw"`` → ``"DE-NW"``; refuses an unknown country or subdivision."""
    text = (region or "").strip().upper().replace("_", "-")
    if text == WEEKENDS_ONLY:
        return text
    if not text or len(text) > REGION_MAX:
        raise _invalid(region)
    country, _, subdiv = text.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise _invalid(region)
    if subdiv and subdiv not in {s.upper() for s in supported[country]}:
        raise _invalid(region)
    return text


@lru_cache(maxsize=32)
def _holidays(region: str) -> holidays.HolidayBase | None:
    if region == WEEKENDS_ONLY:
        return None
    country, _, subdiv = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdiv or None, language="de")


@dataclass(frozen=True)
class WorkCalendar:
    """Days off: those not in ``weekdays`` (default: Saturday, Sunday) and the
    holidays of ``region``."""

    region: str = WEEKENDS_ONLY
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY  # Python weekdays, Monday = 0
    _days: holidays.HolidayBase | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        region = normalize_region(self.region)
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "_days", _holidays(region))
        weekdays = frozenset(d for d in self.weekdays if 0 <= d <= 6)
        object.__setattr__(self, "weekdays", weekdays or MONDAY_TO_FRIDAY)

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on ``day`` (German), or None."""
        if self._days is None:
            return None
        return self._days.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and self.holiday_name(day) is None

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        for offset in range(MAX_SEARCH_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise _invalid(self.region)  # pragma: no cover - no real calendar gets here

    def working_days(self, start: date) -> Iterator[date]:
        """Working days from ``start`` on (endless)."""
        day = self.next_working_day(start)
        while True:
            yield day
            day = self.next_working_day(day + timedelta(days=1))


def shift_off_days_off(day: date, region: str | None) -> date:
    """Move ``day`` forward to the next working day; unchanged without a region."""
    if not region:
        return day
    return WorkCalendar(region).next_working_day(day)
