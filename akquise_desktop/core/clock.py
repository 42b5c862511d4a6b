"""What "now" and "today" are: one injectable clock.

The controller, the read functions that need today and the views take a
:class:`Clock`; the real one (:data:`SYSTEM_CLOCK`) reads the system time.
Tests and the demo generator give a :class:`FixedClock` instead, so nothing
they check depends on the wall clock or on the machine's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo


def _tz(zone: str | tzinfo | None) -> tzinfo | None:
    if zone is None or isinstance(zone, tzinfo):
        return zone
    return ZoneInfo(zone)


class Clock:
    """The system time. ``local_zone``: the zone of :meth:`today` without an
    argument (None: the machine's zone, as the desktop shows it)."""

    def __init__(self, *, local_zone: str | tzinfo | None = None) -> None:
        self.local_zone = _tz(local_zone)

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC)

    def local_now(self, zone: str | tzinfo | None = None) -> datetime:
        """The current instant as wall time in ``zone`` (default: the local zone)."""
        tz = _tz(zone) or self.local_zone
        now = self.now()
        return now.astimezone(tz) if tz is not None else now.astimezone()

    def today(self, zone: str | tzinfo | None = None) -> date:
        """Today's date in ``zone`` (a name or tzinfo; default: the local zone)."""
        return self.local_now(zone).date()


SYSTEM_CLOCK = Clock()


class FixedClock(Clock):
    """A clock that stands still at ``at`` until it is set or advanced."""

    def __init__(self, at: datetime, *, local_zone: str | tzinfo | None = "Europe/Berlin") -> None:
        super().__init__(local_zone=local_zone)
        self.at = at
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a FixedClock needs an aware datetime")
        self.at = at.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)``; the new instant."""
        self.at += delta if delta is not None else timedelta(**parts)
        return self.at

    def now(self) -> datetime:
        return self.at

    @classmethod
    def on(
        cls, day: date, hour: int = 10, minute: int = 0, *, zone: str = "Europe/Berlin"
    ) -> FixedClock:
        """A clock at ``hour:minute`` wall time of ``day`` in ``zone`` (its local zone)."""
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
        return cls(local, local_zone=zone)
