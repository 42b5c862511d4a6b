"""Saving again once the database is back.

When the activity dialog's save fails because the database server cannot be
reached — the connect is refused or times out, the link breaks off, the server
stops answering — the input stays and the same save (the same
``client_key``: the controller writes it once, and returns the first save's
summary if that one did arrive) is sent again after a pause that grows with
each failure (:data:`BACKOFF_MS`, the last pause repeated). A refusal, a
constraint error or a time limit of the server is an answer, not a lost link:
it is shown, never retried.

:func:`unreachable` tells the two apart; :class:`SaveRetry` keeps the
schedule (a :class:`QTimer` with injectable pauses, so tests need not wait).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from akquise_desktop.core.errors import AkquiseError, DomainError, Rule

BACKOFF_MS: tuple[int, ...] = (1000, 2000, 4000, 8000, 16000, 30000)  # the last one repeats
TICK_MS = 1000  # the countdown's step

# SQLSTATEs of a server that is there but cannot take the connection yet:
# shutting down, crashed, starting up, too many connections.
_SERVER_GONE = {"57P01", "57P02", "57P03", "53300"}


def _link_failure(error: BaseException | None) -> bool:
    """Whether a driver error says the link to the server failed (no answer
    from the server itself: libpq's own errors carry no SQLSTATE; class 08 is
    "connection exception"). SQLite's errors never: a local file has no link."""
    import psycopg

    if not isinstance(error, psycopg.OperationalError):
        return False
    code = error.sqlstate
    return code is None or code.startswith("08") or code in _SERVER_GONE


def unreachable(exc: BaseException) -> bool:
    """Whether a failed save failed because the database could not be reached
    (worth the same save again later), not because it answered with a refusal."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, DomainError):
        # The reply deadline cut the connection (storage/postgres.py).
        return exc.rule is Rule.DB_NO_REPLY
    if isinstance(exc, AkquiseError):
        # A failed connect, translated by storage/postgres.py's error_translator
        # (raised from the driver's error).
        return _link_failure(exc.__cause__)
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        return isinstance(exc, OperationalError) and _link_failure(exc.orig)
    return isinstance(exc, ConnectionError | TimeoutError)


class SaveRetry(QObject):
    """When to send a save again: after each failure the next pause of
    ``backoff_ms``, counted down in steps of ``tick_ms``."""

    due = Signal()  # time for the next attempt
    tick = Signal(int)  # whole seconds until the next attempt

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        backoff_ms: Sequence[int] = BACKOFF_MS,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        if not backoff_ms or min(backoff_ms) < 0:
            raise ValueError("backoff_ms: at least one pause, none negative")
        self.backoff_ms = tuple(backoff_ms)
        self.failures = 0  # failed attempts since the last success or stop
        self.pauses: list[int] = []  # the pauses scheduled so far, in ms (tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # the countdown shows its seconds
        self._timer.timeout.connect(self._fire)
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._tick)

    @property
    def active(self) -> bool:
        """Between a failure and the success (or :meth:`stop`)."""
        return self.failures > 0

    @property
    def waiting(self) -> bool:
        """Counting down to the next attempt (not sending it)."""
        return self._timer.isActive()

    def next_pause_ms(self) -> int:
        return self.backoff_ms[min(self.failures, len(self.backoff_ms) - 1)]

    def failed(self) -> int:
        """One more failed attempt: the next one after the next pause (its ms)."""
        pause = self.next_pause_ms()
        self.failures += 1
        self.pauses.append(pause)
        self._timer.start(pause)
        self._ticker.start()
        self.tick.emit(self.seconds_left())
        return pause

    def seconds_left(self) -> int:
        if not self._timer.isActive():
            return 0
        return math.ceil(max(self._timer.remainingTime(), 0) / 1000)

    def now(self) -> None:
        """The next attempt at once ("Retry now"); nothing if none is waiting."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def stop(self) -> None:
        """No more attempts: the save succeeded, was refused, or was given up."""
        self._timer.stop()
        self._ticker.stop()
        self.failures = 0

    def _fire(self) -> None:
        self._ticker.stop()
        self.due.emit()

    def _tick(self) -> None:
        self.tick.emit(self.seconds_left())
