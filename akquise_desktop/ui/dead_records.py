"""Tote Kunden: records in an active campaign with a non-final status and no
open follow-up ("no follow-up = dead customer").

Count and first page come in one worker call; more rows as the user
scrolls, longest silent first. One click on "Log activity…" opens the
activity dialog with a next follow-up prepared; when it is saved, the change
bus refreshes the list and the record leaves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries.dead import (
    PAGE_SIZE,
    DeadFilter,
    DeadRecordRow,
    DeadRecords,
    dead_page,
    dead_records,
)
from akquise_desktop.queries.follow_ups import ListContext, list_context

from .activity_dialog import ActivityDialog
from .common import (
    days_since,
    format_date,
    format_number,
    icon,
    inactivity_color,
    status_swatch,
)
from .keyset_model import KeysetTableModel, keep_place
from .services import Services

ALL, MINE, TEAM = "all", "mine", "team"
WATCHED = (
    Entity.FOLLOW_UP,
    Entity.RECORD,
    Entity.MEMBERSHIP,
    Entity.CAMPAIGN,
    Entity.CAMPAIGN_STATUS,
    Entity.USER,
)


class DeadRecordsModel(KeysetTableModel[DeadRecordRow]):
    RECORD, CITY, OWNER, STATUS, LAST, DAYS, ACTION = range(7)

    def __init__(self, services: Services, today: Callable[[], date], parent=None) -> None:
        super().__init__(services, page_size=PAGE_SIZE, parent=parent)
        self.today = today
        self.headers = (
            self.tr("Record"),
            self.tr("City"),
            self.tr("Owner"),
            self.tr("Campaign status"),
            self.tr("Last activity"),
            self.tr("Days silent"),
            "",
        )
        self.action_text = self.tr("Log activity…")
        self.action_tip = self.tr("Log an activity and set the next follow-up")
        self.action_icon = icon("mdi6.calendar-plus", "#1565C0")
        self.link_font = QFont()
        self.link_font.setUnderline(True)

    def cell(self, row: DeadRecordRow, column: int, role: int) -> Any:
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            if column == self.RECORD:
                return row.name
            if column == self.CITY:
                return row.city or ""
            if column == self.OWNER:
                return row.owner_name or ""
            if column == self.STATUS:
                return "; ".join(f"{s.campaign}: {s.status}" for s in row.statuses)
            if column == self.LAST:
                return format_date(row.last_activity_at)
            if column == self.DAYS:
                days = days_since(row.last_activity_at, self.today())
                return "—" if days is None else format_number(days)
            if column == self.ACTION:
                return self.action_text
        elif role == R.DecorationRole:
            if column == self.STATUS and row.statuses:
                return status_swatch(row.statuses[0].color)
            if column == self.ACTION:
                return self.action_icon
        elif role == R.ForegroundRole:
            if column == self.DAYS:
                return inactivity_color(days_since(row.last_activity_at, self.today()))
        elif role == R.FontRole and column == self.ACTION:
            return self.link_font
        elif role == R.TextAlignmentRole and column == self.DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == R.ToolTipRole:
            if column == self.RECORD:
                return row.name
            if column == self.ACTION:
                return self.action_tip
            if column == self.STATUS:
                return "\n".join(f"{s.campaign}: {s.status}" for s in row.statuses)
        return None


class DeadRecordsView(QWidget):
    """Dead records with a one-click way to log an activity and a follow-up."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.today_fn: Callable[[], date] = services.clock.today
        self.context: ListContext | None = None
        self.count: int | None = None
        self._selected: tuple[int, int | None, int] | None = None
        self.model = DeadRecordsModel(services, lambda: self.today_fn(), self)
        self._build()
        self._connect()
        services.bus.changed.connect(self._on_changed)
        services.read(
            lambda s: list_context(s, services.user_id), self._context_loaded, self._failed
        )

    # --- building -------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Records in an active campaign with a non-final status and no open "
                "follow-up. Give each one an activity and its next follow-up."
            )
        )
        intro.setWordWrap(True)
        root.addWidget(intro)
        bar = QHBoxLayout()
        root.addLayout(bar)
        whose_label = QLabel(self.tr("&Owner:"))
        self.whose_combo = QComboBox()
        self.whose_combo.addItem(icon("mdi6.earth"), self.tr("All records"), ALL)
        self.whose_combo.addItem(icon("mdi6.account"), self.tr("My records"), MINE)
        self.whose_combo.addItem(icon("mdi6.account-group"), self.tr("My team's records"), TEAM)
        whose_label.setBuddy(self.whose_combo)
        bar.addWidget(whose_label)
        bar.addWidget(self.whose_combo)
        bar.addSpacing(16)
        self.count_label = QLabel()
        self.count_label.setObjectName("deadCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        self.log_button = QPushButton(icon("mdi6.calendar-plus"), self.tr("&Log activity…"))
        self.log_button.setToolTip(
            self.tr("Log an activity and set the next follow-up (Enter, Ctrl+N)")
        )
        self.open_button = QPushButton(
            icon("mdi6.card-account-details-outline"), self.tr("&Open record")
        )
        self.open_button.setToolTip(self.tr("Open the record (Ctrl+O)"))
        bar.addWidget(self.log_button)
        bar.addWidget(self.open_button)

        self.table = QTableView()
        self.table.setObjectName("deadTable")
        self.table.setModel(self.model)
        keep_place(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DeadRecordsModel.STATUS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 260), (1, 130), (2, 140), (4, 110), (5, 95), (6, 150)):
            self.table.setColumnWidth(column, width)
        root.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        root.addWidget(self.status)
        self._update_actions()

    def _connect(self) -> None:
        self.whose_combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.log_button.clicked.connect(self.log_for_selected)
        self.open_button.clicked.connect(self.open_selected_record)
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.layoutAboutToBeChanged.connect(lambda *_: self._remember_selection())
        self.model.loaded.connect(self._rows_reloaded)
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        self.model.failed.connect(self._failed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self.table,
                self.log_for_selected,
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+O"), self, self.open_selected_record, context=ctx)
        QShortcut(QKeySequence("Ctrl+N"), self, self.log_for_selected, context=ctx)

    # --- loading ----------------------------------------------------------------------

    def _context_loaded(self, ctx: ListContext) -> None:
        self.context = ctx
        if ctx.team_id is None:
            item = self.whose_combo.model().item(2)  # type: ignore[attr-defined]
            item.setEnabled(False)
        self.refresh()

    def current_filter(self) -> DeadFilter:
        whose = self.whose_combo.currentData()
        if self.context is not None:
            if whose == MINE:
                return DeadFilter(owner_id=self.context.user_id)
            if whose == TEAM and self.context.team_id is not None:
                return DeadFilter(team_id=self.context.team_id)
        return DeadFilter()

    def set_whose(self, whose: str) -> None:
        self.whose_combo.setCurrentIndex(self.whose_combo.findData(whose))

    def refresh(self) -> None:
        """Count and first page for the current filter (one query)."""
        if self.context is None:
            return
        f = self.current_filter()

        def page(s, after, limit):
            if after is None:
                return dead_records(s, f, limit=limit)
            return dead_page(s, f, after=after, limit=limit)

        self.model.set_query(page)

    def _on_changed(self, summary: ChangeSummary) -> None:
        if self.context is None or not summary.touches(*WATCHED):
            return
        self.model.reload()

    def result(self) -> DeadRecords:
        """What is shown: the count and the rows loaded (for tests)."""
        return DeadRecords(self.count or 0, list(self.model.rows))

    # --- actions -----------------------------------------------------------------------

    def _remember_selection(self) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        following = self.model.row_at(index.row() + 1) if row else None
        self._selected = (row.id, following.id if following else None, index.row()) if row else None

    def _rows_reloaded(self) -> None:
        """Take the count; keep the selected record, and if it left the list,
        select the one after it — so working down the list needs no mouse."""
        self.count = self.model.total
        if self.model.rows:
            at = 0
            if self._selected is not None:
                record_id, following_id, old_row = self._selected
                kept = self.selected_row()
                if kept is not None and kept.id == record_id:
                    self._update_actions()  # the reload kept the selection (by id)
                    return
                found = self.model.find(lambda r: r.id == record_id)
                if found < 0 and following_id is not None:
                    found = self.model.find(lambda r: r.id == following_id)
                at = found if found >= 0 else min(old_row, len(self.model.rows) - 1)
            self.table.selectRow(at)
        self._update_actions()

    def selected_row(self) -> DeadRecordRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == DeadRecordsModel.ACTION:
            self.log_for_row(index.row())

    def log_for_selected(self) -> ActivityDialog | None:
        index = self.table.currentIndex()
        return self.log_for_row(index.row()) if index.isValid() else None

    def log_for_row(self, row_index: int) -> ActivityDialog | None:
        """Open the activity dialog (with a next follow-up) for a dead record."""
        row = self.model.row_at(row_index)
        if row is None:
            return None
        dialog = ActivityDialog(self.services, row.id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_selected_record(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_row(index.row())

    def _open_row(self, row_index: int) -> None:
        row = self.model.row_at(row_index)
        if row is not None:
            self.record_requested.emit(row.id)

    def _update_actions(self) -> None:
        has = self.selected_row() is not None
        self.log_button.setEnabled(has)
        self.open_button.setEnabled(has)
        self._update_status()

    def _update_status(self) -> None:
        count = self.count
        if count is None:
            self.count_label.setText("")
            self.status.setText("")
            return
        if count == 0:
            self.count_label.setText(self.tr("No dead records"))
            self.status.setText(self.tr("Every live record has a next follow-up."))
        else:
            self.count_label.setText(
                self.tr("{count} dead records").format(count=format_number(count))
            )
            self.status.setText(
                self.tr("{shown} of {count} loaded, longest silent first").format(
                    shown=format_number(len(self.model.rows)), count=format_number(count)
                )
            )

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Could not load: {error}").format(error=exc))
