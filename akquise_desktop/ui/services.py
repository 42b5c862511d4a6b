"""What every view gets by constructor: no global main-window singleton."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock

from .calls import CallState
from .worker import DbWorker, SyncWorker

if TYPE_CHECKING:
    from akquise_desktop.controller import Controller
    from akquise_desktop.core.changes import ChangeSummary
    from akquise_desktop.storage import Database


class ChangeBus(QObject):
    """Carries each controller call's :class:`ChangeSummary` to the views."""

    changed = Signal(object)  # ChangeSummary


class LinkState(QObject):
    """Whether saves wait for the database to be reachable again: the dialogs
    that retry a save report here, the status bar shows it."""

    changed = Signal(object)  # seconds until the next attempt (0: trying), None: all well

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: dict[int, int] = {}  # id(reporter) -> seconds until its next attempt

    def waiting(self, reporter: object, seconds: int) -> None:
        """``reporter``'s save is sent again in ``seconds`` (0: being sent)."""
        self._waiting[id(reporter)] = seconds
        self.changed.emit(self.next_attempt_s())

    def restored(self, reporter: object) -> None:
        """``reporter`` waits no more (saved, refused or given up)."""
        if self._waiting.pop(id(reporter), None) is not None:
            self.changed.emit(self.next_attempt_s())

    def next_attempt_s(self) -> int | None:
        return min(self._waiting.values()) if self._waiting else None


class Services:
    """The database, the controller, the worker, the change bus, the acting user,
    the clock (what "today" is for every view) and the call in progress
    (:class:`~akquise_desktop.ui.calls.CallState`, with what opens ``tel:`` links)
    and whether saves wait for the database (:class:`LinkState`).

    ``controller`` may be None with ``make_controller`` given: the controller is
    then made on first use (the first write), so a start that only reads does
    not import the controller layer.
    """

    def __init__(
        self,
        db: Database,
        controller: Controller | None,
        worker: DbWorker | SyncWorker,
        bus: ChangeBus,
        user_id: int,
        *,
        make_controller: Callable[[], Controller] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if controller is None and make_controller is None:
            raise ValueError("a controller or make_controller is needed")
        self.db = db
        self._controller = controller
        self._make_controller = make_controller
        self._controller_lock = threading.Lock()
        self.worker = worker
        self.bus = bus
        self.user_id = user_id
        self.clock = clock
        self.calls = CallState(clock)
        self.link = LinkState()

    @property
    def controller(self) -> Controller:
        if self._controller is None:
            with self._controller_lock:  # first use may be on the worker thread
                if self._controller is None:
                    assert self._make_controller is not None
                    self._controller = self._make_controller()
        return self._controller

    def read(self, query: Callable[[Any], Any], on_done, on_error=None) -> int:
        """Run ``query(session)`` on the worker; ``on_done(result)`` on the GUI thread.

        The query must return plain data (tuples, dataclasses), never ORM objects.
        """

        def job() -> Any:
            with self.db.read() as session:
                return query(session)

        return self.worker.submit(job, on_done, on_error)

    def change(
        self,
        call: Callable[[Controller], ChangeSummary],
        on_done: Callable[[ChangeSummary], None] | None = None,
        on_error=None,
    ) -> int:
        """Run a controller call on the worker; its summary goes to the bus first."""

        def done(summary: ChangeSummary) -> None:
            self.bus.changed.emit(summary)
            if on_done is not None:
                on_done(summary)

        return self.worker.submit(lambda: call(self.controller), done, on_error)
