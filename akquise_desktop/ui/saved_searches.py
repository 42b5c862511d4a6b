"""Selektionen: the saved searches of the record list, a panel of their own.

It lists the user's saved searches ("All records" first), saves the list's
current criteria under a name, deletes one, and says which one was chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.saved_searches import delete_search, save_search
from akquise_desktop.core.errors import DomainError
from akquise_desktop.queries import records as q

from . import common
from .i18n import current_language
from .lookup_store import LookupStore
from .record_table_model import IdRole
from .services import Services


class SavedSearchesPanel(QWidget):
    """The saved searches: choosing one emits its criteria (None: all records);
    saving takes the criteria of ``criteria()`` (the list's current filters)."""

    chosen = Signal(object)  # RecordCriteria, or None for "All records"
    refused = Signal(str)  # why saving or deleting was refused

    def __init__(
        self,
        services: Services,
        lookup_store: LookupStore,
        criteria: Callable[[], q.RecordCriteria],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.lookup_store = lookup_store
        self.criteria = criteria
        self._saved: tuple[q.SavedSearchRow, ...] = ()
        saved_layout = QVBoxLayout(self)
        saved_layout.setContentsMargins(0, 0, 0, 0)
        saved_label = QLabel(self.tr("Sa&ved searches"), self)
        self.saved_list = QListWidget(self)
        self.saved_list.setObjectName("saved_searches")
        saved_label.setBuddy(self.saved_list)
        self.save_button = QPushButton(
            common.icon("mdi6.content-save-outline"), self.tr("&Save search …"), self
        )
        self.delete_button = QPushButton(
            common.icon("mdi6.delete-outline"), self.tr("&Delete"), self
        )
        self.delete_button.setEnabled(False)
        buttons = QVBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        saved_layout.addWidget(saved_label)
        saved_layout.addWidget(self.saved_list, 1)
        saved_layout.addLayout(buttons)

        self.saved_list.itemActivated.connect(self._saved_activated)
        self.saved_list.itemClicked.connect(self._saved_activated)
        self.save_button.clicked.connect(self.save_current_search)
        self.delete_button.clicked.connect(self.delete_selected_search)
        self.saved_list.currentRowChanged.connect(self._saved_selection_changed)

    def load_saved_searches(self) -> None:
        user_id = self.services.user_id
        self.services.read(lambda s: q.saved_searches(s, user_id), self._saved_loaded)

    def _saved_loaded(self, rows: tuple[q.SavedSearchRow, ...]) -> None:
        self._saved = rows
        current = self.saved_list.currentItem()
        current_id = current.data(IdRole) if current is not None else None
        self.saved_list.clear()
        everything = QListWidgetItem(common.icon("mdi6.database-outline"), self.tr("All records"))
        everything.setData(IdRole, None)
        self.saved_list.addItem(everything)
        for row in rows:
            item = QListWidgetItem(common.icon("mdi6.filter-outline"), row.name)
            item.setData(IdRole, row.id)
            item.setToolTip(self._describe(row.criteria))
            self.saved_list.addItem(item)
            if row.id == current_id:
                self.saved_list.setCurrentItem(item)

    def _describe(self, criteria: q.RecordCriteria) -> str:
        parts = []
        if criteria.text:
            parts.append(self.tr("Search: %1").replace("%1", criteria.text))
        data = self.lookup_store.current
        if data is not None:
            if (c := data.campaign(criteria.campaign_id)) is not None:
                parts.append(self.tr("Campaign: %1").replace("%1", c.name))
            if (st := data.status(criteria.status_id)) is not None:
                parts.append(self.tr("Status: %1").replace("%1", st.name))
            if (u := data.user(criteria.owner_id)) is not None:
                parts.append(self.tr("Account manager: %1").replace("%1", u.display_name))
            team = next((t for t in data.teams if t.id == criteria.team_id), None)
            if team is not None:
                parts.append(self.tr("Team: %1").replace("%1", team.name))
        return "\n".join(parts) or self.tr("All records")

    def _saved_activated(self, item: QListWidgetItem) -> None:
        sid = item.data(IdRole)
        if sid is None:
            self.chosen.emit(None)
            return
        row = next((r for r in self._saved if r.id == sid), None)
        if row is not None:
            self.chosen.emit(row.criteria)

    def _saved_selection_changed(self, _row: int) -> None:
        item = self.saved_list.currentItem()
        self.delete_button.setEnabled(item is not None and item.data(IdRole) is not None)

    def save_current_search(self, name: str | None = None) -> None:
        if not name:
            current = self.saved_list.currentItem()
            suggestion = current.text() if current and current.data(IdRole) is not None else ""
            name, ok = QInputDialog.getText(
                self, self.tr("Save search"), self.tr("&Name of the saved search:"),
                text=suggestion,
            )  # fmt: skip
            if not ok:
                return
        criteria = self.criteria().to_dict()
        self.services.change(
            lambda ctl: save_search(ctl, name, criteria),
            lambda _summary: self.load_saved_searches(),
            self._refused,
        )

    def delete_selected_search(self, *, confirm: bool = True) -> None:
        item = self.saved_list.currentItem()
        if item is None or item.data(IdRole) is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Delete saved search"),
                self.tr("Delete the saved search “%1”?").replace("%1", item.text()),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        sid = item.data(IdRole)
        self.services.change(
            lambda ctl: delete_search(ctl, sid),
            lambda _summary: self.load_saved_searches(),
            self._refused,
        )

    def _refused(self, error: BaseException) -> None:
        text = error.message(current_language()) if isinstance(error, DomainError) else str(error)
        self.refused.emit(text)
