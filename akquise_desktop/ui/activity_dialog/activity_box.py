"""The activity dialog's activity: its type, when it happened and how long it
took, the contact person, subject and text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.queries.activity_form import ActivityForm, OpenFollowUp

from ..common import activity_type_icon
from .shared import datetime_format

MAX_DURATION_MINUTES = 24 * 60  # as the controller


class ActivityBox(QGroupBox):
    """What happened: the activity's own fields."""

    changed = Signal()  # the subject, the text or the time changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Activity"))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_combo = QComboBox()
        self.when_edit = QDateTimeEdit()
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat(datetime_format())
        self.contact_combo = QComboBox()
        self.subject_edit = QLineEdit()
        self.subject_edit.setMaxLength(m.SUBJECT_MAX)
        self.subject_edit.setPlaceholderText(self.tr("What happened, in a few words"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(
            self.tr("Short notes, e.g. what was agreed, what to send (Ctrl+Enter saves)")
        )
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(110)
        self.duration_spin = QSpinBox()
        self.duration_spin.setObjectName("durationSpin")
        self.duration_spin.setRange(0, MAX_DURATION_MINUTES)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSpecialValueText(self.tr("—"))  # 0: not given
        self.duration_spin.setSuffix(self.tr(" min"))
        self.duration_spin.setToolTip(self.tr("How long it took, in minutes (optional)"))
        self.duration_spin.setAccessibleName(self.tr("Duration in minutes"))
        when_row = QHBoxLayout()
        when_row.addWidget(self.when_edit, 1)
        duration_label = QLabel(self.tr("Duration (&min):"))
        duration_label.setBuddy(self.duration_spin)
        when_row.addSpacing(8)
        when_row.addWidget(duration_label)
        when_row.addWidget(self.duration_spin)
        when_label = QLabel(self.tr("&When:"))
        when_label.setBuddy(self.when_edit)
        for label, widget in (
            (self.tr("&Type:"), self.type_combo),
            (None, when_row),
            (self.tr("C&ontact:"), self.contact_combo),
            (self.tr("S&ubject:"), self.subject_edit),
            (self.tr("Te&xt:"), self.text_edit),
        ):
            if label is None:
                form.addRow(when_label, widget)
                continue
            assert isinstance(widget, QWidget)
            lbl = QLabel(label)
            lbl.setBuddy(widget)
            form.addRow(lbl, widget)

        self.subject_edit.textChanged.connect(self.changed)
        self.text_edit.textChanged.connect(self.changed)
        self.when_edit.dateTimeChanged.connect(self.changed)

    def fill(self, form: ActivityForm) -> None:
        """The activity types and the record's contacts; what was chosen stays."""
        self._fill_types(form)
        self._fill_contacts(form)

    def _fill_types(self, form: ActivityForm) -> None:
        current = self.type_combo.currentData()
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for t in form.activity_types:
            self.type_combo.addItem(activity_type_icon(t.icon), t.name, t.id)
        index = self.type_combo.findData(current)
        self.type_combo.setCurrentIndex(max(index, 0))
        self.type_combo.blockSignals(False)

    def _fill_contacts(self, form: ActivityForm) -> None:
        current = self.contact_combo.currentData()
        self.contact_combo.clear()
        self.contact_combo.addItem(self.tr("— none —"), None)
        for c in form.contacts:
            text = f"{c.name} ({c.position})" if c.position else c.name
            self.contact_combo.addItem(text, c.id)
        index = self.contact_combo.findData(current)
        self.contact_combo.setCurrentIndex(max(index, 0))

    def prefill(self, now: datetime, origin: OpenFollowUp | None) -> None:
        """First load: the time ``now``, and the contact and the instruction (as
        the subject, selected: typing replaces it) of the follow-up completed."""
        self.when_edit.setDateTime(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        if origin is not None:
            if origin.source_contact_id is not None:
                index = self.contact_combo.findData(origin.source_contact_id)
                if index >= 0:
                    self.contact_combo.setCurrentIndex(index)
            if origin.instruction:
                self.subject_edit.setText(origin.instruction[: m.SUBJECT_MAX])
        self.subject_edit.setFocus()
        self.subject_edit.selectAll()

    def prefill_call(
        self,
        type_id: int | None,
        started: datetime,
        minutes: int,
        contact_id: int | None,
        subject: str,
    ) -> None:
        """A phone call: its type, start (local wall time), duration, contact
        person (if still one of the record's) and a subject, selected: typing
        replaces it."""
        if type_id is not None and (index := self.type_combo.findData(type_id)) >= 0:
            self.type_combo.setCurrentIndex(index)
        self.when_edit.setDateTime(
            QDateTime(
                QDate(started.year, started.month, started.day),
                QTime(started.hour, started.minute),
            )
        )
        self.duration_spin.setValue(max(0, min(minutes, MAX_DURATION_MINUTES)))
        if contact_id is not None and (index := self.contact_combo.findData(contact_id)) >= 0:
            self.contact_combo.setCurrentIndex(index)
        if not self.subject_edit.text():
            self.subject_edit.setText(subject[: m.SUBJECT_MAX])
        self.subject_edit.setFocus()
        self.subject_edit.selectAll()

    def occurred_at(self, zone: ZoneInfo) -> datetime:
        """The activity's time, time-zone aware (in ``zone``, the acting user's)."""
        value = self.when_edit.dateTime()
        d, t = value.date(), value.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=zone)
        return local

    def duration_minutes(self) -> int | None:
        value = self.duration_spin.value()
        return value or None

    def subject(self) -> str:
        return self.subject_edit.text().strip()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def type_id(self) -> int | None:
        return self.type_combo.currentData()

    def contact_id(self) -> int | None:
        return self.contact_combo.currentData()

    def state(self) -> dict[str, object]:
        """Everything entered here, to tell typed input from the prefill."""
        return {
            "type": self.type_combo.currentData(),
            "when": self.when_edit.dateTime().toString(Qt.DateFormat.ISODate),
            "duration": self.duration_spin.value(),
            "contact": self.contact_combo.currentData(),
            "subject": self.subject_edit.text().strip(),
            "text": self.text_edit.toPlainText().strip(),
        }

    def focus_chain(self) -> list[QWidget]:
        """The inputs, in tab order."""
        return [
            self.type_combo,
            self.when_edit,
            self.duration_spin,
            self.contact_combo,
            self.subject_edit,
            self.text_edit,
        ]
