"""A small dialog to create a record; the rest is filled in on the record view.

Before the first save it looks for records the new one may duplicate (the
import's check: similar name, same phone, :func:`akquise_desktop.imports.
possible_duplicates`); found, it names them and Save becomes "Save anyway"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller import RecordData
from akquise_desktop.controller.controller import LIMITS
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError

from . import common
from .i18n import current_language
from .services import Services


class NewRecordDialog(QDialog):
    """Name, kind, city, phone; Save creates the record (owner: the user)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.created_id: int | None = None
        self.duplicates: list = []  # the possible duplicates named in the warning
        self._checked: tuple[str, str] | None = None  # (name, phone) the warning is for
        self.setWindowTitle(self.tr("New record"))
        self.kind = QComboBox(self)
        self.kind.addItem(common.icon("mdi6.domain"), self.tr("Company"), "company")
        self.kind.addItem(common.icon("mdi6.account-outline"), self.tr("Person"), "person")
        self.name = QLineEdit(self)
        self.name.setMaxLength(LIMITS["name"])
        self.city = QLineEdit(self)
        self.city.setMaxLength(LIMITS["city"])
        self.phone = QLineEdit(self)
        self.phone.setMaxLength(LIMITS["phone"])
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B71C1C")
        self.message.hide()
        self.warning = QLabel(self)
        self.warning.setObjectName("duplicateWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8D6E00")
        self.warning.hide()
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Name:"), self.name),
            (self.tr("&City:"), self.city),
            (self.tr("&Phone:"), self.phone),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        self.phone.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())
        self._update()

    def _update(self) -> None:
        ok = bool(self.name.text().strip())
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(ok)
        if self._checked is not None and self._checked != self._typed():
            self._checked, self.duplicates = None, []  # changed: checked again on Save
            self.warning.hide()
        save.setText(self.tr("Save &anyway") if self.duplicates else self.tr("&Save"))

    def _typed(self) -> tuple[str, str]:
        return self.name.text().strip(), self.phone.text().strip()

    def save(self) -> None:
        if not self.name.text().strip():
            return
        if self._checked != self._typed():
            self._check_duplicates()
            return
        self._create()

    def _check_duplicates(self) -> None:
        from akquise_desktop.imports.duplicates import NewRecord, possible_duplicates

        typed = self._typed()
        candidate = NewRecord(name=typed[0], phone=typed[1] or None)
        self.buttons.setEnabled(False)

        def checked(found: list) -> None:
            self.buttons.setEnabled(True)
            self._checked, self.duplicates = typed, found
            if not found:
                self._create()
                return
            names = "\n".join(f"• {m.record_name}" for m in found[:5])
            self.warning.setText(
                self.tr("Possibly already there (similar name or same phone):") + "\n" + names
            )
            self.warning.show()
            self._update()

        def failed(_error: BaseException) -> None:  # the check is a help: saving goes on
            self.buttons.setEnabled(True)
            self._checked = typed
            self._create()

        self.services.read(lambda s: possible_duplicates(s, candidate), checked, failed)

    def _create(self) -> None:
        data = RecordData(
            name=self.name.text(),
            kind=self.kind.currentData(),
            city=self.city.text() or None,
            phone=self.phone.text() or None,
        )
        self.buttons.setEnabled(False)
        self.services.change(lambda ctl: ctl.create_record(data), self._saved, self._refused)

    def _saved(self, summary: ChangeSummary) -> None:
        self.created_id = summary.result_id
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = error.message(current_language()) if isinstance(error, DomainError) else str(error)
        self.message.setText(text)
        self.message.show()
