"""Tray reminders for due follow-ups.

:class:`ReminderService` looks at the database (one read,
:func:`akquise_desktop.queries.reminders.due_check`) when the logic of
:mod:`akquise_desktop.desktop.reminders` says so — on its heartbeat, at the
planned moment, after a sleep or a change of time zone — and whenever a change
summary on the bus touches follow-ups or records (the user's own changes now, a
colleague's assignment once live updates carry them). It says the count and
the reminders to show; it snoozes through the controller
(``update_follow_up``: a reschedule, audited like any other).

:class:`ReminderTray` shows them: a :class:`QSystemTrayIcon` with the count
as a badge and in the tooltip, a notification per reminder (a click opens the
follow-up, or the list for several), and a menu (Meine Wiedervorlagen, snooze,
the tray settings, quit). Where the desktop has no tray, the same reminders
appear in a :class:`ReminderBanner` above the main window's views.

The application makes them once the first screen is answered
(:class:`akquise_desktop.ui.app.Application`), so the start is not slowed.
"""

from __future__ import annotations

import html
import time as _time
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from akquise_desktop.core.changes import ChangeSummary, Entity
from akquise_desktop.core.errors import DomainError
from akquise_desktop.desktop import autostart
from akquise_desktop.desktop.reminders import (
    TICK,
    CheckResult,
    Reminder,
    Reminders,
    Snooze,
    snooze_target,
)
from akquise_desktop.queries.reminders import DueCheck, DueFollowUp, due_check

from . import common
from .i18n import current_language

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .services import Services
    from .settings import Settings

MESSAGE_MS = 10_000  # how long a notification stays
LISTED = 4  # follow-ups named in a grouped message
APP_ICON = "mdi6.handshake-outline"
APP_COLOR = "#1565C0"


def tray_available() -> bool:
    """Whether the desktop has a system tray (tests replace this)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


def system_zone() -> tzinfo:
    """The machine's zone now: re-read, so a change of zone while the app runs
    is seen (POSIX; Windows keeps the zone of the start)."""
    if hasattr(_time, "tzset"):
        _time.tzset()
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


# --- the service ------------------------------------------------------------------------


class ReminderService(QObject):
    """Looks at the user's due follow-ups when it should; says the count and the
    reminders to show."""

    count_changed = Signal(int)
    reminded = Signal(object)  # Reminder
    snoozed = Signal(int)  # how many follow-ups were moved
    snooze_failed = Signal(str)  # the refusal's message

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.logic = Reminders()
        self.count = 0
        self.last: Reminder | None = None  # the last reminder shown
        self.result: CheckResult | None = None
        self._in_flight = False
        self._again = False
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(int(TICK.total_seconds() * 1000))
        self.heartbeat.timeout.connect(self.tick)
        self.planned = QTimer(self)
        self.planned.setSingleShot(True)
        self.planned.timeout.connect(self.tick)
        services.bus.changed.connect(self._on_changed)

    def local_zone(self) -> tzinfo:
        return self.services.clock.local_zone or system_zone()

    def start(self) -> None:
        self.heartbeat.start()
        self.tick()

    def stop(self) -> None:
        self.heartbeat.stop()
        self.planned.stop()

    def tick(self) -> None:
        """The heartbeat (and the planned moment): look if the logic says so."""
        if self.logic.tick(self.services.clock.now(), self.local_zone()) is not None:
            self.check()

    def check(self) -> None:
        """Ask the database now (once at a time; a request meanwhile asks again after)."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        now, zone = self.services.clock.now(), self.local_zone()
        window = self.logic.window(now, zone)
        user_id = self.services.user_id

        def query(s) -> DueCheck:
            return due_check(s, user_id, today=window.today, since=window.since, until=window.until)

        self.services.read(query, self._answered, self._failed)

    def _answered(self, found: DueCheck) -> None:
        self._in_flight = False
        # "now" after the answer: what fell due while it was asked is announced too.
        now = self.services.clock.now()
        result = self.logic.check(found, now, self.local_zone())
        self.result = result
        self._plan(result.next_check, now)
        if result.count != self.count:
            self.count = result.count
        self.count_changed.emit(result.count)
        if result.reminder is not None:
            self.last = result.reminder
            self.reminded.emit(result.reminder)
        self._maybe_again()

    def _failed(self, _error: BaseException) -> None:
        self._in_flight = False  # (the next heartbeat or poll tries again)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.check()

    def _plan(self, at: datetime, now: datetime) -> None:
        ms = int((at - now).total_seconds() * 1000)
        self.planned.start(max(1000, min(ms, 24 * 3600 * 1000)))

    def _on_changed(self, summary: ChangeSummary) -> None:
        if summary.touches(Entity.FOLLOW_UP, Entity.RECORD) and self.logic.last_check is not None:
            self.check()

    # --- snooze -----------------------------------------------------------------------

    def snooze(self, items: tuple[DueFollowUp, ...], choice: Snooze) -> None:
        """Move each follow-up by ``choice`` through the controller (audited);
        one call per follow-up, with the version it was read at."""
        now, zone = self.services.clock.now(), self.local_zone()
        moved: list[int] = []
        failed: list[str] = []
        pending = len(items)

        def finished() -> None:
            if failed:
                self.snooze_failed.emit("\n".join(failed))
            if moved:
                self.snoozed.emit(len(moved))

        for fu in items:
            due_date, due_time = snooze_target(fu, choice, now, zone)

            def call(ctl, fu=fu, due_date=due_date, due_time=due_time):
                return ctl.update_follow_up(
                    fu.id, expected_version=fu.version, due_date=due_date, due_time=due_time
                )

            def done(_summary: ChangeSummary, fu=fu) -> None:
                nonlocal pending
                moved.append(fu.id)
                pending -= 1
                if not pending:
                    finished()

            def error(exc: BaseException, fu=fu) -> None:
                nonlocal pending
                failed.append(f"{fu.record_name}: {refusal_text(exc)}")
                pending -= 1
                if not pending:
                    finished()

            self.services.change(call, done, error)


# --- the texts ----------------------------------------------------------------------------


def refusal_text(exc: BaseException) -> str:
    """A refusal in the UI language; another error as its first line."""
    if isinstance(exc, DomainError):
        return exc.message(current_language())
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return QCoreApplication.translate("ReminderTray", "The database reported an error: %1").replace(
        "%1", first[:300]
    )


def due_text(fu: DueFollowUp) -> str:
    when = common.format_date(fu.due_date)
    if fu.due_time is not None:
        when = f"{when} {common.format_time(fu.due_time)}"
    return QCoreApplication.translate("ReminderTray", "due %1").replace("%1", when)


def message(reminder: Reminder) -> tuple[str, str]:
    """The title and text of a notification."""
    translate = QCoreApplication.translate
    items = reminder.items
    none = translate("ReminderTray", "(no instruction)")
    if len(items) == 1:
        fu = items[0]
        title = translate("ReminderTray", "Follow-up due: %1").replace("%1", fu.record_name)
        body = [fu.instruction or none, due_text(fu)]
    else:
        title = translate("ReminderTray", "%1 follow-ups due").replace("%1", str(len(items)))
        body = [f"• {fu.record_name} – {fu.instruction or none}" for fu in items[:LISTED]]
        if len(items) > LISTED:
            more = str(len(items) - LISTED)
            body.append(translate("ReminderTray", "… and %1 more").replace("%1", more))
    if reminder.time_critical:
        title = translate("ReminderTray", "Time-critical: %1").replace("%1", title)
    if reminder.total > len(items):
        total = str(reminder.total)
        body.append(translate("ReminderTray", "Due or overdue in all: %1").replace("%1", total))
    return title, "\n".join(body)


def count_tooltip(count: int) -> str:
    if count == 0:
        return QCoreApplication.translate("ReminderTray", "AkquiseDesktop – no follow-up due")
    return QCoreApplication.translate(
        "ReminderTray", "AkquiseDesktop – follow-ups due or overdue: %1"
    ).replace("%1", str(count))


def badge_icon(count: int, size: int = 64) -> QIcon:
    """The app's icon with the count in a red disc (none for 0; 99+ above 99)."""
    base = common.icon(APP_ICON, APP_COLOR).pixmap(size, size)
    if count <= 0:
        return QIcon(base)
    pixmap = QPixmap(base)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = "99+" if count > 99 else str(count)
    disc = int(size * (0.62 if len(text) < 3 else 0.72))
    rect = QRect(size - disc, 0, disc, disc)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#C62828"))
    painter.drawEllipse(rect)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(disc * (0.62 if len(text) == 1 else 0.5 if len(text) == 2 else 0.38)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


# --- the banner where there is no tray ------------------------------------------------------


class ReminderBanner(QFrame):
    """The last reminder above the views: Open, Snooze ▾, Dismiss."""

    open_requested = Signal()
    snooze_requested = Signal(object)  # Snooze
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminder_banner")
        self.setStyleSheet(
            "#reminder_banner { background: #FFF8E1; border-bottom: 1px solid #FFCC80; }"
        )
        self.icon = QLabel(self)
        self.icon.setPixmap(common.icon("mdi6.bell-ring-outline", "#E65100").pixmap(22, 22))
        self.text = QLabel(self)
        self.text.setObjectName("reminder_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.open_button = QToolButton(self)
        self.open_button.setText(self.tr("Open"))
        self.open_button.setObjectName("reminder_open")
        self.open_button.clicked.connect(self.open_requested)
        self.snooze_button = QToolButton(self)
        self.snooze_button.setObjectName("reminder_snooze")
        self.snooze_button.setText(self.tr("Snooze"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_menu = QMenu(self.snooze_button)
        for choice, label in snooze_labels().items():
            action = self.snooze_menu.addAction(label)
            action.triggered.connect(lambda _=False, c=choice: self.snooze_requested.emit(c))
        self.snooze_button.setMenu(self.snooze_menu)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("reminder_dismiss")
        self.close_button.setIcon(common.icon("mdi6.close"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.snooze_button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_reminder(self, reminder: Reminder) -> None:
        title, body = message(reminder)
        lines = "<br>".join(html.escape(line) for line in body.splitlines())
        self.text.setText(f"<b>{html.escape(title)}</b><br>{lines}")
        self.show()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


def snooze_labels() -> dict[Snooze, str]:
    return {
        Snooze.MINUTES_15: QCoreApplication.translate("ReminderTray", "15 minutes"),
        Snooze.HOUR: QCoreApplication.translate("ReminderTray", "1 hour"),
        Snooze.TOMORROW: QCoreApplication.translate("ReminderTray", "Tomorrow"),
    }


# --- the tray -------------------------------------------------------------------------------


class ReminderTray(QObject):
    """The tray icon (or the banner) of one main window, over the service."""

    quit_requested = Signal()

    def __init__(
        self,
        service: ReminderService,
        window: MainWindow,
        settings: Settings,
        *,
        in_tray: bool | None = None,
        autostart_env: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.window = window
        self.settings = settings
        self.autostart_env = autostart_env
        self.in_tray = tray_available() if in_tray is None else in_tray
        self.shown: Reminder | None = None  # what a click or snooze acts on
        self.icon: QSystemTrayIcon | None = None
        self.banner: ReminderBanner | None = None
        self.menu = self._build_menu()
        if self.in_tray:
            self.icon = QSystemTrayIcon(badge_icon(0), self)
            self.icon.setContextMenu(self.menu)
            self.icon.messageClicked.connect(self.open_shown)
            self.icon.activated.connect(self._activated)
            self.icon.show()
        else:
            self.banner = ReminderBanner(window)
            self.banner.open_requested.connect(self.open_shown)
            self.banner.snooze_requested.connect(self.snooze)
            window.add_banner(self.banner)
        service.count_changed.connect(self.show_count)
        service.reminded.connect(self.remind)
        service.snoozed.connect(self._snoozed)
        service.snooze_failed.connect(self._snooze_failed)
        self.show_count(service.count)

    def _build_menu(self) -> QMenu:
        menu = QMenu()
        menu.setObjectName("tray_menu")
        self.open_action = menu.addAction(
            common.icon("mdi6.application-outline"), self.tr("Show AkquiseDesktop")
        )
        self.open_action.triggered.connect(self.show_window)
        self.list_action = menu.addAction(
            common.icon("mdi6.calendar-check-outline"), self.tr("My follow-ups")
        )
        self.list_action.triggered.connect(self.open_list)
        self.snooze_menu = menu.addMenu(common.icon("mdi6.alarm-snooze"), self.tr("Snooze"))
        self.snooze_actions: dict[Snooze, QAction] = {}
        for choice, label in snooze_labels().items():
            action = self.snooze_menu.addAction(label)
            action.triggered.connect(lambda _=False, c=choice: self.snooze(c))
            self.snooze_actions[choice] = action
        self.snooze_menu.setEnabled(False)
        menu.addSeparator()
        self.close_to_tray_action = self._toggle(
            menu, self.tr("Keep running in the tray when the window is closed"), "close_to_tray"
        )
        self.minimised_action = self._toggle(
            menu, self.tr("Start minimised to the tray"), "start_minimised"
        )
        self.autostart_action = menu.addAction(self.tr("Start at login"))
        self.autostart_action.setCheckable(True)
        self.autostart_action.setVisible(autostart.supported())
        self.autostart_action.setChecked(autostart.is_enabled(self.autostart_env))
        self.autostart_action.toggled.connect(self._set_autostart)
        menu.addSeparator()
        self.quit_action = menu.addAction(common.icon("mdi6.power"), self.tr("Quit"))
        self.quit_action.triggered.connect(self.quit_requested)
        return menu

    def _toggle(self, menu: QMenu, text: str, setting: str) -> QAction:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(bool(getattr(self.settings, setting)))
        action.toggled.connect(lambda on: setattr(self.settings, setting, bool(on)))
        return action

    def _set_autostart(self, on: bool) -> None:
        if on:
            autostart.enable(self.autostart_env)
        else:
            autostart.disable(self.autostart_env)

    # --- showing --------------------------------------------------------------------

    def show_count(self, count: int) -> None:
        tip = count_tooltip(count)
        if self.icon is not None:
            self.icon.setIcon(badge_icon(count))
            self.icon.setToolTip(tip)
        self.list_action.setText(
            self.tr("My follow-ups (%1)").replace("%1", str(count))
            if count
            else self.tr("My follow-ups")
        )

    def remind(self, reminder: Reminder) -> None:
        self.shown = reminder
        self.snooze_menu.setEnabled(True)
        title, body = message(reminder)
        if self.icon is not None:
            kind = (
                QSystemTrayIcon.MessageIcon.Warning
                if reminder.time_critical
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.icon.showMessage(title, body, kind, MESSAGE_MS)
        elif self.banner is not None:
            self.banner.show_reminder(reminder)

    # --- acting ---------------------------------------------------------------------

    def show_window(self) -> None:
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.show()
        w.raise_()
        w.activateWindow()

    def open_list(self) -> None:
        self.show_window()
        self.window.show_view("follow_ups")

    def open_shown(self) -> None:
        """A click on the notification: the follow-up (the list for several)."""
        reminder = self.shown
        if reminder is None:
            self.open_list()
            return
        if len(reminder.items) == 1:
            self.show_window()
            self.window.open_follow_up(reminder.first.record_id, reminder.first.id)
        else:
            self.open_list()
        if self.banner is not None:
            self.banner.hide()

    def snooze(self, choice: Snooze) -> None:
        if self.shown is None:
            return
        self.service.snooze(self.shown.items, choice)

    def _snoozed(self, _count: int) -> None:
        self.shown = None
        self.snooze_menu.setEnabled(False)
        if self.banner is not None:
            self.banner.hide()

    def _snooze_failed(self, text: str) -> None:
        title = self.tr("Snooze failed")
        if self.icon is not None:
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, MESSAGE_MS)
        else:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.snooze_error_box = box

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def dispose(self) -> None:
        """Remove the icon (or the banner): the window goes, or the language changes."""
        for signal, slot in (
            (self.service.count_changed, self.show_count),
            (self.service.reminded, self.remind),
            (self.service.snoozed, self._snoozed),
            (self.service.snooze_failed, self._snooze_failed),
        ):
            signal.disconnect(slot)
        if self.icon is not None:
            self.icon.hide()
            self.icon.deleteLater()
            self.icon = None
        if self.banner is not None:
            self.banner.deleteLater()
            self.banner = None
        self.menu.deleteLater()


def keep_in_tray(tray: Callable[[], ReminderTray | None], settings: Settings) -> Callable[[], bool]:
    """The main window's question on close: keep running in the tray?"""

    def ask() -> bool:
        current = tray()
        return current is not None and current.in_tray and bool(settings.close_to_tray)

    return ask
