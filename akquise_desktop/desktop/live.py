"""Hear what colleagues change: ``LISTEN`` on a connection of its own, in a
thread of its own (PostgreSQL only).

Every controller commit on PostgreSQL announces its change summary, ids only
(:mod:`akquise_desktop.core.announce`). :class:`Listener` keeps one
autocommit psycopg connection that listens on that channel — not the
database worker's, which stays free for the views' reads — and hands each
batch of announcements from other clients to ``on_summary`` as one merged
:class:`ChangeSummary` (on the listener's thread: the Qt adapter,
:mod:`akquise_desktop.ui.live`, carries it to the GUI thread).

When the connection is lost it reconnects with backoff (:data:`BACKOFF`);
once listening again it reports :meth:`ChangeSummary.everything`: what was
announced meanwhile is lost, so every view reloads. ``on_state`` hears
:class:`LiveState` changes. No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from akquise_desktop.core import announce
from akquise_desktop.core.changes import ChangeSummary

if TYPE_CHECKING:
    import psycopg

    from akquise_desktop.storage import Database

log = logging.getLogger(__name__)

# Seconds before each reconnect attempt; the last one repeats.
BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class LiveState(StrEnum):
    CONNECTING = "connecting"  # the first connect
    CONNECTED = "connected"  # listening
    RECONNECTING = "reconnecting"  # lost, trying again
    STOPPED = "stopped"


def connect_params(db: Database) -> dict[str, Any]:
    """psycopg's connect parameters for ``db`` (its URL, password included,
    and its libpq settings: connect timeout, keepalives …)."""
    _args, params = db.engine.dialect.create_connect_args(db.engine.url)
    params = {k: v for k, v in params.items() if k != "context"}
    if db.pg is not None:
        params.update(db.pg.connect_args)
    return params


class Listener:
    """One thread, one connection, ``LISTEN akquise_changes``.

    ``on_summary(summary)`` and ``on_state(state)`` are called on the
    listener's thread. Announcements sent by ``db`` itself (its
    :attr:`~Database.client_id`) are skipped.
    """

    def __init__(
        self,
        db: Database,
        on_summary: Callable[[ChangeSummary], None],
        on_state: Callable[[LiveState], None] | None = None,
        *,
        backoff: Sequence[float] = BACKOFF,
    ) -> None:
        self.params = connect_params(db)
        self.own_sender = db.client_id
        self.on_summary = on_summary
        self.on_state = on_state
        self.backoff = tuple(backoff)
        self.state = LiveState.STOPPED
        self.backend_pid: int | None = None  # the listening connection's server process
        self.reconnects = 0  # connections made again after a loss (tests, the log)
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None

    # --- control (any thread) --------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="akquise-live", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread and close its connection (waits at most ``timeout`` s)."""
        self._stop.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the live listener did not stop within %s s", timeout)
                return
        self._thread = None
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- the thread -------------------------------------------------------------------

    def _set_state(self, state: LiveState) -> None:
        if state != self.state:
            self.state = state
            if self.on_state is not None:
                self.on_state(state)

    def _run(self) -> None:
        import psycopg

        failures = 0
        connected_before = False
        self._set_state(LiveState.CONNECTING)
        while not self._stop.is_set():
            try:
                conn = psycopg.connect(autocommit=True, **self.params)
            except psycopg.Error as exc:
                log.info("live connection failed: %s", exc)
                conn = None
            if conn is not None:
                try:
                    conn.execute(f"LISTEN {announce.CHANNEL}")
                    self.backend_pid = conn.info.backend_pid
                    failures = 0
                    self._set_state(LiveState.CONNECTED)
                    if connected_before:
                        # What was announced while away is lost: everything anew.
                        self.reconnects += 1
                        self.on_summary(ChangeSummary.everything())
                    connected_before = True
                    self._listen(conn)
                except psycopg.Error as exc:
                    log.info("live connection lost: %s", exc)
                finally:
                    self.backend_pid = None
                    conn.close()
            if self._stop.is_set():
                break
            self._set_state(LiveState.RECONNECTING)
            delay = self.backoff[min(failures, len(self.backoff) - 1)]
            failures += 1
            self._sleep(delay)
        self._set_state(LiveState.STOPPED)

    def _sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less if stopped."""
        deadline = time.monotonic() + seconds
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            select.select([self._wake_r], [], [], left)

    def _listen(self, conn: psycopg.Connection) -> None:
        """Wait for announcements until stopped; raises when the connection is lost."""
        fd = conn.fileno()
        while not self._stop.is_set():
            readable, _w, _x = select.select([fd, self._wake_r], [], [])
            if fd not in readable:
                continue  # woken to stop
            # Everything that has arrived, as one batch (a burst: one summary).
            batch: ChangeSummary | None = None
            for notify in conn.notifies(timeout=0):
                found = announce.decode(notify.payload)
                if found is None or found.sender == self.own_sender:
                    continue
                batch = found.summary if batch is None else batch.merged(found.summary)
            if batch is not None:
                self.on_summary(batch)
