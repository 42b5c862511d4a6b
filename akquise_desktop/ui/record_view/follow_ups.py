"""The record view's open follow-ups: the list (due colours, priority icons),
Complete and Source activity, and the hint when a live record has none."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.clock import Clock
from akquise_desktop.queries import records as q

from .. import common

IdRole = Qt.ItemDataRole.UserRole + 1  # a row's follow-up id (column 0)


class FollowUpPanel(QGroupBox):
    """The record's open follow-ups; the record view acts on the requests."""

    complete_requested = Signal()  # Complete, or a follow-up activated
    source_requested = Signal()
    selection_changed = Signal()  # the buttons follow the current follow-up

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Open follow-ups"))
        self.clock = clock
        self.detail: q.RecordDetail | None = None  # the record shown, None while loading

        self.follow_ups = QTreeWidget(self)
        self.follow_ups.setObjectName("follow_ups")
        self.follow_ups.setRootIsDecorated(False)
        self.follow_ups.setHeaderLabels(
            [self.tr("Due"), self.tr("Instruction"), self.tr("Assigned to")]
        )
        self.follow_ups.header().setStretchLastSection(False)
        self.follow_ups.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.follow_ups.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.follow_ups.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.complete_button = QPushButton(
            common.icon("mdi6.check-circle-outline", "#2E7D32"), self.tr("Co&mplete …"), self
        )
        self.complete_button.setObjectName("complete_follow_up")
        self.complete_button.setToolTip(
            self.tr("Complete the selected follow-up with an activity (Ctrl+E)")
        )
        self.source_button = QPushButton(
            common.icon("mdi6.history"), self.tr("Source ac&tivity"), self
        )
        self.source_button.setToolTip(self.tr("Show the activity this follow-up came from"))
        self.no_follow_up = QLabel(self)
        self.no_follow_up.setWordWrap(True)
        follow_buttons = QHBoxLayout()
        follow_buttons.addWidget(self.no_follow_up, 1)
        follow_buttons.addWidget(self.source_button)
        follow_buttons.addWidget(self.complete_button)
        follow_layout = QVBoxLayout(self)
        follow_layout.addWidget(self.follow_ups, 1)
        follow_layout.addLayout(follow_buttons)
        self.complete_button.clicked.connect(self.complete_requested)
        self.source_button.clicked.connect(self.source_requested)
        self.follow_ups.itemActivated.connect(lambda *_: self.complete_requested.emit())
        self.follow_ups.currentItemChanged.connect(self._update_follow_up_buttons)
        self._update_follow_up_buttons()

    def show_follow_ups(self, d: q.RecordDetail) -> None:
        """Show the open follow-ups of ``d``; the current one stays current."""
        self.detail = d
        today = self.clock.today()
        current = self.selected_follow_up()
        self.follow_ups.blockSignals(True)
        self.follow_ups.clear()
        for fu in d.follow_ups:
            due = common.format_date(fu.due_date)
            if fu.due_time is not None:
                due = f"{due} {common.format_time(fu.due_time)}"
            item = QTreeWidgetItem(
                [due, fu.instruction or self.tr("(no instruction)"), fu.assignee]
            )
            item.setData(0, IdRole, fu.id)
            item.setIcon(0, common.priority_icon(fu.priority))
            fg, bg = common.due_roles(fu.due_date, today)
            for col in range(3):
                if fg is not None:
                    item.setForeground(col, fg)
                if bg is not None:
                    item.setBackground(col, bg)
            tip = [
                self.tr("Priority: high") if fu.priority == 1 else "",
                self.tr("Priority: time-critical") if fu.priority == 2 else "",
                self.tr("Repeats: %1").replace("%1", fu.recurrence) if fu.recurrence else "",
                self.tr("From: %1").replace("%1", fu.source_subject or ""),
            ]
            item.setToolTip(1, "\n".join(t for t in tip if t))
            self.follow_ups.addTopLevelItem(item)
            if fu.id == (current.id if current else None):
                self.follow_ups.setCurrentItem(item)
        if self.follow_ups.currentItem() is None and self.follow_ups.topLevelItemCount():
            # Current (for Complete / Ctrl+E) but not highlighted: keeps the due colours.
            self.follow_ups.selectionModel().setCurrentIndex(
                self.follow_ups.model().index(0, 0),
                QItemSelectionModel.SelectionFlag.NoUpdate,
            )
        self.follow_ups.blockSignals(False)
        live = [mem for mem in d.memberships if mem.campaign_active and not mem.is_final]
        if d.follow_ups:
            self.no_follow_up.setText("")
        elif live:
            self.no_follow_up.setText(
                "<span style='color:#B71C1C'><b>"
                + self.tr("No open follow-up: this customer is dead. Log an activity and set "
                          "the next follow-up.")
                + "</b></span>"
            )  # fmt: skip
        else:
            self.no_follow_up.setText(self.tr("No open follow-up."))
        self._update_follow_up_buttons()

    def select_follow_up(self, follow_up_id: int) -> bool:
        """Make ``follow_up_id`` the current, highlighted row (False: not shown)."""
        for i in range(self.follow_ups.topLevelItemCount()):
            item = self.follow_ups.topLevelItem(i)
            if item is not None and item.data(0, IdRole) == follow_up_id:
                self.follow_ups.setCurrentItem(item)
                self.follow_ups.scrollToItem(item)
                return True
        return False

    def selected_follow_up(self) -> q.OpenFollowUp | None:
        item = self.follow_ups.currentItem()
        if item is None or self.detail is None:
            return None
        fid = item.data(0, IdRole)
        return next((f for f in self.detail.follow_ups if f.id == fid), None)

    def _update_follow_up_buttons(self) -> None:
        fu = self.selected_follow_up()
        self.complete_button.setEnabled(fu is not None)
        self.source_button.setEnabled(fu is not None and fu.source_activity_id is not None)
        self.selection_changed.emit()
