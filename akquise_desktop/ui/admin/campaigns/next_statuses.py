"""Folgestatus: the allowed next statuses of one status, an ordered check
list. The checked ones, top to bottom, are the buttons of the activity mask;
the first checked is the default. Up/down move the current entry."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.queries.admin import StatusRow

from ...common import icon, status_swatch

IdRole = Qt.ItemDataRole.UserRole + 1
NameRole = Qt.ItemDataRole.UserRole + 2


class NextStatusesEditor(QGroupBox):
    """The check list of one status's allowed next statuses, with Save."""

    save_requested = Signal(int, list)  # status id, next ids (default first)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Allowed next statuses"), parent)
        self.status_id: int | None = None
        self._saved: tuple[int, ...] = ()
        self._filling = False
        self.hint = QLabel(
            self.tr(
                "Checked statuses are offered as buttons in the activity mask, in this "
                "order; the first one is the default."
            )
        )
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("nextStatuses")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.up_button = QPushButton(icon("mdi6.arrow-up"), "")
        self.up_button.setToolTip(self.tr("Move up"))
        self.down_button = QPushButton(icon("mdi6.arrow-down"), "")
        self.down_button.setToolTip(self.tr("Move down"))
        self.save_button = QPushButton(icon("mdi6.content-save-outline"), self.tr("&Save"))
        self.revert_button = QPushButton(self.tr("Re&vert"))
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.save_button.clicked.connect(self._save)
        self.revert_button.clicked.connect(self._revert)
        self.list.itemChanged.connect(self._changed)
        self.list.currentRowChanged.connect(self._update_buttons)
        self._candidates: tuple[StatusRow, ...] = ()
        self.set_status(None, ())

    # --- filling ---------------------------------------------------------------------

    def set_status(self, status: StatusRow | None, siblings: Sequence[StatusRow]) -> None:
        """Show ``status``'s next statuses among its campaign's ``siblings``
        (unsaved changes to the same status with the same candidates stay)."""
        candidates = tuple(s for s in siblings if status is None or s.id != status.id)
        same = (
            status is not None
            and status.id == self.status_id
            and [c.id for c in candidates] == [c.id for c in self._candidates]
        )
        if same and self.dirty():
            self._candidates = candidates
            self._refresh_labels({c.id: c for c in candidates})
            self._saved = tuple(status.next_ids) if status else ()
            self._update_buttons()
            return
        self.status_id = status.id if status else None
        self._candidates = candidates
        self._saved = tuple(status.next_ids) if status else ()
        self.setTitle(
            self.tr("Allowed next statuses of “{name}”").format(name=status.name)
            if status
            else self.tr("Allowed next statuses")
        )
        self._fill(self._saved)

    def _fill(self, checked_ids: Sequence[int]) -> None:
        by_id = {c.id: c for c in self._candidates}
        order = [i for i in checked_ids if i in by_id]
        order += [c.id for c in self._candidates if c.id not in order]
        self._filling = True
        self.list.clear()
        for status_id in order:
            row = by_id[status_id]
            item = QListWidgetItem(status_swatch(row.color), row.name)
            item.setData(IdRole, row.id)
            item.setData(NameRole, row.name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                Qt.CheckState.Checked if status_id in checked_ids else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self._filling = False
        self._mark_default()
        self.setEnabled(self.status_id is not None)
        self._update_buttons()

    def _refresh_labels(self, by_id: dict[int, StatusRow]) -> None:
        self._filling = True
        for i in range(self.list.count()):
            item = self.list.item(i)
            row = by_id.get(item.data(IdRole))
            if row is not None:
                item.setData(NameRole, row.name)
                item.setIcon(status_swatch(row.color))
        self._filling = False
        self._mark_default()

    # --- editing ---------------------------------------------------------------------

    def checked_ids(self) -> list[int]:
        """The checked statuses, top to bottom (the first: the default)."""
        return [
            self.list.item(i).data(IdRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def dirty(self) -> bool:
        return self.status_id is not None and tuple(self.checked_ids()) != self._saved

    def set_checked(self, status_id: int, checked: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(IdRole) == status_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def select(self, status_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(IdRole) == status_id:
                self.list.setCurrentRow(i)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        self._filling = True
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self._filling = False
        self.list.setCurrentRow(target)
        self._changed()

    def _changed(self, _item: QListWidgetItem | None = None) -> None:
        if self._filling:
            return
        self._mark_default()
        self._update_buttons()

    def _mark_default(self) -> None:
        """The first checked entry is bold and says it is the default."""
        first = next(iter(self.checked_ids()), None)
        self._filling, was = True, self._filling
        for i in range(self.list.count()):
            item = self.list.item(i)
            is_default = item.data(IdRole) == first
            name = item.data(NameRole)
            item.setText(self.tr("{name} (default)").format(name=name) if is_default else name)
            font = QFont(self.list.font())
            font.setBold(is_default)
            item.setFont(font)
        self._filling = was

    def _update_buttons(self, *_args: object) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
        dirty = self.dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _revert(self) -> None:
        self._fill(self._saved)

    def _save(self) -> None:
        if self.status_id is not None:
            self.save_requested.emit(self.status_id, self.checked_ids())
