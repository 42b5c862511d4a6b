"""The campaign administration's dialogs: a campaign (new, edit, duplicate),
a status (name, colour, progress, flags) and merging a status into another;
and what the administration's pages share: :class:`FormDialog`, the tables.

Each dialog stays open until its save went through: OK sends the change
(``submit``), a refusal shows in the dialog's message line with the input as
typed, success closes it (:class:`FormDialog`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller.commands import StatusData
from akquise_desktop.controller.templates import TEMPLATES, CampaignTemplate
from akquise_desktop.queries.admin import MergeCounts, StatusRow

from ... import i18n
from ...bulk.shared import error_text
from ...common import status_swatch

IdRole = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def table_item(text: str, row_id: int | None = None, align=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if row_id is not None:
        item.setData(IdRole, row_id)
    if align is not None:
        item.setTextAlignment(align)
    return item


def make_table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(headers)):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


START_ONLY = ""  # the template choice "only a start status"


class FormDialog(QDialog):
    """A dialog whose OK runs ``submit`` (set by the page); ``saved()`` closes
    it, ``refused(exc)`` shows why and keeps the input."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit: Callable[[], None] = self.accept
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel#dialogMessage { color: #B71C1C; }")
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)

    def _ok(self) -> None:
        self.message.hide()
        self.submit()

    def saved(self, _summary: object = None) -> None:
        self.accept()

    def refused(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self.message.show()


class CampaignDialog(FormDialog):
    """Name and description of a campaign; a new one also chooses its first
    statuses: a template's (with their workflow) or only a start status."""

    def __init__(
        self,
        title: str,
        *,
        name: str = "",
        description: str | None = None,
        new: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(200)
        self.description_edit = QPlainTextEdit(description or "")
        self.description_edit.setFixedHeight(70)
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        self.form.addRow(self.tr("&Description:"), self.description_edit)
        self.template_combo: QComboBox | None = None
        self.start_edit: QLineEdit | None = None
        if new:
            combo = QComboBox()
            combo.addItem(self.tr("Only a start status"), START_ONLY)
            lang = i18n.current_language()
            for template in TEMPLATES:
                combo.addItem(
                    self.tr("Statuses of the template “{name}”").format(name=template.name(lang)),
                    template.key,
                )
            self.start_edit = QLineEdit(self.tr("New"))
            self.form.addRow(self.tr("&Statuses:"), combo)
            self.form.addRow(self.tr("S&tart status:"), self.start_edit)
            combo.currentIndexChanged.connect(self._template_changed)
            self.template_combo = combo
        self.setMinimumWidth(460)

    def _template_changed(self) -> None:
        assert self.start_edit is not None
        only_start = self.template_key() == START_ONLY
        self.start_edit.setEnabled(only_start)

    def name(self) -> str:
        return self.name_edit.text()

    def description(self) -> str | None:
        return self.description_edit.toPlainText().strip() or None

    def template_key(self) -> str:
        return self.template_combo.currentData() if self.template_combo is not None else ""

    def set_template(self, key: str) -> None:
        assert self.template_combo is not None
        self.template_combo.setCurrentIndex(max(0, self.template_combo.findData(key)))

    def template(self) -> CampaignTemplate | None:
        key = self.template_key()
        return next((t for t in TEMPLATES if t.key == key), None)

    def start_name(self) -> str:
        return self.start_edit.text() if self.start_edit is not None else ""


class ColorButton(QPushButton):
    """A swatch of the chosen colour; a click opens the colour dialog."""

    def __init__(self, color: str = "#808080", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = "#808080"
        self.clicked.connect(self._choose)
        self.set_color(color)

    def color(self) -> str:
        return self._color

    def set_color(self, color: str) -> None:
        qcolor = QColor(color)
        self._color = qcolor.name().upper() if qcolor.isValid() else "#808080"
        self.setIcon(status_swatch(self._color))
        self.setText(self._color)

    def _choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, self.tr("Status colour"))
        if chosen.isValid():
            self.set_color(chosen.name())


class StatusDialog(FormDialog):
    """A status's own values (its place and workflow are set on the page)."""

    def __init__(self, title: str, row: StatusRow | None = None, parent=None) -> None:
        super().__init__(title, parent)
        self.name_edit = QLineEdit(row.name if row else "")
        self.name_edit.setMaxLength(100)
        self.color_button = ColorButton(row.color if row else "#808080")
        self.progress_spin = QSpinBox()
        self.progress_spin.setRange(0, 100)
        self.progress_spin.setSuffix(" %")
        self.progress_spin.setValue(row.progress if row else 0)
        self.active_check = QCheckBox(self.tr("&Active (can be chosen in the activity mask)"))
        self.active_check.setChecked(row.is_active if row else True)
        self.final_check = QCheckBox(self.tr("&Final (the record needs no follow-up)"))
        self.final_check.setChecked(row.is_final if row else False)
        self.start_check = QCheckBox(self.tr("&Start status (a record joining the campaign)"))
        self.start_check.setChecked(row.is_start if row else False)
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        form_row(self.form, self.tr("&Colour:"), self.color_button)
        form_row(self.form, self.tr("&Progress:"), self.progress_spin)
        flags = QVBoxLayout()
        for check in (self.active_check, self.final_check, self.start_check):
            flags.addWidget(check)
        self.form.addRow("", flags)
        self.setMinimumWidth(420)

    def data(self) -> StatusData:
        return StatusData(
            name=self.name_edit.text(),
            color=self.color_button.color(),
            progress=self.progress_spin.value(),
            is_active=self.active_check.isChecked(),
            is_final=self.final_check.isChecked(),
            is_start=self.start_check.isChecked(),
        )


class MergeDialog(FormDialog):
    """Delete a status by merging it into another of its campaign: says how
    many memberships and history entries move."""

    def __init__(
        self,
        status: StatusRow,
        others: Sequence[StatusRow],
        counts: MergeCounts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Delete status “{name}”").format(name=status.name), parent)
        self.status = status
        intro = QLabel(
            self.tr(
                "A status is deleted by merging it into another status of the campaign. "
                "Its records get that status; the allowed next statuses pointing at it "
                "point at that status."
            )
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.into_combo = QComboBox()
        for other in others:
            self.into_combo.addItem(status_swatch(other.color), other.name, other.id)
        self.form.addRow(self.tr("&Merge into:"), self.into_combo)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("mergeCounts")
        self.counts_label.setWordWrap(True)
        self.counts_label.setText(
            self.tr(
                "Moving from “{name}” to the chosen status — records in this status: "
                "{memberships}, entries of the status history: {history}. This cannot be undone."
            ).format(memberships=counts.memberships, history=counts.history, name=status.name)
        )
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(self.counts_label)
        self.ok_button.setText(self.tr("&Merge and delete"))
        self.ok_button.setEnabled(bool(others))
        self.setMinimumWidth(460)

    def into_id(self) -> int | None:
        return self.into_combo.currentData()

    def set_into(self, status_id: int) -> None:
        self.into_combo.setCurrentIndex(self.into_combo.findData(status_id))


def form_row(form: QFormLayout, text: str, field: QWidget, *, stretch: bool = True) -> None:
    """A form row whose label's mnemonic focuses ``field``, the field at its
    natural width (``stretch``) or the full width."""
    label = QLabel(text)
    label.setBuddy(field)
    if stretch:
        form.addRow(label, row_with_buttons(field))
    else:
        form.addRow(label, field)


def row_with_buttons(*widgets: QWidget) -> QHBoxLayout:
    """A row of buttons, left-aligned."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
