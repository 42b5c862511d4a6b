"""One database worker thread; results and errors come back by signal.

All database work of the GUI runs here, one job after the other (which suits
SQLite's single writer). The GUI thread never waits on the database. Tests
use :class:`SyncWorker`, which runs each job at once on the calling thread,
so widget tests stay deterministic without sleeps.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, QTimer, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Runner(QObject):
    """Lives in the worker thread and runs jobs there."""

    finished = Signal(int, object, object)  # job id, result, error

    @Slot(int, object)
    def run(self, job_id: int, job: Job) -> None:
        try:
            result = job()
        except BaseException as exc:  # delivered to the GUI, never lost
            if not isinstance(exc, Exception):
                raise
            log.debug("job %s failed:\n%s", job_id, traceback.format_exc())
            self.finished.emit(job_id, None, exc)
        else:
            self.finished.emit(job_id, result, None)


class DbWorker(QObject):
    """Submit callables to run on the one database thread.

    ``busy_changed(bool)`` fires when work has been pending for longer than
    ``busy_delay_ms`` (so a progress indicator appears only for slow work)
    and when all work is done.
    """

    _submit = Signal(int, object)
    busy_changed = Signal(bool)
    idle = Signal()  # the last pending job's result has been delivered

    def __init__(self, parent: QObject | None = None, *, busy_delay_ms: int = 300) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("akquise-db")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._ids = itertools.count(1)
        self._busy_timer = QTimer(self, singleShot=True, interval=busy_delay_ms)
        self._busy_timer.timeout.connect(lambda: self.busy_changed.emit(True))
        self._thread.start()

    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        if not self._busy_timer.isActive() and len(self._callbacks) == 1:
            self._busy_timer.start()
        self._submit.emit(job_id, job)
        return job_id

    def cancel_callbacks(self, job_id: int) -> None:
        """Forget the callbacks of a job whose result is no longer wanted."""
        if job_id in self._callbacks:
            self._callbacks[job_id] = (None, None)

    @Slot(int, object, object)
    def _on_finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        if not self._callbacks:
            if self._busy_timer.isActive():
                self._busy_timer.stop()
            else:
                self.busy_changed.emit(False)
        if error is not None:
            if on_error is not None and _alive(on_error):
                on_error(error)
            elif on_error is None:
                log.error("unhandled database error: %s", error)
        elif on_done is not None and _alive(on_done):
            on_done(result)
        if not self._callbacks:
            self.idle.emit()

    def pending(self) -> int:
        return len(self._callbacks)

    def shutdown(self, *, drain_seconds: float = 15.0) -> None:
        """Let queued jobs finish and deliver their results (a save the user
        just made must not be lost), then stop the thread."""
        deadline = time.monotonic() + drain_seconds
        while self._callbacks and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        self._thread.quit()
        self._thread.wait(5000)


def _alive(callback: Callable[..., Any]) -> bool:
    """False for a method of a widget (QObject) deleted while its job ran: the
    answer has nobody to go to (a closed window, a view rebuilt)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class SyncWorker(QObject):
    """Same interface as :class:`DbWorker`, runs each job at once (tests)."""

    busy_changed = Signal(bool)
    idle = Signal()  # (never pending: never emitted)

    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None) -> int:
        try:
            result = job()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(result)
        return 0

    def cancel_callbacks(self, job_id: int) -> None:
        pass

    def pending(self) -> int:
        return 0

    def shutdown(self, *, drain_seconds: float = 15.0) -> None:
        pass
