"""The activity dialog — the central mask.

One dialog, one save: the activity (type, time, contact person, subject,
text), the record's open follow-ups it completes, the campaign status changes
it carries and the next follow-up. The chain policies of the acting user's
role group are evaluated with the same pure functions the controller uses
(:mod:`akquise_desktop.core.policies`), so Save is disabled — with the unmet
rule in plain words — before the user ever presses it. A refusal from the
controller is shown inside the dialog; the input stays.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shiboken6
from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity, NextFollowUp
from akquise_desktop.core import policies, recurrence
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.core.recurrence import Preset, RecurrenceSpec, build_rule
from akquise_desktop.models import RecurrenceAnchor
from akquise_desktop.queries.activity_form import (
    ActivityForm,
    load_activity_form,
)

from ..common import (
    format_date,
    icon,
    priority_icon,
)
from ..recurrence_dialog import RecurrenceChoice, RecurrenceDialog
from ..services import Services
from .activity_box import ActivityBox
from .checklist import FollowUpChecklist
from .shared import (
    date_format,
    describe_rule,
    escape_html,
    series_continues,
    time_format,
    ui_language,
)
from .statuses import StatusChooser

FUTURE_TOLERANCE = timedelta(minutes=5)  # as the controller
CUSTOM_RECURRENCE = "custom"
# Rules after which the record's data must be loaded again (someone else changed it).
RELOAD_RULES = {Rule.FOLLOW_UP_NOT_OPEN, Rule.STALE, Rule.NOT_FOUND, Rule.STATUS_NOT_ALLOWED}


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed save may still have been written: the connection broke
    off while the database had it (a refusal or a time limit wrote nothing)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, DomainError):
        return exc.rule is Rule.DB_NO_REPLY
    if isinstance(exc, OperationalError | OSError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class ActivityDialog(QDialog):
    """Log an activity for one record (optionally completing a follow-up)."""

    saved = Signal(object)  # ChangeSummary of the save

    def __init__(
        self,
        services: Services,
        record_id: int,
        *,
        complete_follow_up_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record_id = record_id
        self.complete_follow_up_id = complete_follow_up_id
        self.form: ActivityForm | None = None
        self._zone: ZoneInfo = ZoneInfo("Europe/Berlin")
        self._saving = False
        # One key for the activity this dialog saves, sent with every attempt:
        # a save repeated after a lost answer never writes it twice.
        self._client_key = str(uuid.uuid4())
        self._pending: LogActivity | None = None  # the save in flight or to check
        self._closed = False
        self._first_load = True
        self._anchor = RecurrenceAnchor.DUE
        self._shift: str | None = None  # holiday region the series moves off
        self.recurrence_editor: RecurrenceDialog | None = None
        self._baseline: dict[str, object] = {}
        self._closing_by_program = False
        self._current_repeat = self._previous_repeat = 0  # recurrence combo indexes
        self.setWindowTitle(self.tr("Log activity"))
        self.setObjectName("ActivityDialog")
        self._build()
        self._connect()
        self.resize(980, 760)
        self._revalidate()
        self.reload()

    # --- building ------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.header = QLabel(self.tr("Loading…"))
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.header.setFont(font)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.header)

        top = QHBoxLayout()
        root.addLayout(top, 3)
        self.activity_box = ActivityBox()
        top.addWidget(self.activity_box, 3)
        right = QVBoxLayout()
        top.addLayout(right, 2)
        self.checklist = FollowUpChecklist()
        right.addWidget(self.checklist, 1)
        self.status_chooser = StatusChooser()
        right.addWidget(self.status_chooser, 1)
        root.addWidget(self._build_next_box())

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setStyleSheet(
            "QLabel#problems { background: #FFF8E1; border: 1px solid #FFB300;"
            " border-radius: 4px; padding: 6px; color: #5D4037; }"
        )
        root.addWidget(self.problems)

        self.error_frame = QFrame()
        self.error_frame.setObjectName("errorFrame")
        self.error_frame.setStyleSheet(
            "QFrame#errorFrame { background: #FFEBEE; border: 1px solid #C62828;"
            " border-radius: 4px; } QLabel { color: #B71C1C; }"
        )
        error_layout = QHBoxLayout(self.error_frame)
        error_icon = QLabel()
        error_icon.setPixmap(icon("mdi6.alert-circle", "#C62828").pixmap(22, 22))
        error_layout.addWidget(error_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error_layout.addWidget(self.error_label, 1)
        self.reload_button = QPushButton(icon("mdi6.refresh"), self.tr("Re&load record data"))
        self.reload_button.setToolTip(
            self.tr("Load the record's follow-ups and statuses again; your input stays.")
        )
        error_layout.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        self.error_frame.hide()
        root.addWidget(self.error_frame)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setIcon(icon("mdi6.content-save-outline"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+Enter)"))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))
        root.addWidget(self.buttons)

        # The parts' inputs keep the names they had on the dialog (for tests).
        self.type_combo = self.activity_box.type_combo
        self.when_edit = self.activity_box.when_edit
        self.duration_spin = self.activity_box.duration_spin
        self.contact_combo = self.activity_box.contact_combo
        self.subject_edit = self.activity_box.subject_edit
        self.text_edit = self.activity_box.text_edit
        self.completes_list = self.checklist.completes_list

    def _build_next_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Set the &next follow-up"))
        box.setCheckable(True)
        box.setChecked(True)
        self.next_box = box
        grid = QGridLayout(box)
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
        return box

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.activity_box.changed.connect(self._revalidate)
        self.due_edit.dateChanged.connect(self._revalidate)
        self.next_box.toggled.connect(self._revalidate)
        self.time_check.toggled.connect(self.time_edit.setEnabled)
        self.time_check.toggled.connect(self._revalidate)
        self.time_edit.timeChanged.connect(self._revalidate)
        self.recurrence_combo.currentIndexChanged.connect(self._recurrence_changed)
        self.recurrence_combo.activated.connect(self._recurrence_activated)
        self.recurrence_button.clicked.connect(self.edit_recurrence)
        self.rrule_edit.textChanged.connect(self._revalidate)
        self.checklist.changed.connect(self._revalidate)
        self.status_chooser.changed.connect(self._revalidate)
        for button, delta in self.quick_buttons:
            button.clicked.connect(lambda _=False, d=delta: self._quick_pick(d))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Enter saves from anywhere, the multi-line text field included
        (which passes the key on); plain Enter and Escape as in any dialog."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
            self.save()
            return
        super().keyPressEvent(event)

    # --- loading -------------------------------------------------------------------

    def reload(self) -> None:
        """Load (again) the record's data; whatever the user typed stays."""
        self.reload_button.setEnabled(False)
        record_id, actor_id = self.record_id, self.services.user_id
        self.services.read(
            lambda s: load_activity_form(s, record_id, actor_id),
            self._loaded,
            self._load_failed,
        )

    def _alive(self) -> bool:
        """False once the dialog is closed (answers may still arrive from the worker)."""
        return not self._closed and shiboken6.isValid(self)

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def reject(self) -> None:
        """Escape, Cancel and closing the window: never lose typed input unasked."""
        if self._saving:
            return  # the save is under way: its answer decides
        if not self._closing_by_program and self.has_input() and not self._confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button asks (through :meth:`reject`); a close by
        the program (the application shutting down) does not wait for an answer."""
        self._closing_by_program = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._closing_by_program = False

    def _confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setObjectName("discardQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.windowTitle())
        box.setText(self.tr("Discard this activity?"))
        box.setInformativeText(self.tr("What you entered here will be lost."))
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # --- what the user entered ------------------------------------------------------

    def _input_state(self) -> dict[str, object]:
        """Everything the user can enter, to tell typed input from the prefill."""
        state: dict[str, object] = {
            **self.activity_box.state(),
            "statuses": self.chosen_statuses(),
            "ticks": self.checklist.ticks(),
            "next": self.next_box.isChecked(),
        }
        if self.next_box.isChecked():
            state.update(
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
        return state

    def has_input(self) -> bool:
        """Whether anything was entered beyond what the dialog filled in itself."""
        now = self._input_state()
        base = self._baseline
        if not base:  # not loaded yet: only typed text counts
            return bool(now["subject"] or now["text"])
        for key, value in now.items():
            if key == "ticks":
                before = base["ticks"]
                assert isinstance(value, dict) and isinstance(before, dict)
                # follow-ups that left the list meanwhile (reload) are no input
                if any(before.get(fid, ticked) != ticked for fid, ticked in value.items()):
                    return True
            elif base.get(key) != value:
                return True
        return False

    def _load_failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.reload_button.setEnabled(True)
        self.show_error(self._error_text(exc), reload=True)
        self._revalidate()

    def _loaded(self, form: ActivityForm) -> None:
        if not self._alive():
            return
        first = self._first_load
        self._first_load = False
        previous = self.form
        self.form = form
        try:
            self._zone = ZoneInfo(form.actor.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            self._zone = ZoneInfo("UTC")
        self.header.setText(self.tr("Log activity — {record}").format(record=form.record_name))
        self.setWindowTitle(self.tr("Log activity — {record}").format(record=form.record_name))
        kept_ticks = self.ticked_follow_up_ids() if previous else set()
        kept_statuses = self.chosen_statuses() if previous else {}
        self.activity_box.fill(form)
        self._fill_users(form)
        opened_for = set() if self.complete_follow_up_id is None else {self.complete_follow_up_id}
        self.checklist.fill(form, kept_ticks if not first else opened_for, self._today())
        self.status_chooser.fill(form, kept_statuses)
        if first:
            self._prefill(form)
        else:
            self.hide_error()
        self.reload_button.setEnabled(True)
        self._revalidate()

    def _fill_users(self, form: ActivityForm) -> None:
        current = self.assignee_combo.currentData()
        self.assignee_combo.clear()
        for u in form.users:
            self.assignee_combo.addItem(u.name, u.id)
        index = self.assignee_combo.findData(current if current is not None else form.actor.id)
        self.assignee_combo.setCurrentIndex(max(index, 0))

    def _prefill(self, form: ActivityForm) -> None:
        """First load: defaults, and the follow-up the dialog was opened for."""
        now = self.services.clock.local_now(self._zone).replace(
            second=0, microsecond=0, tzinfo=None
        )
        origin = next((f for f in form.open_follow_ups if f.id == self.complete_follow_up_id), None)
        self.activity_box.prefill(now, origin)
        self._quick_pick(None)
        if self.complete_follow_up_id is not None and origin is None:
            self.show_error(
                self.tr(
                    "The follow-up this dialog was opened for is no longer open; "
                    "someone may have completed it meanwhile."
                ),
                reload=False,
            )
        if origin is not None:
            index = self.assignee_combo.findData(origin.assignee_id)
            if index >= 0:
                self.assignee_combo.setCurrentIndex(index)
            if series_continues(origin, self._today()):
                self.next_box.setChecked(False)
        self.default_button.setText(
            self.tr("Default (+{days} days)").format(days=form.actor.default_follow_up_days)
        )
        self._set_tab_order()
        self._baseline = self._input_state()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            *self.activity_box.focus_chain(),
            *self.checklist.focus_chain(),
        ]
        chain += self.status_chooser.focus_chain()
        chain += [
            self.next_box,
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
            self.save_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- input helpers ----------------------------------------------------------------

    def _today(self) -> date:
        return self.services.clock.today(self._zone)

    def _quick_pick(self, delta: relativedelta | None) -> None:
        if delta is None:
            days = self.form.actor.default_follow_up_days if self.form else 7
            delta = relativedelta(days=days)
        due = self._today() + delta
        self.due_edit.setDate(QDate(due.year, due.month, due.day))
        self.next_box.setChecked(True)

    def _recurrence_changed(self, index: int) -> None:
        self._previous_repeat, self._current_repeat = self._current_repeat, index
        custom = self.recurrence_combo.currentData() == CUSTOM_RECURRENCE
        self.rrule_edit.setVisible(custom)
        if custom:
            self.rrule_edit.setFocus()
        if self.recurrence_combo.currentData() is None:
            self._anchor = RecurrenceAnchor.DUE
            self._shift = None
        self._revalidate()

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
            parent=self,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: self._recurrence_chosen(editor.choice()))
        editor.rejected.connect(self._recurrence_not_chosen)
        self.recurrence_editor = editor
        editor.open()
        return editor

    def _recurrence_chosen(self, choice: RecurrenceChoice | None) -> None:
        self.recurrence_editor = None
        if choice is None or not self._alive():
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
        self.next_box.setChecked(True)
        self._revalidate()

    def _recurrence_not_chosen(self) -> None:
        """Editor cancelled: an empty custom choice falls back to the one before."""
        self.recurrence_editor = None
        if not self._alive():
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

    def occurred_at(self) -> datetime:
        """The activity's time, time-zone aware (the acting user's zone)."""
        return self.activity_box.occurred_at(self._zone)

    def duration_minutes(self) -> int | None:
        return self.activity_box.duration_minutes()

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

    def ticked_follow_up_ids(self) -> set[int]:
        return self.checklist.ticked_follow_up_ids()

    def chosen_statuses(self) -> dict[int, int]:
        """campaign id -> chosen next status id."""
        return self.status_chooser.chosen_statuses()

    def status_button(self, campaign_id: int, status_name: str) -> QPushButton:
        """The button that sets ``status_name`` in ``campaign_id`` (for tests and shortcuts)."""
        return self.status_chooser.status_button(campaign_id, status_name)

    # --- the rules, before saving ------------------------------------------------------

    def problems_found(self) -> list[str]:
        """Every reason why saving would be refused now, in plain words."""
        form = self.form
        if form is None:
            return []
        problems: list[str] = []
        if not form.actor.may_log_activity:
            problems.append(
                self.tr(
                    "Your role group “{group}” does not allow logging activities for this record."
                ).format(group=form.actor.role_group)
            )
        if not self.activity_box.subject():
            problems.append(self.tr("Enter a subject for the activity."))
        text_length = len(self.activity_box.text())
        if text_length > m.TEXT_MAX:
            problems.append(
                self.tr("The text is too long ({length} characters, at most {limit}).").format(
                    length=text_length, limit=m.TEXT_MAX
                )
            )
        occurred = self.occurred_at()
        if occurred > self.services.clock.now() + FUTURE_TOLERANCE:
            problems.append(self.tr("An activity cannot lie in the future."))
        activity_day = occurred.date()
        hint = ""
        if self.next_box.isChecked():
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
        if self._needs_follow_up(activity_day):
            problems.append(self.tr("An activity needs a new follow-up — or a final status."))
        return problems

    def _show_rrule_hint(self, hint: str) -> None:
        self.rrule_hint.setText(f"= {hint}" if hint else "")
        self.rrule_hint.setVisible(bool(hint))

    def _needs_follow_up(self, activity_day: date) -> bool:
        form = self.form
        assert form is not None
        chosen = self.status_chooser.chosen_options()
        final_after = []
        for mem in form.memberships:
            option = chosen.get(mem.campaign_id)
            final_after.append(option.is_final if option else mem.status_is_final)
        ticked = self.ticked_follow_up_ids()
        continues = any(
            series_continues(fu, activity_day) for fu in form.open_follow_ups if fu.id in ticked
        )
        return policies.activity_needs_follow_up(
            policy_on=form.actor.activity_requires_follow_up,
            final_after=final_after,
            next_follow_up_given=self.next_box.isChecked(),
            series_continues=continues,
        )

    def _revalidate(self) -> None:
        problems = self.problems_found()
        if problems:
            items = "".join(f"<li>{escape_html(p)}</li>" for p in problems)
            self.problems.setText(
                self.tr("<b>Cannot save yet:</b>") + f"<ul style='margin:0'>{items}</ul>"
            )
            self.problems.show()
        else:
            self.problems.clear()
            self.problems.hide()
        self.save_button.setEnabled(self.form is not None and not problems and not self._saving)

    def can_save(self) -> bool:
        return self.save_button.isEnabled()

    # --- saving --------------------------------------------------------------------------

    def command(self) -> LogActivity:
        """The controller command for the current input."""
        assert self.form is not None
        next_follow_up = None
        if self.next_box.isChecked():
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
        return LogActivity(
            record_id=self.record_id,
            subject=self.activity_box.subject(),
            text=self.activity_box.text(),
            type_id=self.activity_box.type_id(),
            occurred_at=self.occurred_at(),
            duration_minutes=self.activity_box.duration_minutes(),
            contact_id=self.activity_box.contact_id(),
            completes=self.checklist.completes(),
            status_changes=self.chosen_statuses(),
            next_follow_up=next_follow_up,
            client_key=self._client_key,
        )

    def save(self) -> None:
        if not self.can_save():
            return
        self._send(self.command())

    def _send(self, cmd: LogActivity) -> None:
        self._pending = cmd
        self._saving = True
        self.save_button.setText(self.tr("Saving…"))
        self._revalidate()
        self.services.change(lambda ctl: ctl.log_activity(cmd), self._saved, self._save_failed)

    def _saved(self, summary: ChangeSummary) -> None:
        self._saving = False
        if not self._alive():
            return
        self.saved.emit(summary)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        if not self._alive():
            return
        if outcome_unknown(exc):
            self._check_saved()
            return
        self.save_button.setText(self.tr("&Save"))
        reload = isinstance(exc, DomainError) and exc.rule in RELOAD_RULES
        self.show_error(self._error_text(exc), reload=reload)
        self._revalidate()

    def _check_saved(self) -> None:
        """The connection broke off during the save: whether the database still
        got it is asked by the save's key, and the answer shown."""
        self._saving = True
        self.save_button.setText(self.tr("Checking…"))
        self.show_error(
            self.tr(
                "The connection broke off while saving. Checking whether the activity was saved…"
            ),
            reload=False,
        )
        key, services = self._client_key, self.services
        services.worker.submit(
            lambda: services.controller.activity_saved(key), self._checked, self._check_failed
        )

    def _checked(self, activity_id: int | None) -> None:
        if not self._alive():
            return
        if activity_id is not None and self._pending is not None:
            # Saved: the same save again (same key) writes nothing and returns
            # the first save's summary, so the views refresh and the dialog closes.
            self._send(self._pending)
            return
        self._saving = False
        self.save_button.setText(self.tr("&Save"))
        self.show_error(
            self.tr(
                "The activity was not saved: the connection broke off before the database "
                "had it. Your input is kept; save again."
            ),
            reload=False,
        )
        self._revalidate()

    def _check_failed(self, exc: BaseException) -> None:
        self._saving = False
        if not self._alive():
            return
        self.save_button.setText(self.tr("&Save"))
        self.show_error(
            self.tr(
                "Whether the activity was saved cannot be checked yet ({error}). Your input is "
                "kept. Saving again is safe: the activity is never saved twice."
            ).format(error=self._error_text(exc)),
            reload=False,
        )
        self._revalidate()

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, DomainError):
            # A version conflict also names the change: who, when, what.
            detail = exc.params.get(f"detail_{ui_language()}") if exc.rule is Rule.STALE else ""
            return exc.message(ui_language()) + (f" {detail}" if detail else "")
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return self.tr("The database reported an error: {error}").format(error=first_line[:300])

    def show_error(self, text: str, *, reload: bool) -> None:
        self.error_label.setText(text)
        self.error_label.setToolTip(text)
        self.reload_button.setVisible(reload)
        self.error_frame.show()

    def hide_error(self) -> None:
        self.error_label.clear()
        self.error_frame.hide()

    def error_text(self) -> str:
        """The refusal shown, '' if none (for tests)."""
        return self.error_label.text() if self.error_frame.isVisibleTo(self) else ""

    def problem_texts(self) -> list[str]:
        return self.problems_found()
