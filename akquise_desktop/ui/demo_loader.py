"""Demodaten laden: fill the current, still empty database with demo data.

Offered by the record list's empty state. The demo generator
(:func:`akquise_desktop.demo.generate`, as ``--demo`` uses it) writes through
the controller, record by record; here it runs as one job on the database
worker, so the window stays responsive and shows the progress. A database
with records, teams or more than its first user is refused (the demo's users,
teams and records would mix with real ones). Afterwards one change summary
naming everything the demo created goes to the bus, and every view refreshes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.queries.demo import DatabaseContents, database_contents, everything_created

from .bulk.shared import error_text
from .services import Services

DEMO_RECORDS = 300  # as many as ``--demo`` loads on a first start
DEMO_SEED = 1


class DemoRefused(Exception):
    """The database is not empty: no demo data goes in."""

    def __init__(self, contents: DatabaseContents) -> None:
        super().__init__("database not empty")
        self.contents = contents


class DemoLoader(QObject):
    """Load demo data on the worker; a progress dialog over ``parent`` while
    it runs (when ``parent`` is a widget); messages by signal."""

    progressed = Signal(int, int)  # records done, records in all
    finished = Signal(object)  # the ChangeSummary sent to the bus
    refused = Signal(str)  # why the database does not take demo data
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(
        self,
        services: Services,
        parent: QObject | None = None,
        *,
        records: int = DEMO_RECORDS,
        seed: int = DEMO_SEED,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.records = records
        self.seed = seed
        self.running = False
        self.progress_dialog: QProgressDialog | None = None
        # The generator reports from the worker thread; the signal carries it over.
        self._report = _Reporter()
        self._report.progressed.connect(self._progressed)

    def start(self) -> bool:
        """Start loading (False if a load runs already)."""
        if self.running:
            return False
        self._set_running(True)
        services, records, seed, report = self.services, self.records, self.seed, self._report

        def job() -> ChangeSummary:
            from akquise_desktop.demo import generate

            with services.db.read() as s:
                contents = database_contents(s)
            if not contents.empty:
                raise DemoRefused(contents)
            generate(services.db, records, seed=seed, clock=services.clock, progress=report.report)
            with services.db.read() as s:
                return everything_created(s)

        self.services.worker.submit(job, self._done, self._error)
        return True

    # --- progress ---------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.running = running
        parent = self.parent()
        widget = parent if isinstance(parent, QWidget) else None
        if running:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            if widget is not None:
                dialog = QProgressDialog(
                    self.tr("Loading demo data …"), "", 0, self.records, widget
                )
                dialog.setObjectName("demoProgress")
                dialog.setWindowTitle(self.tr("Demo data"))
                dialog.setCancelButton(None)  # type: ignore[arg-type]  # (no partial demo)
                dialog.setWindowModality(Qt.WindowModality.WindowModal)
                dialog.setMinimumDuration(0)
                dialog.setAutoClose(False)
                dialog.setAutoReset(False)
                dialog.setValue(0)
                self.progress_dialog = dialog
        else:
            QApplication.restoreOverrideCursor()
            if self.progress_dialog is not None:
                self.progress_dialog.close()
                self.progress_dialog.deleteLater()
                self.progress_dialog = None
        self.running_changed.emit(running)

    def _progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(done)
            self.progress_dialog.setLabelText(
                self.tr("Loading demo data: %1 of %2 records …")
                .replace("%1", str(done))
                .replace("%2", str(total))
            )
        self.progressed.emit(done, total)

    # --- the end ------------------------------------------------------------------------

    def _done(self, summary: ChangeSummary) -> None:
        self._set_running(False)
        self.services.bus.changed.emit(summary)
        self.finished.emit(summary)

    def _error(self, exc: BaseException) -> None:
        self._set_running(False)
        if isinstance(exc, DemoRefused):
            self.refused.emit(self.refusal_text(exc.contents))
        else:
            self.failed.emit(
                self.tr("The demo data could not be loaded: %1").replace("%1", error_text(exc))
            )

    def refusal_text(self, contents: DatabaseContents) -> str:
        if contents.records:
            reason = self.tr("This database already has records.")
        else:
            reason = self.tr("This database already has other users or teams.")
        return (
            reason + " " + self.tr("Demo data can only be loaded into an empty database, so that "
                                   "it does not mix with real data.")
        )  # fmt: skip


class _Reporter(QObject):
    progressed = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        if done == total or done % max(1, total // 50) == 0:
            self.progressed.emit(done, total)


def load_demo_data(
    services: Services, parent: QWidget, *, records: int = DEMO_RECORDS, confirm: bool = True
) -> DemoLoader | None:
    """Ask, then load demo data with a progress dialog over ``parent``;
    a refusal or failure in a message box. None when the user said no."""
    if confirm:
        answer = QMessageBox.question(
            parent,
            QApplication.translate("DemoLoader", "Load demo data"),
            QApplication.translate(
                "DemoLoader",
                "Load %1 demo records with activities and follow-ups, seven demo colleagues "
                "and three teams into this database?\n\nThey stay in the database; use demo "
                "data to try the program out, not in a database for real work.",
            ).replace("%1", str(records)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    loader = DemoLoader(services, parent, records=records)
    title = QApplication.translate("DemoLoader", "Demo data")
    loader.refused.connect(lambda text: QMessageBox.information(parent, title, text))
    loader.failed.connect(lambda text: QMessageBox.warning(parent, title, text))
    loader.finished.connect(loader.deleteLater)
    loader.refused.connect(loader.deleteLater)
    loader.failed.connect(loader.deleteLater)
    loader.start()
    return loader
