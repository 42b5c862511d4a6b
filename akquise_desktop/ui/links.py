"""Links in the running app: a handed-over ``akquise://`` link opens its record
(or the follow-up's record) in the main window; a link that can't be opened
opens nothing and a message says why. And "Desktop-Verknüpfung anlegen": a
shortcut file for the record shown.

A call (``akquise://call/<number>``, from ``akquise-desktop call NUMBER``)
looks the caller up instead (:class:`akquise_desktop.ui.calls.IncomingCalls`).

A link is checked in three steps: its form (:func:`akquise_desktop.desktop.urls.parse`),
its database (the ``db`` in it must be the one open), then on the worker, as
the acting user (:func:`akquise_desktop.queries.links.link_target`): does the
record or follow-up exist, and may the user see it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from akquise_desktop.desktop import shortcuts, urls
from akquise_desktop.desktop.single_instance import RAISE
from akquise_desktop.queries import links as q

from .common import replace_notice
from .i18n import current_language

if TYPE_CHECKING:
    from .calls import IncomingCalls
    from .main_window import MainWindow
    from .services import Services

# Test hook (like AKQUISE_QUIT_AFTER_START): print the first handed-over link's
# outcome ("opened record 12", or the refusal) on stdout and quit.
QUIT_AFTER_LINK_ENV = "AKQUISE_QUIT_AFTER_LINK"


def database_id(services: Services) -> str:
    return urls.database_id(services.db.url)


class LinkOpener(QObject):
    """Opens links for the main window ``window()`` (the window may be
    re-made, e.g. on a language switch, hence a getter)."""

    opened = Signal(int)  # the record shown
    refused = Signal(str)  # the reason, in the UI language

    def __init__(
        self, services: Services, window: Callable[[], MainWindow], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.window = window
        self.db_id = database_id(services)
        self.message_box: QMessageBox | None = None
        self._calls: IncomingCalls | None = None

    @property
    def calls(self) -> IncomingCalls:
        """The caller look-up (made on the first call)."""
        if self._calls is None:
            from .calls import IncomingCalls

            self._calls = IncomingCalls(self.services, self.window, self)
        return self._calls

    def handle(self, message: str) -> None:
        """A message from a second start (:mod:`akquise_desktop.desktop.single_instance`):
        show the window; open the link in it, if there is one."""
        self.raise_window()
        if message == RAISE:
            return
        if urls.is_call(message):
            self.take_call(message)
            return
        try:
            link = urls.parse(message)
            link.check_database(self.db_id, self.services.db.describe(current_language()))
        except urls.LinkError as exc:
            self._refuse(exc)
            return
        user_id = self.services.user_id
        self.services.read(
            lambda s: q.link_target(s, link.kind.value, link.id, user_id),
            self._resolved,
            self._failed,
        )

    def take_call(self, message: str) -> None:
        """A call message: look the caller up (a bad number: the reason)."""
        try:
            number = urls.parse_call(message)
        except urls.NumberError as exc:
            self._show(exc.message(current_language()))
            return
        self.calls.take(number)

    def raise_window(self) -> None:
        window = self.window()
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def _resolved(self, target: q.LinkTarget) -> None:
        if target.record_id is None:
            follow_up = target.kind == q.FOLLOW_UP
            if current_language() == "de":
                detail = ("Wiedervorlage #%d" if follow_up else "Datensatz #%d") % target.id
            else:
                detail = ("follow-up #%d" if follow_up else "record #%d") % target.id
            if target.problem == q.NO_RIGHT:
                problem = urls.Problem.NO_RIGHT
            else:
                problem, detail = urls.Problem.NOT_FOUND, detail[0].upper() + detail[1:]
            self._refuse(urls.LinkError(problem, detail))
            return
        window = self.window()
        if target.kind == q.FOLLOW_UP and hasattr(window, "open_follow_up"):
            window.open_follow_up(target.record_id, target.id)  # the follow-up selected
        else:
            window.open_record(target.record_id)
        self.opened.emit(target.record_id)

    def _failed(self, error: BaseException) -> None:
        self._show(
            QCoreApplication.translate("LinkOpener", "The link could not be opened: %1").replace(
                "%1", str(error)
            )
        )

    def _refuse(self, error: urls.LinkError) -> None:
        self._show(error.message(current_language()))

    def _show(self, text: str) -> None:
        self.refused.emit(text)
        title = QCoreApplication.translate("LinkOpener", "Open link")
        self.message_box = replace_notice(
            self.message_box, title, text, self.window(), self._box_gone
        )

    def _box_gone(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None


def quit_after_link(opener: LinkOpener) -> None:
    """The test hook :data:`QUIT_AFTER_LINK_ENV`: report the first outcome, quit."""
    app = QCoreApplication.instance()

    def report(text: str) -> None:
        print(f"akquise-desktop: link: {text}", flush=True)
        if app is not None:
            QTimer.singleShot(0, app.quit)  # (also before the event loop runs)

    opener.opened.connect(lambda record_id: report(f"opened record {record_id}"))
    opener.refused.connect(report)
    calls = opener.calls
    calls.opened.connect(lambda record_id: report(f"call: opened record {record_id}"))
    calls.choosing.connect(lambda n: report(f"call: choose among {n} records"))
    calls.unknown.connect(lambda number: report(f"call: new record for {number}"))
    calls.failed.connect(report)


def serve_links(opener: LinkOpener, instance, first: str | None) -> None:
    """Open ``first`` (the link this start was given) and then every link a
    later start hands over to ``instance`` (a SingleInstance, or None)."""
    if os.environ.get(QUIT_AFTER_LINK_ENV):
        quit_after_link(opener)
    if first is not None:
        opener.handle(first)
    if instance is not None:
        instance.set_handler(opener.handle)


# --- desktop shortcuts -------------------------------------------------------------------


def create_desktop_shortcut(
    parent: QWidget,
    services: Services,
    record_id: int,
    record_name: str,
    *,
    directory: str | os.PathLike[str] | None = None,
    platform: str | None = None,
) -> QMessageBox:
    """Write a shortcut to ``record_id`` on the desktop (or ``directory``) and
    say where, or why not, in a message box (returned, opened, not modal)."""
    db = services.db
    url = urls.record_url(record_id, urls.database_id(db.url))
    label = shortcuts.database_label(db.url)
    description = (
        QCoreApplication.translate("LinkOpener", "AkquiseDesktop: record %1 in %2")
        .replace("%1", record_name)
        .replace("%2", db.describe(current_language()))
    )
    item = shortcuts.shortcut(
        platform or shortcuts.current_platform(),
        url=url,
        title=record_name,
        database=label,
        description=description,
    )
    title = QCoreApplication.translate("LinkOpener", "Create desktop shortcut")
    ok = QMessageBox.StandardButton.Ok
    try:
        path = shortcuts.write(item, directory)
    except OSError as exc:
        text = QCoreApplication.translate("LinkOpener", "The shortcut could not be written: %1")
        box = QMessageBox(QMessageBox.Icon.Warning, title, text.replace("%1", str(exc)), ok, parent)
    else:
        text = QCoreApplication.translate(
            "LinkOpener", "The shortcut to “%1” is on the desktop:\n%2"
        )
        text = text.replace("%1", record_name).replace("%2", str(path))
        box = QMessageBox(QMessageBox.Icon.Information, title, text, ok, parent)
        box.setProperty("path", str(path))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
