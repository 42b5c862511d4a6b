"""A record's timeline (newest first, paged as the user scrolls) and the
detail pane that shows the selected entry — for a follow-up, its source
activity ("zugehörige Aktivität")."""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTextBrowser,
    QTreeView,
    QWidget,
)

from akquise_desktop.queries import timeline as tl

from . import common
from .services import Services

KindRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

STATE_ICONS = {
    "open": ("mdi6.calendar-clock", "#1565C0"),
    "done": ("mdi6.calendar-check", "#2E7D32"),
    "cancelled": ("mdi6.calendar-remove", "#757575"),
}


class TimelineModel(QAbstractTableModel):
    """Entries of one record's timeline; more pages load on ``fetchMore``."""

    COLUMNS = ("when", "entry", "who")
    loaded = Signal()

    def __init__(self, services: Services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.record_id: int | None = None
        self.entries: list[tl.TimelineEntry] = []
        self._cursor: tl.Cursor | None = None
        self._more = False
        self._loading = False
        self._generation = 0
        self.today = self.services.clock.today()
        self.headers = (self.tr("When"), self.tr("Entry"), self.tr("By / for"))

    def load(self, record_id: int | None) -> None:
        """(Re)load the first page of ``record_id``'s timeline."""
        self._generation += 1
        self.record_id = record_id
        self._loading = False
        if record_id is None:
            self.beginResetModel()
            self.entries, self._cursor, self._more = [], None, False
            self.endResetModel()
            return
        self._request(None, replace=True)

    def expect(self, record_id: int) -> int:
        """Show ``record_id``'s timeline from a first page read by another job
        (the record view reads it with the record, in one transaction): hand it
        over with :meth:`first_page_arrived` (or :meth:`first_page_failed`) and
        the number returned. A later ``load`` or ``expect`` voids the hand-over."""
        self._generation += 1
        self.record_id = record_id
        self._loading = True
        return self._generation

    def first_page_arrived(self, generation: int, page: tl.TimelinePage) -> None:
        self._arrived(generation, True, page)

    def first_page_failed(self, generation: int) -> None:
        self._failed(generation, None)

    def _request(self, cursor: tl.Cursor | None, *, replace: bool) -> None:
        record_id = self.record_id
        assert record_id is not None
        self._loading = True
        self.services.read(
            lambda s: tl.timeline_page(s, record_id, cursor),
            partial(self._arrived, self._generation, replace),
            partial(self._failed, self._generation),
        )

    def _failed(self, generation: int, _error: BaseException | None) -> None:
        if generation == self._generation:
            self._loading = False

    def _arrived(self, generation: int, replace: bool, page: tl.TimelinePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.today = self.services.clock.today()
        if replace:
            self.beginResetModel()
            self.entries = list(page.entries)
            self.endResetModel()
        elif page.entries:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self.entries.extend(page.entries)
            self.endInsertRows()
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        self.loaded.emit()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request(self._cursor, replace=False)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def row_of(self, kind: str, entry_id: int) -> int | None:
        for row, e in enumerate(self.entries):
            if e.kind == kind and e.id == entry_id:
                return row
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        column = self.COLUMNS[index.column()]
        if role == KindRole:
            return e.kind
        if role == IdRole:
            return e.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "when":
                return self._when(e)
            if column == "entry":
                return self._title(e)
            return e.author or ""
        if role == Qt.ItemDataRole.DecorationRole and column == "entry":
            return self._icon(e)
        if role == Qt.ItemDataRole.DecorationRole and column == "when" and e.priority:
            return common.priority_icon(e.priority)
        if e.kind == tl.FOLLOW_UP and e.state == "open" and column == "when":
            fg, bg = common.due_roles(e.due_date, self.today)
            if role == Qt.ItemDataRole.ForegroundRole:
                return fg
            if role == Qt.ItemDataRole.BackgroundRole:
                return bg
        if role == Qt.ItemDataRole.FontRole and e.kind == tl.FOLLOW_UP and e.state == "open":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == "entry":
            return self._title(e)
        return None

    def _when(self, e: tl.TimelineEntry) -> str:
        if e.kind == tl.FOLLOW_UP and e.state == "open":
            due = common.format_date(e.due_date)
            if e.due_time is not None:
                due = f"{due} {common.format_time(e.due_time)}"
            return self.tr("due %1").replace("%1", due)
        return common.format_datetime(e.at)

    def _title(self, e: tl.TimelineEntry) -> str:
        if e.kind == tl.ACTIVITY:
            return f"{e.type_name}: {e.title}"
        if e.kind == tl.STATUS_CHANGE:
            if e.from_status is None:
                return (
                    self.tr("%1: status %2").replace("%1", e.title).replace("%2", e.to_status or "")
                )
            return (
                self.tr("%1: %2 → %3")
                .replace("%1", e.title)
                .replace("%2", e.from_status)
                .replace("%3", e.to_status or "")
            )
        if e.state == "done":
            return self.tr("Follow-up done: %1").replace(
                "%1", e.title or self.tr("(no instruction)")
            )
        return self.tr("Follow-up: %1").replace("%1", e.title or self.tr("(no instruction)"))

    def _icon(self, e: tl.TimelineEntry):
        if e.kind == tl.ACTIVITY:
            return common.activity_type_icon(e.icon)
        if e.kind == tl.STATUS_CHANGE:
            return common.icon("mdi6.swap-horizontal-bold", e.color or "#616161")
        name, color = STATE_ICONS.get(e.state or "open", STATE_ICONS["open"])
        return common.icon(name, color)


class TimelineView(QTreeView):
    """The timeline list; emits ``entry_selected(kind, id)``."""

    entry_selected = Signal(str, int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.timeline = TimelineModel(services, self)
        self.setModel(self.timeline)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.entry_selected.emit(current.data(KindRole), current.data(IdRole))

    def select_entry(self, kind: str, entry_id: int) -> bool:
        row = self.timeline.row_of(kind, entry_id)
        if row is None:
            return False
        self.setCurrentIndex(self.timeline.index(row, 0))
        return True


class EntryDetail(QTextBrowser):
    """Text, date, author of a timeline entry; a follow-up with its source activity."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_detail")
        self.services = services
        self.setOpenLinks(False)
        self._generation = 0
        self.shown: tuple[str, int] | None = None
        self.info: Any = None
        self.show_placeholder()

    def show_placeholder(self) -> None:
        self._generation += 1
        self.shown = None
        self.info = None
        self.setHtml(
            "<p style='color:#757575'>"
            + html.escape(self.tr("Select an entry of the timeline to see its details."))
            + "</p>"
        )

    def show_entry(self, kind: str, entry_id: int) -> None:
        self._generation += 1
        self.shown = (kind, entry_id)
        self.services.read(
            lambda s: tl.entry_info(s, kind, entry_id), partial(self._arrived, self._generation)
        )

    def refresh(self) -> None:
        if self.shown is not None:
            self.show_entry(*self.shown)

    def _arrived(self, generation: int, info: Any) -> None:
        if generation != self._generation:
            return
        self.info = info
        if info is None:
            self.setHtml("<p>" + html.escape(self.tr("This entry no longer exists.")) + "</p>")
        elif isinstance(info, tl.ActivityInfo):
            self.setHtml(self._activity_html(info, heading=True))
        elif isinstance(info, tl.FollowUpInfo):
            self.setHtml(self._follow_up_html(info))
        else:
            self.setHtml(self._status_change_html(info))

    # --- HTML ------------------------------------------------------------------------

    @staticmethod
    def _e(text: Any) -> str:
        return html.escape(str(text)) if text is not None else ""

    def _rows(self, rows: list[tuple[str, str]]) -> str:
        cells = "".join(
            f"<tr><td style='color:#616161; padding-right:12px'>{self._e(k)}</td><td>{v}</td></tr>"
            for k, v in rows
            if v
        )
        return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"

    def _text(self, text: str) -> str:
        if not text:
            return ""
        body = "<br>".join(self._e(line) for line in text.splitlines())
        return f"<p style='margin-top:6px'>{body}</p>"

    def _activity_html(self, a: tl.ActivityInfo, *, heading: bool) -> str:
        tag = "h3" if heading else "h4"
        parts = [f"<{tag} style='margin:0'>{self._e(a.type_name)}: {self._e(a.subject)}</{tag}>"]
        rows = [
            (self.tr("When"), self._e(common.format_datetime(a.occurred_at))),
            (self.tr("By"), self._e(a.author)),
            (self.tr("Contact person"), self._e(a.contact)),
        ]
        if a.duration_minutes:
            rows.append(
                (self.tr("Duration"), self._e(self.tr("%n minute(s)", "", a.duration_minutes)))
            )
        for campaign, old, new, color in a.status_changes:
            swatch = f"<span style='color:{self._e(color)}'>■</span>"
            change = (
                f"{self._e(old)} → {swatch} {self._e(new)}" if old else f"{swatch} {self._e(new)}"
            )
            rows.append((self.tr("Status %1").replace("%1", campaign), change))
        for _fid, instruction, due in a.completed:
            rows.append(
                (self.tr("Completed"), self._e(f"{common.format_date(due)} {instruction}".strip()))
            )
        for _fid, instruction, due, state in a.follow_ups:
            label = self.tr("Next follow-up") if state == "open" else self.tr("Follow-up set")
            rows.append((label, self._e(f"{common.format_date(due)} {instruction}".strip())))
        if a.corrected_at is not None:
            rows.append((self.tr("Corrected"), self._e(common.format_datetime(a.corrected_at))))
        parts.append(self._rows(rows))
        parts.append(self._text(a.text))
        return "".join(parts)

    def _follow_up_html(self, f: tl.FollowUpInfo) -> str:
        states = {
            "open": self.tr("open"),
            "done": self.tr("done"),
            "cancelled": self.tr("cancelled"),
        }
        priorities = {0: self.tr("normal"), 1: self.tr("high"), 2: self.tr("time-critical")}
        due = common.format_date(f.due_date)
        if f.due_time is not None:
            due = f"{due} {common.format_time(f.due_time)}"
        title = f.instruction or self.tr("(no instruction)")
        heading = self.tr("Follow-up: %1").replace("%1", title)
        parts = [f"<h3 style='margin:0'>{self._e(heading)}</h3>"]
        rows = [
            (self.tr("Due"), self._e(due)),
            (self.tr("State"), self._e(states.get(f.state, f.state))),
            (self.tr("Priority"), self._e(priorities.get(f.priority, str(f.priority)))),
            (self.tr("Assigned to"), self._e(f.assignee)),
            (
                self.tr("Created by"),
                self._e(f"{f.created_by}, {common.format_datetime(f.created_at)}"),
            ),
        ]
        if f.recurrence:
            rows.append((self.tr("Repeats"), self._e(f"{f.recurrence} (#{f.occurrence})")))
        parts.append(self._rows(rows))
        parts.append("<hr>")
        if f.source is not None:
            source = self.tr("Source activity")
            parts.append(f"<p><b>{self._e(source)}</b></p>")
            parts.append(self._activity_html(f.source, heading=False))
        else:
            without = self.tr("Created without an activity.")
            parts.append(f"<p><i>{self._e(without)}</i></p>")
        if f.completed_by is not None:
            parts.append("<hr>")
            completed = self.tr("Completed by")
            parts.append(f"<p><b>{self._e(completed)}</b></p>")
            parts.append(self._activity_html(f.completed_by, heading=False))
        return "".join(parts)

    def _status_change_html(self, c: tl.StatusChangeInfo) -> str:
        swatch = f"<span style='color:{self._e(c.color)}'>■</span>"
        head = self.tr("Status %1").replace("%1", c.campaign)
        change = f"{self._e(c.from_status)} → " if c.from_status else ""
        carried = self.tr("Carried by the activity")
        parts = [
            f"<h3 style='margin:0'>{self._e(head)}: {change}{swatch} {self._e(c.to_status)}</h3>",
            f"<p><b>{self._e(carried)}</b></p>",
            self._activity_html(c.activity, heading=False),
        ]
        return "".join(parts)
