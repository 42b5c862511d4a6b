"""What the bulk dialog's parts share: the kinds of rows, the names of the
operations and priorities, error text, date helpers, the user choice, and the
"next follow-up" box of the activity operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller import NextFollowUp
from akquise_desktop.core.errors import DomainError
from akquise_desktop.queries.bulk_context import BulkContext

from .. import i18n
from ..common import priority_icon

FINAL_ROLE = Qt.ItemDataRole.UserRole + 1  # status combo: is the status final
PREVIEW_ROWS = 500  # rows shown in the preview and result tables
RECORD, FOLLOW_UP = "record", "follow_up"


def error_text(exc: BaseException) -> str:
    """A refusal in the UI language; another error as its first line."""
    if isinstance(exc, DomainError):
        return exc.message(i18n.current_language())
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return QCoreApplication.translate(
        "BulkDialog", "The database reported an error: {error}"
    ).format(error=first[:300])


def priority_names() -> tuple[str, str, str]:
    return (
        QCoreApplication.translate("BulkDialog", "Normal"),
        QCoreApplication.translate("BulkDialog", "High"),
        QCoreApplication.translate("BulkDialog", "Time-critical"),
    )


@dataclass(frozen=True)
class BulkTargets:
    """What the dialog works on: the selected rows of a list (records or
    follow-ups) and, for the record list, the whole current search result."""

    kind: str  # RECORD or FOLLOW_UP
    selected: tuple[int, ...]
    result: tuple[int, ...] | None = None


def operation_names() -> dict[str, str]:
    return {
        "set_owner": QCoreApplication.translate("BulkDialog", "Set account manager"),
        "change_status": QCoreApplication.translate(
            "BulkDialog", "Change campaign status (with an activity)"
        ),
        "log_activity": QCoreApplication.translate(
            "BulkDialog", "Log an activity (and a follow-up) for each"
        ),
        "set_assignee": QCoreApplication.translate("BulkDialog", "Set assignee of follow-ups"),
        "shift_due_dates": QCoreApplication.translate("BulkDialog", "Shift due dates"),
        "set_due_date": QCoreApplication.translate("BulkDialog", "Set due date"),
        "set_priority": QCoreApplication.translate("BulkDialog", "Set priority"),
        "set_instruction": QCoreApplication.translate("BulkDialog", "Change instruction"),
        "rebook": QCoreApplication.translate("BulkDialog", "Rebook follow-ups"),
    }


# --- the next follow-up of activity operations ----------------------------------------------


class NextFollowUpBox(QGroupBox):
    """The follow-up each new activity sets (checkable: none when unchecked)."""

    changed = Signal()

    def __init__(self, *, for_owner_choice: bool, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Next follow-up for each record"), parent)
        self.setCheckable(True)
        self.setChecked(True)
        form = QFormLayout(self)
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat(date_format())
        form.addRow(self._label(self.tr("&Due:"), self.due_edit), self.due_edit)
        self.assignee_combo = QComboBox()
        form.addRow(self._label(self.tr("Assi&gnee:"), self.assignee_combo), self.assignee_combo)
        self.owner_check: QCheckBox | None = None
        if for_owner_choice:
            self.owner_check = QCheckBox(self.tr("to each record's account &manager"))
            self.owner_check.toggled.connect(lambda on: self.assignee_combo.setEnabled(not on))
            form.addRow("", self.owner_check)
        self.priority_combo = QComboBox()
        for value, text in enumerate(priority_names()):
            self.priority_combo.addItem(priority_icon(value), text, value)
        form.addRow(self._label(self.tr("Pr&iority:"), self.priority_combo), self.priority_combo)
        self.instruction_edit = QLineEdit()
        self.instruction_edit.setMaxLength(m.INSTRUCTION_MAX)
        form.addRow(
            self._label(self.tr("Instructio&n:"), self.instruction_edit), self.instruction_edit
        )
        for signal in (
            self.toggled,
            self.due_edit.dateChanged,
            self.assignee_combo.currentIndexChanged,
            self.priority_combo.currentIndexChanged,
            self.instruction_edit.textChanged,
        ):
            signal.connect(lambda *_: self.changed.emit())
        if self.owner_check is not None:
            self.owner_check.toggled.connect(lambda *_: self.changed.emit())

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def fill(self, context: BulkContext, today: date) -> None:
        fill_users(self.assignee_combo, context, active_only=True, selected=context.user_id)
        due = today + timedelta(days=context.default_follow_up_days)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))

    def value(self) -> NextFollowUp | None:
        if not self.isChecked():
            return None
        return NextFollowUp(
            due_date=qdate(self.due_edit.date()),
            assignee_id=self.assignee_combo.currentData(),
            priority=m.Priority(self.priority_combo.currentData()),
            instruction=self.instruction_edit.text().strip(),
        )

    def for_owner(self) -> bool:
        return self.owner_check is not None and self.owner_check.isChecked()


# --- small helpers -----------------------------------------------------------------------------


def qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_format() -> str:
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt.replace("yyyy", "yy").replace("yy", "yyyy")


def fill_users(
    combo: QComboBox,
    context: BulkContext,
    *,
    active_only: bool,
    selected: int | None = None,
) -> None:
    current = combo.currentData() if selected is None else selected
    combo.blockSignals(True)
    combo.clear()
    for user in context.users:
        if active_only and not user.active:
            continue
        text = (
            user.name
            if user.active
            else QCoreApplication.translate("BulkDialog", "{name} (inactive)").format(
                name=user.name
            )
        )
        combo.addItem(text, user.id)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
    combo.blockSignals(False)
