"""Verwaltung › Aktivitätsarten: the activity types (name, icon, order,
active) — new, edit, move; and the icon chooser.

An activity type's icon is a name of the icon set, Material Design Icons 6 as
QtAwesome ships it (``mdi6.phone``): the controller accepts only such names
(:data:`akquise_desktop.controller.settings.ICON_NAME`), the views draw them
with :func:`akquise_desktop.ui.common.activity_type_icon`. The chooser offers
a selection fitting activity types and searches all names of the set.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import ActivityTypeData
from akquise_desktop.controller.settings import ICON_NAME
from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.queries import admin as qa

from ..common import activity_type_icon, icon
from ..services import Services
from .campaigns.dialogs import (
    CENTER,
    FormDialog,
    IdRole,
    form_row,
    make_table,
    row_with_buttons,
    table_item,
)
from .page import AdminPage

PREFIX = "mdi6."
DEFAULT_ICON = "mdi6.note-text-outline"
MAX_FOUND = 240  # search results shown at most

#: What the chooser offers before a search: icons for ways of contact.
SUGGESTED = (
    "phone", "phone-outline", "phone-incoming", "phone-outgoing", "phone-missed",
    "cellphone", "email-outline", "email-open-outline", "email-send-outline", "email-fast",
    "handshake-outline", "calendar-clock", "calendar-check", "calendar-account",
    "account-group", "account-tie", "human-greeting", "presentation", "video-outline",
    "message-text-outline", "chat-outline", "forum-outline", "send", "fax", "printer",
    "note-text-outline", "file-document-outline", "file-sign", "clipboard-text-outline",
    "currency-eur", "cash", "cart-outline", "store-outline", "domain", "office-building",
    "map-marker-outline", "car", "truck-delivery-outline", "package-variant-closed",
    "gift-outline", "flag-outline", "star-outline", "lightbulb-outline", "web", "linkedin",
    "school-outline", "wrench-outline", "headset",
)  # fmt: skip


@cache
def icon_names() -> tuple[str, ...]:
    """All names of the icon set (without the prefix); empty if not found."""
    spec = importlib.util.find_spec("qtawesome")  # locates, does not import
    if spec is None or not spec.submodule_search_locations:
        return ()
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    charmaps = sorted(fonts.glob("materialdesignicons6-webfont-charmap-*.json"))
    if not charmaps:
        return ()
    names = json.loads(charmaps[-1].read_text(encoding="utf-8"))
    return tuple(sorted(n for n in names if ICON_NAME.match(PREFIX + n)))


class IconChooser(QDialog):
    """A grid of icons: a selection for activity types, or what a search finds
    among all names of the icon set."""

    def __init__(self, current: str = DEFAULT_ICON, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose an icon"))
        self.search = QLineEdit()
        self.search.setObjectName("iconSearch")
        self.search.setPlaceholderText(self.tr("Search icons (English), e.g. phone, mail, car"))
        self.search.setClearButtonEnabled(True)
        self.grid = QListWidget()
        self.grid.setObjectName("iconGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(32, 32))
        self.grid.setGridSize(QSize(150, 66))
        self.grid.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.found = QLabel()
        self.found.setObjectName("iconCount")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.found)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.grid.itemDoubleClicked.connect(lambda _item: self.accept())
        self.grid.currentItemChanged.connect(self._update_ok)
        self.resize(700, 480)
        self._current = current
        self._filter("")
        self.set_icon(current)

    def _filter(self, text: str) -> None:
        words = text.strip().lower().replace(PREFIX, "").split()
        if words:
            names = sorted(  # names beginning with the first word first
                (n for n in icon_names() if all(w in n for w in words)),
                key=lambda n: (not n.startswith(words[0]), n),
            )
            shown = names[:MAX_FOUND]
            self.found.setText(
                self.tr("%n icon(s) found", "", len(names))
                + (
                    self.tr(" — the first {shown} shown; type more to narrow").format(
                        shown=MAX_FOUND
                    )
                    if len(names) > MAX_FOUND
                    else ""
                )
            )
        else:
            shown = list(SUGGESTED)
            if self._current.startswith(PREFIX) and self._current[len(PREFIX) :] not in shown:
                shown.insert(0, self._current[len(PREFIX) :])
            self.found.setText(self.tr("A selection; search to see all icons"))
        chosen = self.icon()
        self.grid.clear()
        for name in shown:
            item = QListWidgetItem(activity_type_icon(PREFIX + name), name)
            item.setData(IdRole, PREFIX + name)
            item.setToolTip(PREFIX + name)
            self.grid.addItem(item)
        if chosen:
            self.set_icon(chosen)
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.grid.currentItem() is not None)

    def set_icon(self, name: str) -> None:
        for i in range(self.grid.count()):
            if self.grid.item(i).data(IdRole) == name:
                self.grid.setCurrentRow(i)
                self.grid.scrollToItem(self.grid.item(i))
                return

    def icon(self) -> str | None:
        item = self.grid.currentItem()
        return item.data(IdRole) if item is not None else None


class IconButton(QPushButton):
    """Shows the chosen icon and its name; a click opens the chooser."""

    def __init__(self, name: str = DEFAULT_ICON, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(QSize(24, 24))
        #: Runs the chooser modally (tests replace it).
        self.run_chooser: Callable[[IconChooser], object] = lambda chooser: chooser.exec()
        self._name = DEFAULT_ICON
        self.clicked.connect(self.choose)
        self.set_icon_name(name)

    def icon_name(self) -> str:
        return self._name

    def set_icon_name(self, name: str) -> None:
        self._name = name
        self.setIcon(activity_type_icon(name))
        self.setText(name.removeprefix(PREFIX))

    def choose(self) -> None:
        chooser = IconChooser(self._name, self)
        if self.run_chooser(chooser) and (chosen := chooser.icon()):
            self.set_icon_name(chosen)


class ActivityTypeDialog(FormDialog):
    def __init__(self, title: str, row: qa.ActivityTypeRow | None = None, parent=None) -> None:
        super().__init__(title, parent)
        self.name_edit = QLineEdit(row.name if row else "")
        self.name_edit.setMaxLength(100)
        self.icon_button = IconButton(row.icon if row else DEFAULT_ICON)
        self.active_check = QCheckBox(self.tr("&Active (offered in the activity mask)"))
        self.active_check.setChecked(row.active if row else True)
        self.active_check.setVisible(row is not None)  # a new type is active
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        form_row(self.form, self.tr("&Icon:"), self.icon_button)
        self.form.addRow("", self.active_check)
        self.setMinimumWidth(400)

    def data(self) -> ActivityTypeData:
        return ActivityTypeData(
            name=self.name_edit.text(),
            icon=self.icon_button.icon_name(),
            active=self.active_check.isChecked(),
        )


class ActivityTypesPage(AdminPage):
    """The activity types, in the order the activity mask offers them."""

    WATCHED = (Entity.ACTIVITY_TYPE,)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.setObjectName("adminActivityTypes")
        self.rows: tuple[qa.ActivityTypeRow, ...] = ()
        self._select_id: int | None = None
        #: Runs a dialog modally (tests replace it to fill and press OK).
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.hint = QLabel(
            self.tr(
                "The activity mask offers the active types in this order; the first one is "
                "preselected."
            )
        )
        self.hint.setWordWrap(True)
        self.table: QTableWidget = make_table(
            [self.tr("Activity type"), self.tr("Icon"), self.tr("Active")], "activityTypeTable"
        )
        self.table.setIconSize(QSize(20, 20))
        self.new_button = QPushButton(icon("mdi6.plus"), self.tr("&New activity type …"))
        self.edit_button = QPushButton(icon("mdi6.pencil-outline"), self.tr("&Edit …"))
        self.up_button = QPushButton(icon("mdi6.arrow-up"), "")
        self.up_button.setToolTip(self.tr("Move up"))
        self.down_button = QPushButton(icon("mdi6.arrow-down"), "")
        self.down_button.setToolTip(self.tr("Move down"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        buttons: QHBoxLayout = row_with_buttons(
            self.new_button, self.edit_button, self.up_button, self.down_button
        )
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_type())
        self.new_button.clicked.connect(self.new_type)
        self.edit_button.clicked.connect(self.edit_type)
        self.up_button.clicked.connect(lambda: self.move_type(-1))
        self.down_button.clicked.connect(lambda: self.move_type(1))
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        self.read(qa.activity_types, self._arrived)

    def _arrived(self, rows: tuple[qa.ActivityTypeRow, ...]) -> None:
        selected = self._select_id if self._select_id is not None else self.type_id()
        self._select_id = None
        self.rows = rows
        table = self.table
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = table_item(row.name, row.id)
            name.setIcon(activity_type_icon(row.icon))
            if not row.active:
                name.setForeground(self.palette().placeholderText())
            table.setItem(r, 0, name)
            table.setItem(r, 1, table_item(row.icon.removeprefix(PREFIX)))
            table.setItem(
                r, 2, table_item(self.tr("yes") if row.active else self.tr("no"), align=CENTER)
            )
        index = next((i for i, t in enumerate(rows) if t.id == selected), 0)
        if rows:
            table.setCurrentCell(index, 0)
            table.selectRow(index)
        table.blockSignals(False)
        self._update_buttons()

    def type_id(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(IdRole) if item is not None else None

    def current(self) -> qa.ActivityTypeRow | None:
        type_id = self.type_id()
        return next((t for t in self.rows if t.id == type_id), None)

    def select(self, type_id: int) -> None:
        for r, row in enumerate(self.rows):
            if row.id == type_id:
                self.table.setCurrentCell(r, 0)
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        row = self.table.currentRow()
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.table.rowCount() - 1)

    def _submit(self, dialog: FormDialog, call: Callable[[Any], ChangeSummary]) -> None:
        def done(summary: ChangeSummary) -> None:
            self._select_id = summary.result_id
            dialog.saved(summary)
            self.reload()

        self.hide_message()
        self.services.change(call, done, dialog.refused)

    def new_type(self) -> None:
        dialog = ActivityTypeDialog(self.tr("New activity type"), parent=self)

        def submit() -> None:
            data = dialog.data()
            self._submit(dialog, lambda c: c.create_activity_type(data.name, data.icon))

        dialog.submit = submit
        self.run_dialog(dialog)

    def edit_type(self) -> None:
        row = self.current()
        if row is None:
            return
        dialog = ActivityTypeDialog(
            self.tr("Edit activity type “{name}”").format(name=row.name), row, parent=self
        )

        def submit() -> None:
            data = dialog.data()
            self._submit(dialog, lambda c: c.update_activity_type(row.id, data))

        dialog.submit = submit
        self.run_dialog(dialog)

    def move_type(self, step: int) -> None:
        row = self.current()
        target = self.table.currentRow() + step
        if row is None or not 0 <= target < self.table.rowCount():
            return
        self._select_id = row.id
        self.change(lambda c: c.move_activity_type(row.id, target), lambda _s: self.reload())
