"""Running a bulk call on the database worker, with a progress dialog whose
Cancel stops the run between chunks; progress comes back by a queued signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from akquise_desktop.controller.bulk import CancelToken
from akquise_desktop.core.changes import ChangeSummary

from ..common import format_number
from ..services import Services


class _ProgressRelay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call over."""

    progressed = Signal(int, int)


class BulkRunner(QObject):
    """Runs ``call(controller, progress, cancel) -> result`` on the database
    worker (through ``services.change``, so every view hears of the changes)
    behind a progress dialog whose Cancel stops the run between chunks."""

    finished = Signal(object)  # the call's result
    failed = Signal(object)  # the exception

    def __init__(self, services: Services, parent: QWidget) -> None:
        super().__init__(parent)
        self.services = services
        self.widget = parent
        self.progress: QProgressDialog | None = None
        self.token: CancelToken | None = None
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._progressed)

    @property
    def running(self) -> bool:
        return self.token is not None

    def start(
        self,
        label: str,
        call: Callable[[Any, Callable[[int, int], None], CancelToken], Any],
        summary_of: Callable[[Any], ChangeSummary],
    ) -> None:
        token = self.token = CancelToken()
        progress = QProgressDialog(label, self.tr("Cancel"), 0, 0, self.widget)
        progress.setObjectName("bulkProgress")
        progress.setWindowTitle(self.tr("Bulk change"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # only a slow run shows it
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.cancel)
        self.progress = progress
        holder: dict[str, Any] = {}
        emit = self._relay.progressed.emit

        def job(ctl) -> ChangeSummary:
            holder["result"] = result = call(ctl, emit, token)
            return summary_of(result)

        self.services.change(job, lambda _s: self._done(holder["result"]), self._error)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        if self.progress is not None:
            self.progress.setLabelText(self.tr("Cancelling after the current chunk …"))

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            self.progress.setLabelText(
                self.tr("{done} of {total} rows done").format(
                    done=format_number(done), total=format_number(total)
                )
                if not (self.token and self.token.cancelled)
                else self.tr("Cancelling after the current chunk …")
            )

    def _close_progress(self) -> None:
        self.token = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, result: Any) -> None:
        self._close_progress()
        if shiboken6.isValid(self.widget):
            self.finished.emit(result)

    def _error(self, exc: BaseException) -> None:
        self._close_progress()
        if shiboken6.isValid(self.widget):
            self.failed.emit(exc)
