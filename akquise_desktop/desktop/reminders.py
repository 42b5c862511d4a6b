"""Tray reminders, the logic without Qt: which follow-ups have fallen due since
the last look, how they are put into one message, how often a message may
come, when to look again, and what a snooze moves a follow-up to.

Everything takes "now" as an argument (an aware instant from the injectable
clock) and the user's local zone, so the tests pin both.

When a follow-up falls due
    With a due time: at that wall time in the follow-up's own zone (the
    assignee's zone when it was set, ``follow_up.time_zone``) — 14:00 Berlin
    stays 14:00 Berlin when the user travels. Without one: at the start of its
    due day in the user's current zone, the day the follow-up list counts it
    as "today".

What is announced
    Every follow-up once per due moment: one that is snoozed (a new due date
    or time) is announced again when it falls due again; a change of zone, a
    sleep or a restart of the check does not repeat it. Several at once go into
    one message, time-critical ones first, then high, then by due moment.

Rate limit
    At most one message per :data:`MIN_GAP`. What falls due in between waits
    and comes, grouped, in the next message — if it is still open then (the
    database is asked again: what was done meanwhile is not announced).

When to look again (:meth:`Reminders.next_check`)
    The earliest of: the next follow-up in the window falling due, the next
    local midnight (today's date-only follow-ups, the count), the end of the
    rate limit when something waits, and :data:`POLL` at the latest (a
    colleague's assignment while the change bus does not carry it yet).
    A timer set for that moment does not fire on time after a sleep (Qt's
    timers run on a monotonic clock, which stands still while the machine
    sleeps), so the tray also ticks every :data:`TICK` and asks
    :meth:`Reminders.tick` whether to look now: the planned moment has passed
    on the wall clock, the wall clock jumped (a sleep, or the clock was set),
    or the local zone changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from akquise_desktop.queries.reminders import DueCheck, DueFollowUp

MIN_GAP = timedelta(minutes=2)  # between two messages
POLL = timedelta(minutes=5)  # look at least this often
TICK = timedelta(seconds=30)  # the heartbeat that notices sleep and zone changes
JUMP = timedelta(minutes=2)  # a heartbeat this late (or early): the wall clock jumped
WINDOW_BEFORE = timedelta(days=1)  # the window reaches back before the last look …
WINDOW_AFTER = timedelta(days=1)  # … and forward beyond today (zones ahead of the user's)

TIME_CRITICAL = 2
HIGH = 1


def zone_of(name: str, fallback: tzinfo) -> tzinfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def due_at(fu: DueFollowUp, local_zone: tzinfo) -> datetime:
    """The instant (UTC) at which ``fu`` falls due, see the module's docstring."""
    if fu.due_time is None:
        moment = datetime.combine(fu.due_date, time(0, 0), local_zone)
    else:
        moment = datetime.combine(fu.due_date, fu.due_time, zone_of(fu.time_zone, local_zone))
    return moment.astimezone(UTC)


def urgency(fu: DueFollowUp, local_zone: tzinfo) -> tuple[int, datetime, int]:
    """The order within a message: time-critical first, then high, then by due moment."""
    return (-fu.priority, due_at(fu, local_zone), fu.id)


def zone_key(now: datetime, zone: tzinfo) -> tuple[str, timedelta | None]:
    """What identifies the local zone (a fixed-offset zone of the system has no
    name of its own: its offset tells a change)."""
    return (str(zone), now.astimezone(zone).utcoffset())


def next_midnight(now: datetime, zone: tzinfo) -> datetime:
    local = now.astimezone(zone)
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0, 0), zone).astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """What to ask the database: the count seen from ``today``, the follow-ups
    due between ``since`` and ``until``."""

    today: date
    since: date
    until: date


@dataclass(frozen=True)
class Reminder:
    """One message: the follow-ups that fell due, most urgent first; ``total``
    is the number due or overdue in all."""

    items: tuple[DueFollowUp, ...]
    total: int

    @property
    def first(self) -> DueFollowUp:
        return self.items[0]

    @property
    def time_critical(self) -> bool:
        return any(fu.priority >= TIME_CRITICAL for fu in self.items)


@dataclass(frozen=True)
class CheckResult:
    count: int  # due or overdue: the tray's badge
    reminder: Reminder | None  # a message to show now
    waiting: int  # fallen due but held back by the rate limit
    next_check: datetime


class Why(StrEnum):
    """Why :meth:`Reminders.tick` asks for a look now."""

    FIRST = "first"
    PLANNED = "planned"
    JUMP = "jump"  # a sleep, or the wall clock was set
    ZONE = "zone"


def _announce_key(fu: DueFollowUp) -> tuple[int, date, time | None]:
    return (fu.id, fu.due_date, fu.due_time)


class Reminders:
    """The state of the tray's reminders between two looks at the database."""

    def __init__(
        self,
        *,
        min_gap: timedelta = MIN_GAP,
        poll: timedelta = POLL,
        jump: timedelta = JUMP,
        tick: timedelta = TICK,
    ) -> None:
        self.min_gap = min_gap
        self.poll = poll
        self.jump = jump
        self.tick_interval = tick
        self.last_check: datetime | None = None
        self.last_message: datetime | None = None
        self.planned: datetime | None = None
        self.last_tick: datetime | None = None
        self.last_zone: tuple[str, timedelta | None] | None = None
        self.announced: set[tuple[int, date, time | None]] = set()
        self.count = 0

    # --- when to look -----------------------------------------------------------------

    def tick(self, now: datetime, zone: tzinfo) -> Why | None:
        """The heartbeat: whether to look at the database now, and why."""
        previous, self.last_tick = self.last_tick, now
        key = zone_key(now, zone)
        zone_changed = self.last_zone is not None and key != self.last_zone
        self.last_zone = key
        if self.last_check is None:
            return Why.FIRST
        if zone_changed:
            return Why.ZONE
        if previous is not None:
            gap = now - previous
            if gap > self.tick_interval + self.jump or gap < -self.jump:
                return Why.JUMP
        if self.planned is not None and now >= self.planned:
            return Why.PLANNED
        return None

    def window(self, now: datetime, zone: tzinfo) -> Window:
        """The dates to ask about at ``now``: back to the day before the last
        look (everything that may have fallen due since, also across a sleep),
        forward to tomorrow."""
        today = now.astimezone(zone).date()
        start = self.last_check if self.last_check is not None and self.last_check < now else now
        since = start.astimezone(zone).date() - WINDOW_BEFORE
        return Window(today, since, today + WINDOW_AFTER)

    # --- a look -----------------------------------------------------------------------

    def check(self, found: DueCheck, now: datetime, zone: tzinfo) -> CheckResult:
        """Take the database's answer at ``now``: what to announce and when to
        look again."""
        self.last_check = now
        self.last_zone = zone_key(now, zone)
        self.count = found.count
        fallen = [
            fu
            for fu in found.window
            if due_at(fu, zone) <= now and _announce_key(fu) not in self.announced
        ]
        # Forget what is no longer open in the window (done, cancelled, moved away).
        present = {_announce_key(fu) for fu in found.window}
        self.announced &= present
        reminder = None
        waiting = 0
        limited = self.last_message is not None and now - self.last_message < self.min_gap
        if fallen and limited:
            waiting = len(fallen)
        elif fallen:
            fallen.sort(key=lambda fu: urgency(fu, zone))
            reminder = Reminder(tuple(fallen), max(found.count, len(fallen)))
            self.announced |= {_announce_key(fu) for fu in fallen}
            self.last_message = now
        self.planned = self._next(found, now, zone, waiting=bool(waiting))
        return CheckResult(found.count, reminder, waiting, self.planned)

    def _next(self, found: DueCheck, now: datetime, zone: tzinfo, *, waiting: bool) -> datetime:
        candidates = [now + self.poll, next_midnight(now, zone)]
        upcoming = [at for fu in found.window if (at := due_at(fu, zone)) > now]
        if upcoming:
            candidates.append(min(upcoming))
        if waiting and self.last_message is not None:
            candidates.append(self.last_message + self.min_gap)
        return min(candidates)

    def next_check(self) -> datetime | None:
        return self.planned


# --- snooze ---------------------------------------------------------------------------


class Snooze(StrEnum):
    MINUTES_15 = "15min"
    HOUR = "1h"
    TOMORROW = "tomorrow"


def snooze_target(
    fu: DueFollowUp, choice: Snooze, now: datetime, local_zone: tzinfo
) -> tuple[date, time | None]:
    """The new due date and time of ``fu`` snoozed at ``now``: 15 minutes or an
    hour from now (a due time, in the follow-up's zone, to the minute), or
    tomorrow (at its due time if it had one, else the whole day)."""
    zone = zone_of(fu.time_zone, local_zone)
    local = now.astimezone(zone)
    if choice is Snooze.TOMORROW:
        return local.date() + timedelta(days=1), fu.due_time
    delta = timedelta(minutes=15) if choice is Snooze.MINUTES_15 else timedelta(hours=1)
    later = (now + delta).astimezone(zone)  # elapsed time, also across a DST change
    if later.second or later.microsecond:
        later = later.replace(second=0, microsecond=0) + timedelta(minutes=1)  # never earlier
    return later.date(), later.time().replace(tzinfo=None)
