"""The record list's table model: keyset pages of the current search, fetched
on the worker as the user scrolls; the ids of the result in list order, the
rows in a bounded cache, the count of all matches."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from akquise_desktop.queries import records as q

from . import common
from .keyset_model import KeysetTableModel
from .services import Services

BLOCK = 100  # rows fetched per request
COUNT_DELAY_MS = 400  # the count waits until typing pauses

IdRole = Qt.ItemDataRole.UserRole + 1


class RecordTableModel(KeysetTableModel[q.RecordRow]):
    """The record list: keyset pages of the current search, fetched on the
    worker as the user scrolls (:func:`queries.records.record_page`); the count
    of all matches comes with the first page when it is small, else from a
    separate (capped) count once typing pauses."""

    COLUMNS = ("name", "city", "phone", "status", "next_follow_up", "inactivity", "owner")
    count_changed = Signal(object)  # RecordCount, or None while counting

    def __init__(self, services: Services, parent=None) -> None:
        super().__init__(services, page_size=BLOCK, parent=parent)
        self.criteria = q.RecordCriteria()
        self.count: q.RecordCount | None = None
        self._row_of: dict[int, int] | None = None
        self._held = False  # loads wait until the list is first shown
        self._reload_wanted = False
        self._search = 0  # generation of the criteria (outdated counts are dropped)
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self.loaded.connect(self._first_page_arrived)
        self.modelReset.connect(self._forget_rows)
        self.rowsInserted.connect(self._forget_rows)
        self.layoutChanged.connect(self._forget_rows)  # (a reload that keeps the rows)
        self.today = self.services.clock.today()
        self._link_font: QFont | None = None
        self.headers = [
            self.tr("Name"),
            self.tr("City"),
            self.tr("Phone"),
            self.tr("Campaign status"),
            self.tr("Next follow-up", "column header, short"),
            self.tr("Days inactive"),
            self.tr("Account manager"),
        ]
        self.header_tips = {
            "next_follow_up": self.tr("Due date of the next open follow-up"),
            "inactivity": self.tr("Days since the last activity"),
            "status": self.tr("Status in the filtered campaign, else in the latest one"),
        }

    # --- loading -----------------------------------------------------------------

    def set_criteria(self, criteria: q.RecordCriteria) -> None:
        """Show the list for ``criteria`` from its first page; an older search's
        pages and count are dropped."""
        self.criteria = criteria
        self._search += 1
        if self._held:
            self._reload_wanted = True
            return
        self._start()

    def hold_until_shown(self) -> None:
        """Collect load requests instead of running them, until :meth:`release`."""
        self._held = True

    def release(self) -> None:
        """Run the one load that was asked for while held."""
        if self._held:
            self._held = False
            if self._reload_wanted:
                self._reload_wanted = False
                self._start()

    def _start(self) -> None:
        self._count_timer.stop()
        self.count = None
        self.count_changed.emit(None)
        criteria = self.criteria
        self.set_query(lambda s, after, limit: q.record_page(s, criteria, after, limit))

    def reload(self) -> None:
        """Fetch the rows shown again (after a change), as many as were loaded."""
        if self._held:
            self._reload_wanted = True
            return
        if self._query is None:
            self._start()
            return
        self._search += 1
        super().reload()

    def _first_page_arrived(self) -> None:
        self.today = self.services.clock.today()
        known = self.total if isinstance(self.total, q.RecordCount) else None
        if known is not None:
            self._set_count(self._search, known)
        elif not self.criteria.filtered:
            self._count()  # all records: counted from an index at once
        else:
            self._count_timer.start()

    def _count(self) -> None:
        search, criteria = self._search, self.criteria

        def job(s):
            if search != self._search:
                return None  # a newer search came while this waited in the queue
            return q.record_total(s, criteria)

        self.services.read(job, lambda count: self._set_count(search, count))

    def _set_count(self, search: int, count: q.RecordCount | None) -> None:
        if count is not None and search == self._search:
            self.count = count
            self.count_changed.emit(count)

    def _forget_rows(self, *_args) -> None:
        self._row_of = None

    # --- rows ----------------------------------------------------------------------

    def record_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found is not None else None

    def row_of(self, record_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {r.id: n for n, r in enumerate(self.rows)}
        return self._row_of.get(record_id)

    def cached(self, record_id: int) -> q.RecordRow | None:
        row = self.row_of(record_id)
        return self.rows[row] if row is not None else None

    @property
    def ids(self) -> list[int]:
        """The ids of the rows loaded so far, in list order."""
        return [r.id for r in self.rows]

    # --- the model ---------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(self.COLUMNS[section])
        return None

    def cell(self, row: q.RecordRow, column_index: int, role: int) -> Any:
        if role == IdRole:
            return row.id
        column = self.COLUMNS[column_index]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == "status" and row.status_color:
                return common.status_swatch(row.status_color)
            if column == "name":
                return common.icon(
                    "mdi6.account-outline" if row.kind == "person" else "mdi6.domain", "#607D8B"
                )
        if (
            column == "phone"
            and row.phone
            and role
            in (
                Qt.ItemDataRole.ForegroundRole,
                Qt.ItemDataRole.FontRole,
            )
        ):
            return self._phone_link(role)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "inactivity":
                return common.inactivity_color(common.days_since(row.last_activity_at, self.today))
            if column == "next_follow_up":
                return common.due_roles(row.next_follow_up, self.today)[0]
        if role == Qt.ItemDataRole.BackgroundRole and column == "next_follow_up":
            return common.due_roles(row.next_follow_up, self.today)[1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "inactivity":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _display(self, row: q.RecordRow, column: str) -> str:
        if column == "name":
            return row.name
        if column == "city":
            return row.city or ""
        if column == "phone":
            return row.phone or ""
        if column == "status":
            if row.status is None:
                return ""
            if self.criteria.campaign_id is None and row.campaign_count > 1:
                return (
                    self.tr("%1 (+%2)")
                    .replace("%1", row.status)
                    .replace("%2", str(row.campaign_count - 1))
                )
            return row.status
        if column == "next_follow_up":
            return common.format_date(row.next_follow_up)
        if column == "inactivity":
            days = common.days_since(row.last_activity_at, self.today)
            return "–" if days is None else common.format_number(days)
        return row.owner or ""

    def _phone_link(self, role: int) -> Any:
        """A phone number looks like a link (a click on it dials: ui/calls.py)."""
        from .calls import LINK_COLOR, link_font

        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(LINK_COLOR)
        if self._link_font is None:
            self._link_font = link_font(QFont())
        return self._link_font

    def _tooltip(self, row: q.RecordRow, column: str) -> str | None:
        if column == "phone" and row.phone:
            return self.tr("Call %1").replace("%1", row.phone)
        if column == "status" and row.campaign:
            return self.tr("Campaign: %1").replace("%1", row.campaign)
        if column == "inactivity":
            if row.last_activity_at is None:
                return self.tr("No activity yet")
            return self.tr("Last activity: %1").replace(
                "%1", common.format_datetime(row.last_activity_at)
            )
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return  # "no sort column" (-1) keeps the current order
        key = self.COLUMNS[column]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.criteria.sort and descending == self.criteria.descending and self.rows:
            return
        self.set_criteria(replace(self.criteria, sort=key, descending=descending))
