"""The activity dialog's next follow-up: due date (with quick picks) and time,
assignee, priority, recurrence (presets, a custom rule, the recurrence editor)
and instruction; it checks its own input."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import shiboken6
from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller import NextFollowUp
from akquise_desktop.core import recurrence
from akquise_desktop.core.clock import Clock
from akquise_desktop.core.errors import DomainError
from akquise_desktop.core.holidays_calendar import WEEKENDS_ONLY, WorkCalendar
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule
from akquise_desktop.models import RecurrenceAnchor
from akquise_desktop.queries.activity_form import ActivityForm, OpenFollowUp

from ..common import format_date, icon, priority_icon
from ..recurrence_dialog import RecurrenceChoice, RecurrenceDialog
from .shared import (
    actor_zone,
    date_format,
    describe_rule,
    series_continues,
    time_format,
    ui_language,
)

CUSTOM_RECURRENCE = "custom"


class NextFollowUpEditor(QGroupBox):
    """The next follow-up the activity sets (a checkable box: unchecked, none)."""

    changed = Signal()  # an input the save rules look at changed

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.form: ActivityForm | None = None
        self._zone: ZoneInfo = ZoneInfo("Europe/Berlin")
        self._anchor = RecurrenceAnchor.DUE
        self._shift: str | None = None  # holiday region the series moves off
        self.recurrence_editor: RecurrenceDialog | None = None
        self._current_repeat = self._previous_repeat = 0  # recurrence combo indexes
        self.setTitle(self.tr("Set the &next follow-up"))
        self.setCheckable(True)
        self.setChecked(True)
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat(date_format())
        due_label = QLabel(self.tr("&Due:"))
        due_label.setBuddy(self.due_edit)
        grid.addWidget(due_label, 0, 0)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_edit)
        self.quick_buttons: list[tuple[QPushButton, relativedelta | None]] = []
        picks = [
            (self.tr("+1 day"), relativedelta(days=1), "Ctrl+1"),
            (self.tr("+1 week"), relativedelta(weeks=1), "Ctrl+2"),
            (self.tr("+2 weeks"), relativedelta(weeks=2), "Ctrl+3"),
            (self.tr("+1 month"), relativedelta(months=1), "Ctrl+4"),
            (self.tr("Default"), None, "Ctrl+5"),
        ]
        for text, delta, keys in picks:
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.setShortcut(QKeySequence(keys))
            button.setToolTip(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.quick_buttons.append((button, delta))
            due_row.addWidget(button)
        self.default_button = self.quick_buttons[-1][0]
        due_row.addStretch(1)
        grid.addLayout(due_row, 0, 1, 1, 3)

        self.time_check = QCheckBox(self.tr("T&ime:"))
        self.time_edit = QTimeEdit(QTime(9, 0))
        self.time_edit.setDisplayFormat(time_format())
        self.time_edit.setEnabled(False)
        self.time_edit.setAccessibleName(self.tr("Due time"))
        self.time_check.setToolTip(self.tr("Due at a certain time of day"))
        time_row = QHBoxLayout()
        time_row.addWidget(self.time_edit)
        time_row.addStretch(1)
        grid.addWidget(self.time_check, 1, 0)
        grid.addLayout(time_row, 1, 1)

        self.assignee_combo = QComboBox()
        assignee_label = QLabel(self.tr("&Assignee:"))
        assignee_label.setBuddy(self.assignee_combo)
        grid.addWidget(assignee_label, 1, 2)
        grid.addWidget(self.assignee_combo, 1, 3)

        self.priority_combo = QComboBox()
        for value, text in (
            (m.Priority.NORMAL, self.tr("Normal")),
            (m.Priority.HIGH, self.tr("High")),
            (m.Priority.TIME_CRITICAL, self.tr("Time-critical")),
        ):
            self.priority_combo.addItem(priority_icon(int(value)), text, int(value))
        priority_label = QLabel(self.tr("&Priority:"))
        priority_label.setBuddy(self.priority_combo)
        grid.addWidget(priority_label, 2, 0)
        grid.addWidget(self.priority_combo, 2, 1)

        self.recurrence_combo = QComboBox()
        for text, spec in (
            (self.tr("Does not repeat"), None),
            (self.tr("Every week"), RecurrenceSpec(Preset.WEEKLY)),
            (self.tr("Every 2 weeks"), RecurrenceSpec(Preset.EVERY_N_WEEKS, interval=2)),
            (self.tr("Every month"), RecurrenceSpec(Preset.MONTHLY_DAY)),
            (self.tr("Every quarter"), RecurrenceSpec(Preset.QUARTERLY)),
            (self.tr("Every six months"), RecurrenceSpec(Preset.HALF_YEARLY)),
            (self.tr("Every year"), RecurrenceSpec(Preset.YEARLY)),
            (self.tr("Other rhythm or custom rule…"), CUSTOM_RECURRENCE),
        ):
            self.recurrence_combo.addItem(text, spec)
        self.recurrence_button = QToolButton()
        self.recurrence_button.setObjectName("recurrenceButton")
        self.recurrence_button.setIcon(icon("mdi6.calendar-sync-outline"))
        self.recurrence_button.setText(self.tr("Mor&e…"))
        self.recurrence_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.recurrence_button.setToolTip(
            self.tr(
                "Recurrence options: rhythm, end of the series, count from the due date or "
                "from the completion date, preview of the next dates"
            )
        )
        self.rrule_edit = QLineEdit()
        self.rrule_edit.setPlaceholderText(self.tr("e.g. FREQ=MONTHLY;BYDAY=-1FR"))
        self.rrule_edit.setAccessibleName(self.tr("Custom recurrence rule"))
        self.rrule_edit.hide()
        recurrence_label = QLabel(self.tr("&Repeat:"))
        recurrence_label.setBuddy(self.recurrence_combo)
        self.recurrence_widgets = (recurrence_label, self.recurrence_combo, self.recurrence_button)
        grid.addWidget(recurrence_label, 2, 2)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.recurrence_combo, 1)
        repeat_row.addWidget(self.recurrence_button)
        grid.addLayout(repeat_row, 2, 3)
        self.rrule_hint = QLabel()
        self.rrule_hint.setObjectName("rruleHint")
        self.rrule_hint.setStyleSheet("color: #546E7A;")
        self.rrule_hint.setWordWrap(True)
        self.rrule_hint.hide()
        custom_row = QHBoxLayout()
        custom_row.addWidget(self.rrule_edit, 1)
        custom_row.addWidget(self.rrule_hint, 1)
        grid.addLayout(custom_row, 3, 1, 1, 3)

        self.instruction_edit = QLineEdit()
        self.instruction_edit.setMaxLength(m.INSTRUCTION_MAX)
        self.instruction_edit.setPlaceholderText(self.tr("What to do next, e.g. send the offer"))
        instruction_label = QLabel(self.tr("Instru&ction:"))
        instruction_label.setBuddy(self.instruction_edit)
        grid.addWidget(instruction_label, 4, 0)
        grid.addWidget(self.instruction_edit, 4, 1, 1, 3)

        self.due_edit.dateChanged.connect(self.changed)
        self.toggled.connect(self.changed)
        self.time_check.toggled.connect(self.time_edit.setEnabled)
        self.time_check.toggled.connect(self.changed)
        self.time_edit.timeChanged.connect(self.changed)
        self.recurrence_combo.currentIndexChanged.connect(self._recurrence_changed)
        self.recurrence_combo.activated.connect(self._recurrence_activated)
        self.recurrence_button.clicked.connect(self.edit_recurrence)
        self.rrule_edit.textChanged.connect(self.changed)
        for button, delta in self.quick_buttons:
            button.clicked.connect(lambda _=False, d=delta: self.quick_pick(d))

    def fill(self, form: ActivityForm) -> None:
        """The users to assign to, and the acting user's zone and default days."""
        self.form = form
        self._zone = actor_zone(form)
        current = self.assignee_combo.currentData()
        self.assignee_combo.clear()
        for u in form.users:
            self.assignee_combo.addItem(u.name, u.id)
        index = self.assignee_combo.findData(current if current is not None else form.actor.id)
        self.assignee_combo.setCurrentIndex(max(index, 0))
        # Recurring follow-ups switched off in the system settings: no new series.
        recurring = form.defaults.recurring_follow_ups
        if not recurring and self.recurrence_combo.currentIndex() != 0:
            self.recurrence_combo.setCurrentIndex(0)
        for widget in self.recurrence_widgets:
            widget.setVisible(recurring)

    def prefill(self, form: ActivityForm, origin: OpenFollowUp | None) -> None:
        """First load: due after the default days; the assignee of the follow-up
        completed, and no next one if completing it goes on with its series."""
        self.quick_pick(None)
        if origin is not None:
            index = self.assignee_combo.findData(origin.assignee_id)
            if index >= 0:
                self.assignee_combo.setCurrentIndex(index)
            if series_continues(origin, self._today()):
                self.setChecked(False)
        self.default_button.setText(
            self.tr("Default (+{days} days)").format(days=form.actor.default_follow_up_days)
        )

    def _today(self) -> date:
        return self.clock.today(self._zone)

    def quick_pick(self, delta: relativedelta | None) -> None:
        """Due ``delta`` from today (default: the user's days), moved to the next
        working day of the system settings (working days, holiday region)."""
        if delta is None:
            days = self.form.actor.default_follow_up_days if self.form else 7
            delta = relativedelta(days=days)
        due = self._today() + delta
        if self.form is not None:
            defaults = self.form.defaults
            calendar = WorkCalendar(
                defaults.holiday_region or WEEKENDS_ONLY, frozenset(defaults.working_days)
            )
            due = calendar.next_working_day(due)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))
        self.setChecked(True)

    def _recurrence_changed(self, index: int) -> None:
        self._previous_repeat, self._current_repeat = self._current_repeat, index
        custom = self.recurrence_combo.currentData() == CUSTOM_RECURRENCE
        self.rrule_edit.setVisible(custom)
        if custom:
            self.rrule_edit.setFocus()
        if self.recurrence_combo.currentData() is None:
            self._anchor = RecurrenceAnchor.DUE
            self._shift = None
        self.changed.emit()

    def _recurrence_activated(self, index: int) -> None:
        """Choosing "other rhythm or custom rule" by hand opens the editor."""
        if self.recurrence_combo.itemData(index) == CUSTOM_RECURRENCE:
            self.edit_recurrence()

    def edit_recurrence(self) -> RecurrenceDialog:
        """Open the recurrence editor on the current choice (window-modal)."""
        data = self.recurrence_combo.currentData()
        rule = self.rrule_edit.text().strip() if data == CUSTOM_RECURRENCE else None
        if data == CUSTOM_RECURRENCE and not rule:
            # just chosen: start from the preset chosen before, if any
            data = self.recurrence_combo.itemData(self._previous_repeat)
        spec = data if isinstance(data, RecurrenceSpec) else None
        editor = RecurrenceDialog(
            self.due_date(),
            self.due_time(),
            rule=rule or None,
            spec=spec,
            anchor=self._anchor,
            shift=self._shift,
            zone=self._zone_name(),
            parent=self.window(),
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: self._recurrence_chosen(editor.choice()))
        editor.rejected.connect(self._recurrence_not_chosen)
        self.recurrence_editor = editor
        editor.open()
        return editor

    def _recurrence_chosen(self, choice: RecurrenceChoice | None) -> None:
        self.recurrence_editor = None
        if choice is None or not shiboken6.isValid(self):
            return
        self._anchor = choice.anchor
        self._shift = choice.shift
        index = self.recurrence_combo.count() - 1  # custom, unless a preset says the same
        for i in range(1, self.recurrence_combo.count() - 1):
            spec = self.recurrence_combo.itemData(i)
            try:
                if (
                    build_rule(spec, self.due_date(), self.due_time(), zone=self._zone_name())
                    == choice.rule
                ):
                    index = i
                    break
            except DomainError:
                continue
        self.recurrence_combo.blockSignals(True)
        self.recurrence_combo.setCurrentIndex(index)
        self.recurrence_combo.blockSignals(False)
        if index == self.recurrence_combo.count() - 1:
            self.rrule_edit.setText(choice.rule)
        self.rrule_edit.setVisible(index == self.recurrence_combo.count() - 1)
        self.setChecked(True)
        self.changed.emit()

    def _recurrence_not_chosen(self) -> None:
        """Editor cancelled: an empty custom choice falls back to the one before."""
        self.recurrence_editor = None
        if not shiboken6.isValid(self):
            return
        custom = self.recurrence_combo.currentData() == CUSTOM_RECURRENCE
        if custom and not self.rrule_edit.text().strip():
            self.recurrence_combo.setCurrentIndex(self._previous_repeat)

    def recurrence_anchor(self) -> RecurrenceAnchor:
        return self._anchor

    def recurrence_shift(self) -> str | None:
        return self._shift

    def _zone_name(self) -> str:
        """The time zone the series is expanded in (the acting user's)."""
        return self.form.actor.time_zone if self.form is not None else recurrence.DEFAULT_ZONE

    def due_date(self) -> date:
        d = self.due_edit.date()
        return date(d.year(), d.month(), d.day())

    def due_time(self) -> time | None:
        if not self.time_check.isChecked():
            return None
        t = self.time_edit.time()
        return time(t.hour(), t.minute())

    def recurrence_rule(self) -> str | None:
        """The RRULE of the next follow-up: None = does not repeat; '' = a
        custom rule still to be entered, or a preset with no date to fall on."""
        data = self.recurrence_combo.currentData()
        if data is None:
            return None
        if data == CUSTOM_RECURRENCE:
            return self.rrule_edit.text().strip() or ""
        try:
            return build_rule(data, self.due_date(), self.due_time(), zone=self._zone_name())
        except DomainError:
            return ""

    def problems(self, activity_day: date) -> list[str]:
        """Why the next follow-up cannot be saved as entered (nothing when none is
        set); the recurrence rule is shown in words below it."""
        problems: list[str] = []
        hint = ""
        if self.isChecked():
            if self.due_date() < activity_day:
                problems.append(
                    self.tr(
                        "The next follow-up must not be due before the activity ({date})."
                    ).format(date=format_date(activity_day))
                )
            data = self.recurrence_combo.currentData()
            rule = self.rrule_edit.text().strip() if data == CUSTOM_RECURRENCE else None
            try:
                if isinstance(data, RecurrenceSpec):
                    rule = build_rule(
                        data, self.due_date(), self.due_time(), zone=self._zone_name()
                    )
                elif data == CUSTOM_RECURRENCE and rule:
                    recurrence.validate(
                        rule, self.due_date(), self.due_time(), zone=self._zone_name()
                    )
            except DomainError as exc:
                problems.append(exc.message(ui_language()))
            else:
                if data == CUSTOM_RECURRENCE and not rule:
                    problems.append(self.tr("Enter a recurrence rule, or choose a preset."))
                elif rule:
                    hint = describe_rule(rule, self.due_date(), self._zone_name())
                    if hint and self._anchor is RecurrenceAnchor.COMPLETION:
                        hint += " — " + self.tr("counted from the completion date")
                    if hint and self._shift:
                        hint += " — " + self.tr("off weekends and holidays ({region})").format(
                            region=self._shift
                        )
        self._show_rrule_hint(hint)
        return problems

    def _show_rrule_hint(self, hint: str) -> None:
        self.rrule_hint.setText(f"= {hint}" if hint else "")
        self.rrule_hint.setVisible(bool(hint))

    def next_follow_up(self) -> NextFollowUp | None:
        """The next follow-up for the controller command (None: none set)."""
        next_follow_up = None
        if self.isChecked():
            rule = self.recurrence_rule() or None
            next_follow_up = NextFollowUp(
                due_date=self.due_date(),
                due_time=self.due_time(),
                assignee_id=self.assignee_combo.currentData(),
                priority=m.Priority(self.priority_combo.currentData()),
                instruction=self.instruction_edit.text().strip(),
                recurrence=rule,
                recurrence_anchor=self._anchor if rule else RecurrenceAnchor.DUE,
                recurrence_shift=self._shift if rule else None,
            )
        return next_follow_up

    def state(self) -> dict[str, object]:
        """Everything entered here, to tell typed input from the prefill."""
        return dict(
            due=self.due_date(),
            time=self.due_time(),
            assignee=self.assignee_combo.currentData(),
            priority=self.priority_combo.currentData(),
            instruction=self.instruction_edit.text().strip(),
            repeat=self.recurrence_combo.currentIndex(),
            rule=self.rrule_edit.text().strip(),
            anchor=self._anchor,
            shift=self._shift,
        )

    def focus_chain(self) -> list[QWidget]:
        """The box and its inputs, in tab order."""
        return [
            self,
            self.due_edit,
            *(b for b, _ in self.quick_buttons),
            self.time_check,
            self.time_edit,
            self.assignee_combo,
            self.priority_combo,
            self.recurrence_combo,
            self.recurrence_button,
            self.rrule_edit,
            self.instruction_edit,
        ]
