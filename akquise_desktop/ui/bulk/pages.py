"""One page per bulk operation: each builds its inputs, fills its choices from
the :class:`BulkContext`, gives the controller :class:`Operation` for its input
and says a preview row's values in words. :data:`PAGES` maps the operation
keys to the page classes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller.bulk import (
    MAX_SHIFT_DAYS,
    UNSET,
    ChangeStatus,
    LogActivityForEach,
    Operation,
    SetAssignee,
    SetDueDate,
    SetInstruction,
    SetOwner,
    SetPriority,
    ShiftDueDates,
)
from akquise_desktop.core.clock import Clock
from akquise_desktop.queries.bulk_context import BulkContext

from ..common import format_date, format_time, priority_icon
from .shared import (
    FINAL_ROLE,
    FOLLOW_UP,
    RECORD,
    NextFollowUpBox,
    date_format,
    fill_users,
    priority_names,
    qdate,
)

W = TypeVar("W", bound=QWidget)


class OperationPage(QWidget):
    """The inputs of one operation (``key``) on records or follow-ups (``target``)."""

    key: ClassVar[str]
    target: ClassVar[str]  # RECORD or FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.context: BulkContext | None = None
        form = self.form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

    def add(self, text: str, widget: W, name: str) -> W:
        """A labelled input, named ``<key>.<name>``."""
        widget.setObjectName(f"{self.key}.{name}")
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)
        return widget

    def fill(self, context: BulkContext) -> None:
        """The choices (users, campaigns, activity types) from ``context``."""
        self.context = context

    def operation(self) -> Operation:
        """The controller operation for the current input."""
        raise NotImplementedError

    def describe(self, values: Mapping[str, Any]) -> str:
        """Field values of a preview row in words, e.g. "Due: 05.12.2026"."""
        context = self.context
        labels = {
            "owner_id": self.tr("Account manager"),
            "assignee_id": self.tr("Assignee"),
            "due_date": self.tr("Due"),
            "due_time": self.tr("Time"),
            "priority": self.tr("Priority"),
            "instruction": self.tr("Instruction"),
            "status_id": self.tr("Status"),
            "activity": self.tr("Activity"),
            "follow_up": self.tr("Next follow-up"),
        }
        parts = []
        for key, value in values.items():
            if key not in labels:
                continue  # bookkeeping (series start)
            if key in ("owner_id", "assignee_id"):
                text = context.user_name_of(value) if context and value else "—"
            elif key == "status_id":
                text = context.status_name_of(value) if context else str(value)
            elif key in ("due_date", "follow_up"):
                text = format_date(value)
            elif key == "due_time":
                text = format_time(value) if value else self.tr("all day")
            elif key == "priority":
                text = priority_names()[int(value)]
            else:
                text = str(value) if value not in (None, "") else "—"
            parts.append(f"{labels[key]}: {text}")
        return "; ".join(parts)


# --- records ------------------------------------------------------------------------------------


class SetOwnerPage(OperationPage):
    key = "set_owner"
    target = RECORD

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.user = self.add(self.tr("New account &manager:"), QComboBox(), "user")

    def fill(self, context: BulkContext) -> None:
        super().fill(context)
        fill_users(self.user, context, active_only=True)

    def operation(self) -> Operation:
        return SetOwner(self.user.currentData())


class _ActivityPage(OperationPage):
    """An activity for each record (type, subject, text) and its next follow-up."""

    def _add_activity_inputs(self, subject_placeholder: str) -> None:
        key = self.key
        self.type = self.add(self.tr("Activity t&ype:"), QComboBox(), "type")
        subject = QLineEdit()
        subject.setMaxLength(m.SUBJECT_MAX)
        subject.setPlaceholderText(subject_placeholder)
        self.subject = self.add(self.tr("Su&bject:"), subject, "subject")
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(54)
        self.text = self.add(self.tr("Te&xt:"), text, "text")
        box = NextFollowUpBox(for_owner_choice=key == "log_activity")
        box.setObjectName(f"{key}.next")
        self.form.addRow(box)
        self.next = box

    def fill(self, context: BulkContext) -> None:
        super().fill(context)
        self.type.clear()
        for t in context.activity_types:
            self.type.addItem(t.name, t.id)
        self.next.fill(context, self.clock.today())


class ChangeStatusPage(_ActivityPage):
    key = "change_status"
    target = RECORD

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.campaign = self.add(self.tr("&Campaign:"), QComboBox(), "campaign")
        self.status = self.add(self.tr("New s&tatus:"), QComboBox(), "status")
        self.campaign.currentIndexChanged.connect(lambda _i: self._fill_statuses())
        self._add_activity_inputs(self.tr("Why the status changes (default: the new status)"))
        # a final status needs no follow-up; any other does (rule 2)
        self.status.currentIndexChanged.connect(lambda _i: self._status_chosen())

    def fill(self, context: BulkContext) -> None:
        super().fill(context)
        campaign_combo = self.campaign
        campaign_combo.blockSignals(True)
        campaign_combo.clear()
        for c in context.campaigns:
            campaign_combo.addItem(c.name, c.id)
        campaign_combo.blockSignals(False)
        self._fill_statuses()

    def _status_chosen(self) -> None:
        final = bool(self.status.currentData(FINAL_ROLE))
        self.next.setChecked(not final)

    def _fill_statuses(self) -> None:
        campaign_id = self.campaign.currentData()
        self.status.clear()
        if self.context is None:
            return
        campaign = next((c for c in self.context.campaigns if c.id == campaign_id), None)
        for st in campaign.statuses if campaign else ():
            text = self.tr("{status} (final)").format(status=st.name) if st.is_final else st.name
            self.status.addItem(text, st.id)
            self.status.setItemData(self.status.count() - 1, st.is_final, FINAL_ROLE)
        self._status_chosen()

    def operation(self) -> Operation:
        return ChangeStatus(
            campaign_id=self.campaign.currentData() or 0,
            status_id=self.status.currentData() or 0,
            subject=self.subject.text().strip(),
            text=self.text.toPlainText().strip(),
            type_id=self.type.currentData(),
            next_follow_up=self.next.value(),
        )


class LogActivityPage(_ActivityPage):
    key = "log_activity"
    target = RECORD

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self._add_activity_inputs(self.tr("e.g. mailing sent"))

    def operation(self) -> Operation:
        return LogActivityForEach(
            subject=self.subject.text().strip(),
            text=self.text.toPlainText().strip(),
            type_id=self.type.currentData(),
            next_follow_up=self.next.value(),
            follow_up_for_owner=self.next.for_owner(),
        )


# --- follow-ups ---------------------------------------------------------------------------------


class ShiftDueDatesPage(OperationPage):
    key = "shift_due_dates"
    target = FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        spin = QSpinBox()
        spin.setRange(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)
        spin.setValue(7)
        spin.setSuffix(self.tr(" day(s)"))
        spin.setToolTip(self.tr("Negative: earlier. Never before the source activity."))
        self.days = self.add(self.tr("Shift &by:"), spin, "days")

    def operation(self) -> Operation:
        return ShiftDueDates(self.days.value())


class SetDueDatePage(OperationPage):
    key = "set_due_date"
    target = FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        due = QDateEdit()
        due.setCalendarPopup(True)
        due.setDisplayFormat(date_format())
        tomorrow = clock.today() + timedelta(days=1)
        due.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.due = self.add(self.tr("New &due date:"), due, "due")
        times = QComboBox()
        times.addItem(self.tr("keep each follow-up's time"), "keep")
        times.addItem(self.tr("all day (no time)"), "none")
        times.addItem(self.tr("at this time:"), "at")
        self.time_mode = self.add(self.tr("&Time:"), times, "time_mode")
        at = QTimeEdit(QTime(9, 0))
        at.setEnabled(False)
        times.currentIndexChanged.connect(lambda _i: at.setEnabled(times.currentData() == "at"))
        self.at = self.add("", at, "at")

    def operation(self) -> Operation:
        mode = self.time_mode.currentData()
        due_time: Any = UNSET
        if mode == "none":
            due_time = None
        elif mode == "at":
            t = self.at.time()
            due_time = time(t.hour(), t.minute())
        return SetDueDate(qdate(self.due.date()), due_time)


class SetAssigneePage(OperationPage):
    key = "set_assignee"
    target = FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.user = self.add(self.tr("New assi&gnee:"), QComboBox(), "user")

    def fill(self, context: BulkContext) -> None:
        super().fill(context)
        fill_users(self.user, context, active_only=True)

    def operation(self) -> Operation:
        return SetAssignee(self.user.currentData())


class SetPriorityPage(OperationPage):
    key = "set_priority"
    target = FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        combo = QComboBox()
        for value, text in enumerate(priority_names()):
            combo.addItem(priority_icon(value), text, value)
        self.priority = self.add(self.tr("New priorit&y:"), combo, "priority")

    def operation(self) -> Operation:
        return SetPriority(self.priority.currentData())


class SetInstructionPage(OperationPage):
    key = "set_instruction"
    target = FOLLOW_UP

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        edit = QLineEdit()
        edit.setMaxLength(m.INSTRUCTION_MAX)
        edit.setPlaceholderText(self.tr("e.g. send the new price list"))
        self.instruction = self.add(self.tr("New &instruction:"), edit, "instruction")

    def operation(self) -> Operation:
        return SetInstruction(self.instruction.text().strip())


PAGES: dict[str, type[OperationPage]] = {
    page.key: page
    for page in (
        SetOwnerPage,
        ChangeStatusPage,
        LogActivityPage,
        ShiftDueDatesPage,
        SetDueDatePage,
        SetAssigneePage,
        SetPriorityPage,
        SetInstructionPage,
    )
}
