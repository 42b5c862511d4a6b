"""SQLite's WAL checkpoints off the writer's path.

In WAL mode a commit appends to the log; a checkpoint copies the log back into
the database file. SQLite runs it inside the commit that finds the log longer
than ``wal_autocheckpoint`` pages: every few dozen saves, one of them waited
for the copy and its fsync as well (measured: 5-7 ms for logging an activity,
20-25 ms for the one that checkpointed). Here a thread of its own, on its own
connection, checkpoints right after each write (``PASSIVE``: it waits for no
reader and blocks no writer). The log is then copied before the next save
begins, so that save starts the log afresh and never reaches the threshold.
Only a burst of writes faster than the copies (an import, the demo data)
still meets SQLite's own checkpoint, at its default threshold, which keeps the
log as short as before (a higher one let it grow to 40 MB during the demo
data: a burst never leaves the log fully copied, so it is never restarted).
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 1_000  # wal_autocheckpoint of the application's connections (SQLite's default)


class Checkpointer:
    """Checkpoints one SQLite database after each :meth:`nudge` (nudges during a
    checkpoint are served by one more); the thread starts with the first nudge."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.checkpoints = 0  # how many ran (for tests and the benchmark's notes)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def nudge(self) -> None:
        """Something was written: checkpoint soon."""
        if self._stop.is_set():
            return
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(
                        target=self._run, name="akquise-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the thread after a last checkpoint of what is written."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=10)

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:  # the writers' automatic checkpoint remains
            log.warning("WAL checkpoints in the foreground: %s", exc)
            return
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                self._checkpoint(connection)
                if self._stop.is_set():
                    return
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:  # busy or gone: the next write nudges again
            log.debug("WAL checkpoint skipped: %s", exc)
        else:
            self.checkpoints += 1
