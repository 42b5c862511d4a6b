"""Benutzer: the users (login, name, e-mail, team, role group, time zone,
active) with a form to create and change one, and deactivation.

An inactive user can't log in and keeps their history; their open follow-ups
stay theirs until rebooked, so deactivating someone who has open follow-ups
offers the rebooking dialog, preselected on that user. Refusals (the last
administrator, one's own role group) show in the message line; the form keeps
what was typed.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import UserData
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries.admin import RoleGroupRow, TeamRow, UserRow, role_groups, teams, users

from ..common import format_number, icon
from ..services import Services
from .page import AdminPage

COLUMNS = 8
COL_LOGIN, COL_NAME, COL_EMAIL, COL_TEAM, COL_GROUP, COL_ZONE, COL_OPEN, COL_ACTIVE = range(COLUMNS)
INACTIVE_COLOR = QColor("#90A4AE")
DEFAULT_ZONE = "Europe/Berlin"
RIGHT_ALIGNED = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zone names this machine knows, sorted."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/")))


def valid_zone(name: str) -> bool:
    return name in available_timezones()


class UsersPage(AdminPage):
    """The users table and the user form."""

    WATCHED = (Entity.USER, Entity.TEAM, Entity.ROLE_GROUP, Entity.FOLLOW_UP)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.rows: tuple[UserRow, ...] = ()
        self.groups: tuple[RoleGroupRow, ...] = ()
        self.team_rows: tuple[TeamRow, ...] = ()
        self.editing_id: int | None = None  # None: a new user
        self._refill = True  # fill the form from the data when it comes
        self.rebook_box: QMessageBox | None = None
        self.rebook_choice: QAbstractButton | None = None  # the question's buttons
        self.keep_choice: QAbstractButton | None = None
        self.rebooking_dialog: QWidget | None = None
        self._build()
        self._show_row(None)

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        title = QLabel(self.tr("Users"))
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        root.addWidget(title)
        hint = QLabel(
            self.tr(
                "An inactive user can no longer log in and keeps their history; their open "
                "follow-ups stay theirs until they are rebooked."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546E7A;")
        root.addWidget(hint)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Login"),
                self.tr("Name"),
                self.tr("E-mail"),
                self.tr("Team"),
                self.tr("Role group"),
                self.tr("Time zone"),
                self.tr("Open follow-ups"),
                self.tr("Active"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_EMAIL, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        root.addWidget(self.table, 1)

        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("loginEdit")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("emailEdit")
        self.team_combo = QComboBox()
        self.team_combo.setObjectName("teamCombo")
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupCombo")
        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("zoneCombo")
        self.zone_combo.setEditable(True)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone_combo.addItems(list(time_zones()))
        completer = QCompleter(list(time_zones()), self.zone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone_combo.setCompleter(completer)
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("daysSpin")
        self.days_spin.setRange(0, 365)
        self.days_spin.setSpecialValueText(self.tr("as in the system settings"))
        self.days_spin.setSuffix(self.tr(" days"))
        self.state_label = QLabel()
        for field in (self.login_edit, self.name_edit, self.email_edit, self.team_combo,
                      self.group_combo, self.zone_combo, self.days_spin):  # fmt: skip
            field.setMinimumWidth(380)
        form.addRow(self._label(self.tr("&Login:"), self.login_edit), self.login_edit)
        form.addRow(self._label(self.tr("&Display name:"), self.name_edit), self.name_edit)
        form.addRow(self._label(self.tr("&E-mail:"), self.email_edit), self.email_edit)
        form.addRow(self._label(self.tr("&Team:"), self.team_combo), self.team_combo)
        form.addRow(self._label(self.tr("&Role group:"), self.group_combo), self.group_combo)
        form.addRow(self._label(self.tr("Time &zone:"), self.zone_combo), self.zone_combo)
        form.addRow(self._label(self.tr("New follow-up &due in:"), self.days_spin), self.days_spin)
        form.addRow(self.tr("State:"), self.state_label)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(icon("mdi6.account-plus-outline"), self.tr("&New user"))
        self.save_button = QPushButton(icon("mdi6.content-save-outline"), self.tr("&Save"))
        self.save_button.setDefault(True)
        self.active_button = QPushButton()
        self.active_button.setObjectName("activeButton")
        self.rebook_button = QPushButton(
            icon("mdi6.calendar-arrow-right"), self.tr("Re&book follow-ups …")
        )
        self.new_button.clicked.connect(self.new_user)
        self.save_button.clicked.connect(self.save)
        self.active_button.clicked.connect(self.toggle_active)
        self.rebook_button.clicked.connect(self._rebook_clicked)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.rebook_button)
        buttons.addWidget(self.active_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        root.addWidget(self.form_box)
        root.addWidget(self.message)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # --- data ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(lambda s: (users(s), teams(s), role_groups(s)), self._loaded)

    def _loaded(self, data: tuple[tuple[UserRow, ...], tuple[TeamRow, ...], tuple]) -> None:
        self.rows, self.team_rows, self.groups = data
        self._fill_combos()
        self._fill_table()
        row = self.row(self.editing_id)
        if self.editing_id is not None and row is None:  # deleted meanwhile
            self.editing_id = None
            self._refill = True
        if self._refill:
            self._refill = False
            self._show_row(row)
        else:
            self._update_buttons(row)

    def row(self, user_id: int | None) -> UserRow | None:
        return next((r for r in self.rows if r.id == user_id), None)

    def _fill_combos(self) -> None:
        team, group = self.team_combo.currentData(), self.group_combo.currentData()
        self.team_combo.clear()
        self.team_combo.addItem(self.tr("(no team)"), None)
        for t in self.team_rows:
            self.team_combo.addItem(icon("mdi6.account-group-outline"), t.name, t.id)
        self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(team)))
        self.group_combo.clear()
        for g in self.groups:
            glyph = "mdi6.shield-crown-outline" if g.is_admin else "mdi6.shield-account-outline"
            self.group_combo.addItem(icon(glyph), g.name, g.id)
        if group is not None and self.group_combo.findData(group) >= 0:
            self.group_combo.setCurrentIndex(self.group_combo.findData(group))

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = [
                r.login,
                r.display_name,
                r.email or "",
                r.team_name or "—",
                r.role_group_name,
                r.time_zone,
                format_number(r.open_follow_ups),
                self.tr("yes") if r.active else self.tr("no"),
            ]
            items = [QTableWidgetItem(text) for text in values]
            for col, item in enumerate(items):
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                if not r.active:
                    item.setForeground(QBrush(INACTIVE_COLOR))
                self.table.setItem(i, col, item)
            items[COL_OPEN].setTextAlignment(RIGHT_ALIGNED)
            glyph = "mdi6.account-check-outline" if r.active else "mdi6.account-off-outline"
            items[COL_ACTIVE].setIcon(icon(glyph, "#2E7D32" if r.active else "#90A4AE"))
            if r.is_admin:
                items[COL_GROUP].setIcon(icon("mdi6.shield-crown-outline", "#37474F"))
        self._select(self.editing_id)
        self.table.blockSignals(False)

    def _select(self, user_id: int | None) -> None:
        self.table.clearSelection()
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == user_id:
                self.table.selectRow(i)
                return

    def select_user(self, user_id: int) -> None:
        """Select ``user_id`` in the table and show it in the form."""
        self._select(user_id)

    # --- the form ----------------------------------------------------------------------

    def _selection_changed(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        user_id = items[0].data(Qt.ItemDataRole.UserRole)
        if user_id == self.editing_id:
            return
        self.editing_id = user_id
        self.hide_message()
        self._show_row(self.row(user_id))

    def new_user(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        self.hide_message()
        self._show_row(None)
        self.login_edit.setFocus()

    def _show_row(self, row: UserRow | None) -> None:
        if row is None:
            self.form_box.setTitle(self.tr("New user"))
            self.login_edit.clear()
            self.name_edit.clear()
            self.email_edit.clear()
            self.team_combo.setCurrentIndex(0)
            plain = next((i for i, g in enumerate(self.groups) if not g.is_admin), 0)
            self.group_combo.setCurrentIndex(plain if self.groups else -1)
            self.zone_combo.setCurrentText(DEFAULT_ZONE)
            self.days_spin.setValue(0)
        else:
            self.form_box.setTitle(self.tr("User “{name}”").format(name=row.display_name))
            self.login_edit.setText(row.login)
            self.name_edit.setText(row.display_name)
            self.email_edit.setText(row.email or "")
            self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(row.team_id)))
            self.group_combo.setCurrentIndex(self.group_combo.findData(row.role_group_id))
            self.zone_combo.setCurrentText(row.time_zone)
            self.days_spin.setValue(row.default_follow_up_days)
        self._update_buttons(row)

    def _update_buttons(self, row: UserRow | None) -> None:
        self.active_button.setEnabled(row is not None)
        self.rebook_button.setEnabled(row is not None and row.open_follow_ups > 0)
        if row is None:
            self.state_label.setText(self.tr("new, active"))
            self.active_button.setText(self.tr("&Deactivate"))
            self.active_button.setIcon(icon("mdi6.account-off-outline"))
            return
        if row.active:
            self.active_button.setText(self.tr("&Deactivate"))
            self.active_button.setIcon(icon("mdi6.account-off-outline"))
            state = self.tr("active")
        else:
            self.active_button.setText(self.tr("&Activate"))
            self.active_button.setIcon(icon("mdi6.account-check-outline"))
            state = self.tr("inactive (keeps their history)")
        self.state_label.setText(
            self.tr("{state}; open follow-ups: {count}").format(
                state=state, count=format_number(row.open_follow_ups)
            )
        )

    def save(self) -> None:
        """Create the new user or save the changed one."""
        zone = self.zone_combo.currentText().strip()
        if not valid_zone(zone):
            self.show_message(
                self.tr(
                    "“{zone}” is not a time zone; choose one from the list, e.g. {example}."
                ).format(zone=zone, example=DEFAULT_ZONE),
                error=True,
            )
            self.zone_combo.setFocus()
            return
        group_id = self.group_combo.currentData()
        if group_id is None:
            self.show_message(self.tr("Choose a role group."), error=True)
            return
        login, name = self.login_edit.text(), self.name_edit.text()
        email = self.email_edit.text().strip() or None
        team_id = self.team_combo.currentData()
        days = self.days_spin.value() or None
        editing = self.editing_id
        if editing is None:
            self.change(
                lambda c: c.create_user(
                    login, name, role_group_id=group_id, team_id=team_id, email=email,
                    time_zone=zone, default_follow_up_days=days,
                ),
                self._saved,
            )  # fmt: skip
            return
        row = self.row(editing)
        data = UserData(
            login=login, display_name=name, role_group_id=group_id, team_id=team_id,
            email=email, time_zone=zone, default_follow_up_days=days,
            active=row.active if row is not None else True,
        )  # fmt: skip
        self.change(lambda c: c.update_user(editing, data), self._saved)

    def _saved(self, summary: ChangeSummary) -> None:
        self.editing_id = summary.result_id
        self._refill = True
        self.show_message(self.tr("Saved."))

    # --- active / inactive, rebooking --------------------------------------------------

    def toggle_active(self) -> None:
        row = self.row(self.editing_id)
        if row is None:
            return
        if not row.active:
            self.change(lambda c: c.set_user_active(row.id, True), self._activated)
        elif row.open_follow_ups:
            self._ask_rebook(row)
        else:
            self.deactivate(row.id)

    def deactivate(self, user_id: int, *, rebook: bool = False) -> None:
        def done(_summary: ChangeSummary) -> None:
            # (no refill: the reload shows the new state, the form keeps what was typed)
            self.show_message(self.tr("Deactivated; the history stays."))
            if rebook:
                self.open_rebooking(user_id)

        self.change(lambda c: c.set_user_active(user_id, False), done)

    def _activated(self, _summary: ChangeSummary) -> None:
        self.show_message(self.tr("Activated."))

    def _ask_rebook(self, row: UserRow) -> None:
        box = QMessageBox(self)
        box.setObjectName("rebookQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Deactivate user"))
        box.setText(
            self.tr("“{name}” still has open follow-ups: {count}.").format(
                name=row.display_name, count=format_number(row.open_follow_ups)
            )
        )
        box.setInformativeText(
            self.tr(
                "After deactivation they stay assigned to this user until rebooked. Rebook them "
                "to other users now?"
            )
        )
        rebook = box.addButton(
            self.tr("Deactivate and &rebook …"), QMessageBox.ButtonRole.AcceptRole
        )
        keep = box.addButton(self.tr("Deactivate &only"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(rebook)
        self.rebook_choice, self.keep_choice = rebook, keep
        user_id = row.id

        def clicked(button: QAbstractButton) -> None:
            if button is rebook:
                self.deactivate(user_id, rebook=True)
            elif button is keep:
                self.deactivate(user_id)

        box.buttonClicked.connect(clicked)
        box.finished.connect(box.deleteLater)
        self.rebook_box = box
        box.open()

    def _rebook_clicked(self) -> None:
        if self.editing_id is not None:
            self.open_rebooking(self.editing_id)

    def open_rebooking(self, user_id: int) -> QWidget:
        """The rebooking dialog with ``user_id``'s follow-ups preselected."""
        from ..rebooking_dialog import RebookingDialog

        dialog = RebookingDialog(self.services, self.window(), source=("user", user_id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.rebooking_dialog = dialog
        return dialog
