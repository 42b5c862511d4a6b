"""Rechtegruppen: the role groups, each with a right per module (none, own
records, own team, all) and the two chain rules as switches, each with its
exceptions written out (those of :mod:`akquise_desktop.core.policies` as the
controller applies them). Duplicate, delete (a group nobody belongs to).

The administrator group is shown as it is but can't be changed beyond its
name: it always has every right on all records (the controller refuses
``ADMIN_GROUP_UNRESTRICTED`` anyway).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import RoleGroupData
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.models import Module, Scope
from akquise_desktop.queries.admin import RoleGroupRow, role_groups

from ..common import format_number, icon, warning_banner
from ..services import Services
from .page import AdminPage

COL_NAME, COL_USERS = range(2)
# Rights the controller checks for scope "all" only (campaigns, settings).
ALL_OR_NOTHING = (Module.CAMPAIGNS, Module.SETTINGS)
HINT_STYLE = "color: #546E7A;"


class RoleGroupsPage(AdminPage):
    """The role groups list and the editor of the selected one."""

    WATCHED = (Entity.ROLE_GROUP, Entity.USER)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.rows: tuple[RoleGroupRow, ...] = ()
        self.editing_id: int | None = None  # None: a new group
        self._refill = True
        self._build()
        self._show_row(None)

    # --- names -------------------------------------------------------------------------

    def module_names(self) -> dict[Module, str]:
        return {
            Module.RECORDS: self.tr("Records"),
            Module.CONTACTS: self.tr("Contact persons"),
            Module.ACTIVITIES: self.tr("Activities and follow-ups"),
            Module.CANCEL_FOLLOW_UPS: self.tr("Cancel follow-ups"),
            Module.CAMPAIGNS: self.tr("Campaigns (statuses, workflow)"),
            Module.BULK_EDIT: self.tr("Bulk editing"),
            Module.IMPORT_EXPORT: self.tr("CSV import/export"),
            Module.STATISTICS: self.tr("Statistics"),
            Module.SETTINGS: self.tr("Settings (activity types, system)"),
        }

    def scope_names(self) -> dict[Scope, str]:
        return {
            Scope.NONE: self.tr("No access"),
            Scope.OWN: self.tr("Own records"),
            Scope.TEAM: self.tr("Own team"),
            Scope.ALL: self.tr("All"),
        }

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        title = QLabel(self.tr("Role groups"))
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        root.addWidget(title)
        body = QHBoxLayout()
        root.addLayout(body, 1)

        left = QVBoxLayout()
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("roleGroupsTable")
        self.table.setAccessibleName(self.tr("Role groups"))
        self.table.setHorizontalHeaderLabels([self.tr("Role group"), self.tr("Active users")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_USERS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.setMinimumWidth(240)
        self.table.setMaximumWidth(360)
        left.addWidget(self.table, 1)
        list_buttons = QHBoxLayout()
        self.new_button = QPushButton(icon("mdi6.plus"), self.tr("&New"))
        self.duplicate_button = QPushButton(icon("mdi6.content-copy"), self.tr("D&uplicate"))
        self.delete_button = QPushButton(icon("mdi6.delete-outline"), self.tr("&Delete …"))
        self.new_button.clicked.connect(self.new_group)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.ask_delete)
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        left.addLayout(list_buttons)
        body.addLayout(left)

        editor = QWidget()
        form = QVBoxLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        name_row = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("groupName")
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self.name_edit)
        name_row.addRow(name_label, self.name_edit)
        form.addLayout(name_row)
        self.admin_note = warning_banner("adminGroupNote")
        self.admin_note.setText(
            self.tr(
                "This is the administrator group: it always has every right on all records "
                "and cannot be restricted, and its chain rules stay as they are. Only its name "
                "can be changed."
            )
        )
        form.addWidget(self.admin_note)

        self.rights_box = QGroupBox(self.tr("Rights"))
        grid = QGridLayout(self.rights_box)
        grid.setColumnStretch(2, 1)
        self.scope_combos: dict[Module, QComboBox] = {}
        scope_names = self.scope_names()
        for row, (module, name) in enumerate(self.module_names().items()):
            combo = QComboBox()
            combo.setObjectName(f"scope_{module.value}")
            combo.setAccessibleName(name)
            for scope in Scope:
                combo.addItem(scope_names[scope], scope)
            label = QLabel(name)
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            if module in ALL_OR_NOTHING:
                label.setText(f"{name} *")
            self.scope_combos[module] = combo
        note = QLabel(
            self.tr("* Only “All” allows changes here; other scopes act like “No access”.")
        )
        note.setWordWrap(True)
        note.setStyleSheet(HINT_STYLE)
        grid.addWidget(note, len(self.scope_combos), 0, 1, 3)
        form.addWidget(self.rights_box)

        self.policies_box = QGroupBox(self.tr("Chain rules"))
        policies = QVBoxLayout(self.policies_box)
        self.follow_up_policy = QCheckBox(self.tr("No follow-up without an activity"))
        self.follow_up_policy.setObjectName("followUpRequiresActivity")
        self.follow_up_hint = self._hint(
            self.tr(
                "A follow-up must result from an activity: one created on its own, without the "
                "activity it comes from, is refused. No exceptions."
            )
        )
        self.activity_policy = QCheckBox(self.tr("No activity without a follow-up"))
        self.activity_policy.setObjectName("activityRequiresFollowUp")
        self.activity_hint = self._hint(
            self.tr(
                "An activity is saved only with a next follow-up. Exceptions: afterwards the "
                "record's status is final in every active campaign; the record has no status "
                "in an active campaign yet; or the activity completes a recurring follow-up "
                "whose next occurrence follows. Likewise the last open follow-up of a record "
                "can't be cancelled, with the same exceptions except the recurring one."
            )
        )
        for widget in (
            self.follow_up_policy,
            self.follow_up_hint,
            self.activity_policy,
            self.activity_hint,
        ):
            policies.addWidget(widget)
        form.addWidget(self.policies_box)

        save_row = QHBoxLayout()
        save_row.addStretch(1)
        self.save_button = QPushButton(icon("mdi6.content-save-outline"), self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save_row.addWidget(self.save_button)
        form.addLayout(save_row)
        form.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(editor)
        body.addWidget(scroll, 1)
        root.addWidget(self.message)

    @staticmethod
    def _hint(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(f"{HINT_STYLE} margin-left: 22px; margin-bottom: 6px;")
        return label

    # --- data ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(role_groups, self._loaded)

    def _loaded(self, rows: tuple[RoleGroupRow, ...]) -> None:
        self.rows = rows
        if self.editing_id is not None and self.row(self.editing_id) is None:
            self.editing_id = None
            self._refill = True
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, group in enumerate(rows):
            glyph = "mdi6.shield-crown-outline" if group.is_admin else "mdi6.shield-account-outline"
            name = QTableWidgetItem(icon(glyph, "#37474F"), group.name)
            users = QTableWidgetItem(format_number(group.users))
            users.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, item in ((COL_NAME, name), (COL_USERS, users)):
                item.setData(Qt.ItemDataRole.UserRole, group.id)
                self.table.setItem(i, col, item)
        self.table.clearSelection()
        for i, group in enumerate(rows):
            if group.id == self.editing_id:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        if self._refill:
            self._refill = False
            self._show_row(self.row(self.editing_id))
        else:
            self._update_buttons()

    def row(self, group_id: int | None) -> RoleGroupRow | None:
        return next((g for g in self.rows if g.id == group_id), None)

    def select_group(self, group_id: int) -> None:
        for i, group in enumerate(self.rows):
            if group.id == group_id:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        group_id = items[0].data(Qt.ItemDataRole.UserRole)
        if group_id == self.editing_id:
            return
        self.editing_id = group_id
        self.hide_message()
        self._show_row(self.row(group_id))

    # --- the editor ----------------------------------------------------------------------

    def new_group(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        self.hide_message()
        self._show_row(None)
        self.name_edit.setFocus()

    def _show_row(self, row: RoleGroupRow | None) -> None:
        admin = row is not None and row.is_admin
        self.name_edit.setText(row.name if row is not None else "")
        for module, combo in self.scope_combos.items():
            scope = row.scope(module) if row is not None else Scope.NONE
            combo.setCurrentIndex(combo.findData(scope))
        self.follow_up_policy.setChecked(row.follow_up_requires_activity if row else True)
        self.activity_policy.setChecked(row.activity_requires_follow_up if row else True)
        self.rights_box.setEnabled(not admin)
        self.policies_box.setEnabled(not admin)
        self.admin_note.setVisible(admin)
        self.rights_box.setTitle(
            self.tr("Rights of “{name}”").format(name=row.name) if row else self.tr("Rights")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.row(self.editing_id)
        self.duplicate_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None and not row.is_admin)

    def rights(self) -> dict[Module, Scope]:
        """The scopes as set in the grid."""
        return {module: Scope(combo.currentData()) for module, combo in self.scope_combos.items()}

    def form_data(self) -> RoleGroupData:
        row = self.row(self.editing_id)
        if row is not None and row.is_admin:  # only the name can change
            return RoleGroupData(
                name=self.name_edit.text(),
                is_admin=True,
                follow_up_requires_activity=row.follow_up_requires_activity,
                activity_requires_follow_up=row.activity_requires_follow_up,
                rights={module: Scope.ALL for module in Module},
            )
        return RoleGroupData(
            name=self.name_edit.text(),
            follow_up_requires_activity=self.follow_up_policy.isChecked(),
            activity_requires_follow_up=self.activity_policy.isChecked(),
            rights=self.rights(),
        )

    def save(self) -> None:
        data, group_id = self.form_data(), self.editing_id
        if group_id is None:
            self.change(lambda c: c.create_role_group(data), self._saved)
        else:
            self.change(lambda c: c.update_role_group(group_id, data), self._saved)

    def _saved(self, summary: ChangeSummary) -> None:
        self.editing_id = summary.result_id
        self._refill = True
        self.show_message(self.tr("Saved."))

    def duplicate(self) -> None:
        """A copy of the selected group under a free name, then shown to edit."""
        row = self.row(self.editing_id)
        if row is None:
            return
        taken = {g.name.casefold() for g in self.rows}
        name = self.tr("{name} (copy)").format(name=row.name)
        number = 2
        while name.casefold() in taken:
            name = self.tr("{name} (copy {number})").format(name=row.name, number=number)
            number += 1
        source_id = row.id
        self.change(lambda c: c.duplicate_role_group(source_id, name), self._saved)

    def ask_delete(self) -> None:
        row = self.row(self.editing_id)
        if row is None:
            return
        group_id = row.id
        self.confirm_delete(
            self.tr("Delete role group"),
            self.tr("Delete the role group “{name}”?").format(name=row.name),
            lambda: self.delete(group_id),
        )

    def delete(self, group_id: int) -> None:
        def done(_summary: ChangeSummary) -> None:
            self.editing_id = None
            self._refill = True
            self.show_message(self.tr("Deleted."))

        self.change(lambda c: c.delete_role_group(group_id), done)
