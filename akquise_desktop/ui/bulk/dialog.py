"""Massenbearbeitung: bulk editing on a selection or a whole search result.

Choose the operation and its values, preview it (how many rows change, the
values before and after, the rows that would be refused and why), run it with
a progress dialog that can cancel between chunks, read the result, and undo
a recent run as one step. All of it goes through
:class:`akquise_desktop.controller.bulk.BulkEditor` on the database worker;
progress comes back to the GUI thread by a queued signal.

Operations on records (account manager, campaign status, an activity for
each) and on follow-ups (assignee, due date, priority, instruction) are
offered for both kinds of selection: a follow-up operation on records applies
to their open follow-ups, a record operation on follow-ups to their records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import shiboken6
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.bulk import (
    BulkEditor,
    BulkPreview,
    BulkResult,
    Operation,
    Refusal,
    open_follow_up_ids,
)
from akquise_desktop.queries.bulk_context import BulkContext, bulk_context, records_of_follow_ups

from .. import i18n
from ..common import format_number, icon, warning_banner
from ..services import Services
from .pages import PAGES, OperationPage
from .runner import BulkRunner
from .runs import RecentRunsPanel
from .shared import (
    FOLLOW_UP,
    PREVIEW_ROWS,
    RECORD,
    BulkTargets,
    NextFollowUpBox,
    error_text,
    operation_names,
)


class BulkDialog(QDialog):
    """Bulk editing of records or follow-ups (a selection or a search result)."""

    def __init__(
        self, services: Services, targets: BulkTargets, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BulkDialog")
        self.setWindowTitle(self.tr("Bulk editing"))
        self.services = services
        self.targets = targets
        self.context: BulkContext | None = None
        self.preview: BulkPreview | None = None
        self.preview_targets: list[int] = []
        # (shadows QDialog.result(), the dialog's exit code, which nothing here reads)
        self.bulk_result: BulkResult | None = None  # `result` would hide QDialog.result()
        self._run_preview: BulkPreview | None = None
        self.chunk_size: int | None = None  # None: the editor's default per backend
        self._preview_generation = 0
        self.runner = BulkRunner(services, self)
        self.runner.finished.connect(self._ran)
        self.runner.failed.connect(self._run_failed)
        self._build()
        self._connect()
        self._operation_changed()
        self.resize(1120, 740)
        services.read(lambda s: bulk_context(s, services.user_id), self._context_loaded, self._fail)

    # --- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.no_right = warning_banner()
        root.addWidget(self.no_right)

        scope_box = QGroupBox(self.tr("Apply to"))
        scope_layout = QVBoxLayout(scope_box)
        self.scope_group = QButtonGroup(self)
        noun = self._noun
        n_selected = len(self.targets.selected)
        self.scope_selected = QRadioButton(
            self.tr("the &selected {rows}").format(rows=noun(n_selected))
        )
        self.scope_result = QRadioButton()
        self.scope_group.addButton(self.scope_selected, 0)
        self.scope_group.addButton(self.scope_result, 1)
        scope_layout.addWidget(self.scope_selected)
        scope_layout.addWidget(self.scope_result)
        if self.targets.result is not None:
            self.scope_result.setText(
                self.tr("&all {rows} of the current search result").format(
                    rows=noun(len(self.targets.result))
                )
            )
            # Nothing or one row selected: the search result is what is meant.
            (self.scope_selected if n_selected > 1 else self.scope_result).setChecked(True)
        else:
            self.scope_result.hide()
            self.scope_selected.setChecked(True)
        self.scope_selected.setEnabled(n_selected > 0)

        operation_box = QGroupBox(self.tr("Change"))
        operation_layout = QVBoxLayout(operation_box)
        self.operation_combo = QComboBox()
        self.operation_combo.setObjectName("operationCombo")
        names = operation_names()
        record_ops = ("set_owner", "change_status", "log_activity")
        follow_up_ops = (
            "shift_due_dates",
            "set_due_date",
            "set_assignee",
            "set_priority",
            "set_instruction",
        )
        first, second = (
            (record_ops, follow_up_ops)
            if self.targets.kind == RECORD
            else (follow_up_ops, record_ops)
        )
        for key in first + second:
            self.operation_combo.addItem(names[key], key)
        self.operation_combo.insertSeparator(len(first))
        operation_label = QLabel(self.tr("&Operation:"))
        operation_label.setBuddy(self.operation_combo)
        row = QHBoxLayout()
        row.addWidget(operation_label)
        row.addWidget(self.operation_combo, 1)
        operation_layout.addLayout(row)
        self.applies_label = QLabel()
        self.applies_label.setObjectName("appliesTo")
        self.applies_label.setWordWrap(True)
        self.applies_label.setStyleSheet("color: #546E7A;")
        operation_layout.addWidget(self.applies_label)
        self.stack = QStackedWidget()
        self.pages: dict[str, OperationPage] = {}
        for key in first + second:
            page = PAGES[key](self.services.clock)
            self.pages[key] = page
            self.stack.addWidget(page)
        operation_layout.addWidget(self.stack)

        actions = QHBoxLayout()
        self.preview_button = QPushButton(icon("mdi6.eye-outline"), self.tr("&Preview"))
        self.preview_button.setObjectName("previewButton")
        self.run_button = QPushButton(icon("mdi6.play-circle-outline"), self.tr("&Run"))
        self.run_button.setObjectName("runButton")
        self.run_button.setEnabled(False)
        self.run_button.setToolTip(self.tr("Preview first; the run changes exactly what it shows"))
        for button in (self.preview_button, self.run_button):
            button.setAutoDefault(False)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.run_button)
        actions.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(scope_box)
        left.addWidget(operation_box)
        left.addLayout(actions)
        left.addStretch(1)

        self.summary = QLabel(self.tr("Choose the change, then preview it."))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.changes_table = self._table([self.tr("Row"), self.tr("Before"), self.tr("After")])
        self.changes_table.setObjectName("changesTable")
        self.refused_table = self._table([self.tr("Row"), self.tr("Reason")])
        self.refused_table.setObjectName("refusedTable")
        self.refused_table.setWordWrap(True)
        self.tabs.addTab(self.changes_table, self.tr("Changes"))
        self.tabs.addTab(self.refused_table, self.tr("Refused"))
        self.runs = RecentRunsPanel(self.services, self)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.tabs, 3)
        right.addWidget(self.runs, 1)

        body = QHBoxLayout()
        body.addLayout(left, 4)
        body.addLayout(right, 6)
        root.addLayout(body, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setAutoDefault(False)
        self.preview_button.setDefault(True)  # Enter previews; Escape closes
        root.addWidget(self.buttons)

    def _noun(self, n: int) -> str:
        if self.targets.kind == RECORD:
            return self.tr("%n record(s)", "", n)
        return self.tr("%n follow-up(s)", "", n)

    @staticmethod
    def _table(headers: Sequence[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table.setColumnWidth(0, 260)
        if len(headers) == 3:
            table.setColumnWidth(1, 260)
        return table

    def _connect(self) -> None:
        self.operation_combo.currentIndexChanged.connect(lambda _i: self._operation_changed())
        self.scope_group.idToggled.connect(lambda *_: self._inputs_changed())
        self.preview_button.clicked.connect(self.run_preview)
        self.run_button.clicked.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        self.runs.undone.connect(lambda _r: self._after_undo())
        for widget in self.stack.findChildren(QWidget):
            for name in ("currentIndexChanged", "valueChanged", "dateChanged", "timeChanged"):
                signal = getattr(widget, name, None)
                if signal is not None and isinstance(widget, (QComboBox, QSpinBox, QDateEdit)):
                    signal.connect(self._inputs_changed)
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.textChanged.connect(self._inputs_changed)
            if isinstance(widget, NextFollowUpBox):
                widget.changed.connect(self._inputs_changed)

    # --- state -----------------------------------------------------------------------

    def _context_loaded(self, context: BulkContext) -> None:
        if not shiboken6.isValid(self):
            return
        self.context = context
        for page in self.pages.values():
            page.fill(context)
        if not context.may_bulk:
            reason = self.tr(
                "Your role group “{group}” has no right for bulk editing; ask an administrator."
            ).format(group=context.role_group)
            self.no_right.setText(reason)
            self.no_right.show()
            self.runs.set_may_undo(False, reason)
            for button in (self.preview_button, self.run_button):
                button.setToolTip(reason)
        self._inputs_changed()

    def operation_key(self) -> str:
        return self.operation_combo.currentData()

    def set_operation(self, key: str) -> OperationPage:
        """Choose an operation (also for tests); returns its page."""
        self.operation_combo.setCurrentIndex(self.operation_combo.findData(key))
        return self.pages[key]

    def scope_ids(self) -> list[int]:
        if self.scope_result.isChecked() and self.targets.result is not None:
            return list(self.targets.result)
        return list(self.targets.selected)

    def _operation_changed(self) -> None:
        key = self.operation_key()
        if key in self.pages:
            self.stack.setCurrentWidget(self.pages[key])
        self._inputs_changed()

    def _applies_text(self) -> str:
        page = self.pages.get(self.operation_key())
        target = page.target if page is not None else FOLLOW_UP
        n = len(self.scope_ids())
        if target == self.targets.kind:
            return ""
        if target == FOLLOW_UP:
            return self.tr("Applies to the open follow-ups of the {rows}.").format(
                rows=self._noun(n)
            )
        return self.tr("Applies to the records of the {rows}.").format(rows=self._noun(n))

    def _inputs_changed(self, *_args: object) -> None:
        """Any change of the input makes the preview stale: preview again to run."""
        self._preview_generation += 1
        self.preview = None
        text = self._applies_text()
        self.applies_label.setText(text)
        self.applies_label.setVisible(bool(text))
        may = self.context is not None and self.context.may_bulk
        self.preview_button.setEnabled(may and bool(self.scope_ids()) and not self.runner.running)
        self.run_button.setEnabled(False)
        self.run_button.setText(self.tr("&Run"))
        if self.changes_table.rowCount() or self.refused_table.rowCount():
            # What is shown belongs to other input: away with it.
            self._show_rows((), ())
            self.summary.setText(self.tr("The input changed: preview again."))
            self.summary.setStyleSheet("")
        self.bulk_result = None

    def _after_undo(self) -> None:
        """The rows may have changed back: a shown preview is out of date."""
        self._inputs_changed()
        self.summary.setText(self.tr("Undone (see below). Preview again to change anything."))

    def operation(self) -> Operation:
        """The controller operation for the current input."""
        return self.pages[self.operation_key()].operation()

    # --- preview -------------------------------------------------------------------

    def run_preview(self) -> None:
        if not self.preview_button.isEnabled():
            return
        operation = self.operation()
        ids = self.scope_ids()
        kind = self.targets.kind
        db = self.services.db
        generation = self._preview_generation
        self.bulk_result = None
        self.summary.setText(self.tr("Working out the preview …"))
        self.preview_button.setEnabled(False)

        def job(ctl) -> tuple[list[int], BulkPreview]:
            if operation.target == kind:
                targets = ids
            elif operation.target == FOLLOW_UP:
                targets = open_follow_up_ids(db, ids)
            else:
                with db.read() as s:
                    targets = records_of_follow_ups(s, ids)
            return targets, BulkEditor(ctl).preview(operation, targets)

        controller = self.services.controller
        self.services.worker.submit(
            lambda: job(controller),
            lambda answer: self._previewed(generation, *answer),
            lambda exc: self._preview_failed(generation, exc),
        )

    def _previewed(self, generation: int, targets: list[int], preview: BulkPreview) -> None:
        if not shiboken6.isValid(self) or generation != self._preview_generation:
            return  # the input changed meanwhile
        self.preview = preview
        self.preview_targets = targets
        self.preview_button.setEnabled(True)
        self._show_rows(preview.changes, preview.refused)
        parts = [
            self.tr("{changing} of {total} row(s) change.").format(
                changing=format_number(preview.changing), total=format_number(preview.total)
            )
        ]
        if preview.unchanged:
            parts.append(
                self.tr("{n} already as wanted.").format(n=format_number(len(preview.unchanged)))
            )
        if preview.refused:
            parts.append(
                self.tr("{n} refused (see the list).").format(n=format_number(len(preview.refused)))
            )
        if not targets:
            parts = [self.tr("Nothing to change: no matching rows.")]
        self.summary.setText(" ".join(parts))
        self.summary.setStyleSheet("")
        self.run_button.setEnabled(preview.changing > 0)
        if preview.changing:
            self.run_button.setText(
                self.tr("&Run on {n} row(s)").format(n=format_number(preview.changing))
            )
        self.tabs.setCurrentIndex(0 if preview.changes or not preview.refused else 1)

    def _preview_failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._preview_generation:
            return
        self.preview_button.setEnabled(True)
        self._show_rows((), ())
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet("color: #B71C1C;")

    # --- run -----------------------------------------------------------------------

    def run(self) -> None:
        preview = self.preview
        if preview is None or not self.run_button.isEnabled():
            return
        operation = self.operation()
        # Rows changed since the preview are skipped and reported, not overwritten.
        targets = dict(preview.versions)
        chunk = self.chunk_size
        self._run_preview = preview
        self.run_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.summary.setText(self.tr("Running …"))
        self.runner.start(
            self.tr("{operation}: {n} row(s) …").format(
                operation=operation_names()[operation.name], n=format_number(len(targets))
            ),
            lambda ctl, progress, cancel: BulkEditor(ctl).run(
                operation, targets, progress=progress, cancel=cancel, chunk_size=chunk
            ),
            lambda result: result.summary,
        )

    def _ran(self, result: BulkResult) -> None:
        self.bulk_result = result
        changed = set(result.changed)
        ran = self._run_preview
        self._show_rows(
            [c for c in (ran.changes if ran else ()) if c.target_id in changed],
            result.refused,
            changed_title=True,
        )
        parts = [
            self.tr("Done: {changed} of {total} row(s) changed.").format(
                changed=format_number(len(result.changed)), total=format_number(result.total)
            )
        ]
        if result.cancelled:
            parts = [
                self.tr("Cancelled: {changed} row(s) changed, {left} not reached.").format(
                    changed=format_number(len(result.changed)),
                    left=format_number(len(result.not_reached)),
                )
            ]
        if result.refused:
            parts.append(
                self.tr("{n} refused (see the list).").format(n=format_number(len(result.refused)))
            )
        if result.changed:
            parts.append(self.tr("“Undo” below reverts it."))
        self.summary.setText(" ".join(parts))
        self.summary.setStyleSheet("color: #1B5E20;")
        self.preview = None
        self.preview_button.setEnabled(True)
        self.run_button.setText(self.tr("&Run"))
        self.tabs.setCurrentIndex(1 if result.refused else 0)
        if result.run_id is not None:
            self.runs.reload()
            self.runs.select_run(result.run_id)

    def _run_failed(self, exc: BaseException) -> None:
        self.preview = None
        self.preview_button.setEnabled(True)
        self.run_button.setText(self.tr("&Run"))
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet("color: #B71C1C;")

    # --- the tables ------------------------------------------------------------------

    def _show_rows(
        self,
        changes: Sequence[Any],
        refused: Sequence[Refusal],
        *,
        changed_title: bool = False,
    ) -> None:
        lang = i18n.current_language()
        table = self.changes_table
        table.setRowCount(0)
        if changes:
            shown = list(changes)[:PREVIEW_ROWS]
            table.setRowCount(len(shown))
            for row, change in enumerate(shown):
                table.setItem(row, 0, QTableWidgetItem(change.label))
                table.setItem(row, 1, QTableWidgetItem(self.describe(change.before)))
                table.setItem(row, 2, QTableWidgetItem(self.describe(change.after)))
        title = self.tr("Changed ({n})") if changed_title else self.tr("Changes ({n})")
        self.tabs.setTabText(0, title.format(n=format_number(len(changes))))
        shown_refused = list(refused)[:PREVIEW_ROWS]
        self.refused_table.setRowCount(len(shown_refused))
        for row, refusal in enumerate(shown_refused):
            self.refused_table.setItem(row, 0, QTableWidgetItem(refusal.label))
            reason = QTableWidgetItem(refusal.message(lang))
            reason.setToolTip(refusal.message(lang))
            self.refused_table.setItem(row, 1, reason)
        self.refused_table.resizeRowsToContents()
        self.tabs.setTabText(1, self.tr("Refused ({n})").format(n=format_number(len(refused))))

    def describe(self, values: Mapping[str, Any]) -> str:
        """Field values of a preview row in words, e.g. "Due: 05.12.2026"."""
        return self.pages[self.operation_key()].describe(values)

    # --- closing -------------------------------------------------------------------

    def reject(self) -> None:
        if self.runner.running or self.runs.runner.running:
            return  # a run is under way: cancel it in its progress dialog
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.running or self.runs.runner.running:
            event.ignore()
            return
        super().closeEvent(event)

    def _fail(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.summary.setText(error_text(exc))
            self.summary.setStyleSheet("color: #B71C1C;")
