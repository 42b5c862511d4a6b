"""Aktivitätsstrom: what everyone did, newest first.

Filter by user, team, activity type and period; pages are fetched as the
user scrolls. New activities reported on the change bus are fetched by id and
merged in at their place — the stream never reloads as a whole for a save.
Clicking an entry (or Enter) asks for its record.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries.stream import (
    PAGE_SIZE,
    StreamFilter,
    StreamOptions,
    StreamRow,
    stream_options,
    stream_page,
    stream_rows,
)

from .common import (
    activity_type_icon,
    format_datetime,
    format_number,
    icon,
    status_swatch,
)
from .keyset_model import KeysetTableModel
from .services import Services

ANY, TODAY, LAST_7, LAST_30, CUSTOM = "any", "today", "7", "30", "custom"


def local_midnight(d: date) -> datetime:
    """The start of day ``d`` in the local time zone (aware)."""
    return datetime(d.year, d.month, d.day).astimezone()


class StreamTableModel(KeysetTableModel[StreamRow]):
    WHEN, USER, TYPE, RECORD, SUBJECT, STATUS, TEXT = range(7)

    def __init__(self, services: Services, parent=None) -> None:
        super().__init__(services, page_size=PAGE_SIZE, parent=parent)
        self.headers = (
            self.tr("When"),
            self.tr("User"),
            self.tr("Type"),
            self.tr("Record"),
            self.tr("Subject"),
            self.tr("Status change"),
            self.tr("Notes"),
        )

    def cell(self, row: StreamRow, column: int, role: int) -> Any:
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            if column == self.WHEN:
                return format_datetime(row.occurred_at)
            if column == self.USER:
                return row.user_name
            if column == self.TYPE:
                return row.type_name
            if column == self.RECORD:
                return row.record_name
            if column == self.SUBJECT:
                return row.subject
            if column == self.STATUS:
                return "; ".join(self._short_change_text(c) for c in row.status_changes)
            if column == self.TEXT:
                return row.excerpt
        elif role == R.DecorationRole:
            if column == self.TYPE:
                return activity_type_icon(row.type_icon)
            if column == self.STATUS and row.status_changes:
                return status_swatch(row.status_changes[-1].to_color)
        elif role == R.ToolTipRole:
            if column == self.TEXT and row.excerpt:
                return row.excerpt
            if column == self.STATUS and row.status_changes:
                return "\n".join(self._change_text(c) for c in row.status_changes)
            if column == self.RECORD:
                return self.tr("Click to open the record")
        return None

    def _short_change_text(self, change) -> str:
        if change.from_status:
            return f"{change.from_status} → {change.to_status}"
        return f"→ {change.to_status}"

    def _change_text(self, change) -> str:
        if change.from_status:
            return self.tr("{campaign}: {old} → {new}").format(
                campaign=change.campaign, old=change.from_status, new=change.to_status
            )
        return self.tr("{campaign}: → {new}").format(campaign=change.campaign, new=change.to_status)

    def merge(self, new_rows: list[StreamRow]) -> int:
        """Put fetched rows at their place (newest first); replace rows shown already.

        Rows older than the last one loaded are left to paging. Returns how
        many rows were inserted.
        """
        inserted = 0
        for new in new_rows:
            if self._place(new):
                inserted += 1
        return inserted

    def _place(self, new: StreamRow) -> bool:
        """Replace or insert one fetched row; True if it was inserted."""
        at = self.find(lambda r: r.id == new.id)
        if at >= 0:
            self.rows[at] = new
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.headers) - 1))
            return False
        position = self.find(lambda r: r.key < new.key)
        if position < 0:
            if not self.exhausted:
                return False  # older than everything loaded: paging will bring it
            position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.insert(position, new)
        self.endInsertRows()
        return True


class ActivityStreamView(QWidget):
    """Every activity, newest first, filterable; keyset-paged."""

    record_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.today_fn = services.clock.today
        self.model = StreamTableModel(services, self)
        self._options_loaded = False
        self._build()
        self._connect()
        services.bus.changed.connect(self._on_changed)
        services.read(stream_options, self._fill_options, self._failed)

    # --- building ------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        root.addLayout(bar)
        self.user_combo = QComboBox()
        self.team_combo = QComboBox()
        self.type_combo = QComboBox()
        self.period_combo = QComboBox()
        for combo in (self.user_combo, self.team_combo, self.type_combo):
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for value, text in (
            (ANY, self.tr("Any time")),
            (TODAY, self.tr("Today")),
            (LAST_7, self.tr("Last 7 days")),
            (LAST_30, self.tr("Last 30 days")),
            (CUSTOM, self.tr("From … to …")),
        ):
            self.period_combo.addItem(text, value)
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit, name in ((self.from_edit, self.tr("From")), (self.to_edit, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            edit.hide()
        today = self.today_fn()
        self.to_edit.setDate(QDate(today.year, today.month, today.day))
        start = today - timedelta(days=30)
        self.from_edit.setDate(QDate(start.year, start.month, start.day))
        for label_text, widget in (
            (self.tr("&User:"), self.user_combo),
            (self.tr("T&eam:"), self.team_combo),
            (self.tr("T&ype:"), self.type_combo),
            (self.tr("&Period:"), self.period_combo),
        ):
            label = QLabel(label_text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.from_edit)
        self.to_label = QLabel("–")
        self.to_label.hide()
        bar.addWidget(self.to_label)
        bar.addWidget(self.to_edit)
        bar.addStretch(1)
        self.refresh_button = QToolButton()
        self.refresh_button.setIcon(icon("mdi6.refresh"))
        self.refresh_button.setToolTip(self.tr("Reload (F5)"))
        self.refresh_button.setAccessibleName(self.tr("Reload"))
        bar.addWidget(self.refresh_button)

        self.table = QTableView()
        self.table.setObjectName("streamTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setMouseTracking(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 125), (1, 125), (2, 105), (3, 230), (4, 180), (5, 200)):
            self.table.setColumnWidth(column, width)
        root.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        root.addWidget(self.status)

    def _connect(self) -> None:
        for combo in (self.user_combo, self.team_combo, self.type_combo):
            combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.from_edit.dateChanged.connect(lambda _: self.refresh())
        self.to_edit.dateChanged.connect(lambda _: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.clicked.connect(self._clicked)
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.table,
            self._open_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        QShortcut(
            QKeySequence(Qt.Key.Key_Enter),
            self.table,
            self._open_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.model.loaded.connect(self._update_status)
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        self.model.failed.connect(self._failed)

    def _fill_options(self, options: StreamOptions) -> None:
        """Fill the filter choices (again), keeping what is chosen; then reload."""
        for combo, items, everyone in (
            (self.user_combo, options.users, self.tr("All users")),
            (self.team_combo, options.teams, self.tr("All teams")),
            (self.type_combo, options.types, self.tr("All types")),
        ):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for item in items:
                if item.icon:
                    combo.addItem(activity_type_icon(item.icon), item.name, item.id)
                else:
                    combo.addItem(item.name, item.id)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
        self._options_loaded = True
        self.refresh()

    # --- filter ----------------------------------------------------------------------

    def _period_changed(self) -> None:
        custom = self.period_combo.currentData() == CUSTOM
        self.from_edit.setVisible(custom)
        self.to_label.setVisible(custom)
        self.to_edit.setVisible(custom)
        self.refresh()

    def current_filter(self) -> StreamFilter:
        today = self.today_fn()
        period = self.period_combo.currentData()
        since = until = None
        if period == TODAY:
            since = local_midnight(today)
        elif period in (LAST_7, LAST_30):
            since = local_midnight(today - timedelta(days=int(period) - 1))
        elif period == CUSTOM:
            # PySide6's stub types QDate.toPython() as object; it returns a datetime.date
            start: date = self.from_edit.date().toPython()  # type: ignore[assignment]
            end: date = self.to_edit.date().toPython()  # type: ignore[assignment]
            since, until = local_midnight(start), local_midnight(end + timedelta(days=1))
        return StreamFilter(
            user_id=self.user_combo.currentData(),
            team_id=self.team_combo.currentData(),
            type_id=self.type_combo.currentData(),
            since=since,
            until=until,
        )

    def set_filter(
        self,
        *,
        user_id: int | None = None,
        team_id: int | None = None,
        type_id: int | None = None,
        period: str = ANY,
    ) -> None:
        """Set every filter at once (one reload)."""
        for combo, value in (
            (self.user_combo, user_id),
            (self.team_combo, team_id),
            (self.type_combo, type_id),
            (self.period_combo, period),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self._period_changed()

    def refresh(self) -> None:
        if not self._options_loaded:
            return
        f = self.current_filter()
        self._filter = f
        self.model.set_query(lambda s, before, limit: stream_page(s, f, before=before, limit=limit))

    def _on_changed(self, summary: ChangeSummary) -> None:
        if not self._options_loaded:
            return
        if summary.touches(Entity.USER, Entity.TEAM, Entity.ACTIVITY_TYPE):
            self.services.read(stream_options, self._fill_options, self._failed)
            return
        if summary.unknown(Entity.ACTIVITY, Entity.RECORD, Entity.STATUS_CHANGE):
            self.refresh()  # (a colleague's change without ids: the stream anew)
            return
        ids = summary.created.get(Entity.ACTIVITY, frozenset()) | summary.updated.get(
            Entity.ACTIVITY, frozenset()
        )
        if summary.touches(Entity.RECORD, Entity.STATUS_CHANGE):
            # A renamed record or a status change: refresh the rows shown of it.
            ids |= {r.id for r in self.model.rows if r.record_id in summary.ids(Entity.RECORD)}
        if not ids:
            return
        f = self._filter
        self.services.read(lambda s: stream_rows(s, f, ids), self._merge, self._failed)

    def _merge(self, rows: list[StreamRow]) -> None:
        if self.model.merge(rows):
            self._update_status()

    # --- actions -----------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.record_requested.emit(row.record_id)

    def _open_current(self) -> None:
        self._clicked(self.table.currentIndex())

    def _update_status(self) -> None:
        n = len(self.model.rows)
        if n == 0:
            self.status.setText(self.tr("No activities match the filter."))
        elif self.model.exhausted:
            self.status.setText(self.tr("{count} activities").format(count=format_number(n)))
        else:
            self.status.setText(
                self.tr("{count} newest activities loaded — scroll for more").format(
                    count=format_number(n)
                )
            )

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Could not load: {error}").format(error=exc))
