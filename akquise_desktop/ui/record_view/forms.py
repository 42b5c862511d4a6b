"""The master data and contact person forms of the record view: inputs by
field name, a baseline to tell unsaved input, checks before saving, and a
refusal (a version conflict: yours / stored) shown next to the form."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop.controller import ContactData, RecordData
from akquise_desktop.controller.controller import LIMITS
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.desktop.urls import tel_url
from akquise_desktop.queries import records as q
from akquise_desktop.queries.lookups import Lookups

from .. import common
from ..i18n import current_language

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")

RECORD_FIELDS = ("kind", "name", "street", "postal_code", "city", "country", "phone", "email",
                 "website", "industry", "owner_id", "notes")  # fmt: skip
CONTACT_FIELDS = tuple(f.name for f in fields(ContactData))


def _error_text(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return error.message(current_language())
    return str(error)


class _Form(QWidget):
    """Line edits etc. by field name, with a baseline to tell unsaved input."""

    changed = Signal()
    call_requested = Signal(str)  # a phone field's call button: the number shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}  # field name -> its label, for messages
        self.baseline: dict[str, Any] = {}
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("form_message")
        self.message.hide()

    def line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"field_{name}")
        if name in LIMITS:
            edit.setMaxLength(LIMITS[name])
        edit.textChanged.connect(self.changed)
        self.inputs[name] = edit
        return edit

    def call_button(self, edit: QLineEdit) -> QAction:
        """*Anrufen* at the end of a phone field: dials what it shows
        (:attr:`call_requested`); only while it holds a number."""
        action = edit.addAction(
            common.icon("mdi6.phone", "#2E7D32"), QLineEdit.ActionPosition.TrailingPosition
        )
        action.setObjectName(f"call_{edit.objectName()}")
        action.setText(self.tr("Call"))
        action.setToolTip(self.tr("Call this number"))

        def update(text: str) -> None:
            action.setVisible(tel_url(text) is not None)

        self.changed.connect(lambda: update(edit.text()))  # (set_values blocks textChanged)
        update(edit.text())
        action.triggered.connect(lambda: self.call_requested.emit(edit.text().strip()))
        return action

    def text_box(self, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setObjectName(f"field_{name}")
        box.setTabChangesFocus(True)
        box.setMaximumHeight(90)
        box.textChanged.connect(self.changed)
        self.inputs[name] = box
        return box

    def combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(f"field_{name}")
        combo.currentIndexChanged.connect(self.changed)
        self.inputs[name] = combo
        return combo

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                result[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                result[name] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                result[name] = (
                    widget.currentData()
                    if widget.currentData() is not None
                    else widget.currentText()
                )
        return result

    def set_values(self, values: dict[str, Any]) -> None:
        for name, widget in self.inputs.items():
            value = values.get(name)
            widget.blockSignals(True)
            if isinstance(widget, QLineEdit):
                widget.setText(value or "")
                widget.setStyleSheet("")
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index < 0 and widget.isEditable():
                    widget.setEditText(value or "")
                else:
                    widget.setCurrentIndex(max(index, 0))
            widget.blockSignals(False)
        self.baseline = self.values()
        self.changed.emit()

    @property
    def dirty(self) -> bool:
        return bool(self.baseline) and self.values() != self.baseline

    def show_message(self, text: str, *, error: bool = True) -> None:
        color = "#B71C1C" if error else "#2E7D32"
        self.message.setStyleSheet(f"color: {color}")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        name = next((n for n, w in self.inputs.items() if w is buddy), None)
        if name is not None:
            self.labels[name] = text.replace("&", "").rstrip(":")
        return label

    def shown(self, name: str, value: Any) -> str:
        """``value`` of field ``name`` as the form shows it."""
        widget = self.inputs.get(name)
        if isinstance(widget, QComboBox) and (index := widget.findData(value)) >= 0:
            return widget.itemText(index)
        return str(value) if value not in (None, "") else "—"

    def _field_label(self, name: str) -> str:
        widget = self.inputs.get(name)
        placeholder = widget.placeholderText() if isinstance(widget, QLineEdit) else ""
        return self.labels.get(name) or placeholder or name

    def refusal_text(self, error: BaseException) -> str:
        """A refused save as the form shows it. A version conflict also says who
        changed it and when, and, for each field both the user and the other
        change changed, the user's value and the stored one; the input stays."""
        lines = [_error_text(error)]
        if not (isinstance(error, DomainError) and error.rule is Rule.STALE):
            return lines[0]
        detail = error.params.get(f"detail_{current_language()}")
        if detail:
            lines.append(detail)
        current = error.params.get("current") or {}
        for name, mine in self.values().items():
            if name not in current or mine == self.baseline.get(name):
                continue  # not changed by the user
            theirs = current[name] or None
            if theirs in ((mine or None), (self.baseline.get(name) or None)):
                continue  # the same change on both sides, or only ours
            lines.append(
                self.tr("{field}: yours “{yours}” / stored “{theirs}”").format(
                    field=self._field_label(name),
                    yours=self.shown(name, mine),
                    theirs=self.shown(name, theirs),
                )
            )
        return "\n".join(lines)

    def mark_invalid(self, names: set[str]) -> None:
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                widget.setStyleSheet(
                    "QLineEdit { border: 1px solid #C62828; }" if name in names else ""
                )


class MasterDataForm(_Form):
    """The record's master data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("master_data")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        kind = self.combo("kind")
        kind.addItem(common.icon("mdi6.domain"), self.tr("Company"), "company")
        kind.addItem(common.icon("mdi6.account-outline"), self.tr("Person"), "person")
        form.addRow(self._label(self.tr("&Kind:"), kind), kind)
        name = self.line("name")
        form.addRow(self._label(self.tr("&Name:"), name), name)
        street = self.line("street")
        form.addRow(self._label(self.tr("St&reet:"), street), street)
        place = QHBoxLayout()
        postal = self.line("postal_code")
        postal.setMaximumWidth(80)
        city = self.line("city")
        country = self.line("country")
        country.setMaximumWidth(44)
        place.addWidget(postal)
        place.addWidget(city, 1)
        place.addWidget(country)
        form.addRow(self._label(self.tr("&Postcode, city:"), postal), place)
        phone = self.line("phone")
        self.call_action = self.call_button(phone)
        form.addRow(self._label(self.tr("P&hone:"), phone), phone)
        email = self.line("email")
        form.addRow(self._label(self.tr("&E-mail:"), email), email)
        website = self.line("website")
        form.addRow(self._label(self.tr("&Website:"), website), website)
        industry = self.line("industry")
        form.addRow(self._label(self.tr("&Industry:"), industry), industry)
        owner = self.combo("owner_id")
        form.addRow(self._label(self.tr("Account man&ager:"), owner), owner)
        notes = self.text_box("notes")
        form.addRow(self._label(self.tr("N&otes:"), notes), notes)
        postal.setPlaceholderText(self.tr("Postcode"))
        city.setPlaceholderText(self.tr("City"))
        country.setPlaceholderText("DE")
        self.save_button = QPushButton(common.icon("mdi6.content-save"), self.tr("&Save"), self)
        self.save_button.setObjectName("save_master_data")
        self.discard_button = QPushButton(self.tr("&Undo changes"), self)
        self.reload_button = QPushButton(self.tr("Load current &version"), self)
        self.reload_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)  # full width: a conflict takes some lines
        layout.addLayout(buttons)
        self.changed.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.discard_button.setEnabled(self.dirty)

    def set_users(self, data: Lookups, current_owner: int | None) -> None:
        combo: QComboBox = self.inputs["owner_id"]  # type: ignore[assignment]
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for user in data.users:
            if user.active or user.id == current_owner:
                combo.addItem(user.display_name, user.id)
        combo.setCurrentIndex(max(combo.findData(keep), 0))
        combo.blockSignals(False)

    def validate(self) -> list[tuple[str, str]]:
        """Problems as (field, message); empty when the input can be saved."""
        v = self.values()
        problems = []
        if not v["name"].strip():
            problems.append(("name", self.tr("The name must not be empty.")))
        if v["email"].strip() and not EMAIL.match(v["email"].strip()):
            problems.append(("email", self.tr("The e-mail address is not valid.")))
        if v["country"].strip() and not COUNTRY.match(v["country"].strip()):
            problems.append(("country", self.tr("The country is a two-letter code, e.g. DE.")))
        if v["website"].strip() and " " in v["website"].strip():
            problems.append(("website", self.tr("The website must not contain spaces.")))
        return problems

    def record_data(self) -> RecordData:
        v = self.values()
        return RecordData(
            name=v["name"],
            kind=v["kind"],
            street=v["street"] or None,
            postal_code=v["postal_code"] or None,
            city=v["city"] or None,
            country=v["country"] or None,
            phone=v["phone"] or None,
            email=v["email"] or None,
            website=v["website"] or None,
            industry=v["industry"] or None,
            notes=v["notes"] or None,
            owner_id=v["owner_id"] if isinstance(v["owner_id"], int) else None,
        )


class ContactForm(_Form):
    """One contact person (new or existing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contact_form")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        salutation = self.combo("salutation")
        salutation.setEditable(True)
        salutation.addItems(["", self.tr("Mr"), self.tr("Ms")])
        title = self.line("title")
        title.setPlaceholderText(self.tr("Title"))
        title.setMaximumWidth(90)
        row = QHBoxLayout()
        row.addWidget(salutation)
        row.addWidget(title)
        form.addRow(self._label(self.tr("Sal&utation:"), salutation), row)
        first = self.line("first_name")
        last = self.line("last_name")
        names = QHBoxLayout()
        names.addWidget(first)
        names.addWidget(last)
        first.setPlaceholderText(self.tr("First name"))
        last.setPlaceholderText(self.tr("Last name"))
        form.addRow(self._label(self.tr("N&ame:"), first), names)
        position = self.line("position")
        form.addRow(self._label(self.tr("&Position:"), position), position)
        phone = self.line("phone")
        mobile = self.line("mobile")
        phones = QHBoxLayout()
        phones.addWidget(phone)
        phones.addWidget(mobile)
        phone.setPlaceholderText(self.tr("Phone"))
        mobile.setPlaceholderText(self.tr("Mobile"))
        self.call_actions = (self.call_button(phone), self.call_button(mobile))
        form.addRow(self._label(self.tr("P&hone:"), phone), phones)
        email = self.line("email")
        form.addRow(self._label(self.tr("&E-mail:"), email), email)
        notes = self.text_box("notes")
        notes.setMaximumHeight(60)
        form.addRow(self._label(self.tr("N&otes:"), notes), notes)
        self.new_button = QPushButton(common.icon("mdi6.account-plus"), self.tr("&New"), self)
        self.save_button = QPushButton(
            common.icon("mdi6.content-save"), self.tr("&Save contact"), self
        )
        self.save_button.setObjectName("save_contact")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.contact_id: int | None = None
        self.version: int | None = None
        self.changed.connect(lambda: self.save_button.setEnabled(self.dirty))

    def edit(self, contact: q.ContactRow | None) -> None:
        self.contact_id = contact.id if contact else None
        self.version = contact.version if contact else None
        values = {k: getattr(contact, k) for k in CONTACT_FIELDS} if contact else {}
        self.set_values(values)
        if contact is None:
            self.baseline = {k: "" for k in self.baseline}
            self.baseline.update({"salutation": ""})
        self.show_message("")
        self.mark_invalid(set())
        self.save_button.setEnabled(False)

    def validate(self) -> list[tuple[str, str]]:
        v = self.values()
        problems = []
        if not v["last_name"].strip():
            problems.append(("last_name", self.tr("The last name must not be empty.")))
        if v["email"].strip() and not EMAIL.match(v["email"].strip()):
            problems.append(("email", self.tr("The e-mail address is not valid.")))
        return problems

    def contact_data(self) -> ContactData:
        v = self.values()
        return ContactData(**{k: (v[k] or None) for k in CONTACT_FIELDS})  # type: ignore[arg-type]
