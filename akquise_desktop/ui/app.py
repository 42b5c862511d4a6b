"""Start the GUI: application, translators, the database worker, services,
the main window; and a clean shutdown (window state saved, worker drained).

``AKQUISE_QUIT_AFTER_START=1`` quits as soon as the window is up (CI smoke
test of a real start)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess, QTimer
from PySide6.QtWidgets import QApplication

from akquise_desktop import startup
from akquise_desktop.core.clock import SYSTEM_CLOCK, Clock
from akquise_desktop.storage import Database

from . import i18n
from .settings import Settings

if TYPE_CHECKING:
    from .live import LiveUpdates
    from .tray import ReminderService, ReminderTray

STARTUP_LIMIT_MS = 3000


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("AkquiseDesktop")
    app.setOrganizationName("AkquiseDesktop")
    app.setApplicationDisplayName("AkquiseDesktop")
    return app


def user_display_name(db: Database, user_id: int) -> str:
    """The user's name (a worker job: never called on the GUI thread)."""
    from akquise_desktop.queries.users import display_name

    with db.read() as s:
        name = display_name(s, user_id)
    return name if name is not None else f"#{user_id}"


def warm_up_models() -> None:
    """Import the ORM models and configure their mappers (a worker job).

    The first screen's queries run on Core tables and need neither; every other
    view, dialog and the controller do. Done once the first screen is answered,
    on the worker, while the collector is still paused: the models' classes,
    tables and mappers are frozen with the rest of the start
    (:func:`akquise_desktop.startup.resume_gc`), and the first view opened
    after the start finds them ready."""
    from sqlalchemy.orm import configure_mappers

    import akquise_desktop.models  # noqa: F401

    configure_mappers()


def make_controller(db: Database, user_id: int, clock: Clock):
    from akquise_desktop.controller import Controller

    return Controller(db, user_id, clock=clock)


class Application:
    """Owns the services and the (re-creatable) main window."""

    def __init__(
        self,
        db: Database,
        user_id: int,
        settings: Settings,
        *,
        lang: str | None,
        clock: Clock = SYSTEM_CLOCK,
        startup_limit_ms: int = STARTUP_LIMIT_MS,
    ):
        from .services import ChangeBus, Services
        from .worker import DbWorker

        self.db = db
        self.settings = settings
        self.language = i18n.install(lang or settings.language)
        # The controller (and the controller layer's import) waits for the first
        # write: the first screen only reads.
        self.services = Services(
            db, None, DbWorker(), ChangeBus(), user_id,
            make_controller=lambda: make_controller(db, user_id, clock), clock=clock,
        )  # fmt: skip
        self.user_name = ""
        self.encrypted: bool | None = None  # the server connection's TLS, once known
        # PostgreSQL: colleagues' changes arrive as they are saved (ui/live.py).
        self.live: LiveUpdates | None = None
        if not db.is_sqlite:
            from .live import LiveUpdates

            self.live = LiveUpdates(self.services)
            self.live.start()
        # Tray reminders (ui/tray.py): made once the start is over.
        self.reminders: ReminderService | None = None
        self.tray: ReminderTray | None = None
        self.daily_backups = False  # run() turns the automatic backup on
        self.links: object = None  # the LinkOpener (open_links)
        self.window = self._make_window()
        self.services.worker.submit(
            lambda: user_display_name(db, user_id), self._user_loaded, lambda _e: None
        )
        if not db.is_sqlite:
            self.services.worker.submit(db.encrypted, self._encryption_known, lambda _e: None)
        # The start is over when the first screen's queries have been answered
        # and the models imported after them (warm_up_models), or after
        # startup_limit_ms at the latest: the paused garbage collector
        # (akquise_desktop.startup) runs again.
        self._starting = True
        self.services.worker.idle.connect(self._started)
        # (a timer of this application's: stopped when the start ends or the
        # application shuts down, so it never resumes a later start's collector)
        self._start_limit = QTimer(singleShot=True, interval=startup_limit_ms)
        self._start_limit.timeout.connect(self._warmed_up)
        self._start_limit.start()

    def _started(self) -> None:
        if self._starting:
            self._starting = False
            self.services.worker.idle.disconnect(self._started)
            self.services.worker.submit(warm_up_models, self._warmed_up, self._warmed_up)

    def _warmed_up(self, _result: object = None) -> None:
        self._start_limit.stop()
        startup.resume_gc()  # (also when the import failed: the start is over)
        QTimer.singleShot(0, self.start_reminders)
        if self.daily_backups:
            QTimer.singleShot(0, self._daily_backup)

    def _daily_backup(self) -> None:
        """The local database's daily backup, on the worker (ui/data_tools.py)."""
        self.window.data_tools.daily_backup()

    def start_reminders(self) -> None:
        """The tray icon (or the banner) and its first look at the due follow-ups."""
        if self.reminders is not None:
            return
        from .tray import ReminderService

        self.reminders = ReminderService(self.services)
        self.tray = self._make_tray()
        self.reminders.start()

    def _make_tray(self) -> ReminderTray:
        from .tray import ReminderTray

        assert self.reminders is not None
        tray = ReminderTray(self.reminders, self.window, self.settings)
        tray.quit_requested.connect(self.quit)
        if tray.in_tray:
            # The tray keeps the app; a dialog closed while the window is
            # hidden must not end it.
            QApplication.setQuitOnLastWindowClosed(False)
        return tray

    def _keep_in_tray(self) -> bool:
        return self.tray is not None and self.tray.in_tray and bool(self.settings.close_to_tray)

    def _window_closed(self) -> None:
        if self.tray is not None and self.tray.in_tray:
            QCoreApplication.quit()  # (without a tray the last window closed does it)

    def quit(self) -> None:
        """End the app (the tray's Quit): the window closes for good."""
        self.window.quit()

    def _make_window(self):
        from .main_window import MainWindow

        window = MainWindow(
            self.services,
            self.settings,
            db_description=self.db.describe(i18n.current_language()),
            user_name=self.user_name,
        )
        window.language_change_requested.connect(self.switch_language)
        window.connection_change_requested.connect(self.switch_connection)
        window.data_tools.restart_requested.connect(self.restart)
        window.set_encryption(self.encrypted)
        if self.live is not None:
            from .live import LiveStatus

            window.statusBar().insertPermanentWidget(0, LiveStatus(self.live, window))
        window.keep_in_tray = self._keep_in_tray
        window.closed.connect(self._window_closed)
        return window

    def _encryption_known(self, encrypted: bool | None) -> None:
        self.encrypted = encrypted
        self.window.set_encryption(encrypted)

    def _user_loaded(self, name: str) -> None:
        self.user_name = name
        self.window.set_user(name)

    def switch_language(self, lang: str) -> None:
        """Rebuild the window in another language (state is kept via settings)."""
        old = self.window
        old.save_state()
        self.user_name = old.user_name  # (as the window last read it)
        self.language = i18n.install(lang)
        self.window = self._make_window()
        if self.tray is not None:  # its texts in the new language, its banner on the new window
            self.tray.dispose()
            self.tray = self._make_tray()
        self.window.show()
        old.language_change_requested.disconnect(self.switch_language)
        old.closed.disconnect(self._window_closed)
        old.hide()
        old.deleteLater()

    def switch_connection(self) -> bool:
        """Start anew with the start dialog, in a new process (its own
        database, worker and identity); this window closes, and the queued
        saves are finished before this process ends (:meth:`shutdown`)."""
        title = QCoreApplication.translate("Application", "Switch connection")
        return self._start_anew(["--choose"], title)

    def restart(self) -> bool:
        """Start again with the same arguments (after a restore); this window closes."""
        return self._start_anew(
            sys.argv[1:], QCoreApplication.translate("Application", "Restore backup")
        )

    def _start_anew(self, arguments: list[str], title: str) -> bool:
        program, arguments = restart_command(arguments)
        if not self.start_detached(program, arguments):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(
                self.window,
                title,
                QCoreApplication.translate(
                    "Application", "AkquiseDesktop could not be started again: %1"
                ).replace("%1", program),
            )
            return False
        self.window.quit()  # (also when closing would keep it in the tray)
        return True

    def start_detached(self, program: str, arguments: list[str]) -> bool:
        """Start a program that outlives this one (tests give their own)."""
        started, _pid = QProcess.startDetached(program, arguments)
        return bool(started)

    def shutdown(self, *, drain_seconds: float = 15.0) -> None:
        """Save the window state, then stop the worker once queued database
        work has finished (a save the user just made must not be lost)."""
        self._start_limit.stop()
        if self.live is not None:
            self.live.stop()
        self.window.save_state()
        if self.reminders is not None:
            self.reminders.stop()
        if self.tray is not None:
            self.tray.dispose()
            self.tray = None
        self.services.worker.shutdown(drain_seconds=drain_seconds)


def restart_command(arguments: list[str]) -> tuple[str, list[str]]:
    """This program with other arguments: the bundle's executable, or this
    Python running the package."""
    if getattr(sys, "frozen", False):
        return sys.executable, arguments
    return sys.executable, ["-m", "akquise_desktop", *arguments]


def run(
    db: Database, user_id: int, *, lang: str | None = None, instance=None, link: str | None = None
) -> int:
    app = create_application()
    from .collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # takes over once the start is over
    settings = Settings()
    application = Application(db, user_id, settings, lang=lang)
    application.daily_backups = True
    from PySide6.QtWidgets import QSystemTrayIcon

    if not (settings.start_minimised and QSystemTrayIcon.isSystemTrayAvailable()):
        application.window.show()  # (minimised: the tray icon comes after the start)
    open_links(application, instance, link)
    if os.environ.get("AKQUISE_QUIT_AFTER_START"):
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        if instance is not None:
            instance.close()
        application.shutdown()
        startup.resume_gc()
        collector.stop()


def open_links(application: Application, instance, link: str | None) -> None:
    """``link`` (given to this start) and the links later starts hand over to
    ``instance`` (a :class:`~akquise_desktop.desktop.single_instance.SingleInstance`)
    open in the main window (:mod:`.links`)."""
    from .links import LinkOpener, serve_links

    opener = LinkOpener(application.services, lambda: application.window)
    application.links = opener
    serve_links(opener, instance, link)
