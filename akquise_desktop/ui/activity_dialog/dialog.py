"""The activity dialog — the central mask.

One dialog, one save: the activity (type, time, contact person, subject,
text), the record's open follow-ups it completes, the campaign status changes
it carries and the next follow-up. The chain policies of the acting user's
role group are evaluated with the same pure functions the controller uses
(:mod:`akquise_desktop.core.policies`), so Save is disabled — with the unmet
rule in plain words — before the user ever presses it. A refusal from the
controller is shown inside the dialog; the input stays. A save that cannot
reach the database is sent again by itself, with growing pauses, until the
database is back (:mod:`.retry`): the same save each time, written once.

The four parts are widgets of their own (:mod:`.activity_box`,
:mod:`.checklist`, :mod:`.statuses`, :mod:`.next_follow_up`), filled from the
loaded form; the dialog composes them, checks the rules, and saves.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from akquise_desktop import models as m
from akquise_desktop.controller import LogActivity
from akquise_desktop.core import policies
from akquise_desktop.core.changes import ChangeSummary
from akquise_desktop.core.errors import DomainError, Rule
from akquise_desktop.models import RecurrenceAnchor
from akquise_desktop.queries.activity_form import ActivityForm, load_activity_form

from ..common import icon
from ..recurrence_dialog import RecurrenceDialog
from ..services import Services
from .activity_box import ActivityBox
from .checklist import FollowUpChecklist
from .next_follow_up import NextFollowUpEditor
from .retry import BACKOFF_MS, TICK_MS, SaveRetry, unreachable
from .shared import actor_zone, escape_html, series_continues, ui_language
from .statuses import StatusChooser

if TYPE_CHECKING:
    from ..calls import Call

FUTURE_TOLERANCE = timedelta(minutes=5)  # as the controller
# Rules after which the record's data must be loaded again (someone else changed it).
RELOAD_RULES = {Rule.FOLLOW_UP_NOT_OPEN, Rule.STALE, Rule.NOT_FOUND, Rule.STATUS_NOT_ALLOWED}


# The phone call's activity type: named so by the first start (controller/bootstrap.py),
# or, renamed, still the one with the phone icon.
PHONE_CALL_NAMES = ("telefonat", "phone call", "anruf", "telefon")
PHONE_CALL_ICON = "mdi6.phone"


def phone_call_type(form: ActivityForm) -> int | None:
    """The id of the activity type for phone calls (*Telefonat*), if there is one."""
    for t in form.activity_types:
        if t.name.strip().casefold() in PHONE_CALL_NAMES:
            return t.id
    return next((t.id for t in form.activity_types if t.icon == PHONE_CALL_ICON), None)


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed save may still have been written: the connection broke
    off while the database had it (a refusal or a time limit wrote nothing)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, DomainError):
        return exc.rule is Rule.DB_NO_REPLY
    if isinstance(exc, OperationalError | OSError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _banner(
    name: str, background: str, border: str, text: str, icon_name: str
) -> tuple[QFrame, QHBoxLayout, QLabel]:
    """A coloured box in the dialog: an icon, a selectable word-wrapped label
    (``<name>Label``), room for a button; the frame is ``<name>Frame``, hidden."""
    frame = QFrame()
    frame.setObjectName(f"{name}Frame")
    frame.setStyleSheet(
        f"QFrame#{name}Frame {{ background: {background}; border: 1px solid {border};"
        f" border-radius: 4px; }} QLabel {{ color: {text}; }}"
    )
    layout = QHBoxLayout(frame)
    symbol = QLabel()
    symbol.setPixmap(icon(icon_name, border).pixmap(22, 22))
    layout.addWidget(symbol, 0, Qt.AlignmentFlag.AlignTop)
    label = QLabel()
    label.setObjectName(f"{name}Label")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(label, 1)
    frame.hide()
    return frame, layout, label


class ActivityDialog(QDialog):
    """Log an activity for one record (optionally completing a follow-up;
    ``call``: a phone call just made — type *Telefonat*, its contact person,
    start and duration filled in)."""

    saved = Signal(object)  # ChangeSummary of the save

    def __init__(
        self,
        services: Services,
        record_id: int,
        *,
        complete_follow_up_id: int | None = None,
        call: Call | None = None,
        parent: QWidget | None = None,
        retry_backoff_ms: Sequence[int] = BACKOFF_MS,
        retry_tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record_id = record_id
        self.complete_follow_up_id = complete_follow_up_id
        self.call = call
        self.form: ActivityForm | None = None
        self._zone: ZoneInfo = ZoneInfo("Europe/Berlin")
        self._saving = False
        # One key for the activity this dialog saves, sent with every attempt:
        # a save repeated after a lost answer never writes it twice.
        self._client_key = str(uuid.uuid4())
        self._pending: LogActivity | None = None  # the save in flight or to check
        self._closed = False
        self._first_load = True
        self._baseline: dict[str, object] = {}
        self._closing_by_program = False
        # The database cannot be reached: the same save again, after growing pauses.
        self.retry = SaveRetry(self, backoff_ms=retry_backoff_ms, tick_ms=retry_tick_ms)
        self._retry_reason = ""
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
        self.next_part = NextFollowUpEditor(self.services.clock)
        root.addWidget(self.next_part)

        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setStyleSheet(
            "QLabel#problems { background: #FFF8E1; border: 1px solid #FFB300;"
            " border-radius: 4px; padding: 6px; color: #5D4037; }"
        )
        root.addWidget(self.problems)

        self.error_frame, error_layout, self.error_label = _banner(
            "error", "#FFEBEE", "#C62828", "#B71C1C", "mdi6.alert-circle"
        )
        self.reload_button = QPushButton(icon("mdi6.refresh"), self.tr("Re&load record data"))
        self.reload_button.setToolTip(
            self.tr("Load the record's follow-ups and statuses again; your input stays.")
        )
        error_layout.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        self.error_frame.hide()
        root.addWidget(self.error_frame)

        self.retry_frame, retry_layout, self.retry_label = _banner(
            "retry", "#FFF3E0", "#E65100", "#BF360C", "mdi6.database-alert-outline"
        )
        self.retry_label.setTextFormat(Qt.TextFormat.RichText)
        self.retry_now_button = QPushButton(icon("mdi6.refresh"), self.tr("Retry &now"))
        self.retry_now_button.setToolTip(
            self.tr("Send the save again now instead of waiting; it is never saved twice.")
        )
        retry_layout.addWidget(self.retry_now_button, 0, Qt.AlignmentFlag.AlignTop)
        self.retry_frame.hide()
        root.addWidget(self.retry_frame)

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
        self.when_edit = self.activity_box.when_edit
        self.duration_spin = self.activity_box.duration_spin
        self.contact_combo = self.activity_box.contact_combo
        self.subject_edit = self.activity_box.subject_edit
        self.text_edit = self.activity_box.text_edit
        self.completes_list = self.checklist.completes_list
        self.next_box = self.next_part  # the checkable box is the editor itself
        self.due_edit = self.next_part.due_edit
        self.quick_buttons = self.next_part.quick_buttons
        self.assignee_combo = self.next_part.assignee_combo
        self.recurrence_combo = self.next_part.recurrence_combo
        self.rrule_edit = self.next_part.rrule_edit
        self.rrule_hint = self.next_part.rrule_hint
        self.instruction_edit = self.next_part.instruction_edit

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.retry_now_button.clicked.connect(self.retry_now)
        self.retry.due.connect(self._retry_due)
        self.retry.tick.connect(self._show_retry)
        self.activity_box.changed.connect(self._revalidate)
        self.checklist.changed.connect(self._revalidate)
        self.status_chooser.changed.connect(self._revalidate)
        self.next_part.changed.connect(self._revalidate)

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
        self._end_retry()
        super().done(result)

    def reject(self) -> None:
        """Escape, Cancel and closing the window: never lose typed input unasked
        (nor a save that waits for the database)."""
        if self._saving:
            return  # the save is under way: its answer decides
        if (
            not self._closing_by_program
            and (self.has_input() or self.retry.active)
            and not self._confirm_discard()
        ):
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
        if self.retry.active:
            box.setInformativeText(
                self.tr(
                    "The save waits for the database and will not be sent again. What you "
                    "entered here will be lost — unless an earlier attempt did reach the "
                    "database."
                )
            )
        else:
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
            "next": self.next_part.isChecked(),
        }
        if self.next_part.isChecked():
            state.update(self.next_part.state())
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
        self._zone = actor_zone(form)
        self.header.setText(self.tr("Log activity — {record}").format(record=form.record_name))
        self.setWindowTitle(self.tr("Log activity — {record}").format(record=form.record_name))
        kept_ticks = self.ticked_follow_up_ids() if previous else set()
        kept_statuses = self.chosen_statuses() if previous else {}
        self.activity_box.fill(form)
        self.next_part.fill(form)
        opened_for = set() if self.complete_follow_up_id is None else {self.complete_follow_up_id}
        self.checklist.fill(form, kept_ticks if not first else opened_for, self._today())
        self.status_chooser.fill(form, kept_statuses)
        if first:
            self._prefill(form)
        else:
            self.hide_error()
        self.reload_button.setEnabled(True)
        self._revalidate()

    def _prefill(self, form: ActivityForm) -> None:
        """First load: defaults, and the follow-up the dialog was opened for."""
        now = self.services.clock.local_now(self._zone).replace(
            second=0, microsecond=0, tzinfo=None
        )
        origin = next((f for f in form.open_follow_ups if f.id == self.complete_follow_up_id), None)
        self.activity_box.prefill(now, origin)
        if self.call is not None:
            self._prefill_call(self.call)
        self.next_part.prefill(form, origin)
        if self.complete_follow_up_id is not None and origin is None:
            self.show_error(
                self.tr(
                    "The follow-up this dialog was opened for is no longer open; "
                    "someone may have completed it meanwhile."
                ),
                reload=False,
            )
        self._set_tab_order()
        self._baseline = self._input_state()

    def _prefill_call(self, call: Call) -> None:
        """The phone call: type *Telefonat*, its start as the time, its
        duration (now − start, at least a minute), its contact person, and a
        subject to type over."""
        from ..calls import INCOMING

        assert self.form is not None
        started = call.started_at.astimezone(self._zone).replace(tzinfo=None)
        incoming = call.direction == INCOMING
        subject = self.tr("Incoming call") if incoming else self.tr("Outgoing call")
        self.activity_box.prefill_call(
            phone_call_type(self.form),
            started,
            call.duration_minutes(self.services.clock.now()),
            call.contact_id,
            subject,
        )

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            *self.activity_box.focus_chain(),
            *self.checklist.focus_chain(),
            *self.status_chooser.focus_chain(),
            *self.next_part.focus_chain(),
            self.save_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- the input, as the parts hold it -----------------------------------------------

    def _today(self) -> date:
        return self.services.clock.today(self._zone)

    @property
    def recurrence_editor(self) -> RecurrenceDialog | None:
        """The recurrence editor while it is open."""
        return self.next_part.recurrence_editor

    def edit_recurrence(self) -> RecurrenceDialog:
        return self.next_part.edit_recurrence()

    def recurrence_anchor(self) -> RecurrenceAnchor:
        return self.next_part.recurrence_anchor()

    def recurrence_shift(self) -> str | None:
        return self.next_part.recurrence_shift()

    def due_date(self) -> date:
        return self.next_part.due_date()

    def occurred_at(self) -> datetime:
        """The activity's time, time-zone aware (the acting user's zone)."""
        return self.activity_box.occurred_at(self._zone)

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
        problems += self.next_part.problems(activity_day)
        if self._needs_follow_up(activity_day):
            problems.append(self.tr("An activity needs a new follow-up — or a final status."))
        return problems

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
            next_follow_up_given=self.next_part.isChecked(),
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
        self.save_button.setEnabled(
            self.form is not None and not problems and not self._saving and not self.retry.active
        )

    def can_save(self) -> bool:
        return self.save_button.isEnabled()

    # --- saving --------------------------------------------------------------------------

    def command(self) -> LogActivity:
        """The controller command for the current input."""
        assert self.form is not None
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
            next_follow_up=self.next_part.next_follow_up(),
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
        self._end_retry()
        self.saved.emit(summary)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        if not self._alive():
            return
        if unreachable(exc):
            self._wait_and_retry(exc)
            return
        self._end_retry()  # an answer (a refusal, an error): shown, not sent again
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
        if unreachable(exc):
            self._wait_and_retry(exc)  # the same save again: its key makes that safe
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

    # --- the database cannot be reached: the same save again --------------------------------

    def _wait_and_retry(self, exc: BaseException) -> None:
        """Keep the input (locked, so the save sent again is the one shown) and
        send the same save again after the next pause."""
        if isinstance(exc, DomainError):
            self._retry_reason = exc.message(ui_language())
        else:
            self._retry_reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        self.hide_error()
        self._set_input_enabled(False)
        self.save_button.setText(self.tr("Waiting for the database…"))
        self.retry.failed()  # shows the countdown (tick)
        self.retry_frame.show()
        self._revalidate()

    def _show_retry(self, seconds: int) -> None:
        if not self._alive():
            return
        if seconds > 0:
            text = self.tr("No connection to the database – next attempt in {seconds} s …").format(
                seconds=seconds
            )
        else:
            text = self.tr("No connection to the database – trying again …")
        detail = self.tr(
            "Your input is kept and saved as soon as the database is back; it is never "
            "saved twice. (Attempts so far: {attempts}; {error})"
        ).format(attempts=self.retry.failures, error=self._retry_reason)
        self.retry_label.setText(f"<b>{escape_html(text)}</b><br>{escape_html(detail)}")
        self.retry_now_button.setEnabled(self.retry.waiting)
        self.services.link.waiting(self, seconds)

    def retry_now(self) -> None:
        """The next attempt at once instead of after the pause."""
        self.retry.now()

    def _retry_due(self) -> None:
        if not self._alive() or self._saving or self._pending is None:
            return  # never two saves in flight
        self._show_retry(0)
        self._send(self._pending)

    def _end_retry(self) -> None:
        """No more attempts: saved, refused, or the dialog closes."""
        if not self.retry.active and self.retry_frame.isHidden():
            return
        self.retry.stop()
        self.services.link.restored(self)
        self.retry_frame.hide()
        self._set_input_enabled(True)
        if not self._closed:
            self.save_button.setText(self.tr("&Save"))

    def _set_input_enabled(self, enabled: bool) -> None:
        for part in (self.activity_box, self.checklist, self.status_chooser, self.next_part):
            part.setEnabled(enabled)

    def retry_text(self) -> str:
        """The retry notice shown, '' if none (for tests)."""
        return self.retry_label.text() if self.retry_frame.isVisibleTo(self) else ""

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
