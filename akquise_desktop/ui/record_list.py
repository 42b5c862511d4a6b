"""Datensätze: the record list.

Search-as-you-type, filters and sort all run in SQL on the worker
(:mod:`akquise_desktop.queries.records`). The table model holds only the
ordered ids of the result; rows are fetched in small blocks when they become
visible and kept in a bounded cache, so 100,000 records scroll smoothly.

:class:`RecordListView` composes the search field and filters, the table with
its model (:mod:`.record_table_model`) and the saved searches
(:mod:`.saved_searches`).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries import records as q
from akquise_desktop.queries.lookups import Lookups

from . import common
from .empty_state import RecordListEmptyState
from .keyset_model import keep_place
from .lookup_store import LookupStore
from .record_table_model import RecordTableModel
from .saved_searches import SavedSearchesPanel
from .services import Services

SEARCH_DELAY_MS = 250


class RecordListView(QWidget):
    """Search field, filters, saved searches and the record table."""

    record_requested = Signal(int)
    new_record_requested = Signal()  # from the empty state
    demo_requested = Signal()  # from the empty state: load demo data

    def __init__(
        self,
        services: Services,
        lookup_store: LookupStore,
        parent: QWidget | None = None,
        *,
        load_when_shown: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("record_list")
        self.services = services
        self.lookup_store = lookup_store
        self.model = RecordTableModel(services, self)
        if load_when_shown:
            # Start-up: the first screen's queries go first; this list's id
            # query (all matching records, sorted) runs once, when it is opened.
            self.model.hold_until_shown()
        self._applying = False
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._change_timer = QTimer(self, singleShot=True, interval=0)
        self._change_timer.timeout.connect(self._apply_pending_changes)
        self._pending_change: ChangeSummary | None = None
        self._restore: tuple[int | None, int] | None = None
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        # The status choices follow the campaign before the filter applies.
        self.campaign_combo.currentIndexChanged.connect(lambda _i: self._fill_statuses())
        for combo in (self.campaign_combo, self.status_combo, self.owner_combo, self.team_combo):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.reset_button.clicked.connect(self.reset_filters)
        self.table.activated.connect(self._activated)
        self.model.count_changed.connect(self._count_changed)
        self.empty_state.new_record_requested.connect(self.new_record_requested)
        self.empty_state.demo_requested.connect(self.demo_requested)
        self.empty_state.clear_filter_requested.connect(self.reset_filters)
        self.model.loaded.connect(self._page_loaded)
        self.model.failed.connect(lambda error: self._show_error(str(error)))
        self.saved_searches.chosen.connect(self._saved_chosen)
        self.saved_searches.refused.connect(self._refused)
        lookup_store.changed.connect(self._lookups_changed)
        services.bus.changed.connect(self._on_changed)
        if lookup_store.current is not None:
            self._lookups_changed(lookup_store.current)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.load_saved_searches()

    def showEvent(self, event) -> None:
        self.model.release()
        super().showEvent(event)

    # --- layout --------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("record_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search name, city, phone, e-mail, contact person … (Ctrl+F)")
        )
        self.search.setMaxLength(q.MAX_TEXT)
        self.campaign_combo = QComboBox(self)
        self.status_combo = QComboBox(self)
        self.owner_combo = QComboBox(self)
        self.team_combo = QComboBox(self)
        for combo in (self.campaign_combo, self.status_combo, self.owner_combo, self.team_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumWidth(90)
        self.reset_button = QPushButton(self.tr("Reset &filters"), self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("record_count")
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #B71C1C")
        self.message.setWordWrap(True)
        self.message.hide()

        # Two rows of filters, so the list fits narrow windows too.
        filters = QGridLayout()
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(3, 2)
        filters.setColumnStretch(5, 1)
        for n, (text, combo) in enumerate(
            (
                (self.tr("&Campaign:"), self.campaign_combo),
                (self.tr("S&tatus:"), self.status_combo),
                (self.tr("&Account manager:"), self.owner_combo),
                (self.tr("T&eam:"), self.team_combo),
            )
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            row, col = divmod(n, 2)
            filters.addWidget(label, row, col * 2)
            filters.addWidget(combo, row, col * 2 + 1)
        filters.addWidget(self.reset_button, 0, 4)
        filters.addWidget(self.count_label, 1, 4)

        self.table = QTableView(self)
        self.table.setObjectName("record_table")
        self.table.setModel(self.model)
        keep_place(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {"name": 240, "city": 125, "phone": 110, "status": 150, "next_follow_up": 110,
                  "inactivity": 95, "owner": 120}  # fmt: skip
        for col, key in enumerate(self.model.COLUMNS):
            header.resizeSection(col, widths[key])
        self.empty_state = RecordListEmptyState(self.table)

        self.saved_searches = SavedSearchesPanel(
            self.services, self.lookup_store, self.criteria, self
        )

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.search)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("record_list_splitter")
        self.splitter.addWidget(self.saved_searches)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        open_action = QAction(self.tr("Open record"), self)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self._open_current)
        self.table.addAction(open_action)
        self._build_call_action()
        down = QAction(self)
        down.setShortcut(QKeySequence(Qt.Key.Key_Down))
        down.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        down.triggered.connect(self._focus_table)
        self.search.addAction(down)
        self.setTabOrder(self.search, self.campaign_combo)
        self.setTabOrder(self.campaign_combo, self.status_combo)
        self.setTabOrder(self.status_combo, self.owner_combo)
        self.setTabOrder(self.owner_combo, self.team_combo)
        self.setTabOrder(self.team_combo, self.reset_button)
        self.setTabOrder(self.reset_button, self.table)
        saved = self.saved_searches
        self.setTabOrder(self.table, saved.saved_list)
        self.setTabOrder(saved.saved_list, saved.save_button)
        self.setTabOrder(saved.save_button, saved.delete_button)

    # --- filters -------------------------------------------------------------------

    def _lookups_changed(self, data: Lookups) -> None:
        """Refill the filter choices, keeping the filters in effect."""
        shown = self.model.criteria
        self._applying = True
        try:
            campaigns = [
                (c.name if c.active else self.tr("%1 (inactive)").replace("%1", c.name), c.id)
                for c in data.campaigns
            ]
            self._fill(self.campaign_combo, self.tr("All campaigns"), campaigns, shown.campaign_id)
            users = [(u.display_name, u.id) for u in data.users if u.active]
            self._fill(self.owner_combo, self.tr("Everyone"), users, shown.owner_id)
            teams = [(t.name, t.id) for t in data.teams]
            self._fill(self.team_combo, self.tr("All teams"), teams, shown.team_id)
            self._fill_statuses(shown.status_id)
        finally:
            self._applying = False

    @staticmethod
    def _fill(
        combo: QComboBox, all_text: str, items: list[tuple[str, int]], selected: int | None
    ) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(selected) if selected is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _fill_statuses(self, selected: int | None = None) -> None:
        """The status choices: of the chosen campaign, or all as "campaign: status"."""
        data = self.lookup_store.current
        if data is None:
            return
        campaign_id = self.campaign_combo.currentData()
        if selected is None:
            selected = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(self.tr("All statuses"), None)
        for campaign in data.campaigns:
            if campaign_id is not None and campaign.id != campaign_id:
                continue
            for status in campaign.statuses:
                text = status.name if campaign_id else f"{campaign.name}: {status.name}"
                self.status_combo.addItem(common.status_swatch(status.color), text, status.id)
        index = self.status_combo.findData(selected) if selected is not None else 0
        self.status_combo.setCurrentIndex(max(index, 0))
        self.status_combo.blockSignals(False)

    def _filter_changed(self) -> None:
        if not self._applying:
            self.apply_filters()

    def criteria(self) -> q.RecordCriteria:
        return q.RecordCriteria(
            text=self.search.text().strip(),
            campaign_id=self.campaign_combo.currentData(),
            status_id=self.status_combo.currentData(),
            owner_id=self.owner_combo.currentData(),
            team_id=self.team_combo.currentData(),
            sort=self.model.criteria.sort,
            descending=self.model.criteria.descending,
        )

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.apply_filters()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.message.hide()
        self._restore = None  # a position kept for a reload means nothing in a new search
        self.model.set_criteria(self.criteria())

    def set_criteria(self, criteria: q.RecordCriteria) -> None:
        """Show the list for ``criteria`` (a saved search, a campaign status)."""
        self._applying = True
        try:
            self.search.setText(criteria.text)
            for combo, value in (
                (self.campaign_combo, criteria.campaign_id),
                (self.owner_combo, criteria.owner_id),
                (self.team_combo, criteria.team_id),
            ):
                combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)
            self._fill_statuses()
            value = criteria.status_id
            self.status_combo.setCurrentIndex(
                max(self.status_combo.findData(value), 0) if value is not None else 0
            )
            column = self.model.COLUMNS.index(criteria.sort)
            order = (
                Qt.SortOrder.DescendingOrder if criteria.descending else Qt.SortOrder.AscendingOrder
            )
            self.table.horizontalHeader().blockSignals(True)
            self.table.horizontalHeader().setSortIndicator(column, order)
            self.table.horizontalHeader().blockSignals(False)
        finally:
            self._applying = False
        self.message.hide()
        self._restore = None
        self.model.set_criteria(criteria)

    def reset_filters(self) -> None:
        self.set_criteria(
            q.RecordCriteria(
                sort=self.model.criteria.sort, descending=self.model.criteria.descending
            )
        )
        self.saved_searches.saved_list.setCurrentRow(0)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- results -------------------------------------------------------------------

    def _count_changed(self, count: q.RecordCount | None) -> None:
        self.empty_state.update_for(
            count.value if count is not None and count.exact else None,
            self.model.criteria.filtered,
        )
        if count is None:
            self.count_label.setText(self.tr("Counting …"))
        elif count.exact:
            self.count_label.setText(self.tr("%n record(s)", "", count.value))
        else:
            self.count_label.setText(
                self.tr("More than %1 records").replace("%1", common.format_number(count.value))
            )

    def _page_loaded(self) -> None:
        if self._restore is not None:
            current_id, scroll = self._restore
            self._restore = None
            if current_id is not None and self.current_record_id() == current_id:
                return  # the reload kept current row, selection and scroll (by id)
            row = self.model.row_of(current_id) if current_id is not None else None
            if row is not None:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    self.table.selectionModel().SelectionFlag.ClearAndSelect
                    | self.table.selectionModel().SelectionFlag.Rows,
                )
            self.table.verticalScrollBar().setValue(scroll)
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _show_error(self, text: str) -> None:
        self.message.setText(self.tr("The search failed: %1").replace("%1", text))
        self.message.show()

    def current_record_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        rid = self.model.record_id(index.row())
        if rid is not None:
            self.record_requested.emit(rid)

    def _open_current(self) -> None:
        rid = self.current_record_id()
        if rid is not None:
            self.record_requested.emit(rid)

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    # --- calls (ui/calls.py) ---------------------------------------------------------------

    def _build_call_action(self) -> None:
        """*Anrufen* in the table's context menu, and the phone column's numbers
        as links: both dial the row's phone."""
        from .calls import PhoneLinks

        self.call_action = QAction(common.icon("mdi6.phone", "#2E7D32"), self.tr("C&all"), self)
        self.call_action.setObjectName("call")
        self.call_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.call_action.triggered.connect(
            lambda _=False: self.dial_row(self.table.currentIndex().row())
        )
        self.call_action.setEnabled(False)
        self.table.addAction(self.call_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.selectionModel().currentChanged.connect(self._update_call_action)
        self.model.modelReset.connect(self._update_call_action)
        self.phone_links = PhoneLinks(
            self.table, self.model.COLUMNS.index("phone"), lambda index: self.dial_row(index.row())
        )

    def _update_call_action(self, *_args) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        phone = row.phone if row is not None else None
        self.call_action.setEnabled(bool(phone))
        self.call_action.setText(
            self.tr("C&all %1").replace("%1", phone) if phone else self.tr("C&all")
        )

    def dial_row(self, row_number: int) -> None:
        """Dial the phone of the record in row ``row_number``."""
        row = self.model.row_at(row_number) if row_number >= 0 else None
        if row is None or not row.phone:
            return
        self.services.calls.dial(row.phone, row.id, row.name, parent=self)

    # --- hook for bulk editing (ui/power_tools.py) -------------------------------------

    def add_context_action(self, action: QAction) -> None:
        """Offer ``action`` in the table's context menu; rows become multi-selectable."""
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(action)

    def selected_record_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [rid for row in rows if (rid := self.model.record_id(row)) is not None]

    def load_result_ids(self, on_done) -> None:
        """Call ``on_done`` with the ids of the whole current search result, in
        list order (read on the worker: it can be 100,000 ids)."""
        criteria = self.model.criteria
        self.services.read(lambda s: q.record_ids(s, criteria), on_done)

    # --- changes from the controller ----------------------------------------------------

    def _on_changed(self, summary: ChangeSummary) -> None:
        pending = self._pending_change
        self._pending_change = summary if pending is None else pending.merged(summary)
        self._change_timer.start()

    def _apply_pending_changes(self) -> None:
        summary, self._pending_change = self._pending_change, None
        if summary is None:
            return
        records = summary.touches(Entity.RECORD)
        lookups_changed = summary.touches(Entity.USER, Entity.CAMPAIGN, Entity.CAMPAIGN_STATUS)
        contacts_matter = bool(self.model.criteria.text) and summary.touches(Entity.CONTACT)
        if records or lookups_changed or summary.touches(Entity.MEMBERSHIP) or contacts_matter:
            # Order and membership of the result may have changed: ask SQL again,
            # keeping the current record and the scroll position.
            self._restore = (self.current_record_id(), self.table.verticalScrollBar().value())
            self.model.reload()

    # --- saved searches --------------------------------------------------------------

    def load_saved_searches(self) -> None:
        self.saved_searches.load_saved_searches()

    def _saved_chosen(self, criteria: q.RecordCriteria | None) -> None:
        if criteria is None:
            self.reset_filters()
        else:
            self.set_criteria(criteria)

    def _refused(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- window state ----------------------------------------------------------------

    def save_state(self, settings) -> None:
        settings.set_state("record_list/splitter", self.splitter.saveState())
        settings.set_state("record_list/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings) -> None:
        if (state := settings.state("record_list/splitter")) is not None:
            self.splitter.restoreState(state)
        if (state := settings.state("record_list/header")) is not None:
            self.table.horizontalHeader().restoreState(state)
