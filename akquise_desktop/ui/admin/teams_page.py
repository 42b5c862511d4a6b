"""Betreuergruppen: the teams with their number of active members; create,
rename, delete (only a team nobody belongs to, active or not: their history
names it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries.admin import TeamRow, teams

from ..common import format_number, icon
from ..services import Services
from .page import AdminPage

COL_NAME, COL_MEMBERS = range(2)


class TeamsPage(AdminPage):
    """The teams list, a name field and the buttons."""

    WATCHED = (Entity.TEAM, Entity.USER)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.rows: tuple[TeamRow, ...] = ()
        self.selected_id: int | None = None
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        root = QVBoxLayout(self)
        title = QLabel(self.tr("Teams"))
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        root.addWidget(title)
        hint = QLabel(
            self.tr(
                "A team groups account managers. Only a team nobody belongs to (active or "
                "inactive) can be deleted."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546E7A;")
        root.addWidget(hint)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("teamsTable")
        self.table.setAccessibleName(self.tr("Teams"))
        self.table.setHorizontalHeaderLabels([self.tr("Team"), self.tr("Active members")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MEMBERS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        root.addWidget(self.table, 1)

        row = QHBoxLayout()
        label = QLabel(self.tr("&Name:"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("teamName")
        self.name_edit.setPlaceholderText(self.tr("Name of the team"))
        self.name_edit.textChanged.connect(self._update_buttons)
        label.setBuddy(self.name_edit)
        self.create_button = QPushButton(icon("mdi6.plus"), self.tr("&Create"))
        self.rename_button = QPushButton(icon("mdi6.rename-outline"), self.tr("&Rename"))
        self.delete_button = QPushButton(icon("mdi6.delete-outline"), self.tr("&Delete …"))
        self.create_button.clicked.connect(self.create_team)
        self.rename_button.clicked.connect(self.rename_team)
        self.delete_button.clicked.connect(self.ask_delete)
        row.addWidget(label)
        row.addWidget(self.name_edit, 1)
        row.addWidget(self.create_button)
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        root.addLayout(row)
        root.addWidget(self.message)

    # --- data ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(teams, self._loaded)

    def _loaded(self, rows: tuple[TeamRow, ...]) -> None:
        self.rows = rows
        if self.row(self.selected_id) is None:
            self.selected_id = None
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, team in enumerate(rows):
            name = QTableWidgetItem(icon("mdi6.account-group-outline", "#37474F"), team.name)
            members = QTableWidgetItem(format_number(team.members))
            members.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, item in ((COL_NAME, name), (COL_MEMBERS, members)):
                item.setData(Qt.ItemDataRole.UserRole, team.id)
                self.table.setItem(i, col, item)
        self.table.clearSelection()
        for i, team in enumerate(rows):
            if team.id == self.selected_id:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        self._update_buttons()

    def row(self, team_id: int | None) -> TeamRow | None:
        return next((t for t in self.rows if t.id == team_id), None)

    def select_team(self, team_id: int) -> None:
        for i, team in enumerate(self.rows):
            if team.id == team_id:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        items = self.table.selectedItems()
        self.selected_id = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        team = self.row(self.selected_id)
        if team is not None:
            self.name_edit.setText(team.name)
        self.hide_message()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_name = bool(self.name_edit.text().strip())
        team = self.row(self.selected_id)
        self.create_button.setEnabled(has_name)
        self.rename_button.setEnabled(
            team is not None and has_name and self.name_edit.text().strip() != team.name
        )
        self.delete_button.setEnabled(team is not None)

    # --- changes -----------------------------------------------------------------------

    def create_team(self) -> None:
        name = self.name_edit.text()
        self.change(lambda c: c.create_team(name), self._done)

    def rename_team(self) -> None:
        team_id, name = self.selected_id, self.name_edit.text()
        if team_id is not None:
            self.change(lambda c: c.rename_team(team_id, name), self._done)

    def _done(self, summary: ChangeSummary) -> None:
        self.selected_id = summary.result_id
        self.show_message(self.tr("Saved."))

    def ask_delete(self) -> None:
        team = self.row(self.selected_id)
        if team is None:
            return
        team_id = team.id
        self.confirm_delete(
            self.tr("Delete team"),
            self.tr("Delete the team “{name}”?").format(name=team.name),
            lambda: self.delete_team(team_id),
        )

    def delete_team(self, team_id: int) -> None:
        def done(_summary: ChangeSummary) -> None:
            self.selected_id = None
            self.name_edit.clear()
            self.show_message(self.tr("Deleted."))

        self.change(lambda c: c.delete_team(team_id), done)
