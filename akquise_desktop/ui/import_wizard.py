"""Importieren: the import wizard (issue 16) — file and preview, column
mapping, campaign/status/owner/first follow-up, duplicate decisions and bad
rows, then the run with progress, cancel and undo.

The engine is :mod:`akquise_desktop.imports`; writing is the controller's
(``BulkEditor.plan_import`` / ``run_import`` / ``undo``), run on the database
worker through ``services.change`` so the summary reaches every view on the
bus. The pages are in :mod:`.import_pages`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from .common import format_number, icon
from .import_pages import ERROR_STYLE, DuplicatesPage, FilePage, MappingPage, SettingsPage, _Page
from .services import Services

if TYPE_CHECKING:
    from akquise_desktop.controller.bulk import CancelToken
    from akquise_desktop.imports import Table


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call over."""

    progressed = Signal(int, int)


class RunPage(_Page):
    """The run: progress and a stop button, then the result and undo."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Import"))
        self.setSubTitle(self.tr("The whole import can be undone in one step."))
        self.result: Any = None  # ImportResult
        self.undone: Any = None  # UndoResult
        self.token: CancelToken | None = None
        self.failed = False
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.bar.setRange(0, 0)
        self.stop_button = QPushButton(icon("mdi6.stop-circle-outline"), self.tr("&Stop"))
        self.stop_button.setObjectName("importStop")
        self.stop_button.setToolTip(self.tr("Stop after the current chunk; what is written stays"))
        self.stop_button.clicked.connect(self.cancel)
        self.label = QLabel()
        self.label.setObjectName("importRunLabel")
        self.label.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("importRunDetails")
        self.details.setWordWrap(True)
        self.undo_button = QPushButton(icon("mdi6.undo-variant"), self.tr("&Undo"))
        self.undo_button.setObjectName("importUndo")
        self.undo_button.setToolTip(self.tr("Remove the imported records again, in one step"))
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.stop_button)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_button)
        undo_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.label)
        layout.addWidget(self.details)
        layout.addLayout(undo_row)
        layout.addStretch(1)

    @property
    def running(self) -> bool:
        return self.token is not None

    def initializePage(self) -> None:
        from akquise_desktop.controller.bulk import BulkEditor, CancelToken

        wizard = self.w
        plan = wizard.duplicates_page.plan
        settings = wizard.settings_page.settings()
        decisions = wizard.duplicates_page.chosen()
        token = self.token = CancelToken()
        self.result = self.undone = None
        self.failed = False
        self.bar.setRange(0, 0)
        self.stop_button.setEnabled(True)
        self.stop_button.show()
        self.undo_button.hide()
        self.label.setStyleSheet("")
        self.label.setText(self.tr("Importing …"))
        self.details.clear()
        holder: dict[str, Any] = {}
        emit = self._relay.progressed.emit

        def job(ctl: Any) -> Any:
            holder["result"] = result = BulkEditor(ctl).run_import(
                plan, settings, decisions, progress=emit, cancel=token
            )
            return result.summary

        wizard.services.change(job, lambda _s: self._done(holder["result"]), self._error)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.stop_button.setEnabled(False)
            self.label.setText(self.tr("Stopping after the current chunk …"))

    def _progressed(self, done: int, total: int) -> None:
        if not shiboken6.isValid(self):
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not (self.token and self.token.cancelled):
            self.label.setText(
                self.tr("{done} of {total} records written").format(
                    done=format_number(done), total=format_number(total)
                )
            )

    def _finished(self) -> None:
        self.token = None
        self.stop_button.hide()
        self.completeChanged.emit()

    def _done(self, result: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.result = result
        self._finished()
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        text = self.tr(
            "{created} records created, {merged} merged into existing records, "
            "{skipped} duplicates skipped, {bad} rows could not be imported."
        ).format(
            created=format_number(len(result.created)),
            merged=format_number(len(result.merged)),
            skipped=format_number(len(result.skipped)),
            bad=format_number(len(result.bad_rows)),
        )
        if result.cancelled:
            text = self.tr("Stopped: {n} rows were not imported.").format(
                n=format_number(result.not_reached)
            ) + " " + text  # fmt: skip
        self.label.setText(text)
        lines = [f"{r.label}: {r.message_de}" for r in result.refused[:20]]
        if result.refused:
            lines.insert(0, self.tr("Not merged:"))
        self.details.setText("\n".join(lines))
        self.undo_button.setVisible(result.run_id is not None)
        self.undo_button.setEnabled(True)
        self.w.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.w.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.w.imported.emit(result)

    def _error(self, exc: BaseException) -> None:
        from .bulk import error_text

        if not shiboken6.isValid(self):
            return
        self.failed = True
        self._finished()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.label.setStyleSheet(ERROR_STYLE)
        self.label.setText(self.tr("Nothing was imported: {error}").format(error=error_text(exc)))

    def undo(self) -> None:
        from akquise_desktop.controller.bulk import BulkEditor

        run_id = self.result.run_id if self.result is not None else None
        if run_id is None:
            return
        self.undo_button.setEnabled(False)
        holder: dict[str, Any] = {}

        def job(ctl: Any) -> Any:
            holder["undone"] = undone = BulkEditor(ctl).undo(run_id)
            return undone.summary

        self.w.services.change(job, lambda _s: self._undone(holder["undone"]), self._undo_failed)

    def _undone(self, undone: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.undone = undone
        text = self.tr("The import was undone.")
        if undone.refused:
            text += " " + self.tr("{n} records were changed meanwhile and stay.").format(
                n=format_number(len(undone.refused))
            )
        self.label.setText(text)
        self.details.setText("\n".join(f"{r.label}: {r.message_de}" for r in undone.refused[:20]))
        self.undo_button.hide()

    def _undo_failed(self, exc: BaseException) -> None:
        from .bulk import error_text

        if shiboken6.isValid(self):
            self.undo_button.setEnabled(True)
            self.details.setStyleSheet(ERROR_STYLE)
            self.details.setText(error_text(exc))

    def isComplete(self) -> bool:
        return self.token is None and (self.result is not None or self.failed)


class ImportWizard(QWizard):
    """Importieren: ``ImportWizard(services, parent).show()``; ``imported``
    carries the :class:`ImportResult` after a run."""

    imported = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import records"))
        self.setWindowIcon(icon("mdi6.table-arrow-left"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.file_page = FilePage()
        self.mapping_page = MappingPage()
        self.settings_page = SettingsPage()
        self.duplicates_page = DuplicatesPage()
        self.run_page = RunPage()
        for page in (
            self.file_page,
            self.mapping_page,
            self.settings_page,
            self.duplicates_page,
            self.run_page,
        ):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Close"))

    @property
    def table(self) -> Table | None:
        return self.file_page.table

    def open_file(self, path: str) -> None:
        """Start with ``path`` (tests, drag and drop)."""
        self.file_page.path_edit.setText(path)
        self.file_page.load()

    def sizeHint(self) -> QSize:
        return QSize(860, 600)

    def reject(self) -> None:
        if self.run_page.running:
            self.run_page.cancel()  # stop first; the result page stays
            return
        super().reject()


__all__ = ["ImportWizard", "RunPage"]
