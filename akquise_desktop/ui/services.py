"""What every view gets by constructor: no global main-window singleton."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from akquise_desktop.controller import Controller
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.storage import Database

from .worker import DbWorker, SyncWorker


class ChangeBus(QObject):
    """Carries each controller call's :class:`ChangeSummary` to the views."""

    changed = Signal(object)  # ChangeSummary


@dataclass
class Services:
    db: Database
    controller: Controller
    worker: DbWorker | SyncWorker
    bus: ChangeBus
    user_id: int

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
