"""The recent bulk runs of the user, with "Undo" for the selected one."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller.bulk import BulkEditor, UndoResult
from akquise_desktop.queries.bulk_context import RunRow, bulk_runs

from .. import i18n
from ..common import format_datetime, format_number, icon
from ..services import Services
from .runner import BulkRunner
from .shared import error_text, operation_names


class RecentRunsPanel(QGroupBox):
    """The user's latest bulk runs; "Undo" reverts the selected one as one step."""

    undone = Signal(object)  # UndoResult

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Recent bulk changes"), parent)
        self.services = services
        self.runs: tuple[RunRow, ...] = ()
        self.may_undo = True
        self.runner = BulkRunner(services, self)
        self.runner.finished.connect(self._undone)
        self.runner.failed.connect(self._failed)
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setObjectName("runList")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("When"), self.tr("Operation"), self.tr("Changed"), self.tr("State")]
        )
        self.tree.setMinimumHeight(90)
        self.tree.setMaximumHeight(180)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("undoMessage")
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.undo_button = QPushButton(icon("mdi6.undo-variant"), self.tr("&Undo"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip(
            self.tr(
                "Undo the selected bulk change as one step; rows changed by someone "
                "else since stay as they are"
            )
        )
        row.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self.undo_button.clicked.connect(self.undo_selected)
        self._update_button()
        self.reload()

    def reload(self) -> None:
        user_id = self.services.user_id
        self.services.read(lambda s: bulk_runs(s, user_id), self._loaded, self._failed)

    def _loaded(self, runs: tuple[RunRow, ...]) -> None:
        if not shiboken6.isValid(self):
            return
        current = self.selected_run()
        self.runs = runs
        self.tree.clear()
        names = operation_names()
        states = {
            m.BulkRunState.RUNNING.value: self.tr("running"),
            m.BulkRunState.DONE.value: self.tr("done"),
            m.BulkRunState.CANCELLED.value: self.tr("cancelled"),
            m.BulkRunState.FAILED.value: self.tr("failed"),
            m.BulkRunState.UNDONE.value: self.tr("undone"),
        }
        for run in runs:
            changed = self.tr("{changed} of {total}").format(
                changed=format_number(run.changed), total=format_number(run.total)
            )
            item = QTreeWidgetItem(
                [
                    format_datetime(run.created_at),
                    names.get(run.operation, run.operation),
                    changed,
                    states.get(run.state, run.state),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, run.id)
            self.tree.addTopLevelItem(item)
            if current is not None and run.id == current.id:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self._update_button()

    def selected_run(self) -> RunRow | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        run_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self.runs if r.id == run_id), None)

    def select_run(self, run_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == run_id:
                self.tree.setCurrentItem(item)

    def set_may_undo(self, allowed: bool, reason: str = "") -> None:
        self.may_undo = allowed
        self.undo_button.setToolTip(reason or self.undo_button.toolTip())
        self._update_button()

    def _update_button(self) -> None:
        run = self.selected_run()
        self.undo_button.setEnabled(
            self.may_undo and run is not None and run.undoable and not self.runner.running
        )

    def undo_selected(self, *, confirm: bool = True) -> None:
        run = self.selected_run()
        if run is None or not run.undoable:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Undo bulk change"),
                self.tr(
                    "Undo “{operation}” of {when} ({changed} rows changed)? Rows changed by "
                    "someone else since stay as they are."
                ).format(
                    operation=operation_names().get(run.operation, run.operation),
                    when=format_datetime(run.created_at),
                    changed=format_number(run.changed),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        run_id = run.id
        self.message.clear()
        self.runner.start(
            self.tr("Undoing …"),
            lambda ctl, _progress, _cancel: BulkEditor(ctl).undo(run_id),
            lambda result: result.summary,
        )
        self._update_button()

    def _undone(self, result: UndoResult) -> None:
        text = self.tr("Undone: {restored} row(s) restored.").format(
            restored=format_number(len(result.restored))
        )
        if result.refused:
            lang = i18n.current_language()
            text += " " + self.tr(
                "{count} row(s) were changed by someone else since and stay as they are:"
            ).format(count=format_number(len(result.refused)))
            text += " " + "; ".join(f"{r.label}: {r.message(lang)}" for r in result.refused[:10])
        self.message.setText(text)
        self.message.setStyleSheet("")
        self.reload()
        self.undone.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.message.setText(error_text(exc))
        self.message.setStyleSheet("color: #B71C1C;")
        self._update_button()
